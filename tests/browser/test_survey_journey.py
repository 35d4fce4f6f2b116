"""Two customers answer their follow-up survey in a real browser, from the link in the email
that reached a real SMTP server: the satisfied one's case turns recovered, the unsatisfied one's
reopens; both emails carry the same review invitation, as the platform's rule requires; a used
link takes no second answer and a tampered one is refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from amends.cases import playbook_set, service
from amends.cases.actor import Actor
from amends.cases.follow_up import follow_up_due
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.lib import clock
from amends.notify.deliver import deliver_due
from amends.store.db import make_engine, make_sessionmaker, transaction
from amends.store.tables import Case, CaseStatus
from tests.browser.conftest import serving, watch_for_problems
from tests.notify.servers import SmtpServer
from tests.playbooks.helpers import folder_with

pytestmark = pytest.mark.browser

GOOGLE = "https://g.page/r/shop-example/review"
PLAYBOOKS = f"""\
playbooks:
  - name: Shop
    match: {{source: shop}}
    follow_up:
      after: 1d
      review_invitations: {{google: "{GOOGLE}", yelp: none}}
"""
INVITATION = f"If you'd like to, you're welcome to share how this went on Google: {GOOGLE}"
CUSTOMERS = {
    "grace@example.net": "My order 4471 arrived with a cracked screen.",
    "omar@example.net": "The replacement for order 5120 never came.",
}
_LINK = re.compile(r"http://127\.0\.0\.1:\d+(/s/[A-Za-z0-9_.\-]+)")


def _seed(factory: sessionmaker[Session], settings: Settings) -> None:
    """Two cases whose remedy is done, and the check-ins the worker sends a day later."""
    with transaction(factory) as session:
        items = [
            ItemIn(source="shop", channel="email", text=text, raw=text, email=email, rating=1)
            for email, text in CUSTOMERS.items()
        ]
        outcome = pipeline.process(session, items, settings)
        for item_id in outcome.item_ids:
            case = session.get_one(Case, outcome.case_ids[item_id])
            for to in (CaseStatus.INVESTIGATING, CaseStatus.REMEDY_DONE):
                service.transition(session=session, case=case, to=to, actor=Actor(None, "test"))
    later = clock.now() + timedelta(days=1, minutes=1)
    with transaction(factory) as session:
        playbooks = playbook_set.current(settings)
        follow_up_due(session, playbooks=playbooks, settings=settings, now=later, limit=10)
    deliver_due(factory, settings=settings)


@pytest.fixture
def settings(fresh_db: str, tmp_path: Path, smtp: SmtpServer) -> Settings:
    return Settings(
        database_url=fresh_db,
        data_dir=tmp_path,
        env="dev",
        playbooks_dir=folder_with(tmp_path, PLAYBOOKS),
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_starttls=False,
        reply_from="Shop Support <help@shop.example>",
        public_url="http://127.0.0.1:8000",
    )


@pytest.fixture
def base_url(settings: Settings) -> Iterator[str]:
    with serving(settings, _seed) as url:
        yield url


def _emails(smtp: SmtpServer) -> dict[str, str]:
    return {message["To"]: message.get_content() for message in smtp.inbox.messages}


def _status(settings: Settings, email: str) -> CaseStatus:
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            cases = session.scalars(select(Case).order_by(Case.id)).all()
            index = list(CUSTOMERS).index(email)
            return cases[index].status
    finally:
        engine.dispose()


def _answer(page: Page, path: str, csat: str, nps: str) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", name="How did we do?")).to_be_visible()
    page.locator(f'input[name="csat"][value="{csat}"]').check()
    page.locator(f'input[name="nps"][value="{nps}"]').check()
    page.get_by_label("Anything else you want to tell us?").fill("Thanks for the follow-up.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()


def test_customers_answer_from_their_email(
    page: Page, settings: Settings, smtp: SmtpServer, screenshots: Path
) -> None:
    problems = watch_for_problems(page)
    emails = _emails(smtp)
    assert set(emails) == set(CUSTOMERS)
    for text in emails.values():
        assert INVITATION in text  # the same words for whoever will be satisfied or not
        assert "Yelp" not in text
    links = {to: _LINK.search(text) for to, text in emails.items()}
    paths = {to: found.group(1) for to, found in links.items() if found}
    assert set(paths) == set(CUSTOMERS)

    _answer(page, paths["grace@example.net"], csat="5", nps="9")
    page.screenshot(path=str(screenshots / "survey-thanks.png"), full_page=True)
    assert _status(settings, "grace@example.net") is CaseStatus.RECOVERED
    _answer(page, paths["omar@example.net"], csat="2", nps="3")
    assert _status(settings, "omar@example.net") is CaseStatus.REOPENED

    # Used: the page thanks again and offers no form; a second answer changes nothing.
    page.goto(paths["grace@example.net"])
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_role("button", name="Send my answer")).to_have_count(0)
    assert _status(settings, "grace@example.net") is CaseStatus.RECOVERED
    assert problems == []
    # Tampered: refused.
    response = page.goto(paths["grace@example.net"][:-4] + "AAAA")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
