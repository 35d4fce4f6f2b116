"""`amends playbooks simulate --from FILE`: what the playbooks would do with a file, checked
against what a real import of the same file does, counted from the database afterwards."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from amends.accounts import service as accounts
from amends.accounts import teams
from amends.cases import playbook_set
from amends.cli import context
from amends.cli.main import app
from amends.config import Settings, get_settings
from amends.ingest.importer import ImportRequest, run_import
from amends.playbooks.escalation import Situation, escalations
from amends.store.db import make_engine, make_sessionmaker, transaction
from amends.store.tables import Case, FeedbackItem, Role
from tests.playbooks.helpers import folder_with

SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples"
PLAYBOOKS = """\
playbooks:
  - name: Threats
    match: {keywords: [lawyer, court]}
    assign: {team: care}
    escalate:
      - when: {risk_at_least: 0}
        to: senior_review
  - name: One star
    match: {rating: {max: 1}}
    assign: {team: care, strategy: round_robin}
    sla: {first_response: 2h, resolution: 1d}
    acknowledge: {within: 10m}
    escalate:
      - when: {risk_at_least: 40}
        to: senior_review
      - when: {repeat_within_days: 30}
        to: manager
  - name: Low ratings
    match: {rating: {max: 3}}
    assign: {team: billing}
    acknowledge: {within: 5m, high_priority: true}
    escalate:
      - when: {repeat_within_days: 60, count: 2}
        to: team_lead
"""
HEADER = ("external_id", "channel", "author", "email", "text", "rating", "posted_at", "product")
ROWS = [
    ("a1", "email", "Ann", "ann@example.com", "I was charged twice for one order.", "1",
     "2026-01-01T09:00:00Z", "card"),
    ("a2", "email", "Ann", "ann@example.com", "The app crashes when I pay.", "1",
     "2026-01-10T09:00:00Z", "app"),
    ("a3", "web", "Ann", "ann@example.com", "Still charged twice, nobody answers.", "2",
     "2026-01-12T09:00:00Z", "card"),
    ("b1", "email", "Ben", "ben@example.com", "My lawyer will see you in court over this.", "3",
     "2026-02-01T09:00:00Z", ""),
    ("c1", "google", "Cat", "", "Lovely staff, quick delivery, thank you!", "5",
     "2026-02-02T09:00:00Z", ""),
    ("a1", "email", "Ann", "ann@example.com", "I was charged twice for one order.", "1",
     "2026-01-01T09:00:00Z", "card"),
    ("x1", "email", "Nobody", "", "", "2", "2026-02-03T09:00:00Z", ""),
    ("d1", "x", "Dan", "", "Where is my parcel? It never came and support ignores me.", "",
     "2026-02-04T09:00:00Z", ""),
    ("d2", "email", "Dan", "dan@example.com", "Refund please, the parcel never arrived.", "2",
     "2026-02-05T09:00:00Z", ""),
]  # fmt: skip


@pytest.fixture(autouse=True)
def fresh_context() -> Iterator[None]:
    get_settings.cache_clear()
    context.factory.cache_clear()
    playbook_set.forget()
    yield
    if context.factory.cache_info().currsize:
        context.factory().kw["bind"].dispose()
    context.factory.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return folder_with(tmp_path, PLAYBOOKS)


@pytest.fixture
def crafted(tmp_path: Path) -> Path:
    """Our own generic CSV: a customer with two topics, a join, a duplicate row, a reject."""
    path = tmp_path / "input" / "history.csv"
    path.parent.mkdir()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def _team_members(db: str) -> dict[str, list[int]]:
    """Two agents in care, one in billing, and an inactive one in care, committed for the
    commands to see."""
    engine = make_engine(db)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            chosen = {"care": ["erin", "fay"], "billing": ["gus"], "gone": ["hal"]}
            ids: dict[str, list[int]] = {}
            for team, names in chosen.items():
                for name in names:
                    user = accounts.create_user(
                        session, email=f"{name}@example.com", name=name.title(), role=Role.AGENT
                    )
                    teams.join(session, user=user, team="care" if team == "gone" else team)
                    user.is_active = team != "gone"
                    ids.setdefault(team, []).append(user.id)
    finally:
        engine.dispose()
    return ids


def _simulate(db: str, *args: str, folder: Path | None = None) -> tuple[int, str, str]:
    env = {"AMENDS_DATABASE_URL": db}
    if folder is not None:
        env["AMENDS_PLAYBOOKS_DIR"] = str(folder)
    result = CliRunner().invoke(app, ["playbooks", "simulate", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def _imported(db: str, path: Path, source: str, settings: Settings) -> dict[str, Any]:
    """Import the file for real, then count from the database what simulate should predict:
    the cases' playbooks, teams and owners as the import routed them, and, from the stored
    cases with their playbooks, the escalations and acknowledgements due when they opened."""
    engine = make_engine(db)
    try:
        factory = make_sessionmaker(engine)
        summary = run_import(
            ImportRequest(path=path, source=source), factory=factory, settings=settings
        )
        with factory() as session:
            expected = _counted(session, playbook_set.current(settings))
    finally:
        engine.dispose()
    counts = {"read": summary.read, "rejected": summary.rejected, "duplicates": summary.duplicates}
    return counts | expected


def _counted(session: Session, current: playbook_set.PlaybookSet) -> dict[str, Any]:
    cases = list(session.scalars(select(Case).order_by(Case.id)))
    items = session.execute(
        select(FeedbackItem.case_id, FeedbackItem.customer_id, FeedbackItem.posted_at)
        .where(FeedbackItem.case_id.is_not(None))
        .order_by(FeedbackItem.id)
    ).all()
    opened_at: dict[int, datetime] = {}
    complaints: dict[int, list[datetime]] = {}
    for case_id, customer_id, posted_at in items:
        assert case_id is not None
        assert posted_at is not None, "every item of these files says when it was posted"
        opened_at.setdefault(case_id, posted_at)
        if customer_id is not None:
            complaints.setdefault(customer_id, []).append(posted_at)
    fired: Counter[str] = Counter()
    escalated = acknowledged = 0
    for case in cases:
        playbook = current.named(case.playbook)
        at = opened_at[case.id]
        times = complaints[case.customer_id] if case.customer_id is not None else [at]
        situation = Situation(now=at, risk=case.risk, complaints=times)
        targets = {escalation.to.value for escalation in escalations(playbook.escalate, situation)}
        fired.update(targets)
        escalated += bool(targets)
        acknowledged += playbook.acknowledge.delay_for(case.priority) is not None
    return {
        "items": int(session.scalar(select(func.count()).select_from(FeedbackItem)) or 0),
        "complaints": len(items),
        "cases": len(cases),
        "playbooks": Counter(case.playbook for case in cases),
        "teams": Counter(case.team or "" for case in cases),
        "owners": Counter(case.owner_id for case in cases if case.owner_id is not None),
        "escalated": {"cases": escalated, **{t: fired[t] for t in _TARGETS}},
        "acknowledged": acknowledged,
    }


_TARGETS = ("senior_review", "team_lead", "manager")


def _predicted(report: dict[str, Any]) -> dict[str, Any]:
    """The simulation's JSON in the shape `_counted` gives."""
    keys = ("read", "rejected", "duplicates", "items", "complaints", "cases", "escalated")
    return {key: report[key] for key in keys} | {
        "playbooks": Counter({name: n for name, n in report["playbooks"].items() if n}),
        "teams": Counter(report["teams"]),
        "owners": Counter({agent["id"]: agent["cases"] for agent in report["agents"]}) - Counter(),
        "acknowledged": report["acknowledged"],
    }


@pytest.mark.parametrize(
    ("sample", "source"),
    [("crafted", "history"), ("trustpilot", "trustpilot_reviews")],
)
def test_it_predicts_what_an_import_of_the_file_does(
    fresh_db: str,
    tmp_path: Path,
    folder: Path,
    crafted: Path,
    sample: str,
    source: str,
) -> None:
    path = crafted
    if sample != "crafted":
        path = tmp_path / "sample" / "trustpilot_reviews.json"
        path.parent.mkdir()
        path.write_bytes((SAMPLES / "trustpilot_reviews.json").read_bytes())
    _team_members(fresh_db)
    code, out, err = _simulate(fresh_db, "--from", str(path), "--json", folder=folder)
    assert code == 0, err
    report = json.loads(out)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name], "simulate wrote a file"
    settings = Settings(database_url=fresh_db, data_dir=tmp_path, env="dev", playbooks_dir=folder)
    expected = _imported(fresh_db, path, source, settings)
    assert _predicted(report) == expected
    assert list(report["playbooks"]) == ["Threats", "One star", "Low ratings", "default"]
    assert report["agents_known"] is True


def test_the_crafted_file_exercises_joins_repeats_and_every_count(
    fresh_db: str, folder: Path, crafted: Path
) -> None:
    """Guards the test above: the crafted file really has what it is meant to check."""
    members = _team_members(fresh_db)
    code, out, err = _simulate(fresh_db, "--from", str(crafted), "--json", folder=folder)
    assert code == 0, err
    report = json.loads(out)
    assert (report["read"], report["rejected"], report["duplicates"]) == (9, 1, 1)
    assert report["complaints"] > report["cases"] > 0, "an item joins an open case"
    assert report["escalated"]["manager"] >= 1, "Ann's second topic repeats within 30 days"
    assert report["escalated"]["senior_review"] >= 1
    assert report["acknowledged"] >= 1
    assert {agent["id"] for agent in report["agents"]} == set(members["care"] + members["billing"])
    care = report["load"]["care"]
    assert care["agents"] == 2
    assert care["per_agent"] == care["cases"] / 2


def test_it_prints_tables_and_writes_nothing_to_the_database(
    fresh_db: str, folder: Path, crafted: Path
) -> None:
    _team_members(fresh_db)
    code, out, err = _simulate(fresh_db, "--from", str(crafted), "--dir", str(folder))
    assert code == 0, err
    assert "Cases per playbook" in out
    assert "Expected load per agent" in out
    assert "Erin" in out
    assert "Escalated when opened:" in out
    assert "Nothing was written." in out
    engine = make_engine(fresh_db)
    try:
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(Case)) == 0
            assert conn.scalar(select(func.count()).select_from(FeedbackItem)) == 0
    finally:
        engine.dispose()


def test_it_says_when_no_team_members_are_known(
    tmp_path: Path, folder: Path, crafted: Path
) -> None:
    missing = tmp_path / "nothing-here" / "amends.db"
    code, out, err = _simulate(f"sqlite:///{missing}", "--from", str(crafted), folder=folder)
    assert code == 0, err
    assert "No team members known" in out
    assert not missing.parent.exists(), "simulate created a database"


def test_it_refuses_a_playbook_folder_with_problems(
    fresh_db: str, tmp_path: Path, crafted: Path
) -> None:
    broken = folder_with(tmp_path / "broken", "playbooks:\n  - name: X\n    assign: {team: nope}\n")
    code, _, err = _simulate(fresh_db, "--from", str(crafted), "--dir", str(broken))
    assert code == 2
    assert 'unknown team "nope"' in err
    assert "fix them first" in err


def test_it_refuses_a_missing_file_or_a_bad_map(fresh_db: str, tmp_path: Path) -> None:
    code, _, err = _simulate(fresh_db, "--from", str(tmp_path / "none.csv"))
    assert code == 2
    assert "no such file" in err
    code, _, err = _simulate(fresh_db, "--from", str(tmp_path / "none.csv"), "--map", "nope=X")
    assert code == 2
    assert "unknown field 'nope'" in err
