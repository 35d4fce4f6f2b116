"""Remedies on the web: the case panel's forms, the approvals queue, and the customer's page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from amends.app import create_app
from amends.config import Settings
from amends.store.tables import (
    ApprovalRequest,
    ApprovalStatus,
    Case,
    CaseStatus,
    Compensation,
    OfferStatus,
    RemedyOffer,
    User,
)
from tests.cases.remedy_helpers import open_case, remedy_settings
from tests.web.conftest import csrf_from, log_in

_LINK = re.compile(r'value="http://127\.0\.0\.1:8000(/r/[^"]+)"')


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return remedy_settings(db_url, tmp_path)


@pytest.fixture
def case(session: Session, settings: Settings) -> Case:
    return open_case(session, settings)


@pytest.fixture
def customer(settings: Settings, factory: sessionmaker[Session]) -> Iterator[TestClient]:
    """A browser with no login, as the customer's."""
    with TestClient(create_app(settings, factory)) as browser:
        yield browser


def _post(client: TestClient, url: str, token: str, **form: str | list[str]) -> str:
    """Submit a form and follow the redirect: the page with the message."""
    response = client.post(url, data={**form, "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client.get(response.headers["location"]).text


def _offer(client: TestClient, case: Case, token: str, **rows: list[str]) -> str:
    form = {"kind": ["voucher", "apology", ""], "amount": ["20", "", ""], "note": ["", "", ""]}
    return _post(client, f"/cases/{case.id}/offers", token, **(form | rows))


def _link(client: TestClient, case: Case) -> str:
    found = _LINK.search(client.get(f"/cases/{case.id}/remedies").text)
    assert found is not None, "the panel shows no link"
    return found.group(1)


def test_the_case_page_loads_the_remedies_panel(
    client: TestClient, case: Case, alice: User
) -> None:
    log_in(client, alice)
    assert f'hx-get="/cases/{case.id}/remedies"' in client.get(f"/cases/{case.id}").text
    page = client.get(f"/cases/{case.id}/remedies")
    assert "<html" in page.text
    assert "The playbook Parcels offers, for normal priority" in page.text
    assert "up to 25 USD of: apology, expedited reshipment" in page.text
    part = client.get(f"/cases/{case.id}/remedies", headers={"HX-Request": "true"})
    assert "<html" not in part.text
    assert 'id="grant-form"' in part.text


def test_an_agent_grants_within_authority_and_asks_above_it(
    client: TestClient, session: Session, case: Case, alice: User
) -> None:
    token = log_in(client, alice)
    url = f"/cases/{case.id}/compensation"
    assert "Granted: voucher of 20.00 USD." in _post(
        client, url, token, kind="voucher", amount="20"
    )
    page = _post(client, url, token, kind="voucher", amount="30")
    assert "Above your authority: sent to a lead for approval" in page
    page = _post(client, url, token, kind="voucher", amount="31")
    assert "Not granted: voucher of 31.00 USD is above the playbook&#39;s cap" in page
    assert [row.amount for row in session.scalars(select(Compensation))] == [20]
    assert len(session.scalars(select(ApprovalRequest)).all()) == 1


def test_the_queue_lets_a_lead_refuse_with_a_reason_and_approve(
    client: TestClient, session: Session, case: Case, alice: User, bob: User
) -> None:
    agent = log_in(client, alice)
    for amount in ("30", "28"):
        _post(client, f"/cases/{case.id}/compensation", agent, kind="voucher", amount=amount)
    first, second = session.scalars(select(ApprovalRequest).order_by(ApprovalRequest.id))
    lead = log_in(client, bob)
    queue = client.get("/approvals").text
    assert f'action="/approvals/{first.id}/approve"' in queue
    page = _post(client, f"/approvals/{first.id}/refuse", lead, reason=" ")
    assert "Not refused: a refusal needs a reason." in page
    page = _post(client, f"/approvals/{first.id}/refuse", lead, reason="Sent one last week")
    assert f"Refused request #{first.id}" in page
    page = _post(client, f"/approvals/{second.id}/approve", lead)
    assert f"Approved: voucher of 28.00 USD on case #{case.id}." in page
    session.expire_all()
    assert (first.status, second.status) == (ApprovalStatus.REFUSED, ApprovalStatus.APPROVED)
    row = session.scalars(select(Compensation)).one()
    assert row.approval_id == second.id
    assert "Sent one last week" in client.get("/approvals?status=refused").text


def test_an_agent_cannot_approve(
    client: TestClient, session: Session, case: Case, alice: User, bob: User
) -> None:
    lead = log_in(client, bob)
    _post(client, f"/cases/{case.id}/compensation", lead, kind="refund", amount="150")
    request = session.scalars(select(ApprovalRequest)).one()
    agent = log_in(client, alice)
    assert "your role (agent) may not grant" in client.get("/approvals").text
    page = _post(client, f"/approvals/{request.id}/approve", agent)
    assert "Not approved: your role (agent) may not grant this refund of 150.00 USD" in page
    session.expire_all()
    assert request.status is ApprovalStatus.PENDING


def test_the_customer_chooses_once_through_the_link(
    client: TestClient,
    customer: TestClient,
    session: Session,
    case: Case,
    alice: User,
) -> None:
    token = log_in(client, alice)
    assert "Offered 2 remedies." in _offer(client, case, token)
    link = _link(client, case)
    page = customer.get(link)
    assert page.status_code == 200
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "voucher of 20.00 USD" in page.text
    form = {"option": "0", "csrf_token": csrf_from(page.text)}
    chosen = customer.post(link, data=form, follow_redirects=False)
    assert chosen.status_code == 303
    assert "You chose: <strong>voucher of 20.00 USD</strong>" in customer.get(link).text
    again = customer.post(link, data=form)
    assert again.status_code == 409
    session.expire_all()
    assert session.get(Case, case.id).status is CaseStatus.REMEDY_ACCEPTED  # type: ignore[union-attr]
    row = session.scalars(select(Compensation)).one()
    assert (row.granted_by_id, row.amount) == (alice.id, Decimal(20))


def test_a_tampered_link_is_not_found(
    client: TestClient, customer: TestClient, case: Case, alice: User
) -> None:
    _offer(client, case, log_in(client, alice))
    link = _link(client, case)
    tampered = link[:-3] + ("xyz" if not link.endswith("xyz") else "abc")
    for bad in (tampered, "/r/not-a-token"):
        page = customer.get(bad)
        assert page.status_code == 404
        assert "This link does not work" in page.text
    token = csrf_from(customer.get(link).text)
    assert customer.post(tampered, data={"option": "0", "csrf_token": token}).status_code == 404


def test_an_expired_link_says_so(
    client: TestClient, customer: TestClient, session: Session, case: Case, alice: User
) -> None:
    _offer(client, case, log_in(client, alice), valid_days=["1"])
    link = _link(client, case)
    offer = session.scalars(select(RemedyOffer)).one()
    with time_machine.travel(offer.expires_at - timedelta(minutes=1), tick=False):
        form = {"option": "0", "csrf_token": csrf_from(customer.get(link).text)}
    with time_machine.travel(offer.expires_at + timedelta(minutes=1), tick=False):
        page = customer.get(link)
        assert page.status_code == 410
        assert "This offer has expired" in page.text
        assert customer.post(link, data=form).status_code == 410
    session.expire_all()
    assert offer.status is OfferStatus.OPEN


def test_the_customers_form_needs_its_csrf_token(
    client: TestClient, customer: TestClient, case: Case, alice: User
) -> None:
    _offer(client, case, log_in(client, alice))
    link = _link(client, case)
    customer.get(link)
    assert customer.post(link, data={"option": "0"}).status_code == 403


def test_the_customers_page_escapes_the_options(
    client: TestClient, customer: TestClient, case: Case, alice: User
) -> None:
    token = log_in(client, alice)
    _offer(client, case, token, note=["<script>alert(1)</script>", "", ""])
    page = customer.get(_link(client, case)).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_agent_records_the_choice_and_cannot_offer_above_authority(
    client: TestClient, session: Session, case: Case, alice: User
) -> None:
    token = log_in(client, alice)
    page = _offer(client, case, token, kind=["refund", "apology", ""], amount=["10", "", ""])
    assert "Not offered: refund of 10.00 USD is above your authority" in page
    _offer(client, case, token)
    offer = session.scalars(select(RemedyOffer)).one()
    url = f"/cases/{case.id}/offers/{offer.id}/choice"
    assert "The customer&#39;s choice is recorded" in _post(client, url, token, option="1")
    session.expire_all()
    assert (offer.status, offer.chosen_option, offer.chosen_via) == (OfferStatus.CHOSEN, 1, "agent")
    # An apology costs nothing, so no compensation is recorded for it.
    assert session.scalars(select(Compensation)).all() == []


def test_the_timeline_tells_grants_and_approval_requests_in_words(
    client: TestClient, case: Case, alice: User
) -> None:
    token = log_in(client, alice)
    url = f"/cases/{case.id}/compensation"
    _post(client, url, token, kind="voucher", amount="20")
    page = _post(client, url, token, kind="voucher", amount="30")
    assert "granted <strong>voucher</strong> of 20.00 USD" in page
    assert "asked a lead to approve voucher of 30.00 USD" in page
    assert "case:compensation:granted" not in page
