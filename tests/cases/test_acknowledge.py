"""The playbook's automatic acknowledgement: planned when a case opens, sent once when due by
email or connector, never after a person answered or for high priority, and no first response."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.cases import playbook_set
from amends.cases.acknowledge import acknowledge_due
from amends.cases.actor import Actor
from amends.cases.replying import ReplyRequest, send_reply
from amends.cases.timekeeping import fire_due
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.replies.checker import check
from amends.store.tables import (
    Case,
    CaseTimer,
    Delivery,
    Priority,
    Reply,
    ReplyRoute,
    TimelineEvent,
    TimerKind,
    User,
)
from tests.notify.helpers import add_endpoint
from tests.playbooks.helpers import folder_with

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ACK_PLAYBOOKS = """\
playbooks:
  - name: Care
    match: {source: care}
    assign: {team: care}
    sla: {first_response: 10h, resolution: 50h}
    acknowledge: {within: 10m}
"""


@pytest.fixture
def care(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"playbooks_dir": folder_with(tmp_path, ACK_PLAYBOOKS)})


def _open(session: Session, settings: Settings, **fields: object) -> Case:
    values: dict[str, object] = {
        "source": "care",
        "channel": "email",
        "text": "My parcel arrived broken and nobody answers.",
        "raw": "{}",
        "rating": 2,
        "email": "ann@example.com",
        "author": "Ann Smith",
    } | fields
    item = ItemIn(**values)  # type: ignore[arg-type]
    with time_machine.travel(OPENED, tick=False):
        outcome = pipeline.process(session, [item], settings)
    session.commit()
    case = session.get(Case, outcome.case_ids[outcome.item_ids[0]])
    assert case is not None
    return case


def _acknowledge(session: Session, settings: Settings, at: datetime) -> int:
    playbooks = playbook_set.current(settings)
    sent = acknowledge_due(
        session, playbooks=playbooks, settings=settings, now=at, limit=100, worker="test"
    )
    session.commit()
    return sent


def _ack_timer(session: Session, case: Case) -> CaseTimer:
    return session.scalars(
        select(CaseTimer).where(
            CaseTimer.case_id == case.id, CaseTimer.kind == TimerKind.ACKNOWLEDGE
        )
    ).one()


def test_an_acknowledgement_goes_out_once_when_due(session: Session, care: Settings) -> None:
    case = _open(session, care)
    timer = _ack_timer(session, case)
    assert timer.due_at == OPENED + timedelta(minutes=10)
    assert _acknowledge(session, care, OPENED + timedelta(minutes=9)) == 0
    assert _acknowledge(session, care, OPENED + timedelta(minutes=10)) == 1
    assert _acknowledge(session, care, OPENED + timedelta(minutes=11)) == 0

    reply = session.scalars(select(Reply)).one()
    assert (reply.route, reply.recipient, reply.source) == (
        ReplyRoute.EMAIL,
        "ann@example.com",
        "acknowledgement",
    )
    assert reply.author == "amends"
    assert "automatic" in reply.text
    assert "Ann" in reply.text
    report = check(reply.text, "email")
    assert report.score >= 90, report.public()
    [delivery] = session.scalars(select(Delivery).where(Delivery.channel == "customer_email"))
    assert delivery.recipient == "ann@example.com"
    session.refresh(case)
    assert case.first_responded_at is None  # a machine's reply is not the first response
    event = session.scalars(
        select(TimelineEvent).where(TimelineEvent.kind == "case:reply:sent")
    ).one()
    assert event.data["automatic"] is True


def test_sla_timers_and_acknowledgements_do_not_take_each_others(
    session: Session, care: Settings
) -> None:
    case = _open(session, care)
    playbooks = playbook_set.current(care)
    fired = fire_due(
        session, playbooks=playbooks, now=OPENED + timedelta(minutes=30), limit=100, worker="t"
    )
    assert fired.total == 0
    assert _ack_timer(session, case).fired_at is None


def test_no_acknowledgement_after_a_person_answered(
    session: Session, care: Settings, alice: User
) -> None:
    case = _open(session, care)
    with time_machine.travel(OPENED + timedelta(minutes=5), tick=False):
        send_reply(
            session,
            case=case,
            actor=Actor(alice.id, alice.name),
            request=ReplyRequest(
                text="Hi Ann, so sorry your parcel arrived broken. I've sent a new one today "
                "and will confirm by 5pm. Thank you.",
                channel="phone",
                route=ReplyRoute.POSTED,
            ),
            playbooks=playbook_set.current(care),
            settings=care,
        )
    session.commit()
    assert _acknowledge(session, care, OPENED + timedelta(minutes=10)) == 0
    assert _ack_timer(session, case).cancelled_at is not None
    assert len(session.scalars(select(Reply)).all()) == 1


def test_high_priority_gets_a_person_not_a_machine(session: Session, care: Settings) -> None:
    case = _open(
        session,
        care,
        text="I will sue you, this parcel set my kitchen on fire.",
        channel="twitter",
        rating=1,
        author_reach=50_000,
    )
    session.refresh(case)
    if case.priority in (Priority.HIGH, Priority.CRITICAL):
        assert (
            session.scalars(select(CaseTimer).where(CaseTimer.kind == TimerKind.ACKNOWLEDGE)).all()
            == []
        )
    else:
        pytest.fail(f"triage gave {case.priority}: the test needs a high-risk complaint")


def test_a_public_case_is_acknowledged_through_a_connector_or_not_at_all(
    session: Session, care: Settings, alice: User
) -> None:
    case = _open(session, care, channel="twitter", email=None, author_handle="annsmith")
    assert _acknowledge(session, care, OPENED + timedelta(minutes=10)) == 0
    skipped = session.scalars(
        select(TimelineEvent).where(TimelineEvent.kind == "case:acknowledgement:skipped")
    ).one()
    assert "no way to reach" in skipped.data["reason"]

    other = _open(session, care, channel="twitter", email=None, text="Parcel lost again, awful.")
    add_endpoint(session, "https://connector.example/replies", user_id=None, events=["reply"])
    assert _acknowledge(session, care, OPENED + timedelta(minutes=10)) == 1
    reply = session.scalars(select(Reply).where(Reply.case_id == other.id)).one()
    assert reply.route is ReplyRoute.CONNECTOR
    assert len(reply.text) <= 280
    assert case.id != other.id
