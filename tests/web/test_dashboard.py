"""The dashboard: leads and above, figures for the filters, every table as CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import time_machine
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from amends.cases import service
from amends.cases.actor import Actor
from amends.config import Settings
from amends.demo import ensure_users
from amends.demo.history import play
from amends.lib import clock
from amends.store.tables import CaseStatus, User
from tests.web.conftest import MakeCase, log_in

ACTOR = Actor(user_id=None, name="test")


def _seed(session: Session, make_case: MakeCase, owner: User) -> None:
    recovered = make_case("Parcel late again", channel="email")
    service.assign(session=session, case=recovered, owner_id=owner.id, actor=ACTOR)
    for to in (CaseStatus.INVESTIGATING, CaseStatus.REMEDY_DONE, CaseStatus.RECOVERED):
        service.transition(session=session, case=recovered, to=to, actor=ACTOR)
    make_case("Charged twice", channel="twitter")
    session.commit()


def test_agents_may_not_see_it(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    assert client.get("/dashboard").status_code == 403
    assert client.get("/dashboard/agents.csv").status_code == 403


def test_a_lead_sees_the_figures_and_the_filters_narrow_them(
    client: TestClient, session: Session, bob: User, alice: User, make_case: MakeCase
) -> None:
    _seed(session, make_case, alice)
    log_in(client, bob)
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert 'id="dashboard-data"' in page.text
    assert "<dt>Cases</dt><dd>2</dd>" in page.text
    assert "<dt>Recovery rate</dt><dd>100%</dd>" in page.text
    assert "Alice" in page.text
    narrowed = client.get("/dashboard?period=7d&channel=twitter")
    assert "<dt>Cases</dt><dd>1</dd>" in narrowed.text
    assert '<option value="twitter" selected>' in narrowed.text
    assert 'href="/dashboard/channel.csv?period=7d&amp;channel=twitter"' in narrowed.text


def test_the_summary_compares_with_the_period_before_when_asked(
    client: TestClient, session: Session, bob: User, alice: User, make_case: MakeCase
) -> None:
    _seed(session, make_case, alice)
    log_in(client, bob)
    assert "before:" not in client.get("/dashboard").text
    compared = client.get("/dashboard?period=30d&compare=1").text
    assert '<input type="checkbox" name="compare" value="1" checked>' in compared
    assert '<dt>Cases</dt><dd>2</dd><dd class="muted before">before: 0</dd>' in compared
    assert '<dd class="muted before">before: —</dd>' in compared  # no recovery rate before
    summary = client.get("/dashboard/summary.csv?period=30d&compare=1").text
    rows = list(csv.DictReader(io.StringIO(summary)))
    assert [(row["group"], row["cases"]) for row in rows] == [("all", "2"), ("period before", "0")]


def test_every_table_downloads_as_csv(
    client: TestClient, session: Session, bob: User, alice: User, make_case: MakeCase
) -> None:
    _seed(session, make_case, alice)
    log_in(client, bob)
    for table in (
        "summary",
        "category",
        "channel",
        "team",
        "playbook",
        "root_cause",
        "agents",
        "trend",
        "trend_channel",
        "topics",
    ):
        response = client.get(f"/dashboard/{table}.csv?period=30d")
        assert response.status_code == 200, table
        assert response.headers["content-type"].startswith("text/csv")
        assert "attachment" in response.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(response.text)))
        assert len(rows) >= (1 if table == "topics" else 2), table
    channels = list(csv.DictReader(io.StringIO(client.get("/dashboard/channel.csv").text)))
    assert {row["channel"]: row["cases"] for row in channels} == {"email": "1", "twitter": "1"}
    agents = list(csv.DictReader(io.StringIO(client.get("/dashboard/agents.csv").text)))
    assert [(row["agent"], row["cases"], row["recovery_rate"]) for row in agents] == [
        ("Alice", "1", "1.0")
    ]
    assert client.get("/dashboard/secrets.csv").status_code == 404


def test_the_demo_history_is_marked_simulated(
    client: TestClient,
    session: Session,
    factory: sessionmaker[Session],
    settings: Settings,
    bob: User,
    make_case: MakeCase,
) -> None:
    cases = [make_case(f"Parcel {n} lost in transit") for n in range(12)]
    session.commit()
    ensure_users(factory)
    played = play(factory, settings, seed=5)
    assert played.cases > 0
    log_in(client, bob)
    board = client.get("/dashboard?period=90d").text
    assert f"Demo: {played.cases} of these cases have a simulated history" in board
    marked = [case.id for case in cases if 'id="simulated"' in client.get(f"/cases/{case.id}").text]
    assert len(marked) == played.cases


def test_a_long_period_shows_its_warm_copy_and_says_as_of_when(
    client: TestClient, session: Session, bob: User, make_case: MakeCase
) -> None:
    make_case("Parcel late again")
    session.commit()
    log_in(client, bob)
    first = client.get("/dashboard?period=365d").text
    assert 'id="as-of"' not in first  # worked out for this view
    make_case("Charged twice")
    session.commit()
    with time_machine.travel(clock.now() + timedelta(minutes=2)):
        year = client.get("/dashboard?period=365d").text
        month = client.get("/dashboard?period=30d").text
    assert "Figures as of" in year
    assert "<dt>Cases</dt><dd>1</dd>" in year  # the copy: the second case came after it
    assert 'id="as-of"' not in month
    assert "<dt>Cases</dt><dd>2</dd>" in month
