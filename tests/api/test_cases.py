"""/api/v1/cases: the inbox, one case, and the changes agents make."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.store.tables import CaseStatus, Priority, User
from tests.api.helpers import open_case, set_case
from tests.conftest import token_for

URL = "/api/v1/cases"


@pytest.fixture
def headers(session: Session, alice: User) -> dict[str, str]:
    return token_for(session, alice)


def _ids(client: TestClient, headers: dict[str, str], **params: Any) -> list[int]:
    response = client.get(URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [case["id"] for case in response.json()["cases"]]


@pytest.fixture
def inbox(session: Session, settings: Settings, alice: User, bob: User) -> dict[str, int]:
    """Four cases that differ in one way each from `plain`."""
    cases = {
        "plain": open_case(session, settings, "Parcel never came"),
        "urgent": open_case(session, settings, "Charged twice", channel="x"),
        "alices": open_case(session, settings, "Rude driver", channel="google"),
        "bobs": open_case(session, settings, "Broken screen on arrival"),
    }
    for case_id in cases.values():
        set_case(session, case_id, priority=Priority.NORMAL)
    set_case(session, cases["urgent"], priority=Priority.CRITICAL, status=CaseStatus.INVESTIGATING)
    set_case(session, cases["alices"], owner_id=alice.id)
    set_case(session, cases["bobs"], owner_id=bob.id)
    return cases


def test_it_lists_cases_newest_first(
    client: TestClient, headers: dict[str, str], inbox: dict[str, int]
) -> None:
    assert _ids(client, headers) == sorted(inbox.values(), reverse=True)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "investigating"}, ["urgent"]),
        ({"status": ["new", "investigating"]}, ["bobs", "alices", "urgent", "plain"]),
        ({"priority": "critical"}, ["urgent"]),
        ({"priority": ["normal"], "status": "new"}, ["bobs", "alices", "plain"]),
        ({"channel": ["x", "google"]}, ["alices", "urgent"]),
        ({"owner": "me"}, ["alices"]),
        ({"owner": "none"}, ["urgent", "plain"]),
        ({"q": "CHARGED"}, ["urgent"]),
        ({"q": "screen", "owner": "none"}, []),
    ],
)
def test_it_filters_the_list(
    client: TestClient,
    headers: dict[str, str],
    inbox: dict[str, int],
    params: dict[str, Any],
    expected: list[str],
) -> None:
    assert _ids(client, headers, **params) == [inbox[name] for name in expected]


def test_it_filters_by_an_owners_id(
    client: TestClient, headers: dict[str, str], inbox: dict[str, int], bob: User
) -> None:
    assert _ids(client, headers, owner=bob.id) == [inbox["bobs"]]


def test_it_searches_the_items_text_too(
    client: TestClient, session: Session, settings: Settings, headers: dict[str, str]
) -> None:
    case_id = open_case(session, settings, "Where is my refund?", title="Refund")
    open_case(session, settings, "Something else entirely")
    assert _ids(client, headers, q="where is my") == [case_id]


def test_it_treats_search_wildcards_as_text(
    client: TestClient, session: Session, settings: Settings, headers: dict[str, str]
) -> None:
    case_id = open_case(session, settings, "Charged 100% more")
    open_case(session, settings, "Charged 100 more")
    assert _ids(client, headers, q="100%") == [case_id]


@pytest.mark.parametrize(
    "params",
    [{"owner": "someone"}, {"status": "lost"}, {"priority": "meh"}, {"limit": 0}, {"limit": 201}],
)
def test_it_refuses_a_bad_filter(
    client: TestClient, headers: dict[str, str], params: dict[str, Any]
) -> None:
    assert client.get(URL, params=params, headers=headers).status_code == 422


def test_it_pages_without_duplicates_or_gaps(
    client: TestClient, session: Session, settings: Settings, headers: dict[str, str]
) -> None:
    created = [open_case(session, settings, f"Complaint {n}") for n in range(7)]
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get(URL, params=params, headers=headers).json()
        seen += [case["id"] for case in page["cases"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(created, reverse=True)


def test_it_shows_a_case_with_its_items_and_timeline(
    client: TestClient, session: Session, settings: Settings, headers: dict[str, str]
) -> None:
    case_id = open_case(session, settings, "Parcel never came", email="ann@example.com")
    case = client.get(f"{URL}/{case_id}", headers=headers).json()
    assert case["status"] == "new"
    assert case["opened_at"].endswith("Z")
    assert "investigating" in case["next_statuses"]
    assert [item["text"] for item in case["items"]] == ["Parcel never came"]
    assert [event["kind"] for event in case["timeline"]] == ["case:opened", "case:routed"]


def test_it_returns_the_playbook_and_team_of_a_case(
    client: TestClient, session: Session, settings: Settings, headers: dict[str, str]
) -> None:
    senior = open_case(session, settings, "I will sue you, my lawyer knows")
    plain = open_case(session, settings, "The staff member was rude to me on the phone")
    case = client.get(f"{URL}/{senior}", headers=headers).json()
    assert (case["playbook"], case["team"]) == ("Safety, legal or press threat", "priority-care")
    listed = {c["id"]: c for c in client.get(URL, headers=headers).json()["cases"]}
    assert (listed[senior]["playbook"], listed[senior]["team"]) == (case["playbook"], case["team"])
    assert (listed[plain]["playbook"], listed[plain]["team"]) == ("default", None)


def test_it_answers_404_for_a_missing_case(client: TestClient, headers: dict[str, str]) -> None:
    for path in ("", "/timeline"):
        assert client.get(f"{URL}/999999{path}", headers=headers).status_code == 404
    response = client.post(f"{URL}/999999/status", json={"status": "closed"}, headers=headers)
    assert response.status_code == 404


def test_a_status_change_writes_a_timeline_event_with_its_actor(
    client: TestClient, session: Session, settings: Settings, headers: dict[str, str], alice: User
) -> None:
    case_id = open_case(session, settings)
    response = client.post(
        f"{URL}/{case_id}/status", json={"status": "investigating"}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["status"] == "investigating"
    events = client.get(f"{URL}/{case_id}/timeline", headers=headers).json()["events"]
    change = events[-1]
    assert change["kind"] == "case:status:change"
    assert (change["actor_id"], change["actor"]) == (alice.id, "Alice")
    assert change["data"] == {"from": "new", "to": "investigating"}


def test_it_refuses_an_illegal_transition_with_a_clear_message(
    client: TestClient, session: Session, settings: Settings, headers: dict[str, str]
) -> None:
    case_id = open_case(session, settings)
    response = client.post(f"{URL}/{case_id}/status", json={"status": "recovered"}, headers=headers)
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "cannot go from 'new' to 'recovered'" in detail
    assert "investigating" in detail
    assert client.get(f"{URL}/{case_id}", headers=headers).json()["status"] == "new"


def test_it_refuses_an_unknown_status(
    client: TestClient, session: Session, settings: Settings, headers: dict[str, str]
) -> None:
    case_id = open_case(session, settings)
    response = client.post(f"{URL}/{case_id}/status", json={"status": "lost"}, headers=headers)
    assert response.status_code == 422


def test_it_closes_and_reopens_a_case(
    client: TestClient, session: Session, settings: Settings, headers: dict[str, str]
) -> None:
    case_id = open_case(session, settings)
    url = f"{URL}/{case_id}/status"
    closed = client.post(url, json={"status": "closed"}, headers=headers).json()
    assert closed["closed_at"] is not None
    reopened = client.post(url, json={"status": "reopened"}, headers=headers).json()
    assert reopened["closed_at"] is None


def test_it_adds_a_note_to_the_timeline(
    client: TestClient, session: Session, settings: Settings, headers: dict[str, str], alice: User
) -> None:
    case_id = open_case(session, settings)
    response = client.post(
        f"{URL}/{case_id}/notes", json={"text": " Called her back "}, headers=headers
    )
    assert response.status_code == 201
    note = response.json()
    assert (note["kind"], note["data"], note["actor_id"]) == (
        "case:note:added",
        {"text": "Called her back"},
        alice.id,
    )


@pytest.mark.parametrize("text", ["", "   "])
def test_it_refuses_an_empty_note(
    client: TestClient, session: Session, settings: Settings, headers: dict[str, str], text: str
) -> None:
    case_id = open_case(session, settings)
    response = client.post(f"{URL}/{case_id}/notes", json={"text": text}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "text"]


def test_it_records_who_assigned_a_case(
    client: TestClient, session: Session, settings: Settings, alice: User, bob: User
) -> None:
    case_id = open_case(session, settings)
    headers = token_for(session, bob)
    client.post(f"{URL}/{case_id}/assign", json={"owner_id": alice.id}, headers=headers)
    event = client.get(f"{URL}/{case_id}/timeline", headers=headers).json()["events"][-1]
    assert (event["kind"], event["actor_id"], event["data"]) == (
        "case:assigned",
        bob.id,
        {"from": None, "to": alice.id},
    )


def test_it_refuses_to_assign_a_case_to_nobody_we_know(
    client: TestClient, session: Session, settings: Settings, bob: User
) -> None:
    case_id = open_case(session, settings)
    response = client.post(
        f"{URL}/{case_id}/assign", json={"owner_id": 999999}, headers=token_for(session, bob)
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "owner_id"


def test_a_bad_query_parameter_is_a_422_naming_it(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get(URL, params={"limit": 0, "status": "lost"}, headers=headers)
    assert response.status_code == 422
    fields = {problem["field"] for problem in response.json()["detail"]}
    assert fields == {"limit", "status[0]"}
