"""Building playbooks and folders of playbook files for the tests."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from amends.playbooks.match import CompiledPlaybook, compile_playbook
from amends.playbooks.schema import Playbook

TEAMS = """\
teams:
  - name: care
    lead: lead@example.com
  - name: billing
"""


def playbook(name: str, **sections: Any) -> Playbook:
    return Playbook.model_validate({"name": name, **sections})


def compiled(name: str, **sections: Any) -> CompiledPlaybook:
    return compile_playbook(playbook(name, **sections))


def write(folder: Path, name: str, text: str) -> Path:
    """A file in `folder`, its text dedented, so tests can indent YAML with the code."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def folder_with(tmp_path: Path, playbooks: str, *, teams: str = TEAMS) -> Path:
    """A playbook folder with a teams file and one playbook file, `playbooks.yaml`."""
    folder = tmp_path / "playbooks"
    write(folder, "teams.yaml", teams)
    write(folder, "playbooks.yaml", playbooks)
    return folder
