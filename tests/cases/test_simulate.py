from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from amends.accounts import teams
from amends.cases.opening import Arrival, Signals
from amends.cases.playbook_set import PlaybookSet
from amends.cases.simulate import Simulation, Staff, staff
from amends.playbooks.assignment import Agent
from amends.playbooks.default import default_playbook
from amends.playbooks.facts import ItemFacts
from amends.playbooks.schema import EscalationTarget
from amends.store.tables import Priority, User
from tests.playbooks.helpers import compiled

START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
CARE = {"team": "care", "strategy": "round_robin"}
SET = PlaybookSet(
    folder=Path("."),
    playbooks=(
        compiled(
            "Urgent",
            match={"priority": ["critical"]},
            assign={"team": "care"},
            escalate=[{"when": {"risk_at_least": 90}, "to": "senior_review"}],
        ),
        compiled(
            "Email",
            match={"channel": ["email"]},
            assign=CARE,
            acknowledge={"within": "5m"},
            escalate=[{"when": {"repeat_within_days": 7, "count": 2}, "to": "manager"}],
        ),
    ),
    default=default_playbook(),
)


def arrival(
    number: int,
    *,
    customer: int | None = None,
    topic: str | None = None,
    channel: str = "email",
    risk: int = 30,
    priority: Priority = Priority.NORMAL,
    days: int = 0,
    rating: int | None = 2,
) -> Arrival:
    return Arrival(
        item_id=number,
        customer_id=customer,
        topic=topic,
        channel=channel,
        rating=rating,
        title=None,
        text=f"item {number}",
        at=START + timedelta(days=days),
        signals=Signals(negative=True, risk=risk, priority=priority),
        facts=ItemFacts(channel=channel, risk=risk, priority=priority, rating=rating),
    )


def test_it_opens_one_case_per_customer_and_topic_and_joins_the_rest() -> None:
    simulation = Simulation(SET)
    simulation.add([arrival(1, customer=1), arrival(2, customer=1), arrival(3, customer=2)])
    simulation.add([arrival(4, customer=1), arrival(5, customer=1, topic="app"), arrival(6)])
    report = simulation.report()
    assert (report.items, report.complaints, len(report.cases)) == (6, 6, 4)


def test_items_that_warrant_no_case_open_none() -> None:
    simulation = Simulation(SET)
    happy = Arrival(
        item_id=1,
        customer_id=None,
        topic=None,
        channel="google",
        rating=5,
        title=None,
        text="Lovely",
        at=START,
        signals=Signals(negative=False, risk=0, priority=Priority.LOW),
    )
    simulation.add([happy])
    report = simulation.report()
    assert (report.items, report.complaints, len(report.cases)) == (1, 0, 0)


def test_a_case_is_routed_on_its_riskiest_item() -> None:
    simulation = Simulation(SET)
    simulation.add(
        [
            arrival(1, customer=1),
            arrival(2, customer=1, channel="x", risk=95, priority=Priority.CRITICAL),
        ]
    )
    report = simulation.report()
    assert report.by_playbook == {"Urgent": 1, "Email": 0, "default": 0}
    assert report.by_target == {EscalationTarget.SENIOR_REVIEW: 1}
    assert report.acknowledged == 0


def test_it_shares_cases_among_the_teams_agents_by_the_playbooks_strategy() -> None:
    people = Staff(agents={"care": [Agent(7), Agent(3)]}, names={3: "Fay", 7: "Erin"})
    simulation = Simulation(SET, people)
    simulation.add([arrival(n) for n in range(1, 6)])
    report = simulation.report()
    assert report.by_agent == {3: 3, 7: 2}
    load = report.load("care")
    assert (load.cases, load.agents, load.unassigned, load.per_agent) == (5, 2, 0, 2.5)
    public = report.public()
    assert public["agents"] == [
        {"id": 7, "name": "Erin", "team": "care", "cases": 2},
        {"id": 3, "name": "Fay", "team": "care", "cases": 3},
    ]


def test_without_agents_the_cases_wait_unassigned() -> None:
    simulation = Simulation(SET)
    simulation.add([arrival(1), arrival(2)])
    load = simulation.report().load("care")
    assert (load.unassigned, load.per_agent) == (2, None)
    assert simulation.report().public()["agents_known"] is False


def test_repeat_rules_count_the_customers_complaints_up_to_the_case() -> None:
    simulation = Simulation(SET)
    simulation.add(
        [
            arrival(1, customer=1, topic="card"),
            arrival(2, customer=1, topic="app", days=3),  # second within 7 days: escalates
            arrival(3, customer=2, topic="card"),
            arrival(4, customer=2, topic="app", days=30),  # too late
        ]
    )
    report = simulation.report()
    assert report.escalated == 1
    assert report.by_target == {EscalationTarget.MANAGER: 1}


def test_it_acknowledges_only_what_the_playbook_says() -> None:
    simulation = Simulation(SET)
    simulation.add([arrival(1), arrival(2, priority=Priority.HIGH), arrival(3, channel="web")])
    assert simulation.report().acknowledged == 1


def test_it_reads_the_active_members_of_the_teams(
    session: Session, alice: User, bob: User, carol: User
) -> None:
    teams.join(session, user=alice, team="care", skills=["claims"], languages=["en"])
    teams.join(session, user=bob, team="care")
    teams.join(session, user=carol, team="billing")
    bob.is_active = False
    session.flush()
    found = staff(session, ["care"])
    assert found.agents == {"care": [Agent(alice.id, frozenset({"claims"}), frozenset({"en"}))]}
    assert found.names == {alice.id: "Alice"}
    assert found.known
    assert not staff(session, []).known
