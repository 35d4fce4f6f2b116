"""POST /api/v1/cases/{id}/lessons and GET /api/v1/lessons."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.tables import User
from tests.conftest import token_for


def test_a_lesson_is_added_and_found(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    item = ItemIn(source="api", channel="email", text="Wrong size twice", raw="{}", rating=1)
    outcome = pipeline.process(session, [item], settings)
    case_id = outcome.case_ids[outcome.item_ids[0]]
    session.commit()
    headers = token_for(session, alice)
    body = {"title": "Size charts", "body": "Link the size chart in the first reply."}
    added = client.post(f"/api/v1/cases/{case_id}/lessons", json=body, headers=headers)
    assert added.status_code == 201, added.text
    assert (added.json()["kind"], added.json()["case_ids"]) == ("lesson", [case_id])
    empty = client.post(
        f"/api/v1/cases/{case_id}/lessons", json={"title": "", "body": "x"}, headers=headers
    )
    assert empty.status_code == 422
    found = client.get("/api/v1/lessons", params={"q": "size chart"}, headers=headers).json()
    assert [lesson["title"] for lesson in found] == ["Size charts"]
    assert client.get("/api/v1/lessons", params={"q": "nothing"}, headers=headers).json() == []


def test_a_lesson_is_changed_linked_and_removed_within_the_roles(
    client: TestClient, session: Session, settings: Settings, alice: User, bob: User
) -> None:
    items = [
        ItemIn(source="api", channel="email", text=text, raw="{}", rating=1)
        for text in ("Wrong size twice", "Wrong size again")
    ]
    outcome = pipeline.process(session, items, settings)
    first, second = (outcome.case_ids[item_id] for item_id in outcome.item_ids)
    session.commit()
    as_alice, as_bob = token_for(session, alice), token_for(session, bob)
    body = {"title": "Size charts", "body": "Link the size chart in the first reply."}
    lesson_id = client.post(f"/api/v1/cases/{first}/lessons", json=body, headers=as_bob).json()[
        "id"
    ]

    changed = {"title": "Size charts", "body": "Link the chart and offer an exchange."}
    refused = client.patch(f"/api/v1/lessons/{lesson_id}", json=changed, headers=as_alice)
    assert refused.status_code == 403
    assert client.delete(f"/api/v1/lessons/{lesson_id}", headers=as_alice).status_code == 403
    edited = client.patch(f"/api/v1/lessons/{lesson_id}", json=changed, headers=as_bob)
    assert edited.status_code == 200, edited.text
    assert edited.json()["body"] == "Link the chart and offer an exchange."

    linked = client.put(f"/api/v1/cases/{second}/lessons/{lesson_id}", headers=as_alice)
    assert linked.status_code == 200, linked.text
    again = client.put(f"/api/v1/cases/{second}/lessons/{lesson_id}", headers=as_alice)
    assert again.json()["case_ids"] == linked.json()["case_ids"] == [first, second]

    assert client.delete(f"/api/v1/lessons/{lesson_id}", headers=as_bob).status_code == 204
    assert client.delete(f"/api/v1/lessons/{lesson_id}", headers=as_bob).status_code == 404
    assert client.get("/api/v1/lessons", headers=as_bob).json() == []
    assert client.patch("/api/v1/lessons/1", json=changed).status_code == 401
