"""The language of a text, by CLD2 (`pycld2`), whose model is compiled into the wheel.

Nothing is downloaded or read from disk at run time. docs/triage-rules.md#language records why
CLD2 was chosen over the other offline detectors and how that was measured.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice
from typing import NamedTuple

import pycld2  # type: ignore[import-untyped]

from amends.triage.letters import may_hold_links

UNDETERMINED_CODE = "und"
#: Below this many letters (outside @handles, links and e-mail addresses) a text is `und`.
MIN_LETTERS = 8
#: CLD2 flags a guess as unreliable when the evidence is thin or mixed; such guesses keep
#: their language but their confidence is scaled down by this factor.
UNRELIABLE_FACTOR = 0.5


class DetectedLanguage(NamedTuple):
    """An ISO 639-1 code (or `und`) and a confidence from 0 to 1."""

    code: str
    confidence: float


UNDETERMINED = DetectedLanguage(UNDETERMINED_CODE, 0.0)

# CLD2 rejects C0/C1 control characters and lone surrogates as "invalid UTF-8"; mojibake in
# scraped reviews carries C1 characters, so they become spaces first.
_UNENCODABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_WORDS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|@\w+")
_LETTER = re.compile(r"[^\W\d_]")
_ALPHA2 = re.compile(r"[a-z]{2}")
# CLD2 still reports some withdrawn ISO 639-1 codes (Hebrew as `iw`).
_WITHDRAWN = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv"}


def detect_language(text: str) -> DetectedLanguage:
    """The main language of `text`.

    `und` with confidence 0.0 when the text has fewer than MIN_LETTERS letters outside
    @handles, links and e-mail addresses (empty, "ok", "@united thx", digits, emoji only), when
    CLD2 finds no language, or when the language has no two-letter ISO 639-1 code (CLD2's
    `sco`, `haw`, `ceb`…). Otherwise the confidence is CLD2's share of the text in that
    language, times UNRELIABLE_FACTOR when CLD2 calls its guess unreliable.
    """
    if not _has_enough_letters(text):
        return UNDETERMINED
    try:
        reliable, _, details = pycld2.detect(_UNENCODABLE.sub(" ", text))
    except pycld2.error:
        return UNDETERMINED
    _, cld_code, percent, _ = details[0]
    code = _iso_639_1(str(cld_code))
    if code is None:
        return UNDETERMINED
    confidence = int(percent) / 100 * (1.0 if reliable else UNRELIABLE_FACTOR)
    return DetectedLanguage(code, round(confidence, 3))


def detect_languages(texts: Iterable[str]) -> list[DetectedLanguage]:
    """detect_language for each text, in order."""
    return [detect_language(text) for text in texts]


def _has_enough_letters(text: str) -> bool:
    words = _NOT_WORDS.sub(" ", text) if may_hold_links(text) else text
    return sum(1 for _ in islice(_LETTER.finditer(words), MIN_LETTERS)) >= MIN_LETTERS


def _iso_639_1(cld_code: str) -> str | None:
    primary = cld_code.split("-", 1)[0].lower()
    if not _ALPHA2.fullmatch(primary) or primary == "un":
        return None
    return _WITHDRAWN.get(primary, primary)
