"""The playbook set amends applies to new cases: read once, checked, and kept while it is good.

The configured folder is read again only when one of its files changes (name, size or
modification time) or the settings the check depends on change. A set with any problem is
never applied: amends keeps the last good set and reports the problems; when the first read of
a folder already has problems, only the built-in default playbook applies. `amends serve`
refuses to start in that case (cli/serve.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from amends.config import Settings
from amends.playbooks.authority import AuthorityLimits
from amends.playbooks.check import CheckResult, check
from amends.playbooks.default import default_playbook
from amends.playbooks.examples import configured_folder
from amends.playbooks.facts import ItemFacts
from amends.playbooks.loader import SUFFIXES
from amends.playbooks.match import CompiledPlaybook, Explanation, Match, explain, match
from amends.playbooks.problems import Problem
from amends.playbooks.schema import Playbook, Sla, Team
from amends.triage.category import load_model
from amends.triage.linear import ModelFileError

log = logging.getLogger(__name__)

#: A folder's state: each playbook file's name, modification time (ns) and size.
Stamp = tuple[tuple[str, int, int], ...] | None


@dataclass(frozen=True, slots=True)
class PlaybookSet:
    """The playbooks in use, in match order, and the default for items none matches.

    `problems` are those of the folder as it is now, which is then not in use: empty when
    the set in use is the folder's newest state.
    """

    folder: Path
    playbooks: tuple[CompiledPlaybook, ...]
    default: Playbook
    teams: Mapping[str, Team] = field(default_factory=dict)  # by name, from teams.yaml
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def named(self, name: str | None) -> Playbook:
        """The playbook a case's `playbook` column names (compared without case); the default
        when the set has none by that name (renamed or removed since the case was opened)."""
        wanted = (name or "").casefold()
        found = (c.playbook for c in self.playbooks if c.name.casefold() == wanted)
        return next(found, self.default)

    def sla_of(self, name: str | None) -> Sla:
        """The SLA of the playbook `named` `name`: its own, or the default playbook's."""
        sla = self.named(name).sla or self.default.sla
        if sla is None:
            raise ValueError("the default playbook must have an sla")
        return sla

    def match(self, facts: ItemFacts) -> Match:
        return match(self.playbooks, facts, default=self.default)

    def explain(self, facts: ItemFacts) -> Explanation:
        return explain(self.playbooks, facts, default=self.default)


@dataclass(slots=True)
class _Entry:
    stamp: Stamp
    current: PlaybookSet


@dataclass(slots=True)
class _Cache:
    entries: dict[tuple[object, ...], _Entry] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_CACHE = _Cache()


def current(settings: Settings) -> PlaybookSet:
    """The set to apply now for `settings`: read again only when the folder has changed."""
    folder = configured_folder(settings)
    key = _key(folder, settings)
    stamp = _stamp(folder)
    with _CACHE.lock:
        entry = _CACHE.entries.get(key)
        if entry is not None and entry.stamp == stamp:
            return entry.current
        chosen = _read(folder, settings, entry.current if entry else None)
        _CACHE.entries[key] = _Entry(stamp, chosen)
        return chosen


def forget() -> None:
    """Drop every set read so far: the next `current` reads its folder afresh."""
    with _CACHE.lock:
        _CACHE.entries.clear()


def check_folder(folder: Path, settings: Settings) -> CheckResult:
    """`check` with what `settings` configure: the category labels and authority limits.

    NotADirectoryError when `folder` is not a folder; ModelFileError or OSError when the
    custom category model cannot be read.
    """
    return check(
        folder,
        categories=categories(settings),
        authority=AuthorityLimits.from_settings(settings),
    )


def categories(settings: Settings) -> Collection[str] | None:
    """The labels of the configured custom category model; None for the built-in taxonomy."""
    if settings.category_model is None:
        return None
    return tuple(load_model(settings.category_model).labels)


def _read(folder: Path, settings: Settings, previous: PlaybookSet | None) -> PlaybookSet:
    default = default_playbook(settings)
    try:
        result = check_folder(folder, settings)
    except NotADirectoryError:
        problems: tuple[Problem, ...] = (Problem(str(folder), 1, 1, "", "no such folder"),)
    except (ModelFileError, OSError) as error:
        where = str(settings.category_model)
        problems = (Problem(where, 1, 1, "", f"AMENDS_CATEGORY_MODEL: {error}"),)
    else:
        if result.ok:
            teams = {loaded.team.name: loaded.team for loaded in result.load.teams}
            return PlaybookSet(folder, result.playbooks, default, teams)
        problems = result.problems
    kept = "the last good set" if previous else "only the default playbook"
    log.warning(
        "playbooks in %s have %d problem(s); applying %s until they are fixed:\n%s",
        folder,
        len(problems),
        kept,
        "\n".join(str(problem) for problem in problems),
    )
    return replace(previous or PlaybookSet(folder, (), default), problems=problems)


def _key(folder: Path, settings: Settings) -> tuple[object, ...]:
    """What a set depends on besides its files: the folder and the settings the check and
    the default playbook read."""
    return (
        folder.resolve(),
        settings.first_response_hours,
        settings.resolution_hours,
        settings.category_model,
        tuple(sorted(settings.authority_limits.items())),
        settings.authority_currency,
    )


def _stamp(folder: Path) -> Stamp:
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)
    except OSError:
        return None
    found = []
    for path in paths:
        try:
            status = path.stat()
        except OSError:  # removed while we looked: the next call sees the folder settled
            continue
        found.append((path.name, status.st_mtime_ns, status.st_size))
    return tuple(found)
