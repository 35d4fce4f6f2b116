"""The built-in default playbook: what happens to an item no playbook matches.

It keeps amends' behaviour from before playbooks: the case goes to no team, its targets are
AMENDS_FIRST_RESPONSE_HOURS and AMENDS_RESOLUTION_HOURS in calendar time, and it offers an
apology. Two safety nets escalate it: risk 80 or more to senior review, any breach to a lead.
"""

from __future__ import annotations

from datetime import timedelta

from amends.config import Settings
from amends.playbooks.schema import (
    EscalationRule,
    EscalationTarget,
    Playbook,
    Remedy,
    RemedyKind,
    Sla,
    When,
)

DEFAULT_NAME = "default"


def default_playbook(settings: Settings | None = None) -> Playbook:
    """The default playbook, with the SLA targets of `settings` (or their defaults)."""
    first = _hours(settings, "first_response_hours")
    resolution = _hours(settings, "resolution_hours")
    return Playbook(
        name=DEFAULT_NAME,
        description="Applies when no playbook matches.",
        sla=Sla(first_response=first, resolution=resolution),
        remedies=(Remedy(kind=RemedyKind.APOLOGY),),
        escalate=(
            EscalationRule(when=When(risk_at_least=80), to=EscalationTarget.SENIOR_REVIEW),
            EscalationRule(when=When(sla_breached=True), to=EscalationTarget.TEAM_LEAD),
        ),
    )


def _hours(settings: Settings | None, name: str) -> timedelta:
    hours = getattr(settings, name) if settings else Settings.model_fields[name].default
    return timedelta(hours=float(hours))


DEFAULT_PLAYBOOK = default_playbook()
