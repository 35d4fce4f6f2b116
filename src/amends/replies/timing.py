"""SLA durations as a reply says them: "2 hours", "3 working days"."""

from __future__ import annotations

from datetime import timedelta

WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}


def say(span: timedelta, *, business: bool = False) -> str:
    hours = span.total_seconds() / 3600
    if hours < 1:
        return _count(max(1, round(hours * 60)), "minute")
    if business and hours >= 8:
        return _count(max(1, round(hours / 8)), "working day")
    if hours < 48 and hours != 24:
        return _count(round(hours), "working hour" if business else "hour")
    return _count(round(hours / 24), "working day" if business else "day")


def _count(amount: int, unit: str) -> str:
    if amount == 1:
        return f"one {unit}"
    return f"{WORDS.get(amount, str(amount))} {unit}s"
