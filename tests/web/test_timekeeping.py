"""The case page's contact and escalation forms."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.store.tables import Case, Delivery, TimelineEvent, User
from tests.web.conftest import MakeCase, log_in


def _case(session: Session, case: Case) -> Case:
    session.expire_all()
    found = session.get(Case, case.id)
    assert found is not None
    return found


def test_the_case_page_offers_the_contact_and_escalation_forms(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    log_in(client, alice)
    page = client.get(f"/cases/{case.id}").text
    assert f'action="/cases/{case.id}/contacts"' in page
    assert f'action="/cases/{case.id}/escalations"' in page


def test_recording_a_contact_stops_the_first_response_clock(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    response = client.post(
        f"/cases/{case.id}/contacts", data={"channel": "phone", "csrf_token": token}
    )
    assert response.status_code == 200
    assert "First response recorded." in response.text
    assert _case(session, case).first_responded_at is not None


def test_an_escalation_without_a_reason_is_refused_with_a_message(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    response = client.post(
        f"/cases/{case.id}/escalations",
        data={"to": "manager", "reason": " ", "csrf_token": token},
    )
    assert "Not escalated: say why the case needs escalating." in response.text
    assert _case(session, case).escalated_to is None


def test_an_escalation_reaches_the_manager_and_the_timeline(
    client: TestClient, session: Session, alice: User, carol: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    response = client.post(
        f"/cases/{case.id}/escalations",
        data={"to": "manager", "reason": "<b>threatens press</b>", "csrf_token": token},
    )
    assert "Escalated to manager; they are notified." in response.text
    assert "&lt;b&gt;threatens press&lt;/b&gt;" in response.text  # the timeline, escaped
    assert _case(session, case).escalated_to == "manager"
    kinds = session.scalars(select(TimelineEvent.kind).where(TimelineEvent.case_id == case.id))
    assert "case:escalated" in list(kinds)
    told = session.scalars(select(Delivery.user_id).where(Delivery.case_id == case.id)).all()
    assert carol.id in told


def test_a_form_without_its_csrf_token_changes_nothing(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    log_in(client, alice)
    response = client.post(f"/cases/{case.id}/escalations", data={"to": "manager", "reason": "x"})
    assert response.status_code == 403
    assert _case(session, case).escalated_to is None
