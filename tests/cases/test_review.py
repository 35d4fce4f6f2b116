from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from amends.cases import review, service
from amends.cases.actor import SYSTEM, Actor
from amends.cases.events import EventKind
from amends.store.tables import Case, CaseStatus, TimelineEvent, User

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def queued(
    session: Session,
    *,
    risk: int = 50,
    minutes_ago: int = 10,
    status: CaseStatus = CaseStatus.NEW,
    reviewed: bool = False,
) -> Case:
    """A case an escalation put in the queue `minutes_ago`."""
    sent = NOW - timedelta(minutes=minutes_ago)
    case = Case(
        title=f"risk {risk}",
        channel="email",
        risk=risk,
        status=status,
        opened_at=sent,
        updated_at=sent,
        senior_review_at=sent,
        senior_reviewed_at=sent if reviewed else None,
    )
    session.add(case)
    session.flush()
    return case


def test_the_queue_is_riskiest_first_then_longest_waiting(session: Session) -> None:
    low = queued(session, risk=40)
    high_new = queued(session, risk=90, minutes_ago=5)
    high_old = queued(session, risk=90, minutes_ago=50)
    assert review.queue(session) == [high_old, high_new, low]
    assert review.waiting(session) == 3


def test_the_queue_leaves_out_reviewed_closed_and_never_sent_cases(session: Session) -> None:
    waiting = queued(session)
    queued(session, reviewed=True)
    queued(session, status=CaseStatus.CLOSED)
    queued(session, status=CaseStatus.RECOVERED)
    other = queued(session)
    session.execute(update(Case).where(Case.id == other.id).values(senior_review_at=None))
    assert review.queue(session) == [waiting]


def test_marking_reviewed_takes_it_out_and_records_who_and_the_note(
    session: Session, bob: User
) -> None:
    case = queued(session)
    actor = Actor(user_id=bob.id, name=bob.name)
    with time_machine.travel(NOW, tick=False):
        review.mark_reviewed(session=session, case=case, actor=actor, note="  Call them today. ")
    assert case.senior_reviewed_at == NOW
    assert review.queue(session) == []
    event = session.scalars(
        select(TimelineEvent).where(TimelineEvent.case_id == case.id).order_by(TimelineEvent.id)
    ).all()[-1]
    assert (event.kind, event.actor_id) == ("case:senior:reviewed", bob.id)
    assert event.data == {
        "queued_at": (NOW - timedelta(minutes=10)).isoformat(),
        "note": "Call them today.",
    }


def test_it_refuses_a_case_not_in_the_queue(session: Session) -> None:
    case = queued(session, reviewed=True)
    with pytest.raises(review.NotQueued, match="not waiting for a senior review"):
        review.mark_reviewed(session=session, case=case, actor=SYSTEM)


def test_it_refuses_when_someone_else_reviewed_it_meanwhile(session: Session) -> None:
    case = queued(session)
    session.execute(
        update(Case)
        .where(Case.id == case.id)
        .values(senior_reviewed_at=NOW)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(service.ConcurrentChange, match="reviewed while you were looking"):
        review.mark_reviewed(session=session, case=case, actor=SYSTEM)
    reviewed = [
        event
        for event in session.scalars(select(TimelineEvent).where(TimelineEvent.case_id == case.id))
        if event.kind == EventKind.SENIOR_REVIEWED
    ]
    assert reviewed == []


def test_it_gives_the_reason_of_the_latest_escalation_to_review(session: Session) -> None:
    case = queued(session)
    for to, reason in (
        ("senior_review", "risk 82 ≥ 80"),
        ("manager", "3 complaints within 30 days (≥ 2)"),
        ("senior_review", "risk 91 ≥ 80"),
    ):
        service.record(
            session,
            case_id=case.id,
            kind=EventKind.ESCALATED,
            actor=SYSTEM,
            data={"to": to, "reason": reason, "rule": 0},
        )
    never = queued(session)
    assert review.reasons(session, [case.id, never.id]) == {case.id: "risk 91 ≥ 80"}
    assert review.reasons(session, []) == {}
