"""The senior-review queue page and the "Mark reviewed" action."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from amends.cases import service
from amends.cases.actor import SYSTEM
from amends.cases.events import EventKind
from amends.lib import clock
from amends.store.tables import Case, TimelineEvent, User
from tests.web.conftest import TriagedCase, log_in

SCRIPT = "<script>alert(1)</script>"


def _row_ids(html: str) -> list[int]:
    return [int(part.split('"', 1)[0]) for part in html.split('data-case="')[1:]]


def send_for_review(session: Session, case: Case, *, reason: str = "risk 82 ≥ 80") -> Case:
    """Put `case` in the queue as an escalation would (another person's code does it for real)."""
    session.execute(
        update(Case)
        .where(Case.id == case.id)
        .values(senior_review_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    data = {"to": "senior_review", "reason": reason, "rule": 0}
    service.record(session, case_id=case.id, kind=EventKind.ESCALATED, actor=SYSTEM, data=data)
    session.commit()
    session.refresh(case)
    return case


def test_it_shows_leads_the_queue_riskiest_first_with_why(
    client: TestClient, session: Session, bob: User, triaged_case: TriagedCase
) -> None:
    calm = send_for_review(session, triaged_case("Calm", risk=40))
    angry = send_for_review(session, triaged_case("Angry", risk=90), reason="risk 90 ≥ 80")
    triaged_case("Not sent", risk=99)
    log_in(client, bob)
    page = client.get("/review")
    assert page.status_code == 200
    assert _row_ids(page.text) == [angry.id, calm.id]
    assert "risk 90 ≥ 80" in page.text
    assert "2 cases wait for a senior review" in page.text
    assert '<a href="/review">Senior review</a>' in page.text


def test_it_refuses_the_queue_to_agents_and_hides_the_link(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    assert client.get("/review").status_code == 403
    assert 'href="/review"' not in client.get("/cases").text


def test_a_lead_marks_a_case_reviewed_and_it_leaves_the_queue(
    client: TestClient, session: Session, bob: User, triaged_case: TriagedCase
) -> None:
    case = send_for_review(session, triaged_case("Angry", risk=90))
    token = log_in(client, bob)
    response = client.post(
        f"/cases/{case.id}/review",
        data={"csrf_token": token, "note": "Called them.", "next": "/review"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/review"
    page = client.get("/review").text
    assert f"Case #{case.id} reviewed" in page
    assert _row_ids(page) == []
    kinds = session.scalars(select(TimelineEvent.kind).where(TimelineEvent.case_id == case.id))
    assert "case:senior:reviewed" in list(kinds)
    case_page = client.get(f"/cases/{case.id}").text
    assert "reviewed the case: it leaves the senior-review queue" in case_page
    assert "Called them." in case_page


def test_it_refuses_agents_and_requests_without_the_csrf_token(
    client: TestClient, session: Session, alice: User, bob: User, triaged_case: TriagedCase
) -> None:
    case = send_for_review(session, triaged_case("Angry", risk=90))
    token = log_in(client, alice)
    refused = client.post(f"/cases/{case.id}/review", data={"csrf_token": token})
    assert refused.status_code == 403
    log_in(client, bob)
    assert client.post(f"/cases/{case.id}/review", data={}).status_code == 403
    session.refresh(case)
    assert case.senior_reviewed_at is None


def test_it_says_why_when_the_case_is_not_in_the_queue(
    client: TestClient, bob: User, triaged_case: TriagedCase
) -> None:
    case = triaged_case("Never sent")
    token = log_in(client, bob)
    response = client.post(f"/cases/{case.id}/review", data={"csrf_token": token})
    assert response.status_code == 200
    assert "Not changed: case" in response.text
    assert "is not waiting for a senior review" in response.text


def test_it_never_redirects_off_site(
    client: TestClient, session: Session, bob: User, triaged_case: TriagedCase
) -> None:
    case = send_for_review(session, triaged_case("Angry"))
    token = log_in(client, bob)
    response = client.post(
        f"/cases/{case.id}/review",
        data={"csrf_token": token, "next": "//evil.example.com/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/cases"


def test_the_case_page_offers_the_review_to_leads_only(
    client: TestClient, session: Session, alice: User, bob: User, triaged_case: TriagedCase
) -> None:
    case = send_for_review(session, triaged_case("Angry"))
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert "Waiting for a senior review since" in html
    assert f'action="/cases/{case.id}/review"' not in html
    log_in(client, bob)
    assert f'action="/cases/{case.id}/review"' in client.get(f"/cases/{case.id}").text


def test_it_escapes_titles_and_reasons(
    client: TestClient, session: Session, bob: User, triaged_case: TriagedCase
) -> None:
    send_for_review(session, triaged_case(SCRIPT), reason=SCRIPT)
    log_in(client, bob)
    html = client.get("/review").text
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
