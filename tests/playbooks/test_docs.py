"""docs/playbooks.md: its full example passes the check, and every key and rule is described."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest
from pydantic import BaseModel

from amends.playbooks import schema
from amends.playbooks.check import RULES, check
from amends.playbooks.conditions import CONDITIONS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "playbooks.md"
TEXT = DOCS.read_text(encoding="utf-8")


def example(name: str) -> str:
    """The fenced YAML block of the docs whose first line is `# <name>`."""
    found = re.search(rf"```yaml\n(# {re.escape(name)}\n.*?)```", TEXT, re.DOTALL)
    assert found, f"no example {name} in {DOCS}"
    return found.group(1)


def test_the_full_example_passes_the_check(tmp_path: Path) -> None:
    (tmp_path / "teams.yaml").write_text(example("teams.yaml"), encoding="utf-8")
    (tmp_path / "10-parcels.yaml").write_text(example("10-parcels.yaml"), encoding="utf-8")
    result = check(tmp_path)
    assert result.problems == ()
    (playbook,) = result.playbooks
    used = {key for key in schema.MatchRules.model_fields if getattr(playbook.playbook.match, key)}
    assert used == set(schema.MatchRules.model_fields), "the example uses every condition"


MODELS: list[type[BaseModel]] = [
    schema.Playbook, schema.MatchRules, schema.EmotionRule, schema.RiskRange, schema.Assign,
    schema.Sla, schema.Remedy, schema.Acknowledge, schema.EscalationRule, schema.When,
    schema.Team, schema.FollowUp,
]  # fmt: skip
ENUMS: list[type[StrEnum]] = [
    schema.Strategy, schema.Clock, schema.RemedyKind, schema.EscalationTarget, schema.SlaTarget,
    schema.ReviewPlatform,
]  # fmt: skip
NAMES = sorted(
    {key for model in MODELS for key in model.model_fields}
    | {member.value for enum in ENUMS for member in enum}
    | set(CONDITIONS)
    | {rule.name for rule in RULES}
)


@pytest.mark.parametrize("name", NAMES)
def test_every_key_value_and_rule_is_described(name: str) -> None:
    assert f"`{name}`" in TEXT
