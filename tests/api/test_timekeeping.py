"""Recording a message to the customer and escalating a case, over the API."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.lib import clock
from amends.store.tables import Case, CaseTimer, Delivery, TimerKind, User
from tests.api.helpers import open_case
from tests.conftest import token_for

URL = "/api/v1/cases"


def test_a_first_contact_stops_the_first_response_clock(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    case_id = open_case(session, settings)
    response = client.post(
        f"{URL}/{case_id}/contacts", json={"channel": "phone"}, headers=token_for(session, alice)
    )
    assert response.status_code == 201
    event = response.json()
    assert (event["kind"], event["data"]["first"], event["data"]["channel"]) == (
        "case:contacted",
        True,
        "phone",
    )
    case = session.get(Case, case_id)
    assert case is not None
    session.refresh(case)
    assert case.first_responded_at is not None
    pending = session.scalars(
        select(CaseTimer.kind).where(
            CaseTimer.case_id == case_id,
            CaseTimer.cancelled_at.is_(None),
            CaseTimer.fired_at.is_(None),
        )
    ).all()
    assert TimerKind.FIRST_RESPONSE_BREACH not in pending
    assert TimerKind.RESOLUTION_BREACH in pending


def test_a_contact_in_the_future_is_refused(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    case_id = open_case(session, settings)
    later = (clock.now() + timedelta(hours=1)).isoformat()
    response = client.post(
        f"{URL}/{case_id}/contacts", json={"at": later}, headers=token_for(session, alice)
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "at"]


def test_an_agent_escalates_to_a_manager_who_is_told(
    client: TestClient, session: Session, settings: Settings, alice: User, carol: User
) -> None:
    case_id = open_case(session, settings)
    response = client.post(
        f"{URL}/{case_id}/escalations",
        json={"to": "manager", "reason": "  Customer is a journalist  "},
        headers=token_for(session, alice),
    )
    assert response.status_code == 201
    assert response.json()["data"] == {
        "to": "manager",
        "reason": "Customer is a journalist",
        "rule": None,
    }
    case = session.get(Case, case_id)
    assert case is not None
    session.refresh(case)
    assert case.escalated_to == "manager"
    told = session.scalars(select(Delivery.user_id).where(Delivery.case_id == case_id)).all()
    assert carol.id in told


def test_an_escalation_needs_a_reason_and_a_known_target(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    case_id = open_case(session, settings)
    headers = token_for(session, alice)
    blank = client.post(
        f"{URL}/{case_id}/escalations", json={"to": "manager", "reason": "   "}, headers=headers
    )
    assert blank.status_code == 422
    unknown = client.post(
        f"{URL}/{case_id}/escalations", json={"to": "ceo", "reason": "why"}, headers=headers
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "to"]


def test_an_agent_cannot_escalate_someone_elses_case(
    client: TestClient, session: Session, settings: Settings, alice: User, bob: User
) -> None:
    case_id = open_case(session, settings)
    case = session.get(Case, case_id)
    assert case is not None
    case.owner_id = bob.id
    session.commit()
    response = client.post(
        f"{URL}/{case_id}/escalations",
        json={"to": "manager", "reason": "why"},
        headers=token_for(session, alice),
    )
    assert response.status_code == 403
