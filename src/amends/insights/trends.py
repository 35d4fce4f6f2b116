"""How many cases opened per day or week, per category or channel: the trend view, in SQL on
both databases (docs/insights.md#trends)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from amends.insights.metrics import Dimension, Filters, group_column, scope
from amends.store.tables import Case


class Step(enum.StrEnum):
    DAY = "day"
    WEEK = "week"  # starting on Monday


@dataclass(frozen=True, slots=True)
class Series:
    """Counts per bucket for one group; `buckets` are the same for every series of a trend,
    with zeros where nothing opened."""

    group: str | None
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class Trend:
    step: Step
    buckets: tuple[date, ...]
    series: tuple[Series, ...]  # largest first


def step_for(filters: Filters) -> Step:
    """Days up to two months, weeks beyond: a chart of at most ~60 bars either way."""
    return Step.DAY if filters.end - filters.start <= timedelta(days=62) else Step.WEEK


def opened(
    session: Session, filters: Filters, *, by: Dimension | None, step: Step | None = None
) -> Trend:
    step = step or step_for(filters)
    bucket = _bucket(session, step).label("bucket")
    query = (
        select(bucket, group_column(by).label("grp"), func.count())
        .where(*scope(filters))
        .group_by(bucket, "grp")
    )
    found: dict[str | None, dict[date, int]] = {}
    for day, group, count in session.execute(query):
        found.setdefault(group, {})[_as_date(day)] = int(count)
    buckets = _buckets(filters, step)
    series = [
        Series(group=group, counts=tuple(counts.get(b, 0) for b in buckets))
        for group, counts in found.items()
    ]
    series.sort(key=lambda s: (-s.total, s.group or ""))
    return Trend(step=step, buckets=buckets, series=tuple(series))


def _bucket(session: Session, step: Step) -> ColumnElement[Any]:
    """The day (or the Monday of the week) a case opened, in UTC."""
    if session.get_bind().dialect.name == "sqlite":
        # Stored as UTC text: date() reads it as it is.
        if step is Step.DAY:
            return func.date(Case.opened_at)
        return func.date(Case.opened_at, "weekday 0", "-6 days")
    utc = func.timezone("UTC", Case.opened_at)
    return func.date(func.date_trunc(step.value, utc))


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _buckets(filters: Filters, step: Step) -> tuple[date, ...]:
    first = filters.start.date()
    if step is Step.WEEK:
        first -= timedelta(days=first.weekday())
    size = timedelta(days=1 if step is Step.DAY else 7)
    last = (filters.end - timedelta(microseconds=1)).date()
    days = []
    while first <= last:
        days.append(first)
        first += size
    return tuple(days)
