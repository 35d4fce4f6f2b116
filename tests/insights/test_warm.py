"""Dashboards of long periods kept warm: a fresh copy is shown, a stale one never; the worker
works copies out again and drops views nobody opens; short periods are never kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.insights import facts, warm
from amends.insights.warm import View
from amends.store.tables import Case, DashboardView

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
YEAR = View(days=365, currency="USD")


def _open(
    session: Session, when: datetime, channel: str = "email", category: str | None = None
) -> None:
    case = Case(title="t", channel=channel, category=category, opened_at=when, updated_at=when)
    session.add(case)
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


def _ahead_of(session: Session, monkeypatch: pytest.MonkeyPatch, cases: int) -> None:
    """Work out ahead every filtered view holding more than `cases` cases."""
    monkeypatch.setitem(warm.AHEAD_CASES, session.get_bind().dialect.name, cases)


def test_filtered_views_holding_many_cases_are_worked_out_ahead(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        _open(session, NOW - timedelta(days=10), "email", "delay")
    _open(session, NOW - timedelta(days=200), "twitter", "delay")
    _open(session, NOW - timedelta(days=200), "email", "billing")
    _open(session, NOW - timedelta(days=400), "email", "delay")  # older than a year
    _open(session, NOW - timedelta(days=10), "email", None)  # no category: no category view
    facts.refresh(session)
    _ahead_of(session, monkeypatch, 2)

    def view(days: int, channel: str | None = None, category: str | None = None) -> View:
        return View(days=days, currency="USD", channel=channel, category=category)

    # The year: email 5, delay 4, email and delay 3; 90 days: email 4, delay 3, both 3. Twitter,
    # billing and their combinations hold 1 each. The largest first, then by key.
    assert warm.big_views(session, now=NOW, currency="USD") == [
        view(365, "email"),
        view(365, None, "delay"),
        view(90, "email"),
        view(365, "email", "delay"),
        view(90, "email", "delay"),
        view(90, None, "delay"),
    ]


def test_the_worker_keeps_the_views_worked_out_ahead_though_nobody_opens_them(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        _open(session, NOW - timedelta(days=10), "email")
    _open(session, NOW - timedelta(days=10), "twitter")
    facts.refresh(session)
    _ahead_of(session, monkeypatch, 2)
    by_email = [View(days=days, currency="USD", channel="email") for days in (365, 90)]
    ninety = View(days=90, currency="USD")

    assert warm.due(session, now=NOW, currency="USD") == [ninety, YEAR, *by_email]
    for view in (ninety, YEAR, *by_email):
        warm.keep(session, view, warm.work_out(session, view, now=NOW))
    later = NOW + warm.KEPT + timedelta(days=1)  # unopened for over a week, and due again
    assert set(warm.due(session, now=later, currency="USD")) == {ninety, YEAR, *by_email}
    assert session.get(DashboardView, by_email[0].key) is not None

    _ahead_of(session, monkeypatch, 3)  # no view holds more than 3 cases: nothing filtered
    warm.due(session, now=later, currency="USD")
    assert session.get(DashboardView, by_email[0].key) is None


def test_a_filtered_view_takes_its_choices_from_the_unfiltered_copy(session: Session) -> None:
    _open(session, NOW - timedelta(days=3), "email", "delay")
    warm.keep(session, YEAR, warm.work_out(session, YEAR, now=NOW))
    _open(session, NOW - timedelta(days=2), "twitter", "billing")
    by_email = View(days=365, currency="USD", channel="email", category="late")

    offered = warm.work_out(session, by_email, now=NOW + timedelta(minutes=1)).choices
    # The copy's choices, without reading the period again, and the values chosen.
    assert (offered.channels, offered.categories) == (["email"], ["delay", "late"])
    stale = NOW + warm.STALE + timedelta(minutes=1)
    offered = warm.work_out(session, by_email, now=stale).choices
    assert (offered.channels, offered.categories) == (
        ["email", "twitter"],
        ["billing", "delay", "late"],
    )


def test_comparing_a_warm_copy_works_out_the_period_before_its_own(session: Session) -> None:
    _open(session, NOW - timedelta(days=3))
    _open(session, NOW - timedelta(days=400))
    warm.dashboard(session, YEAR, now=NOW)
    _open(session, NOW - timedelta(days=370))  # after the copy, in the year before it

    copy = warm.dashboard(session, YEAR, now=NOW + timedelta(minutes=1))
    assert copy.before is None
    compared = warm.dashboard(session, YEAR, now=NOW + timedelta(minutes=1), compare=True)
    assert compared.before is not None
    assert (compared.summary.cases, compared.before.cases) == (1, 2)
    assert session.get_one(DashboardView, YEAR.key).payload == warm._BOARD.dump_json(copy).decode()
