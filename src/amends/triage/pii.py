"""Personal data in free text: where it is, and the text with it replaced by `[kind]`.

Rules and measured coverage: docs/triage-rules.md#pii. Every pattern is compiled at import.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass

import phonenumbers

from amends.triage.prefilter import PatternSet


class PiiKind(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    CARD = "card"
    IBAN = "iban"
    ADDRESS = "address"
    ORDER = "order"


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """`text[start:end]` is personal data of `kind`."""

    kind: PiiKind
    start: int
    end: int
    text: str


_Found = Iterator[tuple[PiiKind, int, int]]

# When two findings overlap, the kind listed first wins; among equals, the longer one.
# An order number that passes Luhn is still a card; a claim number that looks like a US
# phone number is an order number ("bag claim #3526665682").
_PRECEDENCE = (
    PiiKind.EMAIL,
    PiiKind.CARD,
    PiiKind.IBAN,
    PiiKind.ORDER,
    PiiKind.PHONE,
    PiiKind.ADDRESS,
)

# CFPB narratives and other scrubbed exports replace personal data with runs of X.
_ALREADY_REDACTED = re.compile(r"XX")

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24}\b"
)

# Card numbers as people write them: 13–19 digits unbroken, or in the groups printed on
# cards (4-4-4-4, 4-4-4-4-3, Amex 4-6-5, Diners 4-6-4) with one kind of separator.
_CARD = re.compile(
    r"(?<![\w.,/-])"
    r"(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?|\d{4}([ -])\d{6}\2\d{4,5})"
    r"(?![\w/]|[.,-]\d)"
)

_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")

# Seven digits, possibly split by separators: cheap test before the phonenumbers matcher.
_PHONE_HINT = re.compile(r"\d(?:[\s().\-/]{0,3}\d){6}")

#: Words that introduce an order, booking, ticket, case or account reference.
ORDER_KEYWORDS = (
    "order", "booking", "reservation", "res", "confirmation", "conf", "pnr", "record locator",
    "locator", "ticket", "e-ticket", "eticket", "case", "claim", "reference", "ref",
    "tracking", "invoice", "receipt", "account", "acct", "member", "membership", "loyalty",
    "customer", "policy", "loan", "transaction", "dispute", "complaint", "incident",
    "frequent flyer", "ff",
)  # fmt: skip
_KEYWORD_PATTERNS = (
    re.escape(keyword).replace(r"\ ", r"\s+")
    for keyword in sorted(ORDER_KEYWORDS, key=len, reverse=True)
)
_ORDER_KEYWORD = re.compile(rf"\b(?:{'|'.join(_KEYWORD_PATTERNS)})\b")
# What follows the keyword: "number is", "#", "ref:" and the value itself.
_ORDER_VALUE = re.compile(
    r"(?i:[\s-]+(?:number|num|nbr|no\.?|nr|code|id|ref(?:erence)?)\b)?"
    r"(?i:\s*[:#]\s*|\s+(?:is|was)\s+|\s+)#?\s*"
    # A value carries a digit; a letters-only value counts only after PNR or (record) locator.
    r"(?P<value>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{3,}[A-Za-z0-9]|[A-Z]{6})"
    r"(?![\w-])"
)
_LETTERS_ONLY_KEYWORDS = re.compile(r"(?i)pnr|(?:record\s+)?locator")
# A reference has three digits or more, or is an upper-case code ("YIU8NM"); "4-6pk" and
# "#1lesscustomer" (a hashtag) are not references.
_ORDER_SHAPE = re.compile(r"(?:\D*\d){3}.*|[A-Z0-9-]{5,}", re.DOTALL)
_WORDLIKE = re.compile(r"[a-z]{3}")

# fmt: off
_STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
    "VA", "WA", "WV", "WI", "WY", "DC", "PR",
)
# fmt: on
_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New\\s+Hampshire|"
    "New\\s+Jersey|New\\s+Mexico|New\\s+York|North\\s+Carolina|North\\s+Dakota|Ohio|Oklahoma|"
    "Oregon|Pennsylvania|Rhode\\s+Island|South\\s+Carolina|South\\s+Dakota|Tennessee|Texas|Utah|"
    "Vermont|Virginia|Washington|West\\s+Virginia|Wisconsin|Wyoming"
)
_STREET_SUFFIX = (
    "street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|"
    "terrace|terr|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl|plaza|crescent|close"
)
_STREET = re.compile(
    # "123 Main St", "4500 N. Lake Shore Drive", "221B Baker Street, Apt 4"
    r"(?<![@#\w])\d{1,5}[A-Za-z]?\s+(?:(?:[NSEW]\.?|North|South|East|West)\s+)?"
    r"(?:(?:[A-Z][a-z']+|\d{1,3}(?:st|nd|rd|th)?)\s+){1,3}"
    rf"(?i:{_STREET_SUFFIX})\b\.?"
    r"(?:,?\s*(?i:apt|apartment|suite|ste|unit|flat)\.?\s*#?\s*[A-Za-z0-9-]+|,?\s*#\s*\d+[A-Za-z]?)?"
)
_PO_BOX = re.compile(r"\b(?i:p\.?\s?o\.?\s*box|post\s+office\s+box)\s+\d{1,6}\b")
# UK postcodes ("SW1A 1AA", "M1 1AE") and Canadian postal codes ("K1A 0B1"), upper case and
# with the space: without it, aircraft tail numbers ("N366SW") look the same.
_POSTCODE = re.compile(
    r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}"
    r"|[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d)\b"
)
_ZIP = re.compile(r"\b\d{5}(?:-\d{4})?\b")
# What may stand just before a ZIP code: a state ("IL 62704", "Ohio 43128"), whose span
# joins the code's, or the word zip ("zip: 30093"), whose span does not.
_STATE_BEFORE = re.compile(rf"(?:\b(?:{'|'.join(_STATES)})\.?|\b(?i:{_STATE_NAMES})),?\s+$")
_ZIP_WORD_BEFORE = re.compile(r"\b(?i:zip(?:\s*code)?|postal\s+code|postcode)\s*[:#]?\s*$")
# Address parts separated only by a city name join into one span:
# "123 Main St, Springfield, IL 62704".
_ADDRESS_GAP = re.compile(r",?\s*(?:[A-Z][A-Za-z.'-]*\s*){0,3},?\s*")


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn checksum that every payment card carries."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def iban_valid(iban: str) -> bool:
    """Whether an IBAN (spaces allowed) has a plausible length and passes the mod-97 check."""
    compact = iban.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _emails(text: str, region: str, may: Container[str]) -> _Found:
    if "email" not in may:
        return
    for match in _EMAIL.finditer(text):
        if not _ALREADY_REDACTED.search(match.group()):
            yield PiiKind.EMAIL, match.start(), match.end()


def _cards(text: str, region: str, may: Container[str]) -> _Found:
    if "card" not in may:
        return
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if digits[0] != "0" and luhn_valid(digits):
            yield PiiKind.CARD, match.start(), match.end()


def _ibans(text: str, region: str, may: Container[str]) -> _Found:
    if "iban" not in may:
        return
    for match in _IBAN.finditer(text):
        if iban_valid(match.group()):
            yield PiiKind.IBAN, match.start(), match.end()


def _orders(text: str, region: str, may: Container[str]) -> _Found:
    # Keywords are found in a lower-cased copy (much faster than a case-insensitive pattern);
    # U+0130 is the one character whose lower case is longer, so offsets stay the same.
    lowered = text.replace("\u0130", "I").lower()
    if not _ORDER_SCAN.candidates(lowered):
        return
    for keyword in _ORDER_KEYWORD.finditer(lowered):
        match = _ORDER_VALUE.match(text, keyword.end())
        if match is not None and _is_reference(keyword.group(), match.group("value")):
            yield PiiKind.ORDER, match.start("value"), match.end("value")


def _is_reference(keyword: str, value: str) -> bool:
    if _ALREADY_REDACTED.search(value) or _WORDLIKE.search(value):
        return False
    if value.isalpha():
        return _LETTERS_ONLY_KEYWORDS.fullmatch(keyword) is not None
    return _ORDER_SHAPE.fullmatch(value) is not None


def _phones(text: str, region: str, may: Container[str]) -> _Found:
    if "phone" not in may or not _PHONE_HINT.search(text):
        return
    leniency = phonenumbers.Leniency.VALID
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=leniency):
        yield PiiKind.PHONE, match.start, match.end


def _addresses(text: str, region: str, may: Container[str]) -> _Found:
    for name in ("street", "po_box", "postcode"):
        if name in may:
            for match in _SCAN.patterns[name].finditer(text):
                yield PiiKind.ADDRESS, match.start(), match.end()
    if "zip" not in may:
        return
    for match in _ZIP.finditer(text):
        before = max(0, match.start() - 30)
        state = _STATE_BEFORE.search(text, before, match.start())
        if state is not None:
            yield PiiKind.ADDRESS, state.start(), match.end()
        elif _ZIP_WORD_BEFORE.search(text, before, match.start()):
            yield PiiKind.ADDRESS, match.start(), match.end()


# One pass over each text tells which of these may match it (prefilter.py).
_SCAN = PatternSet(
    {
        "email": _EMAIL,
        "card": _CARD,
        "iban": _IBAN,
        "phone": _PHONE_HINT,
        "street": _STREET,
        "po_box": _PO_BOX,
        "postcode": _POSTCODE,
        "zip": _ZIP,
    }
)
_ORDER_SCAN = PatternSet({"order": _ORDER_KEYWORD})

_DETECTORS: tuple[Callable[[str, str, Container[str]], _Found], ...] = (
    _emails,
    _cards,
    _ibans,
    _orders,
    _phones,
    _addresses,
)


def find_pii(text: str, *, region: str = "US") -> list[PiiSpan]:
    """The personal data in `text`, sorted by start, no two spans overlapping.

    `region` (ISO 3166 alpha-2) is how phone numbers without a `+country` prefix are read.
    Runs of `XX` (CFPB-style redactions) are never reported.
    """
    may = _SCAN.candidates(text)
    found = [hit for detect in _DETECTORS for hit in detect(text, region, may)]
    kept = _without_overlaps(found)
    return _join_addresses(text, [PiiSpan(kind, s, e, text[s:e]) for kind, s, e in kept])


def redact(text: str, spans: Sequence[PiiSpan]) -> str:
    """`text` with each span replaced by `[kind]` (`[email]`, `[card]`…).

    The spans must come from this text (find_pii does) and must not overlap.
    """
    parts: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda span: span.start):
        if span.start < position:
            raise ValueError(f"overlapping PII spans at {span.start}")
        parts += [text[position : span.start], f"[{span.kind.value}]"]
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


def _without_overlaps(found: list[tuple[PiiKind, int, int]]) -> list[tuple[PiiKind, int, int]]:
    ranked = sorted(found, key=lambda hit: (_PRECEDENCE.index(hit[0]), hit[1] - hit[2], hit[1]))
    kept: list[tuple[PiiKind, int, int]] = []
    for kind, start, end in ranked:
        if all(end <= other_start or start >= other_end for _, other_start, other_end in kept):
            kept.append((kind, start, end))
    return sorted(kept, key=lambda hit: hit[1])


def _join_addresses(text: str, spans: list[PiiSpan]) -> list[PiiSpan]:
    joined: list[PiiSpan] = []
    for span in spans:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.kind is span.kind is PiiKind.ADDRESS
            and _ADDRESS_GAP.fullmatch(text, previous.end, span.start)
        ):
            span = PiiSpan(
                PiiKind.ADDRESS, previous.start, span.end, text[previous.start : span.end]
            )
            joined[-1] = span
        else:
            joined.append(span)
    return joined
