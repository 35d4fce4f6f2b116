"""What the dashboard offers to filter by, the same whether read off the figures or queried."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from amends.insights import dashboard
from amends.insights.metrics import Filters
from amends.store.tables import Case

OPENED = datetime(2026, 3, 2, 12, tzinfo=UTC)


def _open(session: Session, channel: str, category: str | None, team: str | None) -> None:
    session.add(
        Case(
            title="t",
            channel=channel,
            category=category,
            team=team,
            opened_at=OPENED,
            updated_at=OPENED,
        )
    )


def test_the_choices_of_a_period_are_its_cases_values(session: Session) -> None:
    _open(session, "email", "delay", "care")
    _open(session, "twitter", "billing", None)
    _open(session, "review", None, "escalations")
    session.add(
        Case(
            title="earlier",
            channel="phone",
            category="policy",
            opened_at=OPENED - timedelta(days=90),
            updated_at=OPENED,
        )
    )
    session.commit()
    period = Filters(start=OPENED - timedelta(days=30), end=OPENED + timedelta(days=1))
    board = dashboard.build(session, period, currency="USD")
    assert board.choices == dashboard.Choices(
        channels=["email", "review", "twitter"],
        categories=["billing", "delay"],
        teams=["care", "escalations"],
    )
    assert board.choices == dashboard.choices(session, period)


def test_filtered_choices_still_offer_the_whole_period(session: Session) -> None:
    _open(session, "email", "delay", "care")
    _open(session, "twitter", "billing", "care")
    session.commit()
    start, end = OPENED - timedelta(days=30), OPENED + timedelta(days=1)
    board = dashboard.build(session, Filters(start=start, end=end, channel="email"), currency="USD")
    assert board.choices.channels == ["email", "twitter"]
    assert board.choices.categories == ["billing", "delay"]


def test_an_empty_period_has_a_dashboard_of_zeros(session: Session) -> None:
    _open(session, "email", "delay", "care")
    session.commit()
    before = Filters(start=OPENED - timedelta(days=60), end=OPENED - timedelta(days=30))
    board = dashboard.build(session, before, currency="USD")
    summary = board.summary
    assert (summary.cases, summary.sla_targets, summary.recovery_rate) == (0, 0, None)
    assert summary.retained_value == 0
    assert summary.roi is None
    assert all(groups == [] for groups in board.breakdowns.values())
    assert board.agents == []


def test_comparing_adds_the_summary_of_the_period_before_with_the_same_filters(
    session: Session,
) -> None:
    for days_ago, channel in ((1, "email"), (2, "email"), (3, "twitter"), (40, "email"),
                              (45, "twitter"), (61, "email")):  # fmt: skip
        when = OPENED - timedelta(days=days_ago)
        session.add(Case(title="t", channel=channel, opened_at=when, updated_at=when))
    session.commit()
    month = Filters(start=OPENED - timedelta(days=30), end=OPENED)
    assert dashboard.earlier(month) == Filters(start=OPENED - timedelta(days=60), end=month.start)

    board = dashboard.build(session, month, currency="USD", compare=True)
    assert board.before is not None
    assert (board.summary.cases, board.before.cases) == (3, 2)
    by_email = Filters(start=month.start, end=month.end, channel="email")
    emailed = dashboard.build(session, by_email, currency="USD", compare=True)
    assert emailed.before is not None
    assert (emailed.summary.cases, emailed.before.cases) == (2, 1)
    assert dashboard.build(session, month, currency="USD").before is None
