"""Choosing an agent: fair rotation, the lightest load, skills and languages."""

from __future__ import annotations

from collections import Counter

from amends.playbooks.assignment import Agent, choose, choose_for, eligible
from amends.playbooks.schema import Assign, Strategy

TEAM = [
    Agent(7, frozenset({"refunds"}), frozenset({"en", "de"}), open_cases=4),
    Agent(3, frozenset({"refunds", "eu261"}), frozenset({"en"}), open_cases=2),
    Agent(5, frozenset(), frozenset({"fr"}), open_cases=2),
    Agent(9, frozenset({"EU261"}), frozenset({"DE"}), open_cases=0),
]


def test_round_robin_cycles_evenly_over_many_assignments() -> None:
    cursor, counts, order = None, Counter[int](), []
    for _ in range(4 * 25 + 2):
        chosen = choose(TEAM, strategy=Strategy.ROUND_ROBIN, cursor=cursor)
        assert chosen.agent is not None
        counts[chosen.agent.id] += 1
        order.append(chosen.agent.id)
        cursor = chosen.cursor
    assert order[:5] == [3, 5, 7, 9, 3]
    assert sorted(counts.values()) == [25, 25, 26, 26]


def test_round_robin_survives_an_agent_leaving() -> None:
    chosen = choose(TEAM, strategy=Strategy.ROUND_ROBIN, cursor=6)  # agent 6 left the team
    assert chosen.agent is not None
    assert chosen.agent.id == 7


def test_least_loaded_picks_the_lightest() -> None:
    chosen = choose(TEAM, strategy=Strategy.LEAST_LOADED)
    assert chosen.agent is not None
    assert chosen.agent.id == 9


def test_least_loaded_breaks_ties_in_rotation_order() -> None:
    tied = [agent for agent in TEAM if agent.open_cases == 2]  # agents 3 and 5
    first = choose(tied, strategy=Strategy.LEAST_LOADED)
    second = choose(tied, strategy=Strategy.LEAST_LOADED, cursor=first.cursor)
    assert [first.agent and first.agent.id, second.agent and second.agent.id] == [3, 5]
    assert choose(tied, strategy=Strategy.LEAST_LOADED, cursor=first.cursor) == second


def test_least_loaded_spreads_new_cases_until_loads_are_even() -> None:
    agents = {agent.id: agent for agent in TEAM}
    cursor = None
    for _ in range(12):
        chosen = choose(agents.values(), strategy=Strategy.LEAST_LOADED, cursor=cursor)
        assert chosen.agent is not None
        cursor = chosen.cursor
        picked = chosen.agent
        agents[picked.id] = Agent(picked.id, picked.skills, picked.languages, picked.open_cases + 1)
    assert sorted(agent.open_cases for agent in agents.values()) == [5, 5, 5, 5]


def test_it_keeps_only_agents_with_every_skill_and_a_language() -> None:
    assert [a.id for a in eligible(TEAM, skills=["refunds"])] == [3, 7]
    assert [a.id for a in eligible(TEAM, skills=["eu261"])] == [3, 9]
    assert [a.id for a in eligible(TEAM, languages=["de", "fr"])] == [5, 7, 9]
    assert [a.id for a in eligible(TEAM, skills=["eu261"], languages=["de"])] == [9]


def test_no_eligible_agent_leaves_the_case_unassigned_and_the_cursor_alone() -> None:
    chosen = choose(TEAM, strategy=Strategy.ROUND_ROBIN, languages=["ja"], cursor=5)
    assert (chosen.agent, chosen.cursor) == (None, 5)


def test_a_playbooks_assign_section_drives_the_choice() -> None:
    assign = Assign.model_validate(
        {"team": "refunds", "strategy": "round_robin", "skills": ["Refunds"], "languages": "en"}
    )
    first = choose_for(assign, TEAM)
    second = choose_for(assign, TEAM, first.cursor)
    assert [first.agent and first.agent.id, second.agent and second.agent.id] == [3, 7]
