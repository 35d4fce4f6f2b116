"""The specifics a customer named, in their own words: the order or booking number, the
flight, the thing (their "my suitcase"), the day and the place. A reply that repeats them
shows it was read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from amends.triage.pii import PiiKind, find_pii

_FLIGHT = re.compile(
    r"\bflight\s*#?\s*([A-Z]{0,2}\s?\d{1,4})\b|\b((?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\s?\d{2,4})\b(?=\W)",
    re.I,
)
_MY_THING = re.compile(
    r"\bmy\s+((?:new|brand new|first|second|last|recent|previous|prior|current|original|latest|"
    r"online|whole|entire)\s+)?([a-z][a-z-]{2,})(?:\s+([a-z][a-z-]{2,}))?",
    re.I,
)
_WHEN = re.compile(
    r"\b(yesterday|today|this (?:morning|afternoon|evening)|last (?:night|week|weekend|month|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)|on (?:monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)|on (?:the )?\d{1,2}(?:st|nd|rd|th)?(?: of)? (?:jan|feb|mar|"
    r"apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\b",
    re.I,
)
_PLACE = re.compile(
    r"\b(?:at|in|from) (?:the |your )?((?:[A-Z][a-z]+|[A-Z]{3})(?: [A-Z][a-z]+){0,2} (?:store|branch|hotel|airport|restaurant|office|location|station))\b"
)
# "my" words that are not the thing the complaint is about.
_NOT_A_THING = frozenset(
    [
        "own",
        "way",
        "time",
        "life",
        "god",
        "mind",
        "self",
        "family",
        "husband",
        "wife",
        "son",
        "daughter",
        "kids",
        "children",
        "mother",
        "father",
        "mom",
        "dad",
        "mum",
        "friend",
        "friends",
        "boyfriend",
        "girlfriend",
        "partner",
        "name",
        "opinion",
        "experience",
        "fault",
        "money",
        "business",
        "head",
        "heart",
        "days",
        "hours",
        "patience",
        "goodness",
        "lord",
        "goodness",
        "only",
        "first",
        "previous",
        "prior",
        "current",
        "original",
        "other",
        "same",
        "issue",
        "problem",
        "complaint",
        "concern",
        "question",
        "case",
        "request",
        "email",
        "emails",
        "call",
        "calls",
        "calls",
    ]
)
_SECOND_WORD_OK = frozenset(
    [
        "order",
        "account",
        "card",
        "bag",
        "luggage",
        "suitcase",
        "package",
        "parcel",
        "refund",
        "booking",
        "reservation",
        "ticket",
        "flight",
        "seat",
        "room",
        "bill",
        "payment",
        "charge",
        "phone",
        "laptop",
        "delivery",
        "subscription",
        "app",
    ]
)
_NUMBER_PREFIX = re.compile(
    r"^\W*(?:(?:order|booking|reservation|ticket|confirmation|case|claim|account|reference|ref)\b\W*)?(?:#|no\.?|number)?\s*",
    re.I,
)
_ORDER_WORDS = re.compile(
    r"\b(order|booking|reservation|ticket|confirmation|case|claim|account|reference)\b", re.I
)


@dataclass(frozen=True, slots=True)
class Specifics:
    thing: str | None = None  # "suitcase", "new phone"
    reference: str | None = None  # "order 123-4567" as the customer wrote the number
    flight: str | None = None  # "UA 1234"
    when: str | None = None  # "yesterday", "on Monday"
    place: str | None = None  # "Leeds store"

    @property
    def private(self) -> tuple[str, ...]:
        """What must never go into a public reply."""
        return tuple(value for value in (self.reference,) if value)


def specifics(text: str) -> Specifics:
    return Specifics(
        thing=_thing(text),
        reference=_reference(text),
        flight=_flight(text),
        when=_first(_WHEN, text),
        place=_first(_PLACE, text),
    )


def _thing(text: str) -> str | None:
    for match in _MY_THING.finditer(text):
        noun = match.group(2).lower()
        if noun in _NOT_A_THING:
            continue
        second = (match.group(3) or "").lower()
        words = [noun] + ([second] if second in _SECOND_WORD_OK else [])
        if match.group(1):
            words.insert(0, match.group(1).strip().lower())
        return " ".join(words)
    return None


def _reference(text: str) -> str | None:
    for span in find_pii(text):
        if span.kind is PiiKind.ORDER:
            before = _ORDER_WORDS.findall(text[max(0, span.start - 30) : span.start])
            number = _NUMBER_PREFIX.sub("", span.text) or span.text
            return f"{before[-1].lower()} {number}" if before else span.text
    return None


def _flight(text: str) -> str | None:
    if not re.search(r"\bflight|\bfly|\bflew|\bplane|\bgate|\bairport", text, re.I):
        return None
    match = _FLIGHT.search(text)
    if match is None:
        return None
    code = (match.group(1) or match.group(2) or "").strip()
    return code.upper() if code and any(c.isdigit() for c in code) else None


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1) if match else None
