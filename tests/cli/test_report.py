"""`amends report`, run as a user would run it, on cases opened through the real pipeline."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import time_machine
from sqlalchemy.orm import Session

from amends.accounts import service as accounts
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.lib import clock
from amends.store.db import make_engine
from amends.store.tables import Role
from tests.cli.inprocess import amends

KEYS = {
    "recovery_rate",
    "median_first_response_minutes",
    "median_resolution_hours",
    "sla_compliance",
    "csat",
    "nps_before",
    "nps_after",
    "rating_change",
    "compensation_total",
    "retained_value",
    "roi",
}


def _seed(db: str) -> list[int]:
    """An agent and three new cases, two by email and one from X; returns the case ids."""
    engine = make_engine(db)
    try:
        with Session(engine) as session, session.begin():
            accounts.create_user(session, email="ann@example.com", name="Ann", role=Role.AGENT)
            items = [
                ItemIn(
                    source="t", channel="email", text="My parcel is a week late", raw="1", rating=1
                ),
                ItemIn(
                    source="t",
                    channel="email",
                    text="Charged twice for one order",
                    raw="2",
                    rating=1,
                ),
                ItemIn(
                    source="t", channel="twitter", text="Still no refund. Awful.", raw="3", rating=1
                ),
            ]
            outcome = pipeline.process(session, items, Settings(database_url=db))
            return [outcome.case_ids[item_id] for item_id in outcome.item_ids]
    finally:
        engine.dispose()


def test_json_has_the_documented_keys_and_counts_the_period(fresh_db: str, tmp_path: Path) -> None:
    first, *_ = _seed(fresh_db)
    contact = ("cases", "contact", str(first), "--as", "ann@example.com", "--channel", "phone")
    assert amends(*contact, db=fresh_db, tmp_path=tmp_path).exit_code == 0
    result = amends("report", "--period", "7d", "--json", db=fresh_db, tmp_path=tmp_path)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= KEYS
    assert data["cases"] == 3
    assert data["recovery_rate"] is None
    assert data["median_first_response_minutes"] is not None
    assert data["median_first_response_minutes"] >= 0
    assert data["compensation_total"] == 0.0


def test_by_channel_gives_one_group_each(fresh_db: str, tmp_path: Path) -> None:
    _seed(fresh_db)
    result = amends("report", "--by", "channel", "--json", db=fresh_db, tmp_path=tmp_path)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["by"] == "channel"
    assert {g["group"]: g["cases"] for g in data["groups"]} == {"email": 2, "twitter": 1}


def test_a_filter_and_the_table(fresh_db: str, tmp_path: Path) -> None:
    _seed(fresh_db)
    result = amends("report", "--channel", "twitter", db=fresh_db, tmp_path=tmp_path)
    assert result.exit_code == 0, result.output
    assert "Recovery of the cases opened" in result.stdout
    assert "Speed and cost" in result.stdout
    assert "all" in result.stdout
    assert " 1 " in result.stdout


def test_compare_adds_the_period_before(fresh_db: str, tmp_path: Path) -> None:
    with time_machine.travel(clock.now() - timedelta(days=10)):
        _seed(fresh_db)
    engine = make_engine(fresh_db)
    try:
        with Session(engine) as session, session.begin():
            item = ItemIn(source="t", channel="email", text="Lost my bag", raw="4", rating=1)
            pipeline.process(session, [item], Settings(database_url=fresh_db))
    finally:
        engine.dispose()
    args = ("report", "--period", "7d", "--compare", "--json")
    data = json.loads(amends(*args, db=fresh_db, tmp_path=tmp_path).stdout)
    assert (data["cases"], data["before"]["cases"]) == (1, 3)
    assert data["before"]["to"] == data["from"]
    assert set(data["before"]) >= KEYS
    by = amends("report", "--period", "7d", "--compare", "--by", "channel", "--json",
                db=fresh_db, tmp_path=tmp_path)  # fmt: skip
    groups = json.loads(by.stdout)["before"]["groups"]
    assert {g["group"]: g["cases"] for g in groups} == {"email": 2, "twitter": 1}
    table = amends("report", "--period", "7d", "--compare", db=fresh_db, tmp_path=tmp_path)
    assert table.stdout.count("Recovery of the cases opened") == 2


def test_a_bad_period_names_the_option(fresh_db: str, tmp_path: Path) -> None:
    result = amends("report", "--period", "soon", db=fresh_db, tmp_path=tmp_path)
    assert result.exit_code != 0
    assert "--period" in result.output


def test_topics_prints_json(fresh_db: str, tmp_path: Path) -> None:
    _seed(fresh_db)
    result = amends("topics", "--period", "7d", "--json", db=fresh_db, tmp_path=tmp_path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"topics": []}  # three items are too few to group
