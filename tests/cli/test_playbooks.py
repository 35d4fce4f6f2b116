"""`amends playbooks explain CASE`: the stored playbook, team and due times, and why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amends.cli import context
from amends.cli.main import app
from amends.config import Settings, get_settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.db import make_engine, make_sessionmaker, transaction
from tests.playbooks.helpers import folder_with

PLAYBOOKS = """\
playbooks:
  - name: Low ratings
    match: {rating: {max: 1}}
    assign: {team: care}
    sla: {first_response: 2h, resolution: 1d}
  - name: Cold food
    match: {keywords: [cold]}
    assign: {team: billing}
    sla: {first_response: 2h, resolution: 1d}
"""


@pytest.fixture(autouse=True)
def fresh_context() -> Iterator[None]:
    get_settings.cache_clear()
    context.factory.cache_clear()
    yield
    if context.factory.cache_info().currsize:
        context.factory().kw["bind"].dispose()
    context.factory.cache_clear()
    get_settings.cache_clear()


def _stored(db: str, settings: Settings, *items: ItemIn) -> list[int]:
    """Case ids of `items`, ingested and committed, as an import would."""
    engine = make_engine(db)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            outcome = pipeline.process(session, list(items), settings)
        return [outcome.case_ids[item_id] for item_id in outcome.item_ids]
    finally:
        engine.dispose()


def _explain(db: str, folder: Path, case: str) -> tuple[int, str, str]:
    env = {"AMENDS_DATABASE_URL": db, "AMENDS_PLAYBOOKS_DIR": str(folder)}
    result = CliRunner().invoke(app, ["playbooks", "explain", case], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_it_prints_the_stored_playbook_and_each_condition(fresh_db: str, tmp_path: Path) -> None:
    folder = folder_with(tmp_path, PLAYBOOKS)
    settings = Settings(database_url=fresh_db, data_dir=tmp_path, env="dev", playbooks_dir=folder)
    text = "The soup was cold \x1b[31mand\x1b[0m late."
    [case_id] = _stored(
        fresh_db, settings, ItemIn(source="s", channel="email", text=text, raw="{}", rating=2)
    )
    code, out, err = _explain(fresh_db, folder, str(case_id))
    assert code == 0, err
    file = folder / "playbooks.yaml"
    lines = out.splitlines()
    assert lines[0] == f"Case #{case_id}: The soup was cold \ufffd[31mand\ufffd[0m late."
    assert lines[1:3] == ['Playbook: "Cold food" (playbooks.yaml:6)', "Team: billing"]
    assert lines[3].startswith("First response due: ")
    assert lines[3].endswith(" UTC")
    assert lines[6].startswith("Why: item #")
    assert "rating 2" in lines[6]
    assert lines[7:] == [
        f"✗ Low ratings ({file}:2)",
        "    ✗ rating 2 > 1",
        f"✓ Cold food ({file}:6)",
        '    ✓ text contains "cold"',
    ]
    assert "\x1b" not in out


def test_it_refuses_an_unknown_case(fresh_db: str, tmp_path: Path) -> None:
    code, _, err = _explain(fresh_db, folder_with(tmp_path, PLAYBOOKS), "999999")
    assert code == 2
    assert "error: case 999999 not found" in err
