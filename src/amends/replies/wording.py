"""The part of a reply that is its wording: @handles, links and agent signatures blanked out,
offsets kept, so a rule's match points at the same place in what the agent typed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

_LEADING_HANDLES = re.compile(r"^(?:\s*@\w+)+")
_LINK = re.compile(r"https?://\S+|www\.\S+")
# Agent sign-offs on social replies: "^RR", "-Becky", "*KevinM", "- Chloe", "ABN 2/2", "(1/2)".
_SIGNATURE = re.compile(
    r"(?:\s[\^*]\s?[A-Z][\w]{0,14}|\s[-–—~]\s?[A-Z][a-zA-Z]{1,14}|\s\(?\d/\d\)?)(?:\s*\d/\d)?\s*$"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


@dataclass(frozen=True)
class Wording:
    original: str
    text: str  # same length as original; ignored parts are spaces

    @cached_property
    def lower(self) -> str:
        return self.text.lower()

    @cached_property
    def words(self) -> list[str]:
        return [m.group().lower().replace("’", "'") for m in _WORD.finditer(self.text)]

    @property
    def stripped(self) -> str:
        return " ".join(self.text.split())


def wording(text: str) -> Wording:
    blank = list(text)
    for pattern in (_LEADING_HANDLES, _LINK, _SIGNATURE):
        for match in pattern.finditer(text):
            blank[match.start() : match.end()] = " " * (match.end() - match.start())
    return Wording(original=text, text="".join(blank))
