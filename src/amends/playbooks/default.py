"""The built-in default playbook: what happens to an item no playbook matches.

It keeps amends' behaviour from before playbooks: the case goes to no team, its targets are
AMENDS_FIRST_RESPONSE_HOURS and AMENDS_RESOLUTION_HOURS in calendar time. Its remedies are the
modest ones any business can give: an apology, a voucher or partial credit up to what an agent
may grant, a refund up to what a lead may, and a callback from someone senior. Two safety
nets escalate it: risk 80 or more to senior review, any breach to a lead.
"""

from __future__ import annotations

from datetime import timedelta

from amends.config import Settings
from amends.playbooks.authority import AuthorityLimits
from amends.playbooks.schema import (
    EscalationRule,
    EscalationTarget,
    Playbook,
    Remedy,
    RemedyKind,
    Sla,
    When,
)
from amends.store.tables.users import Role

DEFAULT_NAME = "default"


def default_playbook(settings: Settings | None = None) -> Playbook:
    """The default playbook, with the SLA targets of `settings` (or their defaults)."""
    first = _hours(settings, "first_response_hours")
    resolution = _hours(settings, "resolution_hours")
    return Playbook(
        name=DEFAULT_NAME,
        description="Applies when no playbook matches.",
        sla=Sla(first_response=first, resolution=resolution),
        remedies=_remedies(settings),
        escalate=(
            EscalationRule(when=When(risk_at_least=80), to=EscalationTarget.SENIOR_REVIEW),
            EscalationRule(when=When(sla_breached=True), to=EscalationTarget.TEAM_LEAD),
            EscalationRule(when=When(unsatisfied=True), to=EscalationTarget.TEAM_LEAD),
        ),
    )


def _remedies(settings: Settings | None) -> tuple[Remedy, ...]:
    limits = AuthorityLimits.from_settings(settings)
    agent, lead = limits.limit(Role.AGENT), limits.limit(Role.LEAD)
    return (
        Remedy(kind=RemedyKind.APOLOGY),
        Remedy(kind=RemedyKind.VOUCHER, cap=agent, currency=limits.currency),
        Remedy(kind=RemedyKind.PARTIAL_CREDIT, cap=agent, currency=limits.currency),
        Remedy(kind=RemedyKind.REFUND, cap=lead, currency=limits.currency),
        Remedy(kind=RemedyKind.SENIOR_CALLBACK),
    )


def _hours(settings: Settings | None, name: str) -> timedelta:
    hours = getattr(settings, name) if settings else Settings.model_fields[name].default
    return timedelta(hours=float(hours))


DEFAULT_PLAYBOOK = default_playbook()
