"""No stock phrase twice in one conversation. A letter's salutation and sign-off are left out:
"Hi Ana," and "Kind regards, Sam" open and close every email of a thread, as they should."""

from __future__ import annotations

import re
from collections.abc import Iterator

from amends.replies.findings import Finding, Severity
from amends.replies.rules import Rule
from amends.replies.situation import Situation
from amends.replies.wording import Wording
from amends.replies.wording import wording as wording_of

SPAN_WORDS = 5
_SALUTATION = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^\n]{0,40},?\s*$", re.I
)
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:best|kind|warm|warmest|many)\s+)?(?:wishes|regards|thanks|best)\s*,?\s*$"
    r"|^\s*(?:all the best|take care|sincerely|yours(?: sincerely| truly)?|cheers)\s*,?\s*$",
    re.I,
)


def repeated(wording: Wording, situation: Situation) -> Iterator[Finding]:
    earlier: set[tuple[str, ...]] = set()
    for reply in situation.context.earlier_replies:
        earlier |= phrases_of(reply)
    if not earlier:
        return
    for gram in _grams(wording_of(_body(wording.original)).words):
        if gram in earlier:
            phrase = " ".join(gram)
            yield Finding(
                "phrase.repeated",
                Severity.WARNING,
                f"'{phrase}' was already said earlier in this conversation.",
                "Word it afresh: a repeated line reads as a script.",
                _locate(wording, gram),
            )
            return


def _grams(words: list[str]) -> Iterator[tuple[str, ...]]:
    for i in range(len(words) - SPAN_WORDS + 1):
        yield tuple(words[i : i + SPAN_WORDS])


def phrases_of(text: str) -> set[tuple[str, ...]]:
    """Every run of SPAN_WORDS words in `text`'s wording, salutation and sign-off left out."""
    return set(_grams(wording_of(_body(text)).words))


def _body(text: str) -> str:
    """`text` without a first line that only greets and a last block that only signs off."""
    lines = text.strip().splitlines()
    if lines and _SALUTATION.match(lines[0]):
        lines = lines[1:]
    for index in range(len(lines) - 1, max(len(lines) - 5, -1), -1):
        if _SIGN_OFF.match(lines[index]):
            lines = lines[:index]
            break
    return "\n".join(lines)


def _locate(wording: Wording, gram: tuple[str, ...]) -> tuple[int, int] | None:
    lowered = wording.lower.replace("’", "'")
    start = lowered.find(gram[0])
    while start >= 0:
        end = start
        for word in gram:
            end = lowered.find(word, end)
            if end < 0:
                return None
            end += len(word)
        if len(wording.text[start:end].split()) == SPAN_WORDS:
            return start, end
        start = lowered.find(gram[0], start + 1)
    return None


RULES = (Rule("phrase.repeated", repeated, english=False),)
