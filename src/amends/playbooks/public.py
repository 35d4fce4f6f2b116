"""A playbook set as plain data: what the playbook page shows and GET /api/v1/playbooks returns.

Durations are written as playbooks write them (`4h`, `1h30m`), amounts as decimal strings,
opening hours as `09:00-17:00`. Files are named without their folder: the server's paths are
nobody's business but the server's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from amends.playbooks.clock import DayHours
from amends.playbooks.durations import format_duration
from amends.playbooks.match import CompiledPlaybook
from amends.playbooks.problems import Origin, Problem
from amends.playbooks.schema import (
    DEFAULT_HOURS,
    Acknowledge,
    Clock,
    EscalationRule,
    Playbook,
    Remedy,
    Sla,
    SlaTarget,
    Team,
    Weekday,
    When,
)
from amends.store.tables.cases import Priority


def set_public(
    *,
    playbooks: Sequence[CompiledPlaybook],
    default: Playbook,
    teams: Mapping[str, Team],
    problems: Sequence[Problem],
    currency: str,
) -> dict[str, Any]:
    """The whole set, in match order (the first playbook that matches an item wins)."""
    default_sla = default.sla
    return {
        "ok": not problems,
        "problems": [problem_public(problem) for problem in problems],
        "playbooks": [
            playbook_public(c.playbook, c.origin, default_sla=default_sla, currency=currency)
            for c in playbooks
        ],
        "default": playbook_public(default, None, default_sla=default_sla, currency=currency),
        "teams": [team_public(team) for team in teams.values()],
    }


def playbook_public(
    playbook: Playbook, origin: Origin | None, *, default_sla: Sla | None, currency: str
) -> dict[str, Any]:
    """One playbook; `sla_from_default` says its targets are the default playbook's."""
    sla = playbook.sla or default_sla
    return {
        "name": playbook.name,
        "description": playbook.description,
        "where": f"{Path(origin.file).name}:{origin.line}" if origin else None,
        "match": playbook.match.model_dump(mode="json", exclude_none=True),
        "assign": playbook.assign.model_dump(mode="json") if playbook.assign else None,
        "sla": sla_public(sla) if sla else None,
        "sla_from_default": playbook.sla is None,
        "remedies": [remedy_public(remedy, currency) for remedy in playbook.remedies],
        "acknowledge": acknowledge_public(playbook.acknowledge),
        "escalate": [rule_public(rule) for rule in playbook.escalate],
    }


def sla_public(sla: Sla) -> dict[str, Any]:
    """`hours` (every weekday, [] when closed) only on the business-hours clock, else None."""
    calendar = sla.clock is Clock.CALENDAR
    return {
        "clock": sla.clock.value,
        "timezone": sla.timezone,
        "hours": None if calendar else _week(sla),
        "holidays": [day.isoformat() for day in sla.holidays],
        "first_response": format_duration(sla.first_response, days=calendar),
        "update_interval": (
            format_duration(sla.update_interval, days=calendar) if sla.update_interval else None
        ),
        "resolution": format_duration(sla.resolution, days=calendar),
    }


def _week(sla: Sla) -> dict[str, list[str]]:
    hours = DEFAULT_HOURS if sla.hours is None else sla.hours
    return {day.value: _day(hours.get(day, ())) for day in Weekday}


def _day(intervals: DayHours) -> list[str]:
    return [f"{_time(start)}-{_time(end)}" for start, end in intervals]


def _time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def remedy_public(remedy: Remedy, currency: str) -> dict[str, Any]:
    """`cap` by priority, or None for no cap beyond the granting person's authority."""
    caps = remedy.cap or {}
    cap = {p.value: str(caps[p]) for p in Priority if p in caps} or None
    return {
        "kind": remedy.kind.value,
        "cap": cap,
        "currency": (remedy.currency or currency) if cap else None,
        "note": remedy.note,
    }


def acknowledge_public(acknowledge: Acknowledge) -> dict[str, Any]:
    return {
        "enabled": acknowledge.enabled,
        "within": format_duration(acknowledge.within),
        "high_priority": acknowledge.high_priority,
    }


def rule_public(rule: EscalationRule) -> dict[str, Any]:
    return {
        "when": rule.when.model_dump(mode="json", exclude_none=True),
        "to": rule.to.value,
        "says": when_text(rule.when),
    }


def when_text(when: When) -> str:
    """An escalation condition in words: `risk 80 or more`, `first response missed`…"""
    if when.risk_at_least is not None:
        return f"risk {when.risk_at_least} or more"
    if when.sla_breached is not None:
        return _missed(when.sla_breached)
    if when.unsatisfied:
        return "the customer answers the follow-up unsatisfied"
    return f"{when.repeat_count} complaints or more within {when.repeat_within_days} days"


def _missed(targets: Iterable[SlaTarget]) -> str:
    chosen = tuple(targets)
    if set(chosen) == set(SlaTarget):
        return "any SLA target missed"
    return " or ".join(target.value.replace("_", " ") for target in chosen) + " missed"


def team_public(team: Team) -> dict[str, Any]:
    return {"name": team.name, "lead": team.lead, "description": team.description}


def problem_public(problem: Problem) -> dict[str, Any]:
    return problem.public() | {"file": Path(problem.file).name}
