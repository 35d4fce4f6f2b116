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
