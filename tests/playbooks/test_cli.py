"""`amends playbooks check`: problems with their line and column, a summary, JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amends.cli.main import app
from amends.config import get_settings
from amends.playbooks.examples import EXAMPLES_DIR
from amends.triage.category import load_model
from amends.triage.linear import save
from tests.playbooks.helpers import folder_with

BROKEN = """\
playbooks:
  - name: Lost bag
    sla:
      first_response: 4 hourz
      resolution: 2d
  - name: Lost bag again
    assign: {team: nobody}
"""


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    wide = {"COLUMNS": "160"}  # a table row per playbook, as in a wide terminal
    result = CliRunner().invoke(app, ["playbooks", "check", *args], env=wide)
    return result.exit_code, result.stdout


def test_a_valid_folder_prints_a_summary_and_exits_0() -> None:
    code, out = run(str(EXAMPLES_DIR / "aviation"))
    assert code == 0, out
    row = r"│ Missed connection +│ 30-disruption.yaml:14 +│ disruption +│ business hours +│ 2h "
    assert re.search(row, out), out
    assert "10 playbooks, 6 teams, 5 files: no problems." in out


def test_a_broken_folder_prints_each_problem_with_line_and_column_and_exits_1(
    tmp_path: Path,
) -> None:
    folder = folder_with(tmp_path, BROKEN)
    code, out = run(str(folder))
    assert code == 1
    file = folder / "playbooks.yaml"
    assert out.splitlines() == [
        f'{file}:4:23: sla.first_response: not a duration: "4 hourz" '
        "(write e.g. 30m, 4h, 1h30m, 2d)",
        f'{file}:7:20: assign.team: unknown team "nobody" (teams: billing, care)',
    ]


def test_json_output_has_the_problems_and_the_count(tmp_path: Path) -> None:
    code, out = run(str(folder_with(tmp_path, BROKEN)), "--json")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    assert report["playbooks"] == 1
    assert report["problems"][1] == {
        "file": str(tmp_path / "playbooks" / "playbooks.yaml"),
        "line": 7,
        "column": 20,
        "field": "assign.team",
        "message": 'unknown team "nobody" (teams: billing, care)',
    }
    code, out = run(str(EXAMPLES_DIR / "hospitality"), "--json")
    assert (code, json.loads(out)) == (0, {"ok": True, "problems": [], "playbooks": 9})


def test_without_a_folder_it_checks_the_configured_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, out = run("--json")
    assert (code, json.loads(out)["ok"]) == (0, True)
    monkeypatch.setenv("AMENDS_PLAYBOOKS_DIR", str(folder_with(tmp_path, BROKEN)))
    get_settings.cache_clear()
    code, out = run("--json")
    assert (code, len(json.loads(out)["problems"])) == (1, 2)


def test_the_configured_authority_limits_apply(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AMENDS_AUTHORITY_LIMITS", '{"agent": 5, "manager": 50}')
    code, out = run(str(EXAMPLES_DIR / "aviation"))
    assert code == 1
    assert "is above every role's authority (the most is 50, manager)" in out


def test_a_missing_folder_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["playbooks", "check", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such folder" in result.stderr


def test_a_custom_category_model_brings_its_own_categories(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shipped = load_model()
    labels = ("turbulence", "catering", *(f"topic_{i}" for i in range(len(shipped.labels) - 2)))
    save(replace(shipped, labels=labels), tmp_path / "custom.npz")
    monkeypatch.setenv("AMENDS_CATEGORY_MODEL", str(tmp_path / "custom.npz"))
    ours = folder_with(tmp_path / "ours", "playbooks: [{name: a, match: {category: turbulence}}]\n")
    builtin = folder_with(
        tmp_path / "builtin", "playbooks: [{name: a, match: {category: delay}}]\n"
    )
    assert run(str(ours))[0] == 0
    code, out = run(str(builtin))
    assert code == 1
    assert 'unknown category "delay"' in out


def test_an_unreadable_category_model_exits_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "garbage.npz").write_text("not a model")
    monkeypatch.setenv("AMENDS_CATEGORY_MODEL", str(tmp_path / "garbage.npz"))
    result = CliRunner().invoke(app, ["playbooks", "check", str(EXAMPLES_DIR / "aviation")])
    assert result.exit_code == 2
    assert "AMENDS_CATEGORY_MODEL" in result.stderr
