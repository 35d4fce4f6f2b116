"""PostgreSQL's one-pass path (GROUPING SETS, percentile_disc) gives what the one statement per
grouping and window functions give, on many random cases: the same figures either way."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from amends.insights import facts, metrics
from amends.insights.grouping import Groupings
from amends.insights.metrics import Dimension, Filters, Metrics
from amends.store.tables import Case, CaseStatus, TimelineEvent

START = datetime(2026, 3, 1, tzinfo=UTC)
# GROUPING SETS and percentile_disc are PostgreSQL's: SQLite always takes the other path.
pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
GROUPINGS = [None, Dimension.CATEGORY, Dimension.CHANNEL, Dimension.TEAM, Dimension.AGENT]


@pytest.fixture
def many_cases(session: Session) -> Filters:
    rng = random.Random(5)
    for number in range(400):
        opened = START + timedelta(hours=rng.randrange(24 * 28))
        case = Case(
            title=f"case {number}",
            channel=rng.choice(["email", "x", "review"]),
            category=rng.choice(["delay", "billing_and_refunds", None]),
            team=rng.choice(["care", "social"]),
            opened_at=opened,
            updated_at=opened,
            first_responded_at=opened + timedelta(minutes=rng.randrange(1, 500)),
        )
        session.add(case)
        session.flush()
        if rng.random() < 0.6:
            to = rng.choice([CaseStatus.RECOVERED, CaseStatus.NOT_RECOVERED])
            session.add(
                TimelineEvent(
                    case_id=case.id,
                    kind="case:status:change",
                    actor="test",
                    at=opened + timedelta(hours=rng.randrange(1, 100)),
                    data={"from": "x", "to": to.value},
                )
            )
    facts.refresh(session)
    return Filters(start=START, end=START + timedelta(days=28))


def test_one_pass_and_one_statement_per_grouping_agree(
    session: Session, many_cases: Filters
) -> None:
    population = metrics._population(many_cases)
    keys = [None if by is None else metrics._key(population, by) for by in GROUPINGS]
    query = select(func.count().label("cases"), func.sum(population.c.was_settled).label("s"))
    query = query.select_from(population)

    def rows(native: bool) -> set[tuple[object, ...]]:
        ways = Groupings(keys, native=native)
        return {
            (*ways.group(row), row.cases, row.s)
            for statement in ways.statements(query)
            for row in session.execute(statement)
        }

    assert rows(native=True) == rows(native=False)
    assert len(rows(native=True)) > len(GROUPINGS)


def test_sums_added_up_from_cells_equal_sums_of_the_cases(
    session: Session, many_cases: Filters
) -> None:
    population = metrics._population(many_cases)
    keys = [None if by is None else metrics._key(population, by) for by in GROUPINGS]
    p = population.c
    query = select(
        func.count().label("cases"),
        func.sum(p.was_settled).label("settled"),
        func.sum(p.first_response_minutes).label("minutes"),
    ).select_from(population)

    def rows(statements: list[Select[Any]]) -> set[tuple[object, ...]]:
        return {
            (*ways.group(row), int(row.cases), int(row.settled), round(float(row.minutes), 6))
            for statement in statements
            for row in session.execute(statement)
        }

    ways = Groupings(keys, native=True)
    by_cell = rows(ways.statements_of_sums(query))
    assert by_cell == rows(ways.statements(query))
    assert len(by_cell) > len(GROUPINGS)


def test_percentile_disc_is_nearest_rank(session: Session, many_cases: Filters) -> None:
    population = metrics._population(many_cases)
    keys = [None if by is None else metrics._key(population, by) for by in GROUPINGS]
    ways = Groupings(keys, native=True)

    def blank() -> list[dict[str | None, Metrics]]:
        groups: list[dict[str | None, Metrics]] = [{} for _ in GROUPINGS]
        for statement in ways.statements(select(func.count()).select_from(population)):
            for row in session.execute(statement):
                index, group = ways.group(row)
                groups[index][group] = Metrics(group=group)
        return groups

    by_disc, by_rank = blank(), blank()
    metrics._percentiles(session, population, ways, by_disc)
    for index, key in enumerate(keys):
        metrics._nearest_ranks(session, population, key, by_rank[index])
    assert by_disc == by_rank
    assert by_disc[0][None].median_first_response_minutes is not None
