"""`amends root-causes export`, run as a user would run it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy.orm import Session

from amends.cases.actor import Actor
from amends.cases.root_cause import set_root_cause
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.db import make_engine
from amends.store.tables import Case, RootCause
from tests.cli.inprocess import amends


def _seed(db: str) -> int:
    engine = make_engine(db)
    try:
        with Session(engine) as session, session.begin():
            item = ItemIn(source="t", channel="email", text="Lost parcel", raw="{}", rating=1)
            outcome = pipeline.process(session, [item], Settings(database_url=db))
            case = session.get_one(Case, outcome.case_ids[outcome.item_ids[0]])
            actor = Actor(user_id=None, name="test")
            set_root_cause(session, case=case, cause=RootCause.PARTNER, note="Courier", actor=actor)
            return case.id
    finally:
        engine.dispose()


def test_it_writes_the_cases_of_a_cause_as_csv(fresh_db: str, tmp_path: Path) -> None:
    case_id = _seed(fresh_db)
    out = tmp_path / "partner.csv"
    result = amends(
        "root-causes",
        "export",
        "partner",
        "--csv",
        str(out),
        "--json",
        db=fresh_db,
        tmp_path=tmp_path,
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"root_cause": "partner", "cases": 1, "webhooks": 0}
    [row] = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert (row["case_id"], row["root_cause"], row["root_cause_note"]) == (
        str(case_id),
        "partner",
        "Courier",
    )


def test_it_says_where_nothing_went(fresh_db: str, tmp_path: Path) -> None:
    _seed(fresh_db)
    nowhere = amends("root-causes", "export", "partner", db=fresh_db, tmp_path=tmp_path)
    assert nowhere.exit_code == 2
    assert "--csv FILE, --webhook, or both" in nowhere.output
    unheard = amends(
        "root-causes", "export", "partner", "--webhook", db=fresh_db, tmp_path=tmp_path
    )
    assert unheard.exit_code == 0
    assert "No shared webhook lists root_cause_export" in unheard.output
    unknown = amends(
        "root-causes", "export", "gremlins", "--webhook", db=fresh_db, tmp_path=tmp_path
    )
    assert unknown.exit_code == 2
