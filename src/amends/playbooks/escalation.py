"""Which of a playbook's escalation rules fire for a case, and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from amends.playbooks.schema import EscalationRule, EscalationTarget, SlaTarget, When


@dataclass(frozen=True, slots=True, kw_only=True)
class Situation:
    """What escalation needs to know about a case at `now`. `complaints` are the arrival
    times of the customer's complaints, this case's included."""

    now: datetime
    risk: int
    breached: frozenset[SlaTarget] = frozenset()
    complaints: Sequence[datetime] = ()
    unsatisfied: bool = False  # the customer said so in the follow-up survey


@dataclass(frozen=True, slots=True)
class Escalation:
    to: EscalationTarget
    reason: str  # e.g. "risk 82 ≥ 80"
    rule: int | None  # its index in the playbook's `escalate`; None when a person escalated


def escalations(rules: Sequence[EscalationRule], situation: Situation) -> tuple[Escalation, ...]:
    """Every rule that fires, in the playbook's order (a target may appear more than once)."""
    fired = []
    for index, rule in enumerate(rules):
        reason = _reason(rule.when, situation)
        if reason is not None:
            fired.append(Escalation(rule.to, reason, index))
    return tuple(fired)


def _reason(when: When, situation: Situation) -> str | None:
    if when.risk_at_least is not None and when.risk_at_least <= 0:
        return "every case of its playbook"  # a threshold no risk is below, written to say that
    if when.risk_at_least is not None:
        held = situation.risk >= when.risk_at_least
        return f"risk {situation.risk} ≥ {when.risk_at_least}" if held else None
    if when.sla_breached is not None:
        missed = [target.value for target in when.sla_breached if target in situation.breached]
        return f"SLA breached: {', '.join(missed)}" if missed else None
    if when.unsatisfied:
        return "the customer is not satisfied" if situation.unsatisfied else None
    return _repeat(when, situation)


def _repeat(when: When, situation: Situation) -> str | None:
    days = when.repeat_within_days or 0
    since = situation.now - timedelta(days=days)
    recent = sum(1 for at in situation.complaints if since <= at <= situation.now)
    if recent < when.repeat_count:
        return None
    return f"{recent} complaints within {days} days (≥ {when.repeat_count})"
