"""What a playbook set would do with past items, without writing a case: how many cases each
playbook and team would get, the load on each agent, how many cases would escalate and to
whom, and how many would get an automatic acknowledgement.

Items become cases as they do on arrival (cases.opening): an item opens a case when
`opens_case` says so, and joins the case its customer already has open on the same topic.
Each case is routed on its riskiest item. Agents are chosen by the playbook's strategy among
the team members given, starting from no open cases, so the load is what these items alone
would add. Escalation rules are weighed as a case opens, when no target can have been
missed yet: risk rules, and repeat rules over the customer's complaints in the items given.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.accounts.teams import members
from amends.cases.opening import Arrival, opens_case
from amends.cases.playbook_set import PlaybookSet
from amends.playbooks.assignment import Agent, choose_for
from amends.playbooks.escalation import Situation, escalations
from amends.playbooks.match import Match
from amends.playbooks.schema import EscalationRule, EscalationTarget
from amends.store.tables import User

#: A customer's open case: by (customer, topic), or by item for an item without a customer.
_Key = tuple[int | None, str | None] | tuple[str, int]


@dataclass(frozen=True, slots=True)
class SimulatedCase:
    playbook: str
    team: str | None
    owner: int | None
    risk: int
    customer: int | None
    at: datetime
    rules: tuple[EscalationRule, ...]
    acknowledged: bool


@dataclass(frozen=True, slots=True)
class Staff:
    """Who works each team, as the database knows them: agents by team, names by user id."""

    agents: Mapping[str, Sequence[Agent]] = field(default_factory=dict)
    names: Mapping[int, str] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return any(self.agents.values())


def staff(session: Session, teams: Collection[str]) -> Staff:
    """The active members of `teams`, with their skills and languages, and their names."""
    found = members(session, teams)
    agents: dict[str, list[Agent]] = defaultdict(list)
    for member in found:
        agents[member.team].append(Agent(member.id, member.skills, member.languages))
    ids = [member.id for member in found]
    query = select(User.id, User.name).where(User.id.in_(ids))
    names = {user_id: str(name) for user_id, name in session.execute(query)} if ids else {}
    return Staff(dict(agents), names)


class Simulation:
    """Feed it batches of arrivals in order (`add`), then read the `report`."""

    def __init__(self, playbooks: PlaybookSet, people: Staff | None = None) -> None:
        self.playbooks = playbooks
        self.people = people or Staff()
        self.items = 0
        self.complaints = 0
        self.cases: list[SimulatedCase] = []
        self._open: dict[_Key, int] = {}
        self._complaints: dict[int, list[datetime]] = defaultdict(list)
        self._load: Counter[int] = Counter()
        self._cursors: dict[str, int | None] = {}

    def add(self, batch: Sequence[Arrival]) -> None:
        """One batch, as `opening.open_or_join` takes it: new cases are grouped within it."""
        self.items += len(batch)
        groups: dict[_Key, list[Arrival]] = {}
        for arrival in batch:
            if not opens_case(arrival):
                continue
            self.complaints += 1
            if arrival.customer_id is not None:
                self._complaints[arrival.customer_id].append(arrival.at)
            key = _key(arrival)
            if key not in self._open:
                groups.setdefault(key, []).append(arrival)
        for key, group in groups.items():
            self._open[key] = len(self.cases)
            self.cases.append(self._opened(group))

    def _opened(self, group: list[Arrival]) -> SimulatedCase:
        riskiest = max(group, key=_risk)
        found = self.playbooks.match(riskiest.playbook_facts())
        signals = riskiest.signals
        delay = found.playbook.acknowledge.delay_for(signals.priority) if signals else None
        return SimulatedCase(
            playbook=found.playbook.name,
            team=found.playbook.assign.team if found.playbook.assign else None,
            owner=self._owner(found),
            risk=max(_risk(riskiest), 0),
            customer=group[0].customer_id,
            at=group[0].at,
            rules=found.playbook.escalate,
            acknowledged=delay is not None,
        )

    def _owner(self, found: Match) -> int | None:
        assign = found.playbook.assign
        if assign is None:
            return None
        team = [
            Agent(agent.id, agent.skills, agent.languages, self._load[agent.id])
            for agent in self.people.agents.get(assign.team, ())
        ]
        chosen = choose_for(assign, team, self._cursors.get(assign.team))
        if chosen.agent is None:
            return None
        self._cursors[assign.team] = chosen.cursor
        self._load[chosen.agent.id] += 1
        return chosen.agent.id

    def escalated_to(self, case: SimulatedCase) -> frozenset[EscalationTarget]:
        complaints = self._complaints[case.customer] if case.customer is not None else [case.at]
        situation = Situation(now=case.at, risk=case.risk, complaints=complaints)
        return frozenset(fired.to for fired in escalations(case.rules, situation))

    def report(self) -> Report:
        targets = [self.escalated_to(case) for case in self.cases]
        return Report(
            items=self.items,
            complaints=self.complaints,
            cases=self.cases,
            playbooks=[c.name for c in self.playbooks.playbooks] + [self.playbooks.default.name],
            people=self.people,
            escalated=sum(1 for fired in targets if fired),
            by_target=Counter(target for fired in targets for target in fired),
        )


def _key(arrival: Arrival) -> _Key:
    if arrival.customer_id is None:
        return ("item", arrival.item_id)
    return (arrival.customer_id, arrival.topic)


def _risk(arrival: Arrival) -> int:
    return arrival.signals.risk if arrival.signals else -1


@dataclass(frozen=True, slots=True)
class Report:
    """`complaints` are the items that would open or join a case."""

    items: int
    complaints: int
    cases: Sequence[SimulatedCase]
    playbooks: Sequence[str]  # in match order, the default last
    people: Staff
    escalated: int
    by_target: Counter[EscalationTarget]

    @property
    def by_playbook(self) -> dict[str, int]:
        """Every playbook, in match order, with the cases it would get (0 included)."""
        counted = Counter(case.playbook for case in self.cases)
        return {name: counted[name] for name in self.playbooks}

    @property
    def by_team(self) -> dict[str | None, int]:
        """Cases per team (None: the shared inbox), most first."""
        return dict(Counter(case.team for case in self.cases).most_common())

    @property
    def by_agent(self) -> Counter[int]:
        return Counter(case.owner for case in self.cases if case.owner is not None)

    @property
    def acknowledged(self) -> int:
        return sum(1 for case in self.cases if case.acknowledged)

    def load(self, team: str) -> TeamLoad:
        cases = [case for case in self.cases if case.team == team]
        agents = len(self.people.agents.get(team, ()))
        unassigned = sum(1 for case in cases if case.owner is None)
        return TeamLoad(team, len(cases), agents, unassigned)

    def public(self) -> dict[str, Any]:
        """What `amends playbooks simulate --json` prints: a public interface."""
        by_agent = self.by_agent
        return {
            "items": self.items,
            "complaints": self.complaints,
            "cases": len(self.cases),
            "playbooks": self.by_playbook,
            "teams": {team or "": count for team, count in self.by_team.items()},
            "load": {team: self.load(team).public() for team in self.by_team if team is not None},
            "agents": [
                {
                    "id": agent.id,
                    "name": self.people.names.get(agent.id, f"user #{agent.id}"),
                    "team": team,
                    "cases": by_agent[agent.id],
                }
                for team, agents in self.people.agents.items()
                for agent in agents
            ],
            "agents_known": self.people.known,
            "escalated": {
                "cases": self.escalated,
                **{target.value: self.by_target[target] for target in EscalationTarget},
            },
            "acknowledged": self.acknowledged,
        }


@dataclass(frozen=True, slots=True)
class TeamLoad:
    team: str
    cases: int
    agents: int
    unassigned: int

    @property
    def per_agent(self) -> float | None:
        """Cases each agent would get on average; None when the team has nobody."""
        return (self.cases - self.unassigned) / self.agents if self.agents else None

    def public(self) -> dict[str, Any]:
        per_agent = self.per_agent
        return {
            "cases": self.cases,
            "agents": self.agents,
            "per_agent": round(per_agent, 2) if per_agent is not None else None,
            "unassigned": self.unassigned,
        }
