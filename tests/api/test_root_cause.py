"""PUT /api/v1/cases/{id}/root-cause, and closing through the API where a root cause is needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.tables import User
from tests.conftest import token_for
from tests.playbooks.helpers import folder_with

STRICT = "playbooks:\n  - name: Strict\n    root_cause_required: true\n"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    folder = folder_with(tmp_path, STRICT)
    return Settings(database_url=db_url, data_dir=tmp_path, env="dev", playbooks_dir=folder)


def test_the_root_cause_is_set_and_then_the_case_closes(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    item = ItemIn(source="api", channel="email", text="Wrong item again", raw="{}", rating=1)
    outcome = pipeline.process(session, [item], settings)
    case_id = outcome.case_ids[outcome.item_ids[0]]
    session.commit()
    headers = token_for(session, alice)
    closing = client.post(
        f"/api/v1/cases/{case_id}/status", json={"status": "closed"}, headers=headers
    )
    assert closing.status_code == 409
    assert "asks for the root cause" in closing.text

    bad = client.put(f"/api/v1/cases/{case_id}/root-cause", json={"cause": "fate"}, headers=headers)
    assert bad.status_code == 422
    body = {"cause": "process", "note": "Picking list out of date"}
    put = client.put(f"/api/v1/cases/{case_id}/root-cause", json=body, headers=headers)
    assert put.status_code == 200, put.text
    assert (put.json()["root_cause"], put.json()["root_cause_note"]) == (
        "process",
        "Picking list out of date",
    )
    assert put.json()["timeline"][-1]["kind"] == "case:root_cause:set"
    closed = client.post(
        f"/api/v1/cases/{case_id}/status", json={"status": "closed"}, headers=headers
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
