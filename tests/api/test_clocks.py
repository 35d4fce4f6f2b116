"""SLA clocks in the case responses, and the `sla` filter of the case list."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.lib import clock
from amends.store.tables import User
from tests.api.helpers import open_case, set_case
from tests.conftest import token_for

HOUR = timedelta(hours=1)


def test_a_case_carries_its_clocks(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    now = clock.now()
    case_id = open_case(session, settings)
    set_case(
        session,
        case_id,
        opened_at=now - 10 * HOUR,
        first_response_due_at=now - 2 * HOUR,
        first_responded_at=now - 3 * HOUR,
        next_update_due_at=now + HOUR / 2,
        last_contact_at=now - 3 * HOUR,
        resolution_due_at=now + 40 * HOUR,
    )
    headers = token_for(session, alice)
    detail = client.get(f"/api/v1/cases/{case_id}", headers=headers).json()
    clocks = {clock_["target"]: clock_ for clock_ in detail["clocks"]}
    assert clocks["first_response"]["state"] == "met"
    assert clocks["first_response"]["seconds_left"] == 3600
    assert clocks["update_interval"]["state"] == "due_soon"
    assert clocks["update_interval"]["done_at"] is None
    assert 1700 < clocks["update_interval"]["seconds_left"] <= 1800
    assert clocks["resolution"]["state"] == "on_time"
    assert clocks["resolution"]["label"].endswith(" left")
    listed = client.get("/api/v1/cases", headers=headers).json()["cases"][0]
    assert [c["state"] for c in listed["clocks"]] == ["met", "due_soon", "on_time"]


def test_the_list_filters_by_breached_and_due_soon(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    now = clock.now()
    breached, soon, fine = (open_case(session, settings, text) for text in ("a", "b", "c"))
    for case_id, due in ((breached, now - HOUR), (soon, now + HOUR), (fine, now + 50 * HOUR)):
        set_case(
            session,
            case_id,
            opened_at=now - 10 * HOUR,
            first_response_due_at=due,
            resolution_due_at=now + 60 * HOUR,
        )
    headers = token_for(session, alice)

    def ids(sla: str) -> list[int]:
        response = client.get("/api/v1/cases", params={"sla": sla}, headers=headers)
        assert response.status_code == 200, response.text
        return [case["id"] for case in response.json()["cases"]]

    assert ids("breached") == [breached]
    assert ids("due_soon") == [soon]
    assert client.get("/api/v1/cases?sla=met", headers=headers).status_code == 422
