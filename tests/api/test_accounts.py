"""/api/v1/me, /users and /tokens. Hashes never leave the server; a token is shown once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.store.tables import User
from tests.conftest import token_for

SECRET_KEYS = {"password", "password_hash", "token_hash", "webhook_secret", "secret"}


@pytest.fixture
def admin(session: Session, dave: User) -> dict[str, str]:
    return token_for(session, dave)


def test_it_says_who_the_token_belongs_to(
    client: TestClient, session: Session, alice: User
) -> None:
    me = client.get("/api/v1/me", headers=token_for(session, alice)).json()
    assert (me["id"], me["email"], me["role"]) == (alice.id, "alice@example.com", "agent")
    assert not SECRET_KEYS & set(me)


def test_it_lists_users_without_password_hashes(
    client: TestClient, admin: dict[str, str], alice: User, dave: User
) -> None:
    users = client.get("/api/v1/users", headers=admin).json()["users"]
    assert [user["email"] for user in users] == ["alice@example.com", "dave@example.com"]
    assert all(not SECRET_KEYS & set(user) for user in users)


def test_it_creates_a_user(client: TestClient, admin: dict[str, str]) -> None:
    body = {"email": "Erin@Example.com", "name": "Erin", "role": "lead", "password": "long enough"}
    response = client.post("/api/v1/users", json=body, headers=admin)
    assert response.status_code == 201
    created = response.json()
    assert (created["email"], created["role"], created["is_active"]) == (
        "erin@example.com",
        "lead",
        True,
    )
    assert not SECRET_KEYS & set(created)


def test_it_refuses_a_taken_email(client: TestClient, admin: dict[str, str], alice: User) -> None:
    body = {"email": "alice@example.com", "name": "Alice again"}
    response = client.post("/api/v1/users", json=body, headers=admin)
    assert response.status_code == 409
    assert "already exists" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-address", "name": "X"}, "email"),
        ({"email": "x@example.com", "name": "X", "role": "boss"}, "role"),
        ({"email": "x@example.com", "name": "X", "password": "short"}, "password"),
    ],
)
def test_it_refuses_a_bad_user(
    client: TestClient, admin: dict[str, str], body: dict[str, str], field: str
) -> None:
    response = client.post("/api/v1/users", json=body, headers=admin)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field


def test_it_shows_a_new_token_once(
    client: TestClient, session: Session, admin: dict[str, str], alice: User
) -> None:
    created = client.post(
        "/api/v1/tokens", json={"name": "zapier", "user_id": alice.id}, headers=admin
    ).json()
    assert created["token"].startswith(created["prefix"])
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {created['token']}"}).json()
    assert me["id"] == alice.id
    listed = client.get("/api/v1/tokens", headers=admin).json()["tokens"]
    assert created["id"] in [token["id"] for token in listed]
    assert all("token" not in token and not SECRET_KEYS & set(token) for token in listed)
    assert created["token"] not in str(listed)


def test_it_creates_a_token_for_the_caller_by_default(
    client: TestClient, admin: dict[str, str], dave: User
) -> None:
    created = client.post("/api/v1/tokens", json={"name": "cli"}, headers=admin).json()
    assert created["user_id"] == dave.id


def test_it_refuses_a_token_for_nobody(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post("/api/v1/tokens", json={"name": "x", "user_id": 999999}, headers=admin)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "user_id"


def test_it_revokes_a_token(client: TestClient, admin: dict[str, str], alice: User) -> None:
    created = client.post(
        "/api/v1/tokens", json={"name": "old", "user_id": alice.id}, headers=admin
    ).json()
    url = f"/api/v1/tokens/{created['id']}"
    assert client.delete(url, headers=admin).status_code == 204
    bearer = {"Authorization": f"Bearer {created['token']}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    assert client.delete(url, headers=admin).status_code == 404
    listed = client.get("/api/v1/tokens", headers=admin).json()["tokens"]
    assert next(t for t in listed if t["id"] == created["id"])["revoked_at"] is not None


def test_an_admin_puts_a_user_in_a_team(
    client: TestClient, session: Session, alice: User, dave: User
) -> None:
    response = client.put(
        f"/api/v1/users/{alice.id}/team",
        json={"team": "social", "skills": ["refunds"], "languages": ["EN", "fr"]},
        headers=token_for(session, dave),
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["team"], body["skills"], body["languages"]) == (
        "social",
        ["refunds"],
        ["en", "fr"],
    )


def test_only_an_admin_may_change_teams(
    client: TestClient, session: Session, alice: User, bob: User
) -> None:
    response = client.put(
        f"/api/v1/users/{alice.id}/team", json={"team": "social"}, headers=token_for(session, bob)
    )
    assert response.status_code == 403
