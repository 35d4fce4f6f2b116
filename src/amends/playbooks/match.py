"""Which playbook an item falls under: the first whose every condition holds, else the
default. `explain` says, condition by condition, why each playbook up to the winner did or
did not match."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from amends.playbooks.conditions import Condition, Verdict, compile_rules
from amends.playbooks.default import DEFAULT_PLAYBOOK
from amends.playbooks.facts import ItemFacts
from amends.playbooks.problems import Origin
from amends.playbooks.schema import Playbook, Sla


@dataclass(frozen=True, slots=True)
class CompiledPlaybook:
    """A playbook ready to match: its conditions built once (keyword patterns included)."""

    playbook: Playbook
    origin: Origin | None
    conditions: tuple[Condition, ...]

    @property
    def name(self) -> str:
        return self.playbook.name

    def matches(self, facts: ItemFacts) -> bool:
        return all(condition.test(facts) for condition in self.conditions)

    def verdicts(self, facts: ItemFacts) -> tuple[Verdict, ...]:
        return tuple(condition.explain(facts) for condition in self.conditions)


def compile_playbook(playbook: Playbook, origin: Origin | None = None) -> CompiledPlaybook:
    return CompiledPlaybook(playbook, origin, compile_rules(playbook.match))


@dataclass(frozen=True, slots=True)
class Match:
    """The playbook an item falls under. `sla` is the playbook's own, or the default
    playbook's when it has none; `origin` is None for the default playbook."""

    playbook: Playbook
    origin: Origin | None
    is_default: bool
    sla: Sla


def match(
    playbooks: Sequence[CompiledPlaybook], facts: ItemFacts, *, default: Playbook = DEFAULT_PLAYBOOK
) -> Match:
    """The first of `playbooks`, in order, that matches `facts`; `default` when none does."""
    for compiled in playbooks:
        if compiled.matches(facts):
            return _found(compiled, default)
    return _fallback(default)


def _found(compiled: CompiledPlaybook, default: Playbook) -> Match:
    sla = compiled.playbook.sla or _default_sla(default)
    return Match(compiled.playbook, compiled.origin, is_default=False, sla=sla)


def _fallback(default: Playbook) -> Match:
    return Match(default, None, is_default=True, sla=_default_sla(default))


def _default_sla(default: Playbook) -> Sla:
    if default.sla is None:
        raise ValueError("the default playbook must have an sla")
    return default.sla


@dataclass(frozen=True, slots=True)
class Attempt:
    """One playbook tried against an item: every condition's verdict."""

    name: str
    origin: Origin | None
    matched: bool
    verdicts: tuple[Verdict, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    match: Match
    attempts: tuple[Attempt, ...]  # in order, up to and including the one that matched

    def lines(self) -> list[str]:
        """The explanation as text, one line per playbook and one per condition."""
        out = []
        for attempt in self.attempts:
            where = f" ({attempt.origin})" if attempt.origin else ""
            out.append(f"{'✓' if attempt.matched else '✗'} {attempt.name}{where}")
            if not attempt.verdicts:
                out.append("    ✓ no conditions: matches every item")
            for verdict in attempt.verdicts:
                out.append(f"    {'✓' if verdict.held else '✗'} {verdict.why}")
        if self.match.is_default:
            out.append(f"→ no playbook matched: the default playbook ({self.match.playbook.name})")
        return out


def explain(
    playbooks: Sequence[CompiledPlaybook], facts: ItemFacts, *, default: Playbook = DEFAULT_PLAYBOOK
) -> Explanation:
    """As `match`, with the verdict of every condition of every playbook tried."""
    attempts = []
    for compiled in playbooks:
        verdicts = compiled.verdicts(facts)
        matched = all(verdict.held for verdict in verdicts)
        attempts.append(Attempt(compiled.name, compiled.origin, matched, verdicts))
        if matched:
            return Explanation(_found(compiled, default), tuple(attempts))
    return Explanation(_fallback(default), tuple(attempts))
