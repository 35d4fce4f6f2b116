from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from amends.playbooks.check import check
from amends.playbooks.default import default_playbook
from amends.playbooks.problems import Problem
from amends.playbooks.public import set_public, when_text
from amends.playbooks.schema import When
from tests.playbooks.helpers import folder_with

PLAYBOOKS = """\
playbooks:
  - name: Lost parcel
    description: Parcels that never came.
    match:
      category: lost_item
      risk: {min: 30}
      emotions: {present: [anger], min: 0.6}
    assign: {team: care, strategy: round_robin, skills: [claims]}
    sla:
      clock: business_hours
      timezone: Europe/London
      hours: {mon: "09:00-17:00", fri: ["08:00-12:30", "13:30-20:00"]}
      holidays: [2026-12-25]
      first_response: 2h
      update_interval: 8h
      resolution: 30h
    remedies:
      - kind: apology
      - kind: refund
        cap: {normal: 150, critical: 500}
        note: Full price of the parcel.
    acknowledge: {within: 10m}
    escalate:
      - when: {risk_at_least: 80}
        to: senior_review
      - when: {sla_breached: resolution}
        to: manager
      - when: {repeat_within_days: 30, count: 3}
        to: team_lead
  - name: Everything else
"""


def _public(tmp_path: Path) -> dict[str, Any]:
    result = check(folder_with(tmp_path, PLAYBOOKS))
    assert result.ok, result.problems
    teams = {loaded.team.name: loaded.team for loaded in result.load.teams}
    return set_public(
        playbooks=result.playbooks,
        default=default_playbook(),
        teams=teams,
        problems=(),
        currency="USD",
    )


def test_it_gives_every_section_of_a_playbook_in_plain_data(tmp_path: Path) -> None:
    found = _public(tmp_path)
    first = found["playbooks"][0]
    assert first["name"] == "Lost parcel"
    assert first["where"] == "playbooks.yaml:2"
    assert first["match"] == {
        "category": ["lost_item"],
        "risk": {"min": 30},
        "emotions": {"present": ["anger"], "min": 0.6},
    }
    assert first["assign"] == {
        "team": "care",
        "strategy": "round_robin",
        "skills": ["claims"],
        "languages": [],
    }
    assert first["sla"] == {
        "clock": "business_hours",
        "timezone": "Europe/London",
        "hours": {
            "mon": ["09:00-17:00"],
            "tue": [],
            "wed": [],
            "thu": [],
            "fri": ["08:00-12:30", "13:30-20:00"],
            "sat": [],
            "sun": [],
        },
        "holidays": ["2026-12-25"],
        "first_response": "2h",
        "update_interval": "8h",
        "resolution": "30h",
    }
    assert first["remedies"][1] == {
        "kind": "refund",
        "cap": {"low": "150", "normal": "150", "high": "150", "critical": "500"},
        "currency": "USD",
        "note": "Full price of the parcel.",
    }
    assert first["acknowledge"] == {"enabled": True, "within": "10m", "high_priority": False}
    assert [rule["says"] for rule in first["escalate"]] == [
        "risk 80 or more",
        "resolution missed",
        "3 complaints or more within 30 days",
    ]


def test_a_playbook_without_sla_shows_the_defaults(tmp_path: Path) -> None:
    found = _public(tmp_path)
    last = found["playbooks"][1]
    assert last["sla_from_default"] is True
    assert last["sla"]["first_response"] == "1d"
    assert last["assign"] is None
    assert found["default"]["name"] == "default"
    assert found["teams"] == [
        {"name": "care", "lead": "lead@example.com", "description": None},
        {"name": "billing", "lead": None, "description": None},
    ]


def test_it_is_json_and_names_files_without_their_folder(tmp_path: Path) -> None:
    problem = Problem("/srv/secret/place/10-a.yaml", 3, 5, "sla", "bad")
    found = set_public(
        playbooks=(), default=default_playbook(), teams={}, problems=(problem,), currency="EUR"
    )
    assert found["ok"] is False
    assert found["problems"] == [
        {"file": "10-a.yaml", "line": 3, "column": 5, "field": "sla", "message": "bad"}
    ]
    assert "/srv/secret" not in json.dumps(_public(tmp_path) | found)


def test_it_says_escalation_conditions_in_words() -> None:
    assert when_text(When(sla_breached=True)) == "any SLA target missed"
    assert when_text(When.model_validate({"sla_breached": ["first_response", "resolution"]})) == (
        "first response or resolution missed"
    )
    assert when_text(When(repeat_within_days=7)) == "2 complaints or more within 7 days"
