"""An agent's first minutes in a real browser: log in, narrow the inbox, open a case, work it,
then sort by risk and read why the riskiest case is critical.

amends runs for real (uvicorn on a free port, a committed database); Debian's chromium is driven
by Playwright. Set AMENDS_SCREENSHOT_DIR to keep the screenshots somewhere you can look at them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from amends.accounts import service as accounts
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.db import transaction
from amends.store.tables import Case, FeedbackItem, ItemTriage, Priority, Role
from tests.browser.conftest import serving, watch_for_problems
from tests.conftest import PASSWORD
from tests.web.triage_rows import triage_row

pytestmark = pytest.mark.browser

# Ratings of 1–3 open a case whatever triage makes of the text.
FEEDBACK = [
    ("Ann Example", "email", 3, "My parcel never came.\nI have asked three times now."),
    ("Bo Flier", "x", 1, "Flight cancelled and no one at the desk. Never again."),
    ("Cy Guest", "google", 2, "Room was cold and the heater was broken."),
    ("Di Saver", "trustpilot", 1, "Charged twice for one order, where is my refund?"),
    ("Ed Mallory", "email", 3, "<script>alert('hi')</script> support never answered"),
    ("Flo Reader", "appstore", 1, "App crashes every time I open my basket."),
]


def _items() -> list[ItemIn]:
    return [
        ItemIn(
            source="journey",
            channel=channel,
            text=text,
            raw="{}",
            author=author,
            rating=rating,
            email=f"{author.split()[0].lower()}@example.com",
            url="https://reviews.example.com/1" if channel == "google" else None,
        )
        for author, channel, rating, text in FEEDBACK
    ]


def _seed(factory: sessionmaker[Session], settings: Settings) -> None:
    with transaction(factory) as session:
        accounts.create_user(
            session, email="alice@example.com", name="Alice", role=Role.AGENT, password=PASSWORD
        )
        accounts.create_user(
            session, email="bob@example.com", name="Bob", role=Role.LEAD, password=PASSWORD
        )
        pipeline.process(session, _items(), settings)
        _triage(session)


RISKIEST = "Bo Flier"
CHURN = 'says they will leave: "Never again"'
RISKIEST_FACTORS = [
    {"name": "churn", "points": 15, "reason": CHURN},
    {"name": "one_star", "points": 20, "reason": "1-star rating"},
    {"name": "anger", "points": 43, "reason": "anger 0.86 by the emotions model"},
    {"name": "public_channel", "points": 10, "reason": "public post on x"},
]


def _triage(session: Session) -> None:
    """Replace what the models found with fixed values, so the journey does not depend on them:
    Bo's cancelled flight is the one critical case, every other case is low."""
    items = session.scalars(select(FeedbackItem).order_by(FeedbackItem.id)).all()
    for n, item in enumerate(items):
        risky = item.author == RISKIEST
        row = triage_row(
            item.id,
            risk=88 if risky else 10 + n,
            priority=Priority.CRITICAL if risky else Priority.LOW,
            category="cancellation" if risky else "other",
            emotion="anger" if risky else "annoyance",
            factors=RISKIEST_FACTORS if risky else [],
        )
        session.execute(delete(ItemTriage).where(ItemTriage.item_id == item.id))
        session.add(row)
        session.execute(
            update(Case)
            .where(Case.id == item.case_id)
            .values(
                risk=row.risk,
                priority=row.priority,
                category=row.category,
                sentiment=row.sentiment.value,
                emotion=row.emotion,
            )
        )


@pytest.fixture
def base_url(fresh_db: str, tmp_path: Path) -> Iterator[str]:
    settings = Settings(database_url=fresh_db, data_dir=tmp_path, env="dev")
    with serving(settings, _seed) as url:
        yield url


def test_an_agent_filters_the_inbox_and_works_a_case(page: Page, screenshots: Path) -> None:
    problems = watch_for_problems(page)

    _log_in(page)
    _filter_by_text(page)
    page.screenshot(path=str(screenshots / "inbox-filtered.png"))
    page.goto("/cases")
    page.screenshot(path=str(screenshots / "inbox.png"), full_page=True)
    _open_the_case_with_the_keyboard(page)
    _change_status(page)
    _assign_to_me_with_the_keyboard(page)
    page.screenshot(path=str(screenshots / "case.png"), full_page=True)
    _open_the_riskiest_case(page)
    page.screenshot(path=str(screenshots / "case-critical.png"), full_page=True)

    # CSP violations and script errors show up here: there must be none.
    assert problems == []


def _log_in(page: Page) -> None:
    page.goto("/cases")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fcases$"))
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/cases$"))
    expect(page.locator("tr[data-case]")).to_have_count(len(FEEDBACK))


def _filter_by_text(page: Page) -> None:
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("refund")
    rows = page.locator("tr[data-case]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Charged twice for one order")
    # The filtered inbox has its own URL, without the empty filters.
    expect(page).to_have_url(re.compile(r"/cases\?q=refund$"))
    page.locator("select[name=status]").select_option("new")
    expect(page).to_have_url(re.compile(r"/cases\?q=refund&status=new$|status=new&q=refund$"))
    expect(rows).to_have_count(1)


def _open_the_case_with_the_keyboard(page: Page) -> None:
    page.locator("select[name=channel]").select_option("email")
    rows = page.locator("tr[data-case]")
    expect(rows).to_have_count(2)
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile(r"\bselected\b"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("My parcel never came.")
    expect(page.locator(".said").first).to_have_text(
        "My parcel never came.\nI have asked three times now."
    )


def _change_status(page: Page) -> None:
    expect(page.locator("#case-status")).to_have_text("new")
    page.get_by_role("button", name="investigating").click()
    expect(page.locator(".flash-ok")).to_contain_text("is now investigating")
    expect(page.locator("#case-status")).to_have_text("investigating")
    expect(page.locator(".timeline")).to_contain_text(
        "Alice changed the status from new to investigating"
    )


def _assign_to_me_with_the_keyboard(page: Page) -> None:
    page.keyboard.press("a")
    expect(page.locator(".flash-ok")).to_have_text("Assigned to you.")
    expect(page.locator("#case-owner")).to_have_text("Alice")
    expect(page.locator(".timeline")).to_contain_text("assigned the case to Alice")


def _open_the_riskiest_case(page: Page) -> None:
    page.goto("/cases")
    page.keyboard.press("r")
    expect(page).to_have_url(re.compile(r"/cases\?sort=risk$"))
    rows = page.locator("tr[data-case]")
    expect(rows.first).to_contain_text("Flight cancelled")
    expect(rows.first.locator("td.risk")).to_have_text("88 critical")
    expect(rows.first.locator("td.emotion")).to_have_text("anger")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Flight cancelled")
    expect(page.locator("#case-risk")).to_have_text("88 critical")
    why = page.locator("details.why.risk-why")
    expect(why).to_have_attribute("open", "")
    expect(why.locator("summary")).to_contain_text("Why is this critical?")
    expect(why.locator(".factors li")).to_have_count(len(RISKIEST_FACTORS))
    expect(why.locator(".factors li").first).to_contain_text("anger")
    expect(why).to_contain_text(CHURN)
