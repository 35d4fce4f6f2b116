"""A CX lead opens the dashboard in a real browser: the vendored Chart.js draws both charts
under the page's content security policy, with no script error, and a filter narrows them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session, sessionmaker

from amends.accounts import service as accounts
from amends.cases import service
from amends.cases.actor import Actor
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.db import transaction
from amends.store.tables import Case, CaseStatus, Role
from tests.browser.conftest import serving, watch_for_problems
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _seed(factory: sessionmaker[Session], settings: Settings) -> None:
    with transaction(factory) as session:
        accounts.create_user(
            session, email="lee@example.com", name="Lee", role=Role.LEAD, password=PASSWORD
        )
        items = [
            ItemIn(source="s", channel=channel, text=text, raw=str(n), rating=1)
            for n, (channel, text) in enumerate(
                [
                    ("email", "My parcel is two weeks late"),
                    ("email", "I was charged twice for the same order"),
                    ("twitter", "Flight cancelled and no one tells us anything"),
                ]
            )
        ]
        outcome = pipeline.process(session, items, settings)
        first = session.get_one(Case, outcome.case_ids[outcome.item_ids[0]])
        actor = Actor(user_id=None, name="seed")
        for to in (CaseStatus.INVESTIGATING, CaseStatus.REMEDY_DONE, CaseStatus.RECOVERED):
            service.transition(session=session, case=first, to=to, actor=actor)


@pytest.fixture
def settings(fresh_db: str, tmp_path: Path) -> Settings:
    return Settings(database_url=fresh_db, data_dir=tmp_path, env="dev")


@pytest.fixture
def base_url(settings: Settings) -> Iterator[str]:
    with serving(settings, _seed) as url:
        yield url


def test_the_dashboard_draws_its_charts(page: Page, screenshots: Path) -> None:
    problems = watch_for_problems(page)
    page.goto("/login")
    page.get_by_label("Email").fill("lee@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("body")).to_have_attribute("data-charts", "drawn")
    trend = page.locator("#trend-chart")
    expect(trend).to_be_visible()
    assert trend.evaluate("canvas => canvas.chart.data.datasets.length") >= 1
    total = trend.evaluate(
        "canvas => canvas.chart.data.datasets"
        ".reduce((n, d) => n + d.data.reduce((a, b) => a + b, 0), 0)"
    )
    assert total == 3
    recovery = page.locator("#recovery-chart")
    assert recovery.evaluate("canvas => canvas.chart.data.labels") == ["email", "twitter"]
    assert recovery.evaluate("canvas => canvas.chart.data.datasets[0].data") == [100, None]
    page.screenshot(path=str(screenshots / "dashboard.png"), full_page=True)

    page.locator('select[name="channel"]').select_option("twitter")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("body")).to_have_attribute("data-charts", "drawn")
    assert page.locator("#recovery-chart").evaluate("canvas => canvas.chart.data.labels") == [
        "twitter"
    ]
    assert problems == []
