"""Cases routed per second through the playbooks: match, due times and the agent chosen.

Real complaints: the CFPB narratives shipped with the demo, triaged first (not timed), each
with a channel and a rating as `benchmarks.datasets` cycles them, then routed over and over
up to the number of cases asked for. Routing is what `cases.routing.route_all` does on case
open (first match, due times on the playbook's clock) plus `playbooks.assignment.choose_for`
among four agents per team, in memory: the database's share (reading members, cursors and
open-case counts once per batch) is left out.

Two ways cases arrive: one at a time (a webhook, each case its own `opened_at`, so due times
are worked out for every case) and in import batches of 5,000 sharing one `opened_at` (due
times once per playbook per batch). Peers in the same run: the default playbook alone (the
same code with nothing to match), and a plain dict from category to team and targets.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from amends.cases import playbook_set
from amends.cases.playbook_set import PlaybookSet
from amends.cases.routing import Route, item_facts, route_all
from amends.config import Settings
from amends.playbooks.assignment import Agent, choose_for
from amends.playbooks.default import default_playbook
from amends.playbooks.examples import EXAMPLES_DIR
from amends.playbooks.facts import ItemFacts
from amends.triage.service import TriageInput, triage
from benchmarks.datasets import CHANNELS, narratives

SETS = ("ecommerce", "hospitality", "aviation")
BATCH = 5_000
AGENTS_PER_TEAM = 4
RATINGS = (1, 2, 3, 4, 5, None)
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
RUNS = 5
#: The rate is per case and steady, so 20,000 cases measure it as well as 100,000 would.
CASES = 20_000


def triaged_facts() -> list[ItemFacts]:
    """Every demo narrative as playbooks see it, with a channel and a rating."""
    texts = narratives()
    channels = [CHANNELS[n % len(CHANNELS)] for n in range(len(texts))]
    ratings = [RATINGS[n % len(RATINGS)] for n in range(len(texts))]
    inputs = [
        TriageInput(text=text, channel=channel, rating=rating)
        for text, channel, rating in zip(texts, channels, ratings, strict=True)
    ]
    return [
        item_facts(
            text=text, channel=channel, source="bench", rating=rating, triaged=result, profile=None
        )
        for text, channel, rating, result in zip(
            texts, channels, ratings, triage(inputs), strict=True
        )
    ]


class Assigner:
    """`choose_for` with in-memory agents, loads and cursors, as `cases.owners` keeps them.
    Each team has four agents with every skill and language its playbooks ask for."""

    def __init__(self, current: PlaybookSet) -> None:
        ids = itertools.count(1)
        asked: dict[str, tuple[set[str], set[str]]] = {t: (set(), set()) for t in current.teams}
        for compiled in current.playbooks:
            if compiled.playbook.assign is not None:
                assign = compiled.playbook.assign
                skills, languages = asked.setdefault(assign.team, (set(), set()))
                skills.update(assign.skills)
                languages.update(assign.languages)
        self.agents = {
            team: [
                Agent(next(ids), frozenset(skills), frozenset(languages))
                for _ in range(AGENTS_PER_TEAM)
            ]
            for team, (skills, languages) in asked.items()
        }
        self.load: Counter[int] = Counter()
        self.cursors: dict[str, int | None] = {}

    def owner(self, route: Route) -> int | None:
        if route.assign is None:
            return None
        team = route.assign.team
        agents = [
            Agent(a.id, a.skills, a.languages, self.load[a.id]) for a in self.agents.get(team, ())
        ]
        chosen = choose_for(route.assign, agents, self.cursors.get(team))
        if chosen.agent is None:
            return None
        self.cursors[team] = chosen.cursor
        self.load[chosen.agent.id] += 1
        return chosen.agent.id


def one_at_a_time(current: PlaybookSet, cases: Sequence[ItemFacts]) -> int:
    assigner = Assigner(current)
    routed = 0
    for number, facts in enumerate(cases):
        [route] = route_all(current, [(facts, START + timedelta(seconds=number * 7))])
        assigner.owner(route)
        routed += 1
    return routed


def in_batches(current: PlaybookSet, cases: Sequence[ItemFacts]) -> int:
    assigner = Assigner(current)
    routed = 0
    for start in range(0, len(cases), BATCH):
        opened = START + timedelta(minutes=start // BATCH)
        routes = route_all(current, [(facts, opened) for facts in cases[start : start + BATCH]])
        for route in routes:
            assigner.owner(route)
        routed += len(routes)
    return routed


def dict_lookup(cases: Sequence[ItemFacts]) -> int:
    """The floor: category → (team, first response, resolution), round robin by team."""
    table = {
        "delay": ("delivery", timedelta(hours=4), timedelta(hours=24)),
        "billing_and_refunds": ("billing", timedelta(hours=4), timedelta(hours=48)),
        "lost_item": ("delivery", timedelta(hours=2), timedelta(hours=24)),
    }
    fallback = (None, timedelta(hours=24), timedelta(hours=72))
    agents = {"delivery": itertools.cycle(range(1, 5)), "billing": itertools.cycle(range(5, 9))}
    routed = 0
    for number, facts in enumerate(cases):
        team, first, resolution = table.get(facts.category or "", fallback)
        opened = START + timedelta(seconds=number * 7)
        _due = (opened + first, opened + resolution)
        _owner = next(agents[team]) if team else None
        routed += 1
    return routed


def _best(run: Callable[[], int]) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(RUNS):
        started = time.perf_counter()
        count = run()
        best = min(best, time.perf_counter() - started)
    return best, count


def _row(subject: str, run: Callable[[], int]) -> dict[str, object]:
    seconds, count = _best(run)
    return {
        "subject": subject,
        "cases": f"{count:,}",
        f"best of {RUNS}: s": f"{seconds:.3f}",
        "cases/s": f"{count / seconds:,.0f}",
        "µs per case": round(seconds / count * 1e6, 1),
    }


def _example(name: str) -> PlaybookSet:
    current = playbook_set.current(Settings(playbooks_dir=EXAMPLES_DIR / name))
    assert current.ok, current.problems
    return current


def _shares(current: PlaybookSet, facts: Sequence[ItemFacts]) -> str:
    matched = Counter(current.match(one).playbook.name for one in facts)
    default = matched.pop(current.default.name, 0)
    return f"{1 - default / len(facts):.0%} of the narratives match a playbook"


def run(cases: int = CASES) -> list[dict[str, object]]:
    facts = triaged_facts()
    workload = [facts[n % len(facts)] for n in range(cases)]
    rows = []
    for name in SETS:
        current = _example(name)
        print(f"- {name}: {len(current.playbooks)} playbooks; {_shares(current, facts)}")
        rows.append(_row(f"{name}, one at a time", partial(one_at_a_time, current, workload)))
        rows.append(_row(f"{name}, batches of 5,000", partial(in_batches, current, workload)))
    only_default = PlaybookSet(Path("."), (), default_playbook())
    peer = partial(one_at_a_time, only_default, workload)
    rows.append(_row("peer: default playbook only, one at a time", peer))
    rows.append(_row("peer: dict by category, one at a time", partial(dict_lookup, workload)))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
