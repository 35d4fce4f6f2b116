"""/api/v1/sources: webhook sources, whose secret is shown once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.store.tables import Source, User
from tests.api.helpers import body_of, signed
from tests.conftest import token_for


@pytest.fixture
def admin(session: Session, dave: User) -> dict[str, str]:
    return token_for(session, dave)


def test_it_creates_a_source_whose_secret_signs_webhooks(
    client: TestClient, session: Session, admin: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/sources", json={"name": "trustpilot", "channel": "TrustPilot"}, headers=admin
    )
    assert response.status_code == 201
    created = response.json()
    assert (created["name"], created["channel"]) == ("trustpilot", "trustpilot")
    source = Source(name="trustpilot", webhook_secret=created["secret"])
    body = body_of({"text": "Never again"})
    assert (
        client.post("/api/feedback", content=body, headers=signed(source, body)).status_code == 202
    )


def test_it_lists_sources_without_secrets(
    client: TestClient, admin: dict[str, str], source: Source
) -> None:
    response = client.get("/api/v1/sources", headers=admin)
    assert response.json()["sources"] == [
        {
            "id": source.id,
            "name": "shop",
            "channel": "web",
            "created_at": response.json()["sources"][0]["created_at"],
        }
    ]
    assert source.webhook_secret not in response.text


def test_it_refuses_a_taken_name(client: TestClient, admin: dict[str, str], source: Source) -> None:
    response = client.post("/api/v1/sources", json={"name": "shop"}, headers=admin)
    assert response.status_code == 409


@pytest.mark.parametrize("name", ["", "has space", "new\nline", "x" * 101])
def test_it_refuses_a_name_that_cannot_be_a_header(
    client: TestClient, admin: dict[str, str], name: str
) -> None:
    assert client.post("/api/v1/sources", json={"name": name}, headers=admin).status_code == 422
