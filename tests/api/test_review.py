"""/api/v1/review and /api/v1/cases/{id}/review: the senior-review queue."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.cases import service
from amends.cases.actor import SYSTEM
from amends.cases.events import EventKind
from amends.config import Settings
from amends.lib import clock
from amends.store.tables import Role, User
from tests.api.helpers import open_case, set_case
from tests.conftest import token_for


def queued(session: Session, settings: Settings, *, risk: int, reason: str = "") -> int:
    case_id = open_case(session, settings, f"Parcel never came, risk {risk}")
    set_case(session, case_id, risk=risk, senior_review_at=clock.now())
    if reason:
        data = {"to": "senior_review", "reason": reason, "rule": 0}
        service.record(session, case_id=case_id, kind=EventKind.ESCALATED, actor=SYSTEM, data=data)
        session.commit()
    return case_id


def test_it_lists_the_queue_riskiest_first_with_why(
    client: TestClient, session: Session, settings: Settings, bob: User
) -> None:
    low = queued(session, settings, risk=30)
    high = queued(session, settings, risk=85, reason="risk 85 ≥ 80")
    open_case(session, settings, "Not sent for review")
    body = client.get("/api/v1/review", headers=token_for(session, bob)).json()
    assert body["waiting"] == 2
    assert [case["id"] for case in body["cases"]] == [high, low]
    assert body["cases"][0]["review_reason"] == "risk 85 ≥ 80"
    assert body["cases"][1]["review_reason"] is None
    assert body["cases"][0]["senior_reviewed_at"] is None
    assert "clocks" in body["cases"][0]


def test_it_shows_the_queue_to_leads_and_above_only(
    client: TestClient, session: Session, people: dict[Role, User]
) -> None:
    for role, user in people.items():
        expected = 403 if role is Role.AGENT else 200
        assert client.get("/api/v1/review", headers=token_for(session, user)).status_code == (
            expected
        )


def test_marking_reviewed_answers_with_the_case_out_of_the_queue(
    client: TestClient, session: Session, settings: Settings, carol: User
) -> None:
    case_id = queued(session, settings, risk=90)
    headers = token_for(session, carol)
    response = client.post(
        f"/api/v1/cases/{case_id}/review", json={"note": "Refund approved"}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["senior_reviewed_at"] is not None
    assert client.get("/api/v1/review", headers=headers).json()["waiting"] == 0
    timeline = client.get(f"/api/v1/cases/{case_id}/timeline", headers=headers).json()["events"]
    last = timeline[-1]
    assert last["kind"] == "case:senior:reviewed"
    assert last["actor_id"] == carol.id
    assert last["data"]["note"] == "Refund approved"


def test_it_answers_409_for_a_case_not_waiting_and_404_for_none(
    client: TestClient, session: Session, settings: Settings, bob: User
) -> None:
    headers = token_for(session, bob)
    case_id = open_case(session, settings)
    response = client.post(f"/api/v1/cases/{case_id}/review", json={}, headers=headers)
    assert response.status_code == 409
    assert "not waiting for a senior review" in response.json()["detail"]
    assert client.post("/api/v1/cases/999999/review", json={}, headers=headers).status_code == 404


def test_it_refuses_a_note_too_long(
    client: TestClient, session: Session, settings: Settings, bob: User
) -> None:
    case_id = queued(session, settings, risk=90)
    response = client.post(
        f"/api/v1/cases/{case_id}/review",
        json={"note": "x" * 2001},
        headers=token_for(session, bob),
    )
    assert response.status_code == 422
