"""How many cases opened per day or week, per category or channel: the trend view, in SQL on
both databases (docs/insights.md#trends)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from amends.insights import facts
from amends.insights.grouping import Groupings
from amends.insights.metrics import Dimension, Filters, key_column, scope
from amends.store.tables import CaseFact


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
    """Cases opened per day or week, by `by`."""
    return opened_by(session, filters, [by], step=step)[0]


def opened_by(
    session: Session,
    filters: Filters,
    groupings: Sequence[Dimension | None],
    *,
    step: Step | None = None,
) -> list[Trend]:
    """`opened` for each grouping, from one query over the case facts (brought up to date
    first)."""
    facts.ready(session)
    step = step or step_for(filters)
    bucket = _bucket(session, step)
    keys = [None if by is None else CaseFact.__table__.c[key_column(by)] for by in groupings]
    ways = Groupings.on(session, keys)
    query = select(bucket.label("bucket"), func.count().label("n")).where(*scope(filters, CaseFact))
    found: list[dict[str | None, dict[date, int]]] = [{} for _ in groupings]
    for statement in ways.statements(query, also=[bucket]):
        for row in session.execute(statement):
            index, group = ways.group(row)
            found[index].setdefault(group, {})[_as_date(row.bucket)] = int(row.n)
    buckets = _buckets(filters, step)
    return [_trend(step, buckets, counts) for counts in found]


def _trend(
    step: Step, buckets: tuple[date, ...], found: dict[str | None, dict[date, int]]
) -> Trend:
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
            return func.date(CaseFact.opened_at)
        return func.date(CaseFact.opened_at, "weekday 0", "-6 days")
    utc = func.timezone("UTC", CaseFact.opened_at)
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
