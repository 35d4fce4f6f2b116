"""An agent answers a customer in a real browser: opens the case, gets a draft, edits it, sees
a finding appear and disappear as they type, sends it, and is asked to confirm a reply with a
severe finding. The email then leaves through a real local SMTP server, in the customer's thread.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from amends.accounts import service as accounts
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.notify.deliver import deliver_due
from amends.store.db import make_engine, make_sessionmaker, transaction
from amends.store.tables import Case, Role
from tests.browser.conftest import serving, watch_for_problems
from tests.conftest import PASSWORD
from tests.notify.servers import SmtpServer

pytestmark = pytest.mark.browser

COMPLAINT = "My order 4471 arrived with a cracked screen and nobody answers my emails."
CONDITIONAL = " We are sorry if you feel let down."


def _seed(factory: sessionmaker[Session], settings: Settings) -> None:
    with transaction(factory) as session:
        accounts.create_user(
            session, email="alice@example.com", name="Alice", role=Role.AGENT, password=PASSWORD
        )
        item = ItemIn(
            source="mail",
            channel="email",
            text=COMPLAINT,
            raw="Message-ID: <c-4471@mail.example.net>\nSubject: Cracked screen\n\n" + COMPLAINT,
            external_id="c-4471@mail.example.net",
            title="Cracked screen",
            author="Grace Thompson",
            email="grace@example.net",
            rating=1,
        )
        pipeline.process(session, [item], settings)


@pytest.fixture
def settings(fresh_db: str, tmp_path: Path, smtp: SmtpServer) -> Settings:
    return Settings(
        database_url=fresh_db,
        data_dir=tmp_path,
        env="dev",
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_starttls=False,
        reply_from="Shop Support <help@shop.example>",
    )


@pytest.fixture
def base_url(settings: Settings) -> Iterator[str]:
    with serving(settings, _seed) as url:
        yield url


def test_an_agent_drafts_edits_checks_and_sends_a_reply(
    page: Page, settings: Settings, smtp: SmtpServer, screenshots: Path
) -> None:
    problems = watch_for_problems(page)
    case_id = _case_id(settings)
    _log_in(page)
    page.goto(f"/cases/{case_id}")
    text = page.locator("#reply-text")
    expect(text).to_be_visible()

    page.get_by_role("button", name="Draft a reply").click()
    expect(text).to_have_value(re.compile(r"^(Hi|Hello|Dear) Grace,"))
    expect(page.locator("#reply-score")).to_be_visible()
    drafted = text.input_value()
    assert "Alice" in drafted
    page.screenshot(path=str(screenshots / "reply-drafted.png"), full_page=True)

    conditional = page.locator('#reply-findings li[data-rule="apology.conditional"]')
    edited = drafted.replace("\n\n", "\n\n" + CONDITIONAL.strip() + " ", 1)
    text.fill(edited)
    expect(conditional).to_have_count(1)
    expect(conditional).to_contain_text("sorry if")
    page.screenshot(path=str(screenshots / "reply-finding.png"), full_page=True)
    text.fill(drafted + "\n\nPS: the courier's report is on its way to us too.")
    expect(conditional).to_have_count(0)

    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".flash-ok")).to_contain_text("Reply emailed to the customer")
    expect(page.locator("#reply-1")).to_contain_text("the courier's report")
    expect(page.locator(".timeline")).to_contain_text("emailed a reply on email")
    expect(page.locator("#case-status")).to_have_text("acknowledged")

    _send_a_severe_reply_after_confirming(page)
    page.screenshot(path=str(screenshots / "reply-sent.png"), full_page=True)

    engine = make_engine(settings.database_url)
    try:
        counts = deliver_due(make_sessionmaker(engine), settings=settings)
    finally:
        engine.dispose()
    assert counts.sent == 2
    first, second = smtp.inbox.messages
    assert first["To"] == "grace@example.net"
    assert first["Subject"] == "Re: Cracked screen"
    assert first["In-Reply-To"] == "<c-4471@mail.example.net>"
    assert "the courier's report" in first.get_content()
    assert "sorry if you feel" in second.get_content()
    assert problems == []


def _send_a_severe_reply_after_confirming(page: Page) -> None:
    text = page.locator("#reply-text")
    text.fill("Hi Grace, we are sorry if you feel let down. Alice")
    page.get_by_role("button", name="Send reply").click()
    confirm = page.locator("#reply-confirm")
    expect(confirm).to_be_visible()
    expect(page.locator('#reply-findings li[data-rule="apology.conditional"]')).to_have_count(1)
    expect(text).to_have_value("Hi Grace, we are sorry if you feel let down. Alice")
    page.get_by_label("I have read the findings").check()
    page.get_by_role("button", name="Send anyway").click()
    expect(page.locator(".flash-ok")).to_contain_text("Reply emailed to the customer")
    expect(page.locator("#reply-2")).to_contain_text("sent despite severe findings")


def _case_id(settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            return int(session.scalars(select(Case.id)).one())
    finally:
        engine.dispose()


def _log_in(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/cases"))
