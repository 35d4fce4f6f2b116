"""Checking a playbook set: its form (loader) and its meaning (RULES).

A set with any problem must not be used: `check(folder).ok` is False and the server keeps the
last good set. Every rule reports the position of what to fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from amends.playbooks.authority import AuthorityLimits
from amends.playbooks.default import DEFAULT_NAME
from amends.playbooks.loader import LoadedPlaybook, LoadResult, load_folder
from amends.playbooks.match import CompiledPlaybook
from amends.playbooks.problems import Problem
from amends.playbooks.schema import EscalationRule, Playbook, SlaTarget
from amends.playbooks.shadow import covers
from amends.triage.category import TAXONOMY
from amends.triage.emotions import EMOTIONS


@dataclass(frozen=True, slots=True)
class Context:
    load: LoadResult
    categories: frozenset[str]
    authority: AuthorityLimits


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    find: Callable[[Context], Iterator[Problem]]
    help: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    load: LoadResult
    problems: tuple[Problem, ...]  # ordered by file, line and column

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def playbooks(self) -> tuple[CompiledPlaybook, ...]:
        """The playbooks in match order (only those without a problem of form)."""
        return self.load.compiled


def check(
    directory: Path,
    *,
    categories: Collection[str] | None = None,
    authority: AuthorityLimits | None = None,
) -> CheckResult:
    """Every problem of form and meaning in the playbook folder `directory`.

    `categories` are the labels triage can give (TAXONOMY unless a custom category model is
    configured); `authority` the configured limits (the settings' defaults when None).
    NotADirectoryError when `directory` is not a folder.
    """
    load = load_folder(directory)
    context = Context(
        load,
        frozenset(TAXONOMY if categories is None else categories),
        authority or AuthorityLimits.from_settings(),
    )
    found = [*load.problems, *(p for rule in RULES for p in rule.find(context))]
    return CheckResult(load, tuple(sorted(dict.fromkeys(found))))


def _duplicate_names(context: Context) -> Iterator[Problem]:
    seen: dict[str, LoadedPlaybook] = {}
    for loaded in context.load.playbooks:
        name = loaded.playbook.name.casefold()
        if name == DEFAULT_NAME:
            yield loaded.locator.problem(("name",), f'"{DEFAULT_NAME}" is the built-in playbook')
        elif name in seen:
            first = seen[name].compiled.origin
            yield loaded.locator.problem(("name",), f"this name is already used at {first}")
        seen.setdefault(name, loaded)


def _duplicate_teams(context: Context) -> Iterator[Problem]:
    seen: set[str] = set()
    for loaded in context.load.teams:
        if loaded.team.name in seen:
            yield loaded.locator.problem(("name",), f'team "{loaded.team.name}" is listed twice')
        seen.add(loaded.team.name)


def _unknown_teams(context: Context) -> Iterator[Problem]:
    names = sorted({loaded.team.name for loaded in context.load.teams})
    known = f"teams: {', '.join(names)}" if names else "there is no teams.yaml in this folder"
    for loaded in context.load.playbooks:
        assign = loaded.playbook.assign
        if assign is not None and assign.team not in names:
            message = f'unknown team "{assign.team}"{_suggest(assign.team, names)} ({known})'
            yield loaded.locator.problem(("assign", "team"), message)


def _unknown_labels(context: Context) -> Iterator[Problem]:
    for loaded in context.load.playbooks:
        rules = loaded.playbook.match
        for index, name in enumerate(rules.category or ()):
            if name not in context.categories:
                message = f'unknown category "{name}"{_suggest(name, context.categories)}'
                yield loaded.locator.problem(_item(loaded, ("match", "category"), index), message)
        present = rules.emotions.present if rules.emotions else ()
        for index, name in enumerate(present):
            if name not in EMOTIONS:
                message = f'unknown emotion "{name}"{_suggest(name, EMOTIONS)}'
                path = _item(loaded, ("match", "emotions", "present"), index)
                yield loaded.locator.problem(path, message)


def _caps_within_authority(context: Context) -> Iterator[Problem]:
    authority = context.authority
    role, highest = authority.highest
    for loaded in context.load.playbooks:
        for index, remedy in enumerate(loaded.playbook.remedies):
            at = ("remedies", index)
            if remedy.currency not in (None, authority.currency):
                yield loaded.locator.problem(
                    (*at, "currency"),
                    f"caps are in {remedy.currency} but authority limits are in "
                    f"{authority.currency} (AMENDS_AUTHORITY_CURRENCY); amends does not convert",
                )
                continue
            over: dict[Decimal, str] = {}
            for priority, amount in (remedy.cap or {}).items():
                if amount > highest:
                    over.setdefault(amount, priority.value)
            for excess, named in over.items():
                path = (*at, "cap", named)
                yield loaded.locator.problem(
                    path if loaded.locator.known(path) else (*at, "cap"),
                    f"{remedy.kind} cap {excess} {authority.currency} is above every role's "
                    f"authority (the most is {highest}, {role}): no one could grant it",
                )


def _shadowed(context: Context) -> Iterator[Problem]:
    playbooks = context.load.playbooks
    for position, later in enumerate(playbooks):
        for earlier in playbooks[:position]:
            if covers(earlier.playbook.match, later.playbook.match):
                yield later.locator.problem(
                    (),
                    f'playbook "{later.playbook.name}" can never match: "{earlier.playbook.name}" '
                    f"({earlier.compiled.origin}) matches every item it would",
                )
                break


def _escalations_that_never_fire(context: Context) -> Iterator[Problem]:
    for loaded in context.load.playbooks:
        for index, rule in enumerate(loaded.playbook.escalate):
            found = _why_never(loaded.playbook, rule)
            if found is not None:
                key, message = found
                yield loaded.locator.problem(("escalate", index, "when", key), message)


def _why_never(playbook: Playbook, rule: EscalationRule) -> tuple[str, str] | None:
    """The condition of `rule` that can never hold in `playbook`, and why."""
    least, risk = rule.when.risk_at_least, playbook.match.risk
    if least is not None and least > 100:
        return "risk_at_least", f"risk is at most 100: {least} is never reached"
    if least is not None and risk is not None and risk.max is not None and least > risk.max:
        return "risk_at_least", f"this playbook only takes risk up to {risk.max}, never {least}"
    no_updates = playbook.sla is None or playbook.sla.update_interval is None
    if rule.when.sla_breached == (SlaTarget.UPDATE_INTERVAL,) and no_updates:
        return "sla_breached", "the playbook's sla has no update_interval to breach"
    return None


def _item(loaded: LoadedPlaybook, path: tuple[str, ...], index: int) -> tuple[str | int, ...]:
    """The list item's path when the list was written as a list, else the key's."""
    return (*path, index) if loaded.locator.known((*path, index)) else path


def _suggest(name: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


# fmt: off
RULES: tuple[Rule, ...] = (
    Rule("duplicate_name", _duplicate_names,
         "two playbooks share a name (compared without case), or one is named default"),
    Rule("duplicate_team", _duplicate_teams, "teams.yaml lists a team twice"),
    Rule("unknown_team", _unknown_teams, "assign.team is not in teams.yaml"),
    Rule("unknown_label", _unknown_labels,
         "match.category or match.emotions names a label triage never gives"),
    Rule("cap_above_authority", _caps_within_authority,
         "a remedy cap no role may grant, or a cap in another currency than the limits"),
    Rule("shadowed", _shadowed,
         "a playbook that can never match because an earlier one matches all it would"),
    Rule("escalation_never_fires", _escalations_that_never_fire,
         "risk_at_least above 100 or above the playbook's own risk max; sla_breached: "
         "update_interval without an update_interval"),
)
# fmt: on
