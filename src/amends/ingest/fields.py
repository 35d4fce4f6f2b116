"""Turn raw values into our typed fields, raising FieldError that names the field."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from dateutil import parser as dateparser

from amends.ingest.model import FieldError

_EPOCH_MS_THRESHOLD = 100_000_000_000  # a number above this is milliseconds, not seconds
_SURROGATE = re.compile(r"[\udc80-\udcff]")


def clean_text(value: Any, field: str) -> str | None:
    """Strip a string; reject bytes that were not valid UTF-8 (kept as surrogates on read)."""
    if value is None:
        return None
    text = str(value).strip()
    bad = None if text.isascii() else _SURROGATE.search(text)
    if bad:
        byte = ord(bad.group()) - 0xDC00
        raise FieldError(field, f"undecodable byte 0x{byte:02x} at character {bad.start() + 1}")
    return text or None


def parse_datetime(value: Any, field: str = "posted_at") -> datetime | None:
    """Accept ISO 8601, `2015-02-24 11:35:52 -0800`, RFC 2822 and epoch seconds or milliseconds.

    A time without an offset is taken as UTC.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, int | float) or _is_number(str(value)):
        parsed = _from_epoch(float(value), field)
    else:
        parsed = _parse_date_text(str(value).strip(), field)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _parse_date_text(text: str, field: str) -> datetime:
    try:
        return datetime.fromisoformat(text)  # the common case, and fifty times faster
    except ValueError:
        pass
    try:
        return dateparser.parse(text)
    except (ValueError, OverflowError) as exc:
        raise FieldError(field, f"not a date: {text[:60]!r}") from exc


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _from_epoch(number: float, field: str) -> datetime:
    seconds = number / 1000 if abs(number) >= _EPOCH_MS_THRESHOLD else number
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise FieldError(field, f"epoch value out of range: {number}") from exc


def parse_rating(value: Any, field: str = "rating") -> int | None:
    """A whole number of stars from 1 to 5 (`4`, `4.0`, `4/5`); `8/10` is refused, not read
    as 8 stars, since its scale is not ours."""
    if value is None or value == "":
        return None
    stars, _, scale = str(value).strip().partition("/")
    if scale and scale.strip() != "5":
        raise FieldError(field, f"must be out of 5, got {str(value)[:30]!r}")
    try:
        number = Decimal(stars.strip())
    except InvalidOperation as exc:
        raise FieldError(field, f"not a number: {str(value)[:30]!r}") from exc
    if number != number.to_integral_value() or not 1 <= number <= 5:
        raise FieldError(field, f"must be a whole number from 1 to 5, got {stars.strip()}")
    return int(number)


def parse_count(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise FieldError(field, f"not a whole number: {str(value)[:30]!r}") from exc
    if number < 0:
        raise FieldError(field, "must not be negative")
    return number


def content_hash(*parts: str | None) -> str:
    """Identify an item that has no external id by what it says, who said it and when."""
    joined = "\x1f".join(part or "" for part in parts)
    return "sha256:" + hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()
