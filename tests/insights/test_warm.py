"""Dashboards of long periods kept warm: a fresh copy is shown, a stale one never; the worker
works copies out again and drops views nobody opens; short periods are never kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.insights import warm
from amends.insights.warm import View
from amends.store.tables import Case, DashboardView

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
YEAR = View(days=365, currency="USD")


def _open(session: Session, when: datetime, channel: str = "email") -> None:
    session.add(Case(title="t", channel=channel, opened_at=when, updated_at=when))
    session.flush()


def test_a_fresh_copy_is_shown_until_it_goes_stale(session: Session) -> None:
    _open(session, NOW - timedelta(days=40))
    first = warm.dashboard(session, YEAR, now=NOW)
    assert first.summary.cases == 1
    _open(session, NOW - timedelta(days=3))

    shown = warm.dashboard(session, YEAR, now=NOW + warm.STALE)
    assert shown.summary.cases == 1  # the copy, as of NOW
    assert shown.filters.end == NOW
    assert shown == first

    later = NOW + warm.STALE + timedelta(seconds=1)
    worked_out = warm.dashboard(session, YEAR, now=later)
    assert worked_out.summary.cases == 2
    assert worked_out.filters.end == later
    row = session.get_one(DashboardView, YEAR.key)
    assert row.computed_at == later


def test_short_periods_are_worked_out_at_every_view(session: Session) -> None:
    month = View(days=30, currency="USD")
    _open(session, NOW - timedelta(days=3))
    assert warm.dashboard(session, month, now=NOW).summary.cases == 1
    _open(session, NOW - timedelta(days=2))
    assert warm.dashboard(session, month, now=NOW).summary.cases == 2
    assert session.scalars(select(DashboardView)).all() == []


def test_filters_are_views_of_their_own(session: Session) -> None:
    _open(session, NOW - timedelta(days=3), channel="email")
    _open(session, NOW - timedelta(days=3), channel="twitter")
    by_email = View(days=365, currency="USD", channel="email")
    assert warm.dashboard(session, by_email, now=NOW).summary.cases == 1
    assert warm.dashboard(session, YEAR, now=NOW).summary.cases == 2
    assert warm.dashboard(session, by_email, now=NOW).summary.cases == 1


def test_the_worker_keeps_the_long_periods_and_the_views_people_open(session: Session) -> None:
    by_email = View(days=90, currency="USD", channel="email")
    forgotten = View(days=365, currency="USD", team="care")
    warm.dashboard(session, by_email, now=NOW)
    warm.dashboard(session, forgotten, now=NOW - warm.KEPT - timedelta(hours=1))

    due = warm.due(session, now=NOW, currency="USD")
    # The unfiltered long periods first (never worked out yet), then the oldest copy; the view
    # nobody opened for a week is dropped, and a fresh copy is not due.
    assert due == [View(days=90, currency="USD"), YEAR]
    assert session.get(DashboardView, forgotten.key) is None

    minute = timedelta(minutes=1)
    for view in due:
        warm.keep(session, view, warm.work_out(session, view, now=NOW + minute))
    assert warm.due(session, now=NOW + warm.FRESH - timedelta(seconds=1), currency="USD") == []
    later = NOW + minute + warm.FRESH
    assert set(warm.due(session, now=later, currency="USD")) == {
        View(days=90, currency="USD"),
        YEAR,
        by_email,
    }
    assert warm.due(session, now=later, currency="USD", limit=1) == [by_email]  # the oldest


def test_keeping_a_copy_again_keeps_when_it_was_last_opened(session: Session) -> None:
    warm.dashboard(session, YEAR, now=NOW)
    warm.keep(session, YEAR, warm.work_out(session, YEAR, now=NOW + timedelta(minutes=6)))
    row = session.get_one(DashboardView, YEAR.key)
    session.refresh(row)
    assert (row.computed_at, row.viewed_at) == (NOW + timedelta(minutes=6), NOW)
