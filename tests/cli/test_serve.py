"""`amends serve` (and `amends demo`) refuse to start with a playbook set that has problems.

The check runs before the server starts, so it is tested here on its own: no server runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from amends.cli.serve import refuse_invalid_playbooks
from amends.config import Settings
from tests.playbooks.helpers import folder_with

BROKEN = """\
playbooks:
  - name: Lost bag
    sla: {first_response: 4 hourz, resolution: 2d}
"""


def test_it_refuses_an_invalid_set_printing_each_problem_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = folder_with(tmp_path, BROKEN)
    with pytest.raises(typer.Exit) as caught:
        refuse_invalid_playbooks(Settings(env="dev", playbooks_dir=folder))
    assert caught.value.exit_code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f'{folder / "playbooks.yaml"}:3:27: sla.first_response: not a duration: "4 hourz" '
        "(write e.g. 30m, 4h, 1h30m, 2d)"
    )
    assert err[1].startswith(f"error: the playbooks in {folder} have 1 problem(s)")


def test_it_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(typer.Exit):
        refuse_invalid_playbooks(Settings(env="dev", playbooks_dir=tmp_path / "nowhere"))


def test_it_lets_a_good_set_through(capsys: pytest.CaptureFixture[str]) -> None:
    refuse_invalid_playbooks(Settings(env="dev"))  # the shipped e-commerce set
    assert capsys.readouterr().err == ""
