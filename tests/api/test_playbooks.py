"""/api/v1/playbooks: the set in use, read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.cases import playbook_set
from amends.config import Settings
from amends.store.tables import User
from tests.conftest import token_for
from tests.playbooks.helpers import folder_with, write

PLAYBOOKS = """\
playbooks:
  - name: Billing
    match: {category: billing_and_refunds, rating: {max: 2}}
    assign: {team: billing}
    sla: {first_response: 2h, resolution: 1d}
    remedies:
      - kind: refund
        cap: {normal: 40, high: 80}
    acknowledge: {within: 5m, high_priority: true}
    escalate:
      - when: {repeat_within_days: 30}
        to: manager
  - name: Rest
"""


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    playbook_set.forget()
    return Settings(
        database_url=db_url,
        data_dir=tmp_path,
        env="dev",
        playbooks_dir=folder_with(tmp_path, PLAYBOOKS),
    )


def test_it_gives_the_set_in_match_order_to_any_user(
    client: TestClient, session: Session, alice: User
) -> None:
    response = client.get("/api/v1/playbooks", headers=token_for(session, alice))
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert [p["name"] for p in body["playbooks"]] == ["Billing", "Rest"]
    billing = body["playbooks"][0]
    assert billing["where"] == "playbooks.yaml:2"
    assert billing["match"] == {"category": ["billing_and_refunds"], "rating": {"max": 2}}
    assert billing["assign"]["team"] == "billing"
    assert billing["sla"]["first_response"] == "2h"
    assert billing["remedies"] == [
        {
            "kind": "refund",
            "cap": {"low": "40", "normal": "40", "high": "80", "critical": "80"},
            "currency": "USD",
            "note": None,
        }
    ]
    assert billing["acknowledge"] == {"enabled": True, "within": "5m", "high_priority": True}
    assert billing["escalate"] == [
        {
            "when": {"repeat_within_days": 30},
            "to": "manager",
            "says": "2 complaints or more within 30 days",
        }
    ]
    assert body["playbooks"][1]["sla_from_default"] is True
    assert body["default"]["name"] == "default"
    assert [team["name"] for team in body["teams"]] == ["care", "billing"]


def test_it_reports_the_problems_and_the_set_still_applied(
    client: TestClient, session: Session, alice: User, settings: Settings
) -> None:
    headers = token_for(session, alice)
    assert client.get("/api/v1/playbooks", headers=headers).json()["ok"] is True
    assert settings.playbooks_dir is not None
    write(settings.playbooks_dir, "zz.yaml", "playbooks:\n  - name: Bad\n    assign: {team: x}\n")
    body = client.get("/api/v1/playbooks", headers=headers).json()
    assert body["ok"] is False
    assert {(p["file"], p["field"]) for p in body["problems"]} >= {("zz.yaml", "assign.team")}
    assert [p["name"] for p in body["playbooks"]] == ["Billing", "Rest"]


def test_it_needs_a_token(client: TestClient) -> None:
    assert client.get("/api/v1/playbooks").status_code == 401
