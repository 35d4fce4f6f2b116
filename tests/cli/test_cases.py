"""`amends cases contact` and `amends cases escalate`, run as a user would run them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.accounts import service as accounts
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.db import make_engine
from amends.store.tables import Case, Role
from tests.cli.inprocess import amends


def _seed(db: str) -> int:
    """An agent, a manager, and one case owned by nobody; returns the case id."""
    engine = make_engine(db)
    try:
        with Session(engine) as session, session.begin():
            accounts.create_user(session, email="ann@example.com", name="Ann", role=Role.AGENT)
            accounts.create_user(session, email="max@example.com", name="Max", role=Role.MANAGER)
            item = ItemIn(source="t", channel="email", text="Still broken", raw="{}", rating=1)
            outcome = pipeline.process(session, [item], Settings(database_url=db))
            return outcome.case_ids[outcome.item_ids[0]]
    finally:
        engine.dispose()


def _case(db: str, case_id: int) -> Case:
    engine = make_engine(db)
    try:
        with Session(engine) as session:
            found = session.scalar(select(Case).where(Case.id == case_id))
            assert found is not None
            return found
    finally:
        engine.dispose()


def test_an_agent_records_a_contact_and_escalates(fresh_db: str, tmp_path: Path) -> None:
    case_id = _seed(fresh_db)
    contacted = amends(
        "cases",
        "contact",
        str(case_id),
        "--as",
        "ann@example.com",
        "--channel",
        "phone",
        db=fresh_db,
        tmp_path=tmp_path,
    )
    assert contacted.exit_code == 0, contacted.output
    assert f"First response recorded on case {case_id}" in contacted.output
    escalated = amends(
        "cases",
        "escalate",
        str(case_id),
        "--to",
        "manager",
        "--reason",
        "press enquiry",
        "--as",
        "ann@example.com",
        db=fresh_db,
        tmp_path=tmp_path,
    )
    assert escalated.exit_code == 0, escalated.output
    case = _case(fresh_db, case_id)
    assert case.first_responded_at is not None
    assert case.escalated_to == "manager"


def test_an_unknown_user_is_refused(fresh_db: str, tmp_path: Path) -> None:
    case_id = _seed(fresh_db)
    result = amends(
        "cases",
        "escalate",
        str(case_id),
        "--to",
        "manager",
        "--reason",
        "x",
        "--as",
        "nobody@example.com",
        db=fresh_db,
        tmp_path=tmp_path,
    )
    assert result.exit_code == 2
    assert "no active user with email nobody@example.com" in result.output
    assert _case(fresh_db, case_id).escalated_to is None
