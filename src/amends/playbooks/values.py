"""Reusable value types of the playbook format: names, lists of names, durations, opening
hours. Each parses what a person writes in YAML and says plainly what is wrong."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, Field

from amends.playbooks.clock import MINUTES_PER_DAY, DayHours, check_day
from amends.playbooks.durations import parse_duration

_TIME = re.compile(r"(\d{1,2}):(\d{2})")


def as_list(value: object) -> object:
    """One value where a list is expected is a list of one."""
    return [value] if isinstance(value, str | int | float) else value


def lower_list(value: object) -> object:
    """One value or a list, as a list with its texts stripped and lower-cased."""
    value = as_list(value)
    if not isinstance(value, list):
        return value
    return [v.strip().lower() if isinstance(v, str) else v for v in value]


def _unique_names(values: tuple[str, ...]) -> tuple[str, ...]:
    if any(not v for v in values):
        raise ValueError("a name cannot be empty")
    return tuple(dict.fromkeys(" ".join(v.split()) for v in values))


def _duration(value: object) -> object:
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str):
        raise ValueError(f"not a duration: {value!r} (write it with a unit, e.g. 30m, 4h, 2d)")
    return parse_duration(value)


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        message = f'unknown time zone "{value}" (write an IANA name, e.g. Europe/London)'
        raise ValueError(message) from None
    return value


def _clock_time(text: str, *, end: bool) -> int:
    found = _TIME.fullmatch(text.strip())
    hours, minutes = (int(found[1]), int(found[2])) if found else (-1, -1)
    total = hours * 60 + minutes
    latest = MINUTES_PER_DAY if end else MINUTES_PER_DAY - 1
    if not found or minutes > 59 or not 0 <= total <= latest:
        raise ValueError(f'not a time of day: "{text}" (write e.g. 09:00 or 17:30)')
    return total


def parse_day_hours(value: object) -> DayHours:
    """`"09:00-17:00"`, a list of such, `closed` or `[]` → minutes after midnight."""
    if value == "closed":
        return ()
    texts = as_list(value)
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise ValueError(f"not opening hours: {value!r} (write e.g. 09:00-17:00, or closed)")
    intervals = []
    for text in texts:
        start, sep, end = text.partition("-")
        if not sep:
            raise ValueError(f'not opening hours: "{text}" (write e.g. 09:00-17:00)')
        intervals.append((_clock_time(start, end=False), _clock_time(end, end=True)))
    check_day(tuple(intervals))
    return tuple(intervals)


#: A list of lower-case names; a single name is a list of one. Empty lists are refused.
Names = Annotated[
    tuple[str, ...],
    BeforeValidator(lower_list),
    Field(min_length=1),
    AfterValidator(_unique_names),
]
#: As Names, but may be empty.
Labels = Annotated[tuple[str, ...], BeforeValidator(lower_list), AfterValidator(_unique_names)]
#: `30m`, `4h`, `1h30m`, `2d`: see durations.parse_duration.
Duration = Annotated[timedelta, BeforeValidator(_duration)]
TimeZoneName = Annotated[str, AfterValidator(_zone)]
OpeningHours = Annotated[tuple[tuple[int, int], ...], BeforeValidator(parse_day_hours)]
