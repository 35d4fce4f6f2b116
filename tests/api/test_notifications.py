"""/api/v1/me/notifications, /api/v1/webhooks and /api/v1/deliveries."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from amends.notify import preferences
from amends.notify.events import PERSONAL, Notice
from amends.store.tables import Delivery, DeliveryStatus, User
from tests.conftest import token_for
from tests.notify.helpers import add_endpoint, all_deliveries, notify

URL = "https://hooks.example.com/T0/s3cret-path"


def test_it_shows_every_notification_with_its_default(
    client: TestClient, session: Session, alice: User
) -> None:
    response = client.get("/api/v1/me/notifications", headers=token_for(session, alice))
    assert response.status_code == 200
    found = response.json()["preferences"]
    assert [p["event"] for p in found] == [n.value for n in PERSONAL]
    assert found[0] == {
        "event": "assigned",
        "meaning": "A case was assigned to you.",
        "email": True,
        "webhook": True,
    }


def test_it_changes_the_notifications_named_and_keeps_the_rest(
    client: TestClient, session: Session, alice: User
) -> None:
    change = {"preferences": [{"event": "breached", "email": False, "webhook": True}]}
    response = client.put(
        "/api/v1/me/notifications", json=change, headers=token_for(session, alice)
    )
    assert response.status_code == 200
    chosen = {p["event"]: (p["email"], p["webhook"]) for p in response.json()["preferences"]}
    assert chosen["breached"] == (False, True)
    assert chosen["assigned"] == (True, True)
    stored = {p.event: p.email for p in preferences.preferences_for(session, alice.id)}
    assert stored[Notice.BREACHED] is False


def test_it_refuses_an_unknown_notification(
    client: TestClient, session: Session, alice: User
) -> None:
    change = {"preferences": [{"event": "lunch", "email": False, "webhook": True}]}
    response = client.put(
        "/api/v1/me/notifications", json=change, headers=token_for(session, alice)
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "preferences[0].event"


def test_it_needs_a_token(client: TestClient) -> None:
    assert client.get("/api/v1/me/notifications").status_code == 401
    assert client.get("/api/v1/webhooks").status_code == 401


def test_it_adds_a_webhook_whose_secret_is_shown_once(
    client: TestClient, session: Session, alice: User
) -> None:
    agent = token_for(session, alice)
    new = {"url": URL, "events": ["escalated", "assigned"]}
    response = client.post("/api/v1/webhooks", json=new, headers=agent)
    assert response.status_code == 201
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert (created["events"], created["shared"]) == (["assigned", "escalated"], False)
    listed = client.get("/api/v1/webhooks", headers=agent)
    assert [w["id"] for w in listed.json()["webhooks"]] == [created["id"]]
    assert created["secret"] not in listed.text


def test_it_refuses_a_url_that_is_not_http(
    client: TestClient, session: Session, alice: User
) -> None:
    response = client.post(
        "/api/v1/webhooks", json={"url": "file:///etc/passwd"}, headers=token_for(session, alice)
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "url"


def test_only_an_admin_adds_a_shared_webhook(
    client: TestClient, session: Session, carol: User, dave: User
) -> None:
    shared = {"url": URL, "events": ["breached"], "shared": True}
    refused = client.post("/api/v1/webhooks", json=shared, headers=token_for(session, carol))
    assert refused.status_code == 403
    made = client.post("/api/v1/webhooks", json=shared, headers=token_for(session, dave))
    assert made.status_code == 201
    assert made.json()["shared"] is True


def test_it_validates_ownership(
    client: TestClient, session: Session, alice: User, bob: User, dave: User
) -> None:
    hers = add_endpoint(session, URL, user_id=alice.id)
    shared = add_endpoint(session, URL, user_id=None)
    lead = token_for(session, bob)
    assert client.get("/api/v1/webhooks", headers=lead).json()["webhooks"] == []
    assert client.delete(f"/api/v1/webhooks/{hers.id}", headers=lead).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{shared.id}", headers=lead).status_code == 403
    admin = token_for(session, dave)
    assert [w["id"] for w in client.get("/api/v1/webhooks", headers=admin).json()["webhooks"]] == [
        shared.id
    ]
    assert client.delete(f"/api/v1/webhooks/{hers.id}", headers=admin).status_code == 404


def test_it_removes_a_webhook(client: TestClient, session: Session, alice: User) -> None:
    hers = add_endpoint(session, URL, user_id=alice.id)
    agent = token_for(session, alice)
    assert client.delete(f"/api/v1/webhooks/{hers.id}", headers=agent).status_code == 204
    assert client.get("/api/v1/webhooks", headers=agent).json()["webhooks"] == []
    assert client.delete(f"/api/v1/webhooks/{hers.id}", headers=agent).status_code == 404


def _dead_webhook_delivery(session: Session, user: User) -> Delivery:
    add_endpoint(session, URL, user_id=user.id)
    notify(session, [user.id], summary="Case 9 breached")
    webhook = next(d for d in all_deliveries(session) if d.channel == "webhook")
    session.execute(
        update(Delivery)
        .where(Delivery.id == webhook.id)
        .values(status=DeliveryStatus.DEAD, attempts=6, last_error="the endpoint answered 500")
    )
    session.commit()
    return webhook


def test_it_lists_the_dead_letters_for_managers(
    client: TestClient, session: Session, alice: User, carol: User
) -> None:
    dead = _dead_webhook_delivery(session, alice)
    assert client.get("/api/v1/deliveries", headers=token_for(session, alice)).status_code == 403
    response = client.get("/api/v1/deliveries?status=dead", headers=token_for(session, carol))
    assert response.status_code == 200
    [shown] = response.json()["deliveries"]
    assert shown["id"] == dead.id
    assert shown["recipient"] == "https://hooks.example.com"  # not the path, which may be a key
    assert (shown["status"], shown["attempts"]) == ("dead", 6)
    assert shown["last_error"] == "the endpoint answered 500"
    assert shown["summary"] == "Case 9 breached"
    assert "s3cret-path" not in response.text


def test_the_status_filter_takes_only_known_statuses(
    client: TestClient, session: Session, carol: User
) -> None:
    response = client.get("/api/v1/deliveries?status=lost", headers=token_for(session, carol))
    assert response.status_code == 422


@pytest.mark.parametrize("persona", ["carol", "dave"])
def test_a_manager_or_admin_sends_a_dead_delivery_again(
    client: TestClient, session: Session, alice: User, persona: str, request: pytest.FixtureRequest
) -> None:
    dead = _dead_webhook_delivery(session, alice)
    boss: User = request.getfixturevalue(persona)
    response = client.post(f"/api/v1/deliveries/{dead.id}/retry", headers=token_for(session, boss))
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["attempts"]) == ("pending", 0)
    again = client.post(f"/api/v1/deliveries/{dead.id}/retry", headers=token_for(session, boss))
    assert again.status_code == 409
    missing = client.post("/api/v1/deliveries/999999/retry", headers=token_for(session, boss))
    assert missing.status_code == 404


def test_an_agent_may_not_retry(client: TestClient, session: Session, alice: User) -> None:
    dead = _dead_webhook_delivery(session, alice)
    response = client.post(f"/api/v1/deliveries/{dead.id}/retry", headers=token_for(session, alice))
    assert response.status_code == 403
