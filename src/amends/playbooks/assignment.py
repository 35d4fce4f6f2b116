"""Choosing the agent for a case among a team's agents: round robin or least loaded.

Pure: the caller passes the agents with their open case counts and the team's round-robin
cursor (the id of the agent chosen last), and stores the cursor it gets back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from amends.playbooks.schema import Assign, Strategy


@dataclass(frozen=True, slots=True)
class Agent:
    id: int
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    open_cases: int = 0


@dataclass(frozen=True, slots=True)
class Assignment:
    """The chosen agent (None when no agent is eligible) and the cursor to keep."""

    agent: Agent | None
    cursor: int | None


def eligible(
    agents: Iterable[Agent], *, skills: Iterable[str] = (), languages: Iterable[str] = ()
) -> list[Agent]:
    """Agents with every skill, and at least one of the languages when any are given; by id."""
    needed, spoken = {s.lower() for s in skills}, {lang.lower() for lang in languages}
    return sorted(
        (
            agent
            for agent in agents
            if needed <= {s.lower() for s in agent.skills}
            and (not spoken or spoken & {lang.lower() for lang in agent.languages})
        ),
        key=lambda agent: agent.id,
    )


def choose(
    agents: Iterable[Agent],
    *,
    strategy: Strategy,
    skills: Iterable[str] = (),
    languages: Iterable[str] = (),
    cursor: int | None = None,
) -> Assignment:
    """One eligible agent, or none.

    Round robin takes the next agent by id after `cursor`, wrapping around, so agents who
    join or leave do not upset the rotation. Least loaded takes the agent with the fewest open
    cases; a tie goes to the first tied agent in round-robin order, so ties rotate too.
    """
    rotation = _after(eligible(agents, skills=skills, languages=languages), cursor)
    if not rotation:
        return Assignment(None, cursor)
    if strategy is Strategy.ROUND_ROBIN:
        chosen = rotation[0]
    else:
        chosen = min(rotation, key=lambda agent: agent.open_cases)
    return Assignment(chosen, chosen.id)


def choose_for(assign: Assign, agents: Iterable[Agent], cursor: int | None = None) -> Assignment:
    """`choose` with a playbook's `assign` section."""
    return choose(
        agents,
        strategy=assign.strategy,
        skills=assign.skills,
        languages=assign.languages,
        cursor=cursor,
    )


def _after(agents: Sequence[Agent], cursor: int | None) -> list[Agent]:
    """The agents (sorted by id) in rotation order: first the one after `cursor`."""
    split = next((i for i, agent in enumerate(agents) if cursor is None or agent.id > cursor), 0)
    return [*agents[split:], *agents[:split]]
