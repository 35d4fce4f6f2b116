"""The customer's follow-up survey page, and the follow-up panel agents see on the case page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from amends.app import create_app
from amends.cases import playbook_set, service
from amends.cases.actor import Actor
from amends.cases.follow_up import follow_up_due
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.lib import clock
from amends.store.tables import Case, CaseStatus, Survey, SurveyOutcome, User
from tests.web.conftest import csrf_from, log_in

_LINK = re.compile(r'value="http://127\.0\.0\.1:8000(/s/[^"]+)"')


@pytest.fixture
def customer(settings: Settings, factory: sessionmaker[Session]) -> Iterator[TestClient]:
    """A browser with no login, as the customer's."""
    with TestClient(create_app(settings, factory)) as browser:
        yield browser


@pytest.fixture
def case(session: Session, settings: Settings) -> Case:
    """A chat case (no email address) whose remedy is done and whose check-in went out."""
    item = ItemIn(
        source="web", channel="chat", text="Broken kettle, <b>again</b>", raw="{}", rating=1
    )
    outcome = pipeline.process(session, [item], settings)
    case = session.get_one(Case, outcome.case_ids[outcome.item_ids[0]])
    for to in (CaseStatus.INVESTIGATING, CaseStatus.REMEDY_DONE):
        service.transition(session=session, case=case, to=to, actor=Actor(None, "test"))
    playbooks = playbook_set.current(settings)
    later = clock.now() + timedelta(days=1, minutes=1)
    follow_up_due(session, playbooks=playbooks, settings=settings, now=later, limit=10)
    session.commit()
    return case


def _survey_link(client: TestClient, case: Case) -> str:
    found = _LINK.search(client.get(f"/cases/{case.id}").text)
    assert found is not None, "the case page shows no survey link"
    return found.group(1)


def test_the_customer_answers_once_and_the_agent_sees_it(
    client: TestClient, customer: TestClient, session: Session, case: Case, alice: User
) -> None:
    log_in(client, alice)
    link = _survey_link(client, case)
    page = customer.get(link)
    assert page.status_code == 200
    assert page.headers["x-robots-tag"] == "noindex, nofollow"
    assert "How did we do?" in page.text
    form = {
        "csat": "5",
        "nps": "9",
        "comment": "<script>alert(1)</script> fixed, thanks",
        "consent": "anonymous",
        "csrf_token": csrf_from(page.text),
    }
    sent = customer.post(link, data=form, follow_redirects=False)
    assert sent.status_code == 303
    thanks = customer.get(link)
    assert "Thank you" in thanks.text
    assert "review" not in thanks.text.lower()
    again = customer.post(link, data=form | {"csat": "1"}, follow_redirects=False)
    assert again.status_code == 303

    survey = session.scalars(select(Survey)).one()
    session.refresh(survey)
    session.refresh(case)
    assert (survey.outcome, survey.csat) == (SurveyOutcome.SATISFIED, 5)
    assert case.status is CaseStatus.RECOVERED
    shown = client.get(f"/cases/{case.id}").text
    assert "<script>alert(1)</script>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt; fixed, thanks" in shown
    assert "CSAT 5/5" in shown
    assert "yes, without their name" in shown


def test_an_empty_answer_is_refused_with_a_message(
    client: TestClient, customer: TestClient, case: Case, alice: User
) -> None:
    log_in(client, alice)
    link = _survey_link(client, case)
    token = csrf_from(customer.get(link).text)
    refused = customer.post(link, data={"comment": "hm", "csrf_token": token})
    assert refused.status_code == 400
    assert "answer at least one of the two questions" in refused.text
    assert "hm</textarea>" in refused.text


def test_a_tampered_link_is_not_found_and_the_form_needs_its_csrf_token(
    client: TestClient, customer: TestClient, case: Case, alice: User
) -> None:
    log_in(client, alice)
    link = _survey_link(client, case)
    assert customer.get(link[:-3] + "abc").status_code == 404
    assert customer.get("/s/not-a-token").status_code == 404
    assert customer.post(link, data={"csat": "5"}).status_code == 403


def test_the_customer_withdraws_their_leave_from_the_same_link(
    client: TestClient, customer: TestClient, session: Session, case: Case, alice: User
) -> None:
    log_in(client, alice)
    link = _survey_link(client, case)
    form = {"csat": "5", "comment": "Quick and kind", "consent": "named"}
    page = customer.get(link)
    customer.post(link, data=form | {"csrf_token": csrf_from(page.text)})
    thanks = customer.get(link).text
    assert "You let us share your comment with your name" in thanks
    assert customer.post(f"{link}/withdraw").status_code == 403  # no CSRF token

    done = customer.post(f"{link}/withdraw", data={"csrf_token": csrf_from(thanks)})
    assert "You withdrew your permission to share your comment" in done.text
    assert "Withdraw my permission" not in done.text
    survey = session.scalars(select(Survey)).one()
    session.refresh(survey)
    assert survey.consent.value == "none"
    assert (
        "withdrew their leave to share their survey comment" in client.get(f"/cases/{case.id}").text
    )
    assert customer.post(link[:-3] + "abc/withdraw").status_code in (403, 404)
