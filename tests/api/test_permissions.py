"""Who may call what: every write route has a least role, and agents keep to their own cases.

The table is checked against the app's routes, so a new write route without a rule fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.accounts import service as accounts
from amends.cases.actor import Actor
from amends.config import Settings
from amends.insights import lessons
from amends.lib import clock
from amends.notify import endpoints, outbox
from amends.notify.events import Notice
from amends.store.tables import Case, Delivery, DeliveryStatus, Role, User
from tests.api.helpers import open_case, set_case
from tests.cases.remedy_helpers import remedy_world
from tests.conftest import token_for

Body = Callable[[User], dict[str, Any]]


@dataclass(frozen=True)
class Rule:
    role: Role
    body: Body | None = None
    success: int = 200


PHONED = {
    "text": "Hi, this is Sam from the shop. I'm so sorry your parcel never came; I've sent a "
    "replacement today. Is there anything else I can do? Thank you for your patience.",
    "channel": "phone",
    "route": "posted",
}
WRITES: dict[tuple[str, str], Rule] = {
    ("POST", "/api/v1/feedback"): Rule(Role.AGENT, lambda _: {"text": "Late again"}, 202),
    ("POST", "/api/v1/cases/{case_id}/status"): Rule(
        Role.AGENT, lambda _: {"status": "investigating"}
    ),
    ("POST", "/api/v1/cases/{case_id}/assign"): Rule(Role.AGENT, lambda me: {"owner_id": me.id}),
    ("POST", "/api/v1/cases/{case_id}/notes"): Rule(
        Role.AGENT, lambda _: {"text": "Called her back"}, 201
    ),
    ("POST", "/api/v1/users"): Rule(
        Role.ADMIN, lambda _: {"email": "erin@example.com", "name": "Erin", "role": "agent"}, 201
    ),
    ("POST", "/api/v1/tokens"): Rule(Role.ADMIN, lambda _: {"name": "zapier"}, 201),
    ("DELETE", "/api/v1/tokens/{token_id}"): Rule(Role.ADMIN, success=204),
    ("POST", "/api/v1/sources"): Rule(Role.ADMIN, lambda _: {"name": "trustpilot"}, 201),
    ("POST", "/api/v1/cases/{case_id}/review"): Rule(Role.LEAD, lambda _: {"note": "Seen"}),
    ("POST", "/api/v1/cases/{case_id}/compensation"): Rule(
        Role.AGENT, lambda _: {"kind": "apology"}, 201
    ),
    ("POST", "/api/v1/cases/{case_id}/offers"): Rule(
        Role.AGENT,
        lambda _: {"options": [{"kind": "apology"}, {"kind": "voucher", "amount": 5}]},
        201,
    ),
    ("POST", "/api/v1/cases/{case_id}/offers/{offer_id}/choice"): Rule(
        Role.AGENT, lambda _: {"option": 0}
    ),
    # An approval request the agent alice made: only someone whose authority covers it decides.
    ("POST", "/api/v1/approvals/{approval_id}/approve"): Rule(Role.LEAD, lambda _: {}),
    ("POST", "/api/v1/approvals/{approval_id}/refuse"): Rule(Role.LEAD, lambda _: {"reason": "No"}),
    ("POST", "/api/v1/cases/{case_id}/contacts"): Rule(
        Role.AGENT, lambda _: {"channel": "phone"}, 201
    ),
    ("POST", "/api/v1/cases/{case_id}/escalations"): Rule(
        Role.AGENT, lambda _: {"to": "manager", "reason": "Press enquiry"}, 201
    ),
    ("PUT", "/api/v1/users/{user_id}/team"): Rule(Role.ADMIN, lambda _: {"team": "social"}),
    ("PUT", "/api/v1/me/notifications"): Rule(
        Role.AGENT,
        lambda _: {"preferences": [{"event": "breached", "email": False, "webhook": True}]},
    ),
    ("POST", "/api/v1/webhooks"): Rule(
        Role.AGENT, lambda _: {"url": "https://hooks.example.com/amends"}, 201
    ),
    # alice's own webhook: the least role may remove their own.
    ("DELETE", "/api/v1/webhooks/{webhook_id}"): Rule(Role.AGENT, success=204),
    ("POST", "/api/v1/replies/check"): Rule(
        Role.AGENT, lambda _: {"text": "Sorry about that!", "channel": "x"}
    ),
    ("POST", "/api/v1/cases/{case_id}/drafts"): Rule(Role.AGENT, lambda _: {"channel": "chat"}),
    ("POST", "/api/v1/cases/{case_id}/replies"): Rule(Role.AGENT, lambda _: PHONED, 201),
    ("PUT", "/api/v1/cases/{case_id}/root-cause"): Rule(Role.AGENT, lambda _: {"cause": "policy"}),
    ("POST", "/api/v1/cases/{case_id}/lessons"): Rule(
        Role.AGENT, lambda _: {"title": "Call back", "body": "Within the hour."}, 201
    ),
    # Someone else's lesson: leads and above change or remove it; any agent links it.
    ("PATCH", "/api/v1/lessons/{lesson_id}"): Rule(
        Role.LEAD, lambda _: {"title": "Call back", "body": "Within two hours."}
    ),
    ("DELETE", "/api/v1/lessons/{lesson_id}"): Rule(Role.LEAD, success=204),
    ("PUT", "/api/v1/cases/{case_id}/lessons/{lesson_id}"): Rule(Role.AGENT),
    # A dead delivery: managers and admins send it again.
    ("POST", "/api/v1/deliveries/{delivery_id}/retry"): Rule(Role.MANAGER),
}
#: Write routes authenticated by something other than a token, tested in their own files.
SIGNED = {("POST", "/api/feedback")}
ADMIN_READS = ["/api/v1/users", "/api/v1/tokens", "/api/v1/sources"]


def _routes(app: object, *, write: bool) -> set[tuple[str, str]]:
    """(METHOD, path) of the API's routes, read from the OpenAPI document, which lists them all."""
    assert isinstance(app, FastAPI)
    return {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if path.startswith("/api/")
        for method in operations
        if (method != "get") == write
    }


@pytest.fixture
def world(session: Session, settings: Settings, alice: User) -> dict[str, int]:
    """What the paths point at: an unassigned case and one of alice's tokens."""
    case_id = open_case(session, settings)
    set_case(session, case_id, senior_review_at=clock.now())  # in the senior-review queue
    remedies = remedy_world(session, settings, case_id, alice)  # an open offer, an approval
    token, _ = accounts.create_token(session, user=alice, name="old laptop")
    webhook = endpoints.create_endpoint(
        session, url="https://hooks.example.com/alice", events=None, user_id=alice.id
    )
    outbox.enqueue(
        session, notice=Notice.ASSIGNED, case_id=case_id, user_ids=[alice.id], summary="Yours"
    )
    dead = session.scalars(select(Delivery).where(Delivery.case_id == case_id)).first()
    assert dead is not None
    dead.status = DeliveryStatus.DEAD
    lesson = lessons.add_lesson(
        session,
        case=session.get_one(Case, case_id),
        title="Call back",
        body="Within the hour.",
        actor=Actor(user_id=None, name="A lead who left"),
        now=clock.now(),
    )
    session.commit()
    return {
        "case_id": case_id,
        "token_id": token.id,
        "user_id": alice.id,
        "webhook_id": webhook.id,
        "delivery_id": dead.id,
        "lesson_id": lesson.id,
        **remedies,
    }


def test_every_write_route_has_a_rule(client: TestClient) -> None:
    assert _routes(client.app, write=True) == set(WRITES) | SIGNED


def _call(
    client: TestClient, session: Session, *, method: str, url: str, rule: Rule, user: User | None
) -> int:
    body = rule.body(user or User()) if rule.body else None
    headers = token_for(session, user) if user else {}
    return client.request(method, url, json=body, headers=headers).status_code


@pytest.mark.parametrize(("method", "path"), sorted(WRITES))
def test_it_allows_each_write_to_its_least_role_only(
    client: TestClient,
    session: Session,
    people: dict[Role, User],
    world: dict[str, int],
    method: str,
    path: str,
) -> None:
    rule = WRITES[(method, path)]
    url = path.format(**world)
    assert _call(client, session, method=method, url=url, rule=rule, user=None) == 401
    for role, user in people.items():
        if role.rank < rule.role.rank:
            assert _call(client, session, method=method, url=url, rule=rule, user=user) == 403
    allowed = people[rule.role]
    assert _call(client, session, method=method, url=url, rule=rule, user=allowed) == rule.success


def test_every_read_requires_a_token(client: TestClient, world: dict[str, int]) -> None:
    reads = _routes(client.app, write=False)
    assert reads
    for _, path in sorted(reads):
        url = path.format(**world, item_id=1, customer_id=1)
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_it_refuses_a_revoked_token(client: TestClient, session: Session, alice: User) -> None:
    headers = token_for(session, alice)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    for token in accounts.list_tokens(session):
        accounts.revoke_token(session, token.id)
    session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


@pytest.mark.parametrize("path", ADMIN_READS)
def test_it_shows_admin_lists_to_admins_only(
    client: TestClient, session: Session, people: dict[Role, User], path: str
) -> None:
    for role, user in people.items():
        expected = 200 if role is Role.ADMIN else 403
        assert client.get(path, headers=token_for(session, user)).status_code == expected


@pytest.fixture
def bobs_case(session: Session, settings: Settings, bob: User) -> int:
    case_id = open_case(session, settings)
    set_case(session, case_id, owner_id=bob.id)
    return case_id


CASE_WRITES = [
    ("status", {"status": "acknowledged"}),
    ("notes", {"text": "Refund sent"}),
    ("assign", {"owner_id": None}),
    ("replies", PHONED),
]


@pytest.mark.parametrize(("action", "body"), CASE_WRITES)
def test_an_agent_may_not_change_someone_elses_case(
    client: TestClient,
    session: Session,
    alice: User,
    bobs_case: int,
    action: str,
    body: dict[str, Any],
) -> None:
    url = f"/api/v1/cases/{bobs_case}/{action}"
    response = client.post(url, json=body, headers=token_for(session, alice))
    assert response.status_code == 403
    assert "belongs to someone else" in response.json()["detail"]


@pytest.mark.parametrize(("action", "body"), CASE_WRITES)
def test_a_lead_may_change_someone_elses_case(
    client: TestClient,
    session: Session,
    alice: User,
    bob: User,
    settings: Settings,
    action: str,
    body: dict[str, Any],
) -> None:
    case_id = open_case(session, settings)
    set_case(session, case_id, owner_id=alice.id)
    response = client.post(
        f"/api/v1/cases/{case_id}/{action}", json=body, headers=token_for(session, bob)
    )
    assert response.status_code in (200, 201)


def test_an_agent_may_take_an_unassigned_case_and_give_it_up(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    case_id = open_case(session, settings)
    headers = token_for(session, alice)
    url = f"/api/v1/cases/{case_id}/assign"
    assert (
        client.post(url, json={"owner_id": alice.id}, headers=headers).json()["owner_id"]
        == alice.id
    )
    assert client.post(url, json={"owner_id": None}, headers=headers).json()["owner_id"] is None


def test_an_agent_may_not_assign_a_case_to_someone_else(
    client: TestClient, session: Session, settings: Settings, alice: User, bob: User
) -> None:
    case_id = open_case(session, settings)
    response = client.post(
        f"/api/v1/cases/{case_id}/assign",
        json={"owner_id": bob.id},
        headers=token_for(session, alice),
    )
    assert response.status_code == 403
    assert "case:assign:others" in response.json()["detail"]


def test_a_lead_may_assign_a_case_to_an_agent(
    client: TestClient, session: Session, settings: Settings, alice: User, bob: User
) -> None:
    case_id = open_case(session, settings)
    response = client.post(
        f"/api/v1/cases/{case_id}/assign",
        json={"owner_id": alice.id},
        headers=token_for(session, bob),
    )
    assert response.status_code == 200
    assert response.json()["owner_id"] == alice.id
