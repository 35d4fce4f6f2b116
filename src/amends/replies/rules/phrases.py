"""Phrase lists as compiled patterns: where each occurs in a reply's wording."""

from __future__ import annotations

import re
from collections.abc import Iterator

from amends.replies.wording import Wording


class Phrases:
    """Any of `patterns` (regular expressions, matched case-insensitively on word boundaries)."""

    def __init__(self, *patterns: str) -> None:
        self.pattern = re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)

    def spans(self, wording: Wording) -> Iterator[tuple[int, int]]:
        for match in self.pattern.finditer(_apostrophes(wording.text)):
            yield match.start(), match.end()

    def first(self, wording: Wording) -> tuple[int, int] | None:
        return next(self.spans(wording), None)

    def found_in(self, wording: Wording) -> bool:
        return self.first(wording) is not None


def _apostrophes(text: str) -> str:
    """Typographic apostrophes as plain ones, one for one, so offsets stay put."""
    return text.replace("’", "'").replace("‘", "'")
