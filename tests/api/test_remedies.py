"""Compensation, approvals and offers through the API: authority enforced on the server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.accounts import service as accounts
from amends.config import Settings
from amends.store.tables import Case, CaseStatus, Role, User
from tests.cases.remedy_helpers import open_case, remedy_settings
from tests.conftest import PASSWORD, token_for

VOUCHER_30 = {"kind": "voucher", "amount": "30"}


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return remedy_settings(db_url, tmp_path)


@pytest.fixture
def case(session: Session, settings: Settings) -> Case:
    return open_case(session, settings)


def _grant(
    client: TestClient, headers: dict[str, str], case: Case, body: dict[str, str]
) -> dict[str, Any]:
    response = client.post(f"/api/v1/cases/{case.id}/compensation", json=body, headers=headers)
    return {"status": response.status_code, **response.json()}


def _another_agent(session: Session) -> User:
    user = accounts.create_user(
        session, email="erin@example.com", name="Erin", role=Role.AGENT, password=PASSWORD
    )
    session.commit()
    return user


def test_an_agent_grants_within_their_authority(
    client: TestClient, session: Session, case: Case, alice: User
) -> None:
    answer = _grant(client, token_for(session, alice), case, {"kind": "voucher", "amount": "20"})
    assert (answer["status"], answer["outcome"], answer["approval"]) == (201, "granted", None)
    assert answer["compensation"]["amount"] == "20.00"
    listed = client.get(
        f"/api/v1/cases/{case.id}/compensation", headers=token_for(session, alice)
    ).json()
    assert listed["totals"] == {"USD": "20.00"}


def test_above_their_limit_it_waits_for_a_lead_who_approves(
    client: TestClient, session: Session, case: Case, alice: User, bob: User
) -> None:
    agent, lead = token_for(session, alice), token_for(session, bob)
    answer = _grant(client, agent, case, VOUCHER_30)
    assert (answer["status"], answer["outcome"], answer["compensation"]) == (
        202,
        "approval_requested",
        None,
    )
    approval_id = answer["approval"]["id"]
    queue = client.get("/api/v1/approvals", headers=lead).json()["approvals"]
    assert [a["id"] for a in queue] == [approval_id]
    for someone in (agent, token_for(session, _another_agent(session))):
        refused = client.post(f"/api/v1/approvals/{approval_id}/approve", json={}, headers=someone)
        assert refused.status_code == 403
    assert "your role (agent) may not grant" in refused.json()["detail"]
    approved = client.post(
        f"/api/v1/approvals/{approval_id}/approve", json={"reason": "Fine"}, headers=lead
    )
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["approval"]["status"] == "approved"
    assert body["compensation"]["approval_id"] == approval_id
    assert client.get("/api/v1/approvals", headers=lead).json()["approvals"] == []
    events = client.get(f"/api/v1/cases/{case.id}/timeline", headers=lead).json()["events"]
    assert [event["kind"] for event in events][-3:] == [
        "case:approval:requested",
        "case:approval:approved",
        "case:compensation:granted",
    ]


def test_a_refusal_needs_a_reason_and_is_final(
    client: TestClient, session: Session, case: Case, alice: User, bob: User
) -> None:
    agent, lead = token_for(session, alice), token_for(session, bob)
    approval_id = _grant(client, agent, case, VOUCHER_30)["approval"]["id"]
    url = f"/api/v1/approvals/{approval_id}"
    assert client.post(f"{url}/refuse", json={}, headers=lead).status_code == 422
    blank = client.post(f"{url}/refuse", json={"reason": "  "}, headers=lead)
    assert (blank.status_code, blank.json()["detail"][0]["field"]) == (422, "reason")
    refused = client.post(f"{url}/refuse", json={"reason": "Too generous"}, headers=lead)
    assert refused.json()["approval"]["decision_reason"] == "Too generous"
    assert client.post(f"{url}/approve", json={}, headers=lead).status_code == 409


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"kind": "voucher", "amount": "31"}, "amount", "above the playbook's cap"),
        ({"kind": "replacement", "amount": "5"}, "kind", "not a remedy of the playbook"),
        ({"kind": "apology", "amount": "5"}, "amount", "costs no money"),
    ],
)
def test_the_playbook_refuses_whoever_asks(
    client: TestClient,
    session: Session,
    case: Case,
    carol: User,
    body: dict[str, str],
    field: str,
    message: str,
) -> None:
    answer = _grant(client, token_for(session, carol), case, body)
    assert answer["status"] == 422
    assert answer["detail"][0]["field"] == field
    assert message in answer["detail"][0]["msg"]


def test_an_agent_cannot_grant_on_someone_elses_case(
    client: TestClient, session: Session, settings: Settings, alice: User, bob: User
) -> None:
    case = open_case(session, settings, owner_id=bob.id)
    answer = _grant(client, token_for(session, alice), case, {"kind": "apology"})
    assert answer["status"] == 403


def test_an_offer_gives_a_link_and_takes_one_choice(
    client: TestClient, session: Session, case: Case, alice: User
) -> None:
    agent = token_for(session, alice)
    options = [{"kind": "voucher", "amount": "20"}, {"kind": "apology", "note": "Sorry!"}]
    made = client.post(f"/api/v1/cases/{case.id}/offers", json={"options": options}, headers=agent)
    assert made.status_code == 201, made.text
    offer = made.json()
    assert offer["status"] == "open"
    assert offer["link"].startswith("http://127.0.0.1:8000/r/")
    assert (
        client.get(f"/api/v1/cases/{case.id}", headers=agent).json()["status"] == "remedy_offered"
    )
    url = f"/api/v1/cases/{case.id}/offers/{offer['id']}/choice"
    chosen = client.post(url, json={"option": 0}, headers=agent)
    assert chosen.status_code == 200, chosen.text
    assert (chosen.json()["status"], chosen.json()["chosen_via"], chosen.json()["link"]) == (
        "chosen",
        "agent",
        None,
    )
    assert client.post(url, json={"option": 1}, headers=agent).status_code == 409
    detail = client.get(f"/api/v1/cases/{case.id}", headers=agent).json()
    assert detail["status"] == CaseStatus.REMEDY_ACCEPTED.value
    listed = client.get(f"/api/v1/cases/{case.id}/offers", headers=agent).json()["offers"]
    assert [o["chosen_option"] for o in listed] == [0]


def test_an_offer_above_the_agents_authority_is_forbidden(
    client: TestClient, session: Session, case: Case, alice: User
) -> None:
    options = [{"kind": "refund", "amount": "10"}, {"kind": "apology"}]
    made = client.post(
        f"/api/v1/cases/{case.id}/offers",
        json={"options": options},
        headers=token_for(session, alice),
    )
    assert made.status_code == 403
    assert "above your authority" in made.json()["detail"]


def test_an_offer_needs_two_or_three_options(
    client: TestClient, session: Session, case: Case, alice: User
) -> None:
    made = client.post(
        f"/api/v1/cases/{case.id}/offers",
        json={"options": [{"kind": "apology"}]},
        headers=token_for(session, alice),
    )
    assert made.status_code == 422
