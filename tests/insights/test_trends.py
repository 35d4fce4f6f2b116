"""Cases opened per day or week and group, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from amends.insights.metrics import Dimension, Filters
from amends.insights.trends import Step, opened, step_for
from amends.store.tables import Case


def _opened(session: Session, when: datetime, category: str) -> None:
    session.add(
        Case(title="t", channel="email", category=category, opened_at=when, updated_at=when)
    )


def test_daily_counts_per_category_with_zeros(session: Session) -> None:
    # 23:30 UTC stays on its UTC day whatever the server's time zone.
    _opened(session, datetime(2026, 3, 2, 23, 30, tzinfo=UTC), "delay")
    _opened(session, datetime(2026, 3, 2, 8, 0, tzinfo=UTC), "delay")
    _opened(session, datetime(2026, 3, 4, 0, 10, tzinfo=UTC), "delay")
    _opened(session, datetime(2026, 3, 4, 9, 0, tzinfo=UTC), "billing")
    _opened(session, datetime(2026, 3, 6, 9, 0, tzinfo=UTC), "billing")  # after the period
    session.commit()
    filters = Filters(start=datetime(2026, 3, 1, tzinfo=UTC), end=datetime(2026, 3, 5, tzinfo=UTC))
    trend = opened(session, filters, by=Dimension.CATEGORY)
    assert trend.step is Step.DAY
    assert trend.buckets == tuple(date(2026, 3, d) for d in (1, 2, 3, 4))
    found = {s.group: s.counts for s in trend.series}
    assert found == {"delay": (0, 2, 0, 1), "billing": (0, 0, 0, 1)}
    assert [s.group for s in trend.series] == ["delay", "billing"]


def test_weekly_counts_start_on_monday(session: Session) -> None:
    # 2026-03-02 is a Monday.
    for day in (2, 8, 9, 20):
        _opened(session, datetime(2026, 3, day, 12, tzinfo=UTC), "delay")
    session.commit()
    start = datetime(2026, 3, 4, tzinfo=UTC)
    filters = Filters(start=start - timedelta(days=2), end=datetime(2026, 3, 23, tzinfo=UTC))
    trend = opened(session, filters, by=None, step=Step.WEEK)
    assert trend.buckets == (date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16))
    assert [s.counts for s in trend.series] == [(2, 1, 1)]


def test_long_periods_are_shown_by_week() -> None:
    end = datetime(2026, 6, 1, tzinfo=UTC)
    assert step_for(Filters(start=end - timedelta(days=30), end=end)) is Step.DAY
    assert step_for(Filters(start=end - timedelta(days=90), end=end)) is Step.WEEK
