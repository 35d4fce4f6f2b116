"""SLA timers: planned when a case opens, fired once when due, moot when the target was met,
and escalations and notifications where the playbook says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from amends.cases import playbook_set, timers
from amends.cases.actor import Actor
from amends.cases.contact import record_contact
from amends.cases.service import transition
from amends.cases.timekeeping import fire_due
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.tables import (
    Case,
    CaseStatus,
    CaseTimer,
    Delivery,
    TimelineEvent,
    TimerKind,
    User,
)
from tests.playbooks.helpers import folder_with

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
CARE = """\
playbooks:
  - name: Care
    match: {source: care}
    assign: {team: care}
    sla: {first_response: 10h, update_interval: 5h, resolution: 50h}
    escalate:
      - when: {risk_at_least: 0}
        to: senior_review
      - when: {sla_breached: [first_response]}
        to: team_lead
      - when: {repeat_within_days: 30, count: 2}
        to: manager
"""


@pytest.fixture
def care(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"playbooks_dir": folder_with(tmp_path, CARE)})


def _open(session: Session, settings: Settings, *, email: str = "ann@example.com") -> Case:
    item = ItemIn(
        source="care", channel="email", text="Broken again", raw="{}", rating=1, email=email
    )
    with time_machine.travel(OPENED, tick=False):
        outcome = pipeline.process(session, [item], settings)
    case = session.get(Case, outcome.case_ids[outcome.item_ids[0]])
    assert case is not None
    return case


def _timers(session: Session, case: Case) -> dict[TimerKind, datetime]:
    rows = session.execute(
        select(CaseTimer.kind, CaseTimer.due_at).where(CaseTimer.case_id == case.id)
    )
    return dict(rows.all())


def _fire(session: Session, settings: Settings, at: datetime) -> int:
    fired = fire_due(
        session, playbooks=playbook_set.current(settings), now=at, limit=100, worker="test"
    )
    return fired.total


def _events(session: Session, case: Case, kind: str) -> list[dict[str, object]]:
    query = select(TimelineEvent.data).where(
        TimelineEvent.case_id == case.id, TimelineEvent.kind == kind
    )
    return list(session.scalars(query.order_by(TimelineEvent.id)))


def _deliveries(session: Session, event: str) -> list[Delivery]:
    return list(session.scalars(select(Delivery).where(Delivery.event == event)))


def test_a_new_case_gets_a_reminder_and_a_breach_timer_per_target(
    session: Session, care: Settings
) -> None:
    case = _open(session, care)
    assert _timers(session, case) == {
        TimerKind.FIRST_RESPONSE_REMINDER: OPENED + timedelta(hours=8),
        TimerKind.FIRST_RESPONSE_BREACH: OPENED + timedelta(hours=10),
        TimerKind.RESOLUTION_REMINDER: OPENED + timedelta(hours=40),
        TimerKind.RESOLUTION_BREACH: OPENED + timedelta(hours=50),
    }


def test_timers_already_past_are_not_planned(session: Session, care: Settings) -> None:
    case = _open(session, care)
    session.execute(delete(CaseTimer))
    sla = playbook_set.current(care).sla_of(case.playbook)
    planned = timers.for_new_case(
        case.id,
        opened_at=OPENED,
        first_response=OPENED + timedelta(hours=10),
        resolution=OPENED + timedelta(hours=50),
        sla=sla,
    )
    assert timers.plan(session, planned, now=OPENED + timedelta(hours=9)) == 3
    assert timers.plan(session, planned, now=OPENED + timedelta(hours=9)) == 0
    assert TimerKind.FIRST_RESPONSE_REMINDER not in _timers(session, case)


def test_a_reminder_fires_once_and_tells_the_team_lead(
    session: Session, care: Settings, bob: User
) -> None:
    bob.email = "lead@example.com"  # teams.yaml names this address as care's lead
    session.flush()
    case = _open(session, care)
    at = OPENED + timedelta(hours=8)
    assert _fire(session, care, at - timedelta(seconds=1)) == 0
    assert _fire(session, care, at) == 1
    assert _fire(session, care, at) == 0
    [reminder] = _events(session, case, "case:sla:reminder")
    assert reminder["target"] == "first_response"
    [notice] = _deliveries(session, "breach_soon")
    assert (notice.user_id, notice.channel, notice.case_id) == (bob.id, "email", case.id)


def test_a_breach_records_itself_and_escalates_by_the_playbook(
    session: Session, care: Settings
) -> None:
    case = _open(session, care)
    assert _fire(session, care, OPENED + timedelta(hours=10)) == 2  # reminder and breach
    session.refresh(case)
    [breach] = _events(session, case, "case:sla:breached")
    assert breach["target"] == "first_response"
    escalated = _events(session, case, "case:escalated")
    # the senior review at opening (risk ≥ 0), then the team lead at the breach
    assert [e["to"] for e in escalated] == ["senior_review", "team_lead"]
    assert escalated[-1]["reason"] == "SLA breached: first_response"
    assert case.escalated_to == "team_lead"


def test_answering_in_time_makes_the_first_response_timers_moot(
    session: Session, care: Settings, alice: User
) -> None:
    case = _open(session, care)
    actor = Actor(alice.id, alice.name)
    answered = OPENED + timedelta(hours=1)
    record_contact(
        session, case=case, actor=actor, playbooks=playbook_set.current(care), at=answered
    )
    timers = _timers(session, case)
    assert timers[TimerKind.UPDATE_BREACH] == answered + timedelta(hours=5)
    assert timers[TimerKind.UPDATE_REMINDER] == answered + timedelta(hours=4)
    _fire(session, care, OPENED + timedelta(hours=10))
    [breach] = _events(session, case, "case:sla:breached")
    assert breach["target"] == "update_interval"
    assert breach["due_at"] == (answered + timedelta(hours=5)).isoformat()
    fired = session.scalars(
        select(CaseTimer.kind).where(CaseTimer.case_id == case.id, CaseTimer.fired_at.is_not(None))
    ).all()
    assert TimerKind.FIRST_RESPONSE_BREACH not in fired


def test_acknowledging_counts_as_the_first_response(
    session: Session, care: Settings, alice: User
) -> None:
    case = _open(session, care)
    with time_machine.travel(OPENED + timedelta(hours=2), tick=False):
        transition(
            session=session, case=case, to=CaseStatus.ACKNOWLEDGED, actor=Actor(alice.id, "A")
        )
    assert case.first_responded_at == OPENED + timedelta(hours=2)
    _fire(session, care, OPENED + timedelta(hours=10))
    assert _events(session, case, "case:sla:breached") == []


def test_closing_a_case_cancels_its_timers(session: Session, care: Settings, alice: User) -> None:
    case = _open(session, care)
    transition(session=session, case=case, to=CaseStatus.CLOSED, actor=Actor(alice.id, "A"))
    pending = session.scalar(
        select(func.count()).where(CaseTimer.case_id == case.id, CaseTimer.cancelled_at.is_(None))
    )
    assert pending == 0
    assert _fire(session, care, OPENED + timedelta(days=5)) == 0


def test_a_risky_case_enters_the_senior_review_queue_at_opening(
    session: Session, care: Settings
) -> None:
    case = _open(session, care)
    assert case.senior_review_at is not None
    [first, *_] = _events(session, case, "case:escalated")
    assert first["to"] == "senior_review"


def test_a_second_complaint_within_30_days_goes_to_a_manager(
    session: Session, care: Settings, carol: User
) -> None:
    assert carol.role == "manager"
    first = _open(session, care)
    transition(session=session, case=first, to=CaseStatus.CLOSED, actor=Actor(None, "amends"))
    again = ItemIn(
        source="care",
        channel="email",
        text="Broken once more",
        raw="{}",
        rating=1,
        email="ann@example.com",
    )
    with time_machine.travel(OPENED + timedelta(days=10), tick=False):
        outcome = pipeline.process(session, [again], care)
    second = session.get(Case, outcome.case_ids[outcome.item_ids[0]])
    assert second is not None
    assert second.id != first.id
    assert second.escalated_to == "manager"
    assert any(d.user_id == carol.id for d in _deliveries(session, "escalated"))
    assert first.escalated_to != "manager"
