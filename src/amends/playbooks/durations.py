"""Durations as playbooks write them: `30m`, `4h`, `2d`, `1h30m`, `1w`."""

from __future__ import annotations

import re
from datetime import timedelta

UNITS = {
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
}
#: Units that name days: under business hours they are refused, since a business day is not
#: 24 hours and guessing its length would move every due time.
DAY_UNITS = frozenset("wd")
_PART = re.compile(r"(\d+)\s*([wdhm])")
_WHOLE = re.compile(r"(?:\d+\s*[wdhm]\s*)+")


def parse_duration(text: str) -> timedelta:
    """`4h` → 4 hours. Raises ValueError, quoting the text, unless it is one or more
    `<whole number><unit>` parts with units w, d, h, m, adding up to more than zero."""
    cleaned = text.strip().lower()
    if not _WHOLE.fullmatch(cleaned):
        raise ValueError(f'not a duration: "{text}" (write e.g. 30m, 4h, 1h30m, 2d)')
    total = sum((int(n) * UNITS[unit] for n, unit in _PART.findall(cleaned)), timedelta())
    if total <= timedelta():
        raise ValueError(f'a duration must be more than zero: "{text}"')
    return total


def uses_days(text: str) -> bool:
    """Whether a duration text has a part in days or weeks."""
    return any(unit in DAY_UNITS for _, unit in _PART.findall(text.strip().lower()))


def format_duration(value: timedelta, *, days: bool = True) -> str:
    """The shortest playbook spelling of a duration: 90 minutes → `1h30m`; without `days`,
    as business time is written, 30 hours → `30h`."""
    minutes = int(value.total_seconds() // 60)
    parts = []
    units = (("d", 1440), ("h", 60), ("m", 1)) if days else (("h", 60), ("m", 1))
    for unit, size in units:
        count, minutes = divmod(minutes, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0m"
