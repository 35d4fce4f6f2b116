"""Jinja filters: times an agent reads at a glance, labels, and links that are safe to follow."""

from __future__ import annotations

import enum
from datetime import datetime
from urllib.parse import urlsplit

from amends.lib import clock

_UNITS = ((86_400, "d"), (3_600, "h"), (60, "m"))
_MONTH = 30 * 86_400


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """`5m ago`, `in 3h`, `2d ago`; a date beyond a month; `just now` under a minute."""
    if moment is None:
        return ""
    seconds = int(((now or clock.now()) - moment).total_seconds())
    size = abs(seconds)
    if size < 60:
        return "just now"
    if size >= _MONTH:
        return f"{moment.day} {moment:%b %Y}"
    amount = next(f"{size // unit}{suffix}" for unit, suffix in _UNITS if size >= unit)
    return f"{amount} ago" if seconds > 0 else f"in {amount}"


def past(moment: datetime | None) -> bool:
    return moment is not None and moment < clock.now()


def stamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else ""


def label(value: enum.Enum | str) -> str:
    """`remedy_offered` → `remedy offered`."""
    raw = value.value if isinstance(value, enum.Enum) else value
    return str(raw).replace("_", " ")


def web_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link; anything else (javascript:, data:) is None."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def stars(rating: int | None) -> str:
    if rating is None:
        return ""
    filled = max(0, min(rating, 5))
    return "★" * filled + "☆" * (5 - filled)


def excerpt(text: str, length: int = 140) -> str:
    line = " ".join(text.split())
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


def percent(probability: float) -> str:
    """`0.934` → `93%`."""
    return f"{round(probability * 100)}%"
