"""Everything the dashboard shows for one set of filters, and each of its tables as CSV
(docs/insights.md#dashboard)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amends.insights import tables
from amends.insights.emerging import emerging
from amends.insights.grouping import NONE, Groupings
from amends.insights.metrics import (
    Dimension,
    Filters,
    Metrics,
    earlier,
    report,
    reports,
    scope,
)
from amends.insights.recognition import Standing, standings
from amends.insights.topics import Topic
from amends.insights.trends import Trend, opened, opened_by
from amends.store.tables import CaseFact

#: The breakdowns shown as tables, in page order.
BREAKDOWNS = (
    Dimension.CATEGORY,
    Dimension.CHANNEL,
    Dimension.TEAM,
    Dimension.PLAYBOOK,
    Dimension.ROOT_CAUSE,
)


class Table(enum.StrEnum):
    """Every table of the dashboard, each downloadable as `/dashboard/<name>.csv`."""

    SUMMARY = "summary"
    CATEGORY = "category"
    CHANNEL = "channel"
    TEAM = "team"
    PLAYBOOK = "playbook"
    ROOT_CAUSE = "root_cause"
    AGENTS = "agents"
    TREND = "trend"  # by category
    TREND_CHANNEL = "trend_channel"
    TOPICS = "topics"


@dataclass(frozen=True, slots=True)
class Choices:
    """The values the filters offer: those the cases have."""

    channels: list[str]
    categories: list[str]
    teams: list[str]


@dataclass(frozen=True, slots=True)
class Dashboard:
    filters: Filters
    summary: Metrics
    breakdowns: dict[Dimension, list[Metrics]]
    trend: Trend  # cases opened per day or week, by category
    trend_by_channel: Trend
    topics: list[Topic]  # emerging: negative items that fit no category
    simulated: int  # cases of the period whose history the demo simulated
    agents: list[Standing]
    choices: Choices
    #: The summary of the period of the same length just before, when asked to compare.
    before: Metrics | None = None


def build(
    session: Session,
    filters: Filters,
    *,
    currency: str,
    compare: bool = False,
    offered: Choices | None = None,
) -> Dashboard:
    """Everything the page shows; with `compare`, also the summary of the period before (one
    more pass over the facts, so only when asked). `offered`: the filter choices of the
    period when already known (the unfiltered view's), saving a filtered view a pass over
    every case of the period."""
    figures = reports(session, filters, [None, *BREAKDOWNS, Dimension.AGENT], currency=currency)
    by_category, by_channel = opened_by(session, filters, [Dimension.CATEGORY, Dimension.CHANNEL])
    return Dashboard(
        filters=filters,
        summary=figures[None][0],
        breakdowns={by: figures[by] for by in BREAKDOWNS},
        trend=by_category,
        trend_by_channel=by_channel,
        agents=standings(session, figures[Dimension.AGENT]),
        topics=emerging(session, filters),
        simulated=figures[None][0].simulated,
        choices=(
            _offered(figures)
            if _unfiltered(filters)
            else choices(session, filters)
            if offered is None
            else _with_chosen(offered, filters)
        ),
        before=report(session, earlier(filters), currency=currency)[0] if compare else None,
    )


def _unfiltered(filters: Filters) -> bool:
    return filters == Filters(start=filters.start, end=filters.end)


def _offered(figures: dict[Dimension | None, list[Metrics]]) -> Choices:
    """The choices of an unfiltered period: the groups of its breakdowns, no query needed."""
    channels, categories, teams = (
        sorted(m.group for m in figures[by] if m.group is not None and m.group != NONE)
        for by in (Dimension.CHANNEL, Dimension.CATEGORY, Dimension.TEAM)
    )
    return Choices(channels=channels, categories=categories, teams=teams)


def choices(session: Session, filters: Filters) -> Choices:
    """The values the filters offer: those of the cases opened in the period (one pass over
    their facts, never over every case), and those chosen."""
    table = CaseFact.__table__
    columns = [table.c.channel, table.c.category, table.c.team]
    ways = Groupings.on(session, columns)
    period = Filters(start=filters.start, end=filters.end)
    query = select(func.count()).where(*scope(period, CaseFact))
    found: list[set[str]] = [set() for _ in columns]
    for statement in ways.statements(query):
        for row in session.execute(statement):
            index, value = ways.group(row)
            if value is not None and value != NONE:
                found[index].add(value)
    channels, categories, teams = (sorted(values) for values in found)
    return _with_chosen(Choices(channels=channels, categories=categories, teams=teams), filters)


def _with_chosen(offered: Choices, filters: Filters) -> Choices:
    """`offered`, with the values `filters` chose among them even when no case has them."""
    channels, categories, teams = (
        sorted(set(values) | ({chosen} if chosen else set()))
        for values, chosen in (
            (offered.channels, filters.channel),
            (offered.categories, filters.category),
            (offered.teams, filters.team),
        )
    )
    return Choices(channels=channels, categories=categories, teams=teams)


def write_table(
    session: Session,
    table: Table,
    filters: Filters,
    *,
    currency: str,
    out: TextIO,
    compare: bool = False,
) -> None:
    """One table as CSV; the summary, with `compare`, has a second row: the period before."""
    if table is Table.AGENTS:
        by_agent = report(session, filters, by=Dimension.AGENT, currency=currency)
        tables.standings_csv(standings(session, by_agent), out)
    elif table in (Table.TREND, Table.TREND_CHANNEL):
        by = Dimension.CATEGORY if table is Table.TREND else Dimension.CHANNEL
        tables.trend_csv(opened(session, filters, by=by), out)
    elif table is Table.TOPICS:
        tables.topics_csv(emerging(session, filters), out)
    elif table is Table.SUMMARY:
        rows = report(session, filters, currency=currency)
        if compare:
            rows += [
                replace(m, group="period before")
                for m in report(session, earlier(filters), currency=currency)
            ]
        tables.metrics_csv(rows, "group", out)
    else:
        by = Dimension(table.value)
        tables.metrics_csv(report(session, filters, by=by, currency=currency), by.value, out)
