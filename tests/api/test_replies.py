"""Checking, drafting and sending replies over the API."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.store.tables import Case, Reply, User
from tests.api.helpers import open_case, set_case
from tests.conftest import token_for

TWEET = (
    "So sorry your parcel went astray, that's really frustrating. We're tracing it now: "
    "please DM us your order number and we'll update you within 24 hours. Thanks!"
)


def test_check_answers_the_documented_shape(
    client: TestClient, session: Session, alice: User
) -> None:
    text = "WE ARE SORRY IF YOU FEEL that way. This will never happen again, guaranteed!!!"
    response = client.post(
        "/api/v1/replies/check",
        json={"text": text, "channel": "x"},
        headers=token_for(session, alice),
    )
    assert response.status_code == 200
    report = response.json()
    assert 0 <= report["score"] < 60
    rules = {f["rule"] for f in report["findings"]}
    assert {"apology.conditional", "promise.over", "style.shouting"} <= rules
    for finding in report["findings"]:
        assert set(finding) == {"rule", "severity", "span", "message", "fix"}
        if finding["span"] is not None:
            start, end = finding["span"]
            assert 0 <= start < end <= len(text)


def test_check_refuses_an_unknown_channel(
    client: TestClient, session: Session, alice: User
) -> None:
    response = client.post(
        "/api/v1/replies/check",
        json={"text": "Thanks!", "channel": "pigeon"},
        headers=token_for(session, alice),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "channel"


def test_check_on_a_case_knows_the_customers_personal_data(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    case_id = open_case(
        session, settings, "Parcel lost, furious", channel="twitter", email="jo@example.net"
    )
    body = {"text": "Sorry! We wrote to jo@example.net. DM us.", "channel": "x"}
    headers = token_for(session, alice)
    alone = client.post("/api/v1/replies/check", json=body, headers=headers).json()
    on_case = client.post(
        "/api/v1/replies/check", json=body | {"case_id": case_id}, headers=headers
    ).json()
    assert "pii.public" in {f["rule"] for f in alone["findings"]}  # an address, on its face
    assert on_case["score"] <= alone["score"]


def test_a_draft_is_checked_and_signed_by_the_agent(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    case_id = open_case(session, settings, "My parcel PP-1234 never came", author="Jo Rivers")
    response = client.post(
        f"/api/v1/cases/{case_id}/drafts", json={}, headers=token_for(session, alice)
    )
    assert response.status_code == 200
    draft = response.json()
    assert draft["channel"] == "email"
    assert draft["source"] == "built-in"
    assert draft["text"].split()[1] == "Jo,"
    assert alice.name in draft["text"]
    assert draft["check"]["score"] >= 90
    other = client.post(
        f"/api/v1/cases/{case_id}/drafts", json={"seed": 7}, headers=token_for(session, alice)
    ).json()
    assert other["text"] != draft["text"]


def test_sending_needs_confirmation_for_severe_findings(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    case_id = open_case(session, settings, "Parcel lost", channel="twitter")
    headers = token_for(session, alice)
    body = {"text": "Sorry if you feel upset. DM us.", "channel": "x", "route": "posted"}
    refused = client.post(f"/api/v1/cases/{case_id}/replies", json=body, headers=headers)
    assert refused.status_code == 409
    assert "apology.conditional" in {f["rule"] for f in refused.json()["check"]["findings"]}
    assert session.scalar(select(func.count()).select_from(Reply)) == 0
    sent = client.post(
        f"/api/v1/cases/{case_id}/replies", json=body | {"confirm": True}, headers=headers
    )
    assert sent.status_code == 201
    assert sent.json()["confirmed"] is True


def test_a_posted_reply_is_listed_with_its_url(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    case_id = open_case(session, settings, "Parcel lost", channel="twitter")
    headers = token_for(session, alice)
    url = "https://x.com/shop/status/1"
    body = {"text": TWEET, "channel": "twitter", "route": "posted", "posted_url": url}
    sent = client.post(f"/api/v1/cases/{case_id}/replies", json=body, headers=headers)
    assert sent.status_code == 201, sent.text
    listed = client.get(f"/api/v1/cases/{case_id}/replies", headers=headers).json()
    assert [(r["posted_url"], r["route"], r["author"]) for r in listed] == [
        (url, "posted", alice.name)
    ]
    case = session.get(Case, case_id)
    assert case is not None
    session.refresh(case)
    assert case.first_responded_at is not None


def test_an_agent_cannot_reply_on_someone_elses_case(
    client: TestClient, session: Session, settings: Settings, alice: User, bob: User
) -> None:
    case_id = open_case(session, settings, "Parcel lost", channel="twitter")
    set_case(session, case_id, owner_id=bob.id)
    body = {"text": TWEET, "channel": "twitter", "route": "posted"}
    response = client.post(
        f"/api/v1/cases/{case_id}/replies", json=body, headers=token_for(session, alice)
    )
    assert response.status_code == 403
    assert session.scalar(select(func.count()).select_from(Reply)) == 0
