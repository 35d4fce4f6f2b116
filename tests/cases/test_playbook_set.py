"""The playbook set in use: read once, read again when a file changes, never replaced by a
set with problems."""

from __future__ import annotations

import os
from pathlib import Path

from amends.cases import playbook_set
from amends.config import Settings
from amends.playbooks.examples import EXAMPLES_DIR
from tests.playbooks.helpers import folder_with, write

GOOD = """\
playbooks:
  - name: Billing
    match: {category: billing_and_refunds}
    assign: {team: billing}
    sla: {first_response: 2h, resolution: 1d}
"""
BETTER = """\
playbooks:
  - name: Care first
    assign: {team: care}
    sla: {first_response: 1h, resolution: 1d}
"""
BROKEN = """\
playbooks:
  - name: Billing
    sla: {first_response: 2 hourz, resolution: 1d}
  - name: Refunds
    assign: {team: nobody}
"""


def _settings(folder: Path) -> Settings:
    return Settings(playbooks_dir=folder, env="dev")


def _rewrite(path: Path, text: str, tick: int) -> None:
    """Write `text` and move the file's modification time on, as an edit a moment later."""
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime_ns + tick * 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def _names(found: playbook_set.PlaybookSet) -> list[str]:
    return [compiled.name for compiled in found.playbooks]


def test_it_reads_the_configured_folder_once(tmp_path: Path) -> None:
    settings = _settings(folder_with(tmp_path, GOOD))
    first = playbook_set.current(settings)
    assert first.ok
    assert _names(first) == ["Billing"]
    assert set(first.teams) == {"care", "billing"}
    assert first.teams["care"].lead == "lead@example.com"
    assert playbook_set.current(settings) is first


def test_it_uses_the_shipped_ecommerce_set_without_a_folder() -> None:
    found = playbook_set.current(Settings(env="dev"))
    assert found.ok
    assert found.folder == EXAMPLES_DIR / "ecommerce"
    assert "Late delivery" in _names(found)


def test_it_reads_a_changed_folder_again(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, GOOD)
    settings = _settings(folder)
    playbook_set.current(settings)
    _rewrite(folder / "playbooks.yaml", BETTER, tick=1)
    assert _names(playbook_set.current(settings)) == ["Care first"]
    write(folder, "20-more.yaml", GOOD)
    assert _names(playbook_set.current(settings)) == ["Billing", "Care first"]


def test_an_invalid_folder_on_reload_keeps_the_last_good_set_and_reports_the_problems(
    tmp_path: Path,
) -> None:
    folder = folder_with(tmp_path, GOOD)
    settings = _settings(folder)
    good = playbook_set.current(settings)
    _rewrite(folder / "playbooks.yaml", BROKEN, tick=1)
    kept = playbook_set.current(settings)
    assert kept.playbooks == good.playbooks
    assert not kept.ok
    file = folder / "playbooks.yaml"
    assert [str(problem) for problem in kept.problems] == [
        f'{file}:3:27: sla.first_response: not a duration: "2 hourz" '
        "(write e.g. 30m, 4h, 1h30m, 2d)",
        f'{file}:5:20: assign.team: unknown team "nobody" (teams: billing, care)',
    ]
    _rewrite(folder / "playbooks.yaml", BETTER, tick=2)
    fixed = playbook_set.current(settings)
    assert fixed.ok
    assert _names(fixed) == ["Care first"]


def test_an_invalid_first_read_applies_only_the_default_playbook(tmp_path: Path) -> None:
    found = playbook_set.current(_settings(folder_with(tmp_path, BROKEN)))
    assert found.playbooks == ()
    assert len(found.problems) == 2
    assert found.default.name == "default"


def test_a_missing_folder_is_a_problem(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    found = playbook_set.current(_settings(missing))
    assert [str(problem) for problem in found.problems] == [f"{missing}:1:1: no such folder"]
    assert found.playbooks == ()


def test_the_default_playbook_takes_the_configured_targets(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, GOOD)
    found = playbook_set.current(
        Settings(playbooks_dir=folder, env="dev", first_response_hours=2, resolution_hours=9)
    )
    assert found.default.sla is not None
    assert found.default.sla.first_response.total_seconds() == 2 * 3600
    assert found.default.sla.resolution.total_seconds() == 9 * 3600


def test_a_case_finds_its_playbook_by_name_or_falls_back_to_the_default(tmp_path: Path) -> None:
    found = playbook_set.current(_settings(folder_with(tmp_path, GOOD)))
    assert found.named("billing").name == "Billing"
    assert found.named("Gone since").name == "default"
    assert found.named(None) is found.default
