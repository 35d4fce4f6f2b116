"""ISO 639-1 codes from the language tags platforms send (`en`, `pt-BR`, `pt_BR`, `und`, `qme`)."""

from __future__ import annotations

import re
from typing import Any

#: Withdrawn ISO 639-1 codes that X and older Java locales still send.
_WITHDRAWN = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv"}
_ALPHA2 = re.compile(r"[a-z]{2}")


def iso_language(tag: Any) -> str | None:
    """The two-letter code of a tag's primary language, or None when it names no language.

    X marks undetermined or non-linguistic posts with `und`, `zxx` or private-use `q..` codes
    (`qme`: media only, `qht`: hashtags only); none of them are two letters.
    """
    if not isinstance(tag, str):
        return None
    primary = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    if not _ALPHA2.fullmatch(primary):
        return None
    return _WITHDRAWN.get(primary, primary)
