"""Escalation rules: risk, SLA breach, repeat complaints."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from amends.playbooks.escalation import Situation, escalations
from amends.playbooks.schema import EscalationTarget, SlaTarget
from tests.playbooks.helpers import playbook

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
RULES = playbook(
    "p",
    escalate=[
        {"when": {"risk_at_least": 80}, "to": "senior_review"},
        {"when": "sla_breached", "to": "team_lead"},
        {"when": {"sla_breached": "resolution"}, "to": "manager"},
        {"when": {"repeat_within_days": 30, "count": 2}, "to": "manager"},
    ],
).escalate


def fired(
    *,
    risk: int,
    breached: frozenset[SlaTarget] = frozenset(),
    complaints: Sequence[datetime] = (),
) -> list[tuple[EscalationTarget, str]]:
    situation = Situation(now=NOW, risk=risk, breached=breached, complaints=complaints)
    return [(e.to, e.reason) for e in escalations(RULES, situation)]


def test_nothing_fires_for_a_calm_case_on_time() -> None:
    assert fired(risk=40, complaints=[NOW]) == []


def test_high_risk_goes_to_senior_review() -> None:
    assert fired(risk=82) == [(EscalationTarget.SENIOR_REVIEW, "risk 82 ≥ 80")]
    assert fired(risk=80)[0][0] is EscalationTarget.SENIOR_REVIEW
    assert fired(risk=79) == []


def test_a_threshold_of_zero_says_every_case_goes() -> None:
    always = playbook("p", escalate=[{"when": {"risk_at_least": 0}, "to": "senior_review"}])
    situation = Situation(now=NOW, risk=95)
    assert [(e.to, e.reason) for e in escalations(always.escalate, situation)] == [
        (EscalationTarget.SENIOR_REVIEW, "every case of its playbook")
    ]


def test_a_breach_goes_to_the_lead_and_a_late_resolution_to_the_manager() -> None:
    assert fired(risk=0, breached=frozenset({SlaTarget.FIRST_RESPONSE})) == [
        (EscalationTarget.TEAM_LEAD, "SLA breached: first_response"),
    ]
    assert fired(risk=0, breached=frozenset({SlaTarget.RESOLUTION})) == [
        (EscalationTarget.TEAM_LEAD, "SLA breached: resolution"),
        (EscalationTarget.MANAGER, "SLA breached: resolution"),
    ]


def test_a_second_complaint_within_the_window_goes_to_the_manager() -> None:
    earlier = NOW - timedelta(days=29)
    assert fired(risk=0, complaints=[earlier, NOW]) == [
        (EscalationTarget.MANAGER, "2 complaints within 30 days (≥ 2)"),
    ]
    too_old = NOW - timedelta(days=31)
    assert fired(risk=0, complaints=[too_old, NOW]) == []


def test_each_rule_that_fires_is_reported_with_its_index() -> None:
    found = escalations(
        RULES,
        Situation(
            now=NOW, risk=95, breached=frozenset(SlaTarget), complaints=[NOW, NOW - timedelta(1)]
        ),
    )
    assert [e.rule for e in found] == [0, 1, 2, 3]
