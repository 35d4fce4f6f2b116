"""Case facts kept fresh by the database's triggers: after every kind of change a figure reads,
refreshing the noted cases gives the same facts as working every case out from scratch, on
SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from amends.insights import facts
from amends.insights.facts import refresh
from amends.store.tables import (
    Case,
    CaseFact,
    CaseFactGrant,
    CaseStatus,
    CaseTimer,
    Compensation,
    Customer,
    CustomerIdentity,
    FeedbackItem,
    Order,
    OrderKind,
    Reply,
    ReplyRoute,
    ReviewUpdate,
    StaleCaseFact,
    Survey,
    SurveyOutcome,
    TimelineEvent,
    TimerKind,
    User,
)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def _facts(session: Session) -> dict[int, tuple[Any, ...]]:
    """Each case's facts, and its grants."""
    rows = session.execute(select(CaseFact).order_by(CaseFact.case_id)).scalars()
    columns = [c.key for c in CaseFact.__table__.columns]
    found = {row.case_id: tuple(getattr(row, c) for c in columns) for row in rows}
    grants = session.execute(select(CaseFactGrant.__table__)).all()
    for grant in grants:
        found[grant.case_id] += (tuple(grant),)
    return found


def _fresh_and_right(session: Session) -> dict[int, tuple[Any, ...]]:
    """Refresh what the triggers noted, then check it against a rebuild of every case."""
    refresh(session)
    kept = _facts(session)
    session.execute(delete(CaseFact))
    session.execute(delete(CaseFactGrant))
    session.execute(insert(StaleCaseFact).from_select(["case_id"], select(Case.id)))
    refresh(session)
    assert _facts(session) == kept
    assert session.scalar(select(StaleCaseFact.id)) is None
    return kept


def _fact(session: Session, case: Case) -> CaseFact:
    found = session.get(CaseFact, case.id, populate_existing=True)
    assert found is not None
    return found


def _moved(session: Session, case: Case, to: CaseStatus, when: datetime) -> None:
    session.add(
        TimelineEvent(
            case_id=case.id,
            kind="case:status:change",
            actor="test",
            at=when,
            data={"from": "x", "to": to.value},
        )
    )


def test_every_kind_of_change_reaches_the_facts(session: Session, alice: User) -> None:
    grace = Customer(name="Grace", lifetime_value=Decimal("500"))
    session.add(grace)
    session.flush()
    session.add(CustomerIdentity(customer_id=grace.id, kind="email", value="grace@example.com"))
    first = Case(title="t", channel="email", opened_at=at(1), updated_at=at(1))
    later = Case(title="t", channel="email", opened_at=at(10), updated_at=at(10))
    for case in (first, later):
        case.customer_id = grace.id
        case.first_response_due_at = case.opened_at
    session.add_all([first, later])
    session.flush()
    assert set(_fresh_and_right(session)) == {first.id, later.id}

    _moved(session, first, CaseStatus.REMEDY_DONE, at(2))
    _moved(session, first, CaseStatus.RECOVERED, at(3))
    _fresh_and_right(session)
    assert _fact(session, first).outcome == CaseStatus.RECOVERED.value
    assert _fact(session, first).resolution_hours == 24.0

    # The answer on the first case is the customer's NPS before the later one.
    session.add(
        Survey(
            case_id=first.id,
            customer_id=grace.id,
            round=1,
            sent_at=at(3),
            expires_at=at(9),
            outcome=SurveyOutcome.SATISFIED,
            answered_at=at(4),
            csat=5,
            nps=9,
        )
    )
    _fresh_and_right(session)
    assert _fact(session, later).nps_before == 9
    assert _fact(session, first).nps_promoters == 1

    session.add(
        Reply(
            case_id=first.id,
            author_id=alice.id,
            author=alice.name,
            channel="email",
            route=ReplyRoute.POSTED,
            text="…",
            score=90,
            sent_at=at(2),
        )
    )
    grant = Compensation(case_id=first.id, kind="voucher", amount=Decimal("20"), currency="USD")
    session.add(grant)
    _fresh_and_right(session)
    assert _fact(session, first).replies_scored == 1
    assert session.scalar(select(CaseFactGrant.amount)) == Decimal("20")
    session.delete(grant)
    _fresh_and_right(session)

    timer = CaseTimer(case_id=first.id, kind=TimerKind.UPDATE_BREACH, due_at=at(2))
    session.add(timer)
    _fresh_and_right(session)
    assert _fact(session, first).updates_judged == 0
    timer.fired_at = at(2)
    _fresh_and_right(session)
    assert _fact(session, first).updates_judged == 1

    item = FeedbackItem(
        source="reviews", dedupe_key="r1", channel="review", text="…", raw="{}", rating=2
    )
    item.case_id = first.id
    session.add(item)
    session.flush()
    session.add(
        ReviewUpdate(
            item_id=item.id,
            case_id=first.id,
            version="v4",
            rating_before=2,
            rating_after=4,
            text="…",
            raw="{}",
            received_at=at(5),
        )
    )
    _fresh_and_right(session)
    assert _fact(session, first).rating_change_sum == 2

    def order(kind: str, value: str, referred_by: str | None = None) -> None:
        session.add(
            Order(
                source="shop",
                dedupe_key=f"{kind}:{value}:{referred_by}",
                kind=OrderKind.ORDER,
                identity_kind=kind,
                identity_value=value,
                ordered_at=at(20),
                referred_by=referred_by,
                raw="{}",
            )
        )

    # An order under a handle nobody has yet, then the handle joins the customer.
    order("x", "@grace")
    _fresh_and_right(session)
    assert _fact(session, first).came_back == 0
    session.add(CustomerIdentity(customer_id=grace.id, kind="x", value="@grace"))
    _fresh_and_right(session)
    assert _fact(session, first).came_back == 1
    order("email", "friend@example.com", referred_by="grace@example.com")
    _fresh_and_right(session)
    assert _fact(session, first).referrals == 1

    grace.lifetime_value = Decimal("800")
    _fresh_and_right(session)
    assert _fact(session, first).lifetime_value == Decimal("800")

    session.execute(update(Case).where(Case.id == later.id).values(category="delay"))
    _fresh_and_right(session)
    assert _fact(session, later).category == "delay"

    session.delete(later)
    assert set(_fresh_and_right(session)) == {first.id}


def test_a_refresh_works_off_each_note_once(session: Session) -> None:
    case = Case(title="t", channel="email", opened_at=at(1), updated_at=at(1))
    session.add(case)
    session.flush()
    assert refresh(session) == 1
    session.add(StaleCaseFact(case_id=case.id))
    session.flush()
    assert refresh(session) == 1
    assert refresh(session) == 0


def test_a_refresh_can_stop_after_some_rounds(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker commits a round at a time, so a backlog never holds a transaction open."""
    monkeypatch.setattr(facts, "NOTES_PER_ROUND", 1)
    session.add_all(
        Case(title="t", channel="email", opened_at=at(day), updated_at=at(day)) for day in (1, 2, 3)
    )
    session.flush()
    assert facts.refresh(session, rounds=1) == 1
    assert facts.refresh(session) == 2
