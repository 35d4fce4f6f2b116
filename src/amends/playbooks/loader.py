"""Reading a playbook folder, placing every problem at its file, line and column.

A folder holds playbook files (`*.yaml`, `*.yml`), read in file-name order, and one teams
file, `teams.yaml`. First matching playbook wins: files in name order, then playbooks in
file order.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from amends.playbooks.match import CompiledPlaybook, compile_playbook
from amends.playbooks.nodes import Document, YamlSyntaxError, read_yaml
from amends.playbooks.problems import FieldPath, Origin, Problem, dotted
from amends.playbooks.schema import Playbook, Team

SUFFIXES = (".yaml", ".yml")
TEAMS_STEM = "teams"
#: Top-level keys starting with this are ignored: a place to define YAML anchors once.
SPARE_PREFIX = "x-"
_Model = TypeVar("_Model", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Locator:
    """Turns a path inside one part of a file (a playbook, a team) into a Problem."""

    file: str
    document: Document
    base: FieldPath

    def problem(self, path: FieldPath, message: str, *, key: bool = False) -> Problem:
        mark = self.document.mark((*self.base, *path), key=key)
        return Problem(self.file, mark.line, mark.column, dotted(path), message)

    def known(self, path: FieldPath) -> bool:
        return (*self.base, *path) in self.document.values

    def value(self) -> object:
        """The plain value at `base`."""
        found: Any = self.document.value
        for part in self.base:
            found = found[part]
        return found


@dataclass(frozen=True, slots=True)
class LoadedPlaybook:
    compiled: CompiledPlaybook
    locator: Locator

    @property
    def playbook(self) -> Playbook:
        return self.compiled.playbook


@dataclass(frozen=True, slots=True)
class LoadedTeam:
    team: Team
    locator: Locator


@dataclass(frozen=True, slots=True)
class LoadResult:
    """A folder's playbooks in match order, its teams, and every problem of form."""

    files: tuple[str, ...]
    playbooks: tuple[LoadedPlaybook, ...]
    teams: tuple[LoadedTeam, ...]
    problems: tuple[Problem, ...]

    @property
    def compiled(self) -> tuple[CompiledPlaybook, ...]:
        return tuple(loaded.compiled for loaded in self.playbooks)


def playbook_files(directory: Path) -> tuple[list[Path], list[Path]]:
    """The folder's playbook files in match order, and its teams files."""
    found = sorted(
        path
        for path in directory.iterdir()
        if path.suffix in SUFFIXES and path.is_file() and not path.name.startswith(".")
    )
    return [p for p in found if p.stem != TEAMS_STEM], [p for p in found if p.stem == TEAMS_STEM]


def load_folder(directory: Path) -> LoadResult:
    """Every playbook and team in `directory`. NotADirectoryError when it is not a folder."""
    if not directory.is_dir():
        raise NotADirectoryError(f"{directory}: no such folder")
    playbook_paths, team_paths = playbook_files(directory)
    problems: list[Problem] = []
    teams = [
        LoadedTeam(team, locator)
        for path in team_paths[:1]
        for team, locator in _models(path, "teams", Team, problems)
    ]
    problems.extend(
        Problem(str(extra), 1, 1, "", f"a second teams file: keep only {team_paths[0]}")
        for extra in team_paths[1:]
    )
    playbooks = [
        LoadedPlaybook(compile_playbook(playbook, _origin(locator)), locator)
        for path in playbook_paths
        for playbook, locator in _models(path, "playbooks", Playbook, problems)
    ]
    return LoadResult(
        files=tuple(str(p) for p in [*team_paths[:1], *playbook_paths]),
        playbooks=tuple(playbooks),
        teams=tuple(teams),
        problems=tuple(sorted(dict.fromkeys(problems))),
    )


def _origin(locator: Locator) -> Origin:
    mark = locator.document.mark(locator.base)
    return Origin(locator.file, mark.line, mark.column)


def _models(
    path: Path, key: str, model: type[_Model], problems: list[Problem]
) -> Iterator[tuple[_Model, Locator]]:
    """Each valid entry of the file's top-level list `key`; the invalid ones add problems."""
    document = _read(path, problems)
    if document is None:
        return
    for locator in _entries(str(path), document, key, problems):
        try:
            yield model.model_validate(locator.value()), locator
        except ValidationError as error:
            problems.extend(_problem(locator, details, model) for details in error.errors())


def _read(path: Path, problems: list[Problem]) -> Document | None:
    file = str(path)
    try:
        document = read_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.append(Problem(file, 1, 1, "", "not UTF-8 text"))
        return None
    except YamlSyntaxError as error:
        problems.append(Problem(file, error.mark.line, error.mark.column, "", error.message))
        return None
    for mark, where, message in document.problems:
        problems.append(Problem(file, mark.line, mark.column, dotted(where), message))
    return document


def _entries(file: str, document: Document, key: str, problems: list[Problem]) -> Iterator[Locator]:
    """A locator for each item of the one top-level list, `key`, that a file holds."""
    top, root = Locator(file, document, ()), document.value
    if root is None:
        return
    if not isinstance(root, dict) or key not in root:
        problems.append(top.problem((), f"expected a mapping with the key {key}: a list"))
        return
    problems.extend(
        top.problem((name,), unknown_key(name, {key}), key=True)
        for name in root
        if name != key and not str(name).startswith(SPARE_PREFIX)
    )
    items = root[key]
    if not isinstance(items, list):
        problems.append(top.problem((key,), "should be a list"))
        return
    for index in range(len(items)):
        yield Locator(file, document, (key, index))


def _problem(locator: Locator, error: ErrorDetails, model: type[BaseModel]) -> Problem:
    at_key = error["type"] == "extra_forbidden" or "[key]" in error["loc"]
    loc = tuple(part for part in error["loc"] if part != "[key]")
    if error["type"] == "extra_forbidden":
        message = unknown_key(loc[-1], keys_at(model, loc[:-1]))
    else:
        message = _say(error)
    return locator.problem(_written_part(locator, loc, error["type"]), message, key=at_key)


def _written_part(locator: Locator, loc: FieldPath, kind: str) -> FieldPath:
    """The part of an error's location that is in the file: pydantic's own steps (such as a
    cap filled in for an unnamed priority) are dropped; a missing key is kept."""
    path: FieldPath = ()
    for part in loc:
        if not locator.known((*path, part)):
            return (*path, part) if kind == "missing" else path
        path = (*path, part)
    return path


def _say(error: ErrorDetails) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        return "required, but not given"
    if kind in ("model_type", "dict_type"):
        return f"should be a mapping of keys, not {_quote(value)}"
    text = error["msg"].removeprefix("Value error, ")
    text = text[:1].lower() + text[1:]
    if kind != "value_error" and isinstance(value, str | int | float | date):
        text += f" (got {_quote(value)})"
    return text


def unknown_key(name: object, known: Collection[str]) -> str:
    """`unknown key "frist_response" (did you mean "first_response"?)`."""
    close = difflib.get_close_matches(str(name), sorted(known), n=1, cutoff=0.6)
    return f'unknown key "{name}"' + (f' (did you mean "{close[0]}"?)' if close else "")


def keys_at(model: type[BaseModel], path: FieldPath) -> frozenset[str]:
    """The keys the format allows at `path` inside `model`."""
    current = model
    for part in path:
        field = current.model_fields.get(part) if isinstance(part, str) else None
        nested = _model_in(field.annotation) if field else None
        if isinstance(part, str) and nested is None:
            return frozenset()
        current = nested or current
    return frozenset(current.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model inside a field's type: `tuple[Remedy, ...] | None` → Remedy."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _quote(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, dict) else str(value)
