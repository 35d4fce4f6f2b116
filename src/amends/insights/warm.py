"""Dashboards of long periods kept warm (docs/insights.md#dashboards-kept-warm).

Working out a dashboard reads every case of its period: a year of a large install takes seconds
(docs/benchmarks.md#recovery-figures). For periods of `WARM_DAYS` or more, the page shows a copy
the worker worked out ahead, at most `FRESH` old while the worker keeps up, and never one older
than `STALE`: then the page works the figures out itself, and keeps them for the next view.
Shorter periods are worked out at every view.

Which long views are worked out ahead: the unfiltered ones, and every filtered one (a channel,
category or team, or a combination) whose period holds more cases than a page can work out
within its 300 ms aim (`AHEAD_CASES`); smaller views are quick at the view, reading their own
cases through the facts' filter indexes, and are kept warm only while people open them. The
views worked out ahead of one period split its cases at most three ways over (by each filter),
so a round costs at most a few times the unfiltered view.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import product

from pydantic import TypeAdapter
from sqlalchemy import Table, case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from amends.insights.dashboard import Choices, Dashboard, build
from amends.insights.metrics import Filters, earlier, report
from amends.store.tables import CaseFact, DashboardView

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
#: A filtered long view holding more cases than this is worked out ahead, by database. Fewer
#: cases are read through the facts' filter indexes and the page stays quick; more, and
#: PostgreSQL reads every case of the period instead (docs/benchmarks.md#recovery-figures: a
#: year's 5,000 cases of one category in ~130 ms; 90 days' 6,000 email delays, read so, in
#: ~360 ms). The SQLite figure is a guess, not measured.
AHEAD_CASES = {"postgresql": 5_000, "sqlite": 5_000}

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


def dashboard(session: Session, view: View, *, now: datetime, compare: bool = False) -> Dashboard:
    """The dashboard of `view`: worked out now, or its warm copy when there is one fresh
    enough (its `filters.end` says as of when). With `compare`, the summary of the period
    before is worked out at the view: copies never hold it, so a round of the worker does not
    pay for what few ask for."""
    board = _board(session, view, now=now)
    if compare:
        before = report(session, earlier(board.filters), currency=view.currency)[0]
        board = replace(board, before=before)
    return board


def _board(session: Session, view: View, *, now: datetime) -> Dashboard:
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
    offered = _offered(session, view, now=now)
    return build(session, view.filters(now), currency=view.currency, offered=offered)


def _offered(session: Session, view: View, *, now: datetime) -> Choices | None:
    """The filter choices of a filtered view's period, from the unfiltered view's copy while
    it may be shown: working them out reads every case of the period, which a filtered view
    otherwise never needs to."""
    whole = View(view.days, view.currency)
    if view == whole:
        return None
    row = session.get(DashboardView, whole.key)
    if row is None or now - row.computed_at > STALE:
        return None
    return _BOARD.validate_json(row.payload).choices


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
    """The views to work out again: first those worked out ahead that have no copy yet (the
    unfiltered long periods in `currency`, then `big_views`), then every kept copy `FRESH` old,
    the oldest first. Views not worked out ahead that nobody opened within `KEPT` are dropped
    here."""
    ahead = [View(days, currency) for days in LONG_PERIODS] + big_views(
        session, now=now, currency=currency
    )
    unwanted = DashboardView.key.not_in([view.key for view in ahead])
    session.execute(delete(DashboardView).where(DashboardView.viewed_at < now - KEPT, unwanted))
    rows = session.execute(
        select(DashboardView)
        .where(DashboardView.computed_at <= now - FRESH)
        .order_by(DashboardView.computed_at, DashboardView.key)
    ).scalars()
    found = [_view(row) for row in rows]
    present = set(session.scalars(select(DashboardView.key)))
    views = [view for view in ahead if view.key not in present] + found
    return views if limit is None else views[:limit]


def big_views(session: Session, *, now: datetime, currency: str) -> list[View]:
    """The filtered views of each long period whose period holds more than `AHEAD_CASES`
    cases, the largest first; counted from the case facts in one pass over the longest period."""
    limit = AHEAD_CASES.get(session.get_bind().dialect.name, AHEAD_CASES["sqlite"])
    periods = sorted(LONG_PERIODS)
    within = [
        case((CaseFact.opened_at >= now - timedelta(days=days), 1), else_=0).label(f"d{days}")
        for days in periods
    ]
    cells = session.execute(
        select(CaseFact.channel, CaseFact.category, CaseFact.team, *within, func.count())
        .where(CaseFact.opened_at >= now - timedelta(days=periods[-1]), CaseFact.opened_at < now)
        .group_by(CaseFact.channel, CaseFact.category, CaseFact.team, *within)
    ).all()
    tally: Counter[View] = Counter()
    for channel, category, team, *inside, cases in cells:
        for days, counted in zip(periods, inside, strict=True):
            if counted:
                for view in _filtered(days, currency, channel, category, team):
                    tally[view] += cases
    chosen = (view for view, cases in tally.items() if cases > limit)
    return sorted(chosen, key=lambda view: (-tally[view], view.key))


def _filtered(
    days: int, currency: str, channel: str | None, category: str | None, team: str | None
) -> list[View]:
    """Every filtered view of `days` that a case with these values falls in."""
    values = (channel, category, team)
    views = []
    for kept in product((False, True), repeat=3):
        chosen = [value if keep else None for value, keep in zip(values, kept, strict=True)]
        if any(kept) and all(value for value, keep in zip(chosen, kept, strict=True) if keep):
            views.append(View(days, currency, *chosen))
    return views


def _view(row: DashboardView) -> View:
    return View(
        days=row.days,
        currency=row.currency,
        channel=row.channel,
        category=row.category,
        team=row.team,
    )
