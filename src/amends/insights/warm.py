"""Dashboards of long periods kept warm (docs/insights.md#dashboards-kept-warm).

Working out a dashboard reads every case of its period: a year of a large install takes seconds
(docs/benchmarks.md#recovery-figures). For periods of `WARM_DAYS` or more, the page shows a copy
the worker worked out ahead, at most `FRESH` old while the worker keeps up, and never one older
than `STALE`: then the page works the figures out itself, and keeps them for the next view.
Shorter periods are worked out at every view.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import TypeAdapter
from sqlalchemy import Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from amends.insights.dashboard import Dashboard, build
from amends.insights.metrics import Filters
from amends.store.tables import DashboardView

#: Periods this long or longer are kept warm.
WARM_DAYS = 90
#: The long periods the dashboard offers, kept warm unfiltered whether opened or not.
LONG_PERIODS = (90, 365)
#: The worker works a copy out again once it is this old.
FRESH = timedelta(minutes=5)
#: A copy older than this is never shown (the worker is off or behind): the page works it out.
STALE = timedelta(minutes=15)
#: A filtered view nobody opened for this long is no longer kept.
KEPT = timedelta(days=7)
#: Opening a view writes `viewed_at` only when it is older than this.
SEEN = timedelta(hours=1)

_BOARD: TypeAdapter[Dashboard] = TypeAdapter(Dashboard)


@dataclass(frozen=True, slots=True)
class View:
    """A dashboard as the page asks for it: the last `days` days, with these filters."""

    days: int
    currency: str
    channel: str | None = None
    category: str | None = None
    team: str | None = None

    @property
    def key(self) -> str:
        return json.dumps([self.days, self.currency, self.channel, self.category, self.team])

    @property
    def kept_warm(self) -> bool:
        return self.days >= WARM_DAYS

    def filters(self, end: datetime) -> Filters:
        return Filters(
            start=end - timedelta(days=self.days),
            end=end,
            channel=self.channel,
            category=self.category,
            team=self.team,
        )


def dashboard(session: Session, view: View, *, now: datetime) -> Dashboard:
    """The dashboard of `view`: worked out now, or its warm copy when there is one fresh
    enough (its `filters.end` says as of when)."""
    if not view.kept_warm:
        return work_out(session, view, now=now)
    row = session.get(DashboardView, view.key)
    if row is not None and now - row.computed_at <= STALE:
        if now - row.viewed_at > SEEN:
            row.viewed_at = now
        return _BOARD.validate_json(row.payload)
    board = work_out(session, view, now=now)
    keep(session, view, board, viewed_at=now)
    return board


def work_out(session: Session, view: View, *, now: datetime) -> Dashboard:
    return build(session, view.filters(now), currency=view.currency)


def keep(
    session: Session, view: View, board: Dashboard, *, viewed_at: datetime | None = None
) -> None:
    """Keep `board` as the warm copy of `view` (replacing any), opened at `viewed_at` if given.
    Safe when two keep the same view at once: the later copy wins."""
    computed_at = board.filters.end
    values = {
        "key": view.key,
        "days": view.days,
        "currency": view.currency,
        "channel": view.channel,
        "category": view.category,
        "team": view.team,
        "computed_at": computed_at,
        "viewed_at": viewed_at or computed_at,
        "payload": _BOARD.dump_json(board).decode(),
    }
    table: Table = DashboardView.__table__  # type: ignore[assignment]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(table).values(values)
    changed = {
        name: upsert.excluded[name] for name in ("computed_at", "payload", "days", "currency")
    }
    if viewed_at is not None:
        changed["viewed_at"] = upsert.excluded.viewed_at
    session.execute(upsert.on_conflict_do_update(index_elements=["key"], set_=changed))


def due(session: Session, *, now: datetime, currency: str, limit: int | None = None) -> list[View]:
    """The views to work out again, the oldest copy first: the unfiltered long periods in
    `currency` (always kept), and every other view opened within `KEPT`, once their copy is
    `FRESH` old. Views nobody opened for longer are dropped here."""
    defaults = {View(days, currency) for days in LONG_PERIODS}
    unwanted = DashboardView.key.not_in([view.key for view in defaults])
    session.execute(delete(DashboardView).where(DashboardView.viewed_at < now - KEPT, unwanted))
    rows = session.execute(
        select(DashboardView)
        .where(DashboardView.computed_at <= now - FRESH)
        .order_by(DashboardView.computed_at, DashboardView.key)
    ).scalars()
    found = [_view(row) for row in rows]
    present = set(session.scalars(select(DashboardView.key)))
    missing = sorted((view for view in defaults if view.key not in present), key=lambda v: v.days)
    views = missing + found
    return views if limit is None else views[:limit]


def _view(row: DashboardView) -> View:
    return View(
        days=row.days,
        currency=row.currency,
        channel=row.channel,
        category=row.category,
        team=row.team,
    )
