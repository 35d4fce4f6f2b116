"""SLA clocks on the inbox and the case page, and the inbox's `sla` filter."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from amends.cases.clocks import ClockState
from amends.lib import clock
from amends.store.tables import Case, CaseStatus, User
from amends.web.inbox import InboxQuery
from tests.web.conftest import TriagedCase, log_in

HOUR = timedelta(hours=1)


def _row_ids(html: str) -> list[int]:
    return [int(part.split('"', 1)[0]) for part in html.split('data-case="')[1:]]


def timed(session: Session, make: TriagedCase, text: str, **values: object) -> Case:
    """A case opened 10 hours ago, due as the test says."""
    case = make(text)
    opened = clock.now() - 10 * HOUR
    session.execute(
        update(Case)
        .where(Case.id == case.id)
        .values(opened_at=opened, updated_at=opened, **values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    session.refresh(case)
    return case


def test_the_inbox_shows_each_cases_most_urgent_clock(
    client: TestClient, session: Session, alice: User, triaged_case: TriagedCase
) -> None:
    now = clock.now()
    breached = timed(session, triaged_case, "Late", first_response_due_at=now - 8 * HOUR)
    soon = timed(
        session,
        triaged_case,
        "Soon",
        first_response_due_at=now + 2 * HOUR,
        resolution_due_at=now + 40 * HOUR,
    )
    none = timed(session, triaged_case, "No targets")
    log_in(client, alice)
    html = client.get("/cases").text
    assert 'class="badge sla sla-breached"' in html
    assert "First response: breached 8h ago" in html
    assert 'class="badge sla sla-due_soon"' in html
    assert "First response: 1h 59m left" in html
    assert _row_ids(html) == [none.id, soon.id, breached.id]


def test_the_inbox_filters_by_breached_and_due_soon_clocks(
    client: TestClient, session: Session, alice: User, triaged_case: TriagedCase
) -> None:
    now = clock.now()
    breached = timed(session, triaged_case, "Late", first_response_due_at=now - HOUR)
    soon = timed(session, triaged_case, "Soon", first_response_due_at=now + HOUR)
    timed(session, triaged_case, "Fine", first_response_due_at=now + 30 * HOUR)
    closed = timed(session, triaged_case, "Closed late", first_response_due_at=now - HOUR)
    closed.status = CaseStatus.CLOSED
    session.commit()
    log_in(client, alice)
    assert _row_ids(client.get("/cases?sla=breached").text) == [breached.id]
    assert _row_ids(client.get("/cases?sla=due_soon").text) == [soon.id]
    page = client.get("/cases?sla=due_soon").text
    assert '<option value="due_soon" selected>due soon</option>' in page


def test_the_inbox_keeps_the_sla_filter_in_its_links_and_drops_unknown_values() -> None:
    query = InboxQuery.from_params(QueryParams("sla=breached&status=open"))
    assert query.to_filter(1).sla is ClockState.BREACHED
    assert query.link(cursor=7) == "/cases?status=open&sla=breached&cursor=7"
    assert InboxQuery.from_params(QueryParams("sla=met")).sla == ""


def test_the_case_page_lists_every_clock_with_its_state(
    client: TestClient, session: Session, alice: User, triaged_case: TriagedCase
) -> None:
    now = clock.now()
    case = timed(
        session,
        triaged_case,
        "Clocks",
        first_response_due_at=now - 8 * HOUR,
        first_responded_at=now - 9 * HOUR,
        last_contact_at=now - 9 * HOUR,
        next_update_due_at=now - 30 * HOUR,
        resolution_due_at=now + 62 * HOUR + HOUR / 2,
    )
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert 'data-clock="first_response"' in html
    assert ">met</span>" in html
    assert 'data-clock="update_interval"' in html
    assert "breached 1d 6h ago" in html
    assert 'data-clock="resolution"' in html
    assert "2d 14h left" in html


def test_the_case_page_says_when_a_case_has_no_due_times(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    case = triaged_case("No clocks")
    log_in(client, alice)
    assert "This case has no due times." in client.get(f"/cases/{case.id}").text
