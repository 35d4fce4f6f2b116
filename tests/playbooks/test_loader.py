"""Reading a playbook folder: every problem at its file, line and column."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from amends.playbooks.loader import load_folder
from amends.playbooks.problems import Problem
from tests.playbooks.helpers import folder_with, write

BROKEN = """\
playbooks:
  - name: Lost bag
    match:
      category: lost_item
    sla:
      first_response: 4 hourz
      resolution: 2d
    assign:
      team: care
      strategy: rond_robin
      frist: x
"""


def problems_in(tmp_path: Path, text: str) -> list[Problem]:
    return list(load_folder(folder_with(tmp_path, text)).problems)


def test_it_places_each_problem_at_its_line_and_column(tmp_path: Path) -> None:
    file = str(tmp_path / "playbooks" / "playbooks.yaml")
    assert problems_in(tmp_path, BROKEN) == [
        Problem(
            file, 6, 23, "sla.first_response",
            'not a duration: "4 hourz" (write e.g. 30m, 4h, 1h30m, 2d)',
        ),
        Problem(
            file, 10, 17, "assign.strategy",
            "input should be 'round_robin' or 'least_loaded' (got \"rond_robin\")",
        ),
        Problem(file, 11, 7, "assign.frist", 'unknown key "frist"'),
    ]  # fmt: skip


def test_a_problem_reads_file_line_column_field_message(tmp_path: Path) -> None:
    first = problems_in(tmp_path, BROKEN)[0]
    assert str(first) == (
        f"{tmp_path}/playbooks/playbooks.yaml:6:23: sla.first_response: "
        'not a duration: "4 hourz" (write e.g. 30m, 4h, 1h30m, 2d)'
    )


def test_it_places_problems_in_the_second_playbook_of_a_file(tmp_path: Path) -> None:
    text = """\
    playbooks:
      - name: fine
      - name: broken
        match: {risk: {min: 90, max: 10}}
        remedies:
          - kind: refund
            cap: {normal: 20, urgent: 50}
    """
    found = problems_in(tmp_path, text)
    assert [(p.line, p.column, p.field_path) for p in found] == [
        (4, 19, "match.risk"),
        (7, 27, "remedies[0].cap.urgent"),
    ]
    assert found[0].message == "min 90 is above max 10: nothing can match"


def test_a_missing_key_is_named_at_its_parent(tmp_path: Path) -> None:
    text = """\
    playbooks:
      - name: slow
        sla:
          first_response: 4h
    """
    (problem,) = problems_in(tmp_path, text)
    assert (problem.line, problem.column, problem.field_path, problem.message) == (
        4,
        7,
        "sla.resolution",
        "required, but not given",
    )


def test_it_suggests_the_key_that_was_meant(tmp_path: Path) -> None:
    text = """\
    playbooks:
      - name: slow
        sla: {frist_response: 4h, resolution: 1d}
    """
    messages = [p.message for p in problems_in(tmp_path, text)]
    assert 'unknown key "frist_response" (did you mean "first_response"?)' in messages


def test_a_yaml_syntax_error_has_its_position(tmp_path: Path) -> None:
    (problem,) = problems_in(tmp_path, "playbooks:\n  - name: [unclosed\n  - name: b\n")
    assert problem.message.startswith("not valid YAML")
    assert (problem.line, problem.field_path) == (3, "")


def test_a_key_given_twice_is_a_problem_at_the_second(tmp_path: Path) -> None:
    text = "playbooks:\n  - name: a\n    name: b\n"
    (problem,) = problems_in(tmp_path, text)
    assert (problem.line, problem.column) == (3, 5)
    assert problem.message == '"name" is given twice in this mapping'


def test_it_never_builds_python_objects_from_tags(tmp_path: Path) -> None:
    marker = tmp_path / "created-by-yaml"
    text = f'playbooks:\n  - name: !!python/object/apply:os.mkdir ["{marker}"]\n'
    (problem,) = [p for p in problems_in(tmp_path, text) if "cannot read" in p.message]
    assert (problem.line, problem.column) == (2, 11)
    assert not marker.exists()


def test_a_file_must_hold_a_list_of_playbooks(tmp_path: Path) -> None:
    assert [p.message for p in problems_in(tmp_path, "- name: a\n")] == [
        "expected a mapping with the key playbooks: a list"
    ]
    assert [p.message for p in problems_in(tmp_path, "playbooks: {name: a}\n")] == [
        "should be a list"
    ]
    found = problems_in(tmp_path, "playbook:\n  - name: a\n")
    assert found[0].message == "expected a mapping with the key playbooks: a list"


def test_a_playbook_must_be_a_mapping(tmp_path: Path) -> None:
    (problem,) = problems_in(tmp_path, "playbooks:\n  - just text\n")
    assert (problem.line, problem.column, problem.message) == (
        2,
        5,
        'should be a mapping of keys, not "just text"',
    )


def test_files_are_read_in_name_order_and_playbooks_in_file_order(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    write(folder, "teams.yaml", "teams: [{name: care}]\n")
    write(folder, "20-b.yml", "playbooks: [{name: b1}, {name: b2}]\n")
    write(folder, "10-a.yaml", "playbooks: [{name: a1}]\n")
    write(folder, "notes.txt", "not a playbook file")
    loaded = load_folder(folder)
    assert loaded.problems == ()
    assert [p.playbook.name for p in loaded.playbooks] == ["a1", "b1", "b2"]
    assert [str(p.compiled.origin) for p in loaded.playbooks] == [
        f"{folder}/10-a.yaml:1",
        f"{folder}/20-b.yml:1",
        f"{folder}/20-b.yml:1",
    ]
    assert [t.team.name for t in loaded.teams] == ["care"]


def test_spare_top_level_keys_hold_anchors_that_playbooks_merge(tmp_path: Path) -> None:
    text = """\
    x-office: &office
      clock: business_hours
      timezone: Europe/London
      first_response: 4h
      resolution: 16h
    playbooks:
      - name: faster
        sla: {<<: *office, first_response: 1h}
    """
    loaded = load_folder(folder_with(tmp_path, text))
    assert loaded.problems == ()
    sla = loaded.playbooks[0].playbook.sla
    assert sla is not None
    assert (sla.first_response, sla.resolution, sla.timezone) == (
        timedelta(hours=1),
        timedelta(hours=16),
        "Europe/London",
    )


def test_an_empty_file_holds_no_playbooks(tmp_path: Path) -> None:
    loaded = load_folder(folder_with(tmp_path, "# nothing yet\n"))
    assert (loaded.problems, loaded.playbooks) == ((), ())


def test_a_file_that_is_not_utf8_is_a_problem(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "playbooks: []\n")
    (folder / "playbooks.yaml").write_bytes(b"playbooks:\n  - name: caf\xe9\n")
    assert [p.message for p in load_folder(folder).problems] == ["not UTF-8 text"]


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError, match="no such folder"):
        load_folder(tmp_path / "nowhere")
