"""Recovery metrics, computed in SQL with the same results on SQLite and PostgreSQL
(docs/insights.md#metrics has each definition).

Every figure is over the cases opened in a period that match the filters, grouped by one
dimension or none. Percentiles are nearest-rank (the smallest value with at least p % of the
values at or below it), so they are values that occurred, and the same on both databases.

The figures read each case's facts (`insights.facts`), brought up to date first.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.orm import Session

from amends.insights import facts
from amends.insights.grouping import Groupings
from amends.store.tables import Case, CaseFact, CaseFactGrant, CaseStatus

__all__ = [
    "Dimension",
    "Filters",
    "Metrics",
    "key_column",
    "report",
    "reports",
    "scope",
]


class Dimension(enum.StrEnum):
    CHANNEL = "channel"
    CATEGORY = "category"
    TEAM = "team"
    PLAYBOOK = "playbook"
    AGENT = "agent"
    ROOT_CAUSE = "root_cause"


@dataclass(frozen=True, slots=True, kw_only=True)
class Filters:
    """Cases opened in [start, end) with each given value; None means any."""

    start: datetime
    end: datetime
    channel: str | None = None
    category: str | None = None
    team: str | None = None
    playbook: str | None = None
    agent_id: int | None = None


@dataclass(slots=True)
class Metrics:
    """One group's figures; `group` is None for the whole period. A rate with nothing to divide
    is None, never 0."""

    group: str | None
    cases: int = 0
    recovered: int = 0
    not_recovered: int = 0
    recovery_rate: float | None = None
    median_first_response_minutes: float | None = None
    p90_first_response_minutes: float | None = None
    median_resolution_hours: float | None = None
    p90_resolution_hours: float | None = None
    sla_targets: int = 0
    sla_met: int = 0
    sla_compliance: float | None = None
    reopened: int = 0
    reopen_rate: float | None = None
    compensation_total: Decimal = Decimal("0")
    compensation_by_kind: dict[str, Decimal] = field(default_factory=dict)
    retained_value: Decimal = Decimal("0")
    roi: float | None = None
    no_response: int = 0
    repeat_business: float | None = None
    referrals: int = 0
    reply_score: float | None = None
    csat: float | None = None
    nps_before: float | None = None
    nps_after: float | None = None
    rating_change: float | None = None
    simulated: int = 0  # cases whose history the demo made up

    def public(self) -> dict[str, Any]:
        """The JSON shape `amends report --json` prints: its keys are a public interface."""
        return {
            "group": self.group,
            "cases": self.cases,
            "recovered": self.recovered,
            "not_recovered": self.not_recovered,
            "recovery_rate": self.recovery_rate,
            "median_first_response_minutes": self.median_first_response_minutes,
            "p90_first_response_minutes": self.p90_first_response_minutes,
            "median_resolution_hours": self.median_resolution_hours,
            "p90_resolution_hours": self.p90_resolution_hours,
            "sla_compliance": self.sla_compliance,
            "reopen_rate": self.reopen_rate,
            "no_response": self.no_response,
            "repeat_business": self.repeat_business,
            "referrals": self.referrals,
            "reply_score": self.reply_score,
            "csat": self.csat,
            "nps_before": self.nps_before,
            "nps_after": self.nps_after,
            "rating_change": self.rating_change,
            "compensation_total": float(self.compensation_total),
            "compensation_by_kind": {k: float(v) for k, v in self.compensation_by_kind.items()},
            "retained_value": float(self.retained_value),
            "roi": self.roi,
        }


def report(
    session: Session, filters: Filters, *, by: Dimension | None = None, currency: str
) -> list[Metrics]:
    """The figures for the period, one per group of `by` (largest first), or one in all.
    Compensation counts only grants in `currency`: amends does not convert money."""
    return reports(session, filters, [by], currency=currency)[by]


def reports(
    session: Session, filters: Filters, groupings: Sequence[Dimension | None], *, currency: str
) -> dict[Dimension | None, list[Metrics]]:
    """`report` for several groupings at once (the dashboard's): the facts are brought up to
    date once, and each query serves every grouping."""
    facts.ready(session)
    population = _population(filters)
    keys = [None if by is None else _key(population, by) for by in groupings]
    ways = Groupings.on(session, keys)
    found: list[dict[str | None, Metrics]] = [{} for _ in groupings]
    sums: list[dict[str | None, Any]] = [{} for _ in groupings]
    for statement in ways.statements_of_sums(_sums(population, filters.end)):
        for row in session.execute(statement):
            index, group = ways.group(row)
            found[index][group] = _from_sums(group, row)
            sums[index][group] = row
    if ways.native:
        _percentiles(session, population, ways, found)
    else:
        for index, key in enumerate(keys):
            _nearest_ranks(session, population, key, found[index])
    _money(session, filters, groupings, found, currency)
    for index, tallies in enumerate(_customers(session, population, ways, sums)):
        for group, tally in tallies.items():
            _set_customers(found[index][group], tally)
    return {
        by: sorted(found[index].values(), key=lambda m: (-m.cases, m.group or ""))
        for index, by in enumerate(groupings)
    }


def _population(filters: Filters) -> Any:
    """The facts of the cases in scope."""
    return select(CaseFact).where(*scope(filters, CaseFact)).subquery("population")


def key_column(by: Dimension) -> str:
    """The column of the case facts that `by` groups on."""
    return "owner_id" if by is Dimension.AGENT else by.value


def _key(population: Any, by: Dimension) -> ColumnElement[Any]:
    column: ColumnElement[Any] = population.c[key_column(by)]
    return column


#: The percentiles worked out, as fractions for PostgreSQL's percentile_disc.
PERCENTS = (50, 90)


def _sums(population: Any, end: datetime) -> Select[Any]:
    """One pass over each group's facts for every figure that is a sum of per-case counts."""
    p = population.c
    recovered = p.outcome == CaseStatus.RECOVERED

    def total(value: Any, where: ColumnElement[bool] | None = None) -> Any:
        return func.coalesce(func.sum(value if where is None else case((where, value))), 0)

    def count(where: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((where, 1), else_=0)), 0)

    customer = and_(recovered, p.customer_id.is_not(None))
    answered_before = and_(customer, p.nps_before.is_not(None))
    columns = [
        func.count().label("cases"),
        count(recovered).label("recovered"),
        count(p.outcome == CaseStatus.NOT_RECOVERED).label("not_recovered"),
        total(
            _judged(p.first_responded_at, p.first_response_due_at, end)
            + _judged(p.resolved_at, p.resolution_due_at, end)
            + p.updates_judged
        ).label("sla_targets"),
        total(
            _met(p.first_responded_at, p.first_response_due_at)
            + _met(p.resolved_at, p.resolution_due_at)
            + p.updates_met
        ).label("sla_met"),
        total(p.was_reopened).label("reopened"),
        total(p.was_settled).label("settled"),
        total(p.surveys_unanswered).label("no_response"),
        total(p.csat_content).label("csat_content"),
        total(p.csat_answers).label("csat_answers"),
        total(p.nps_promoters, recovered).label("promoters_after"),
        total(p.nps_detractors, recovered).label("detractors_after"),
        total(p.nps_answers, recovered).label("answers_after"),
        count(and_(answered_before, p.nps_before >= 9)).label("promoters_before"),
        count(and_(answered_before, p.nps_before <= 6)).label("detractors_before"),
        count(answered_before).label("answers_before"),
        total(p.reply_score_sum).label("reply_score_sum"),
        total(p.replies_scored).label("replies_scored"),
        total(p.rating_change_sum, recovered).label("rating_change_sum"),
        total(p.ratings_changed, recovered).label("ratings_changed"),
        total(p.simulated).label("simulated"),
        count(customer).label("customer_cases"),
        total(p.came_back, customer).label("came_back_cases"),
        total(p.referrals, customer).label("referral_cases"),
        func.sum(case((customer, p.lifetime_value))).label("value_cases"),
    ]
    return select(*columns).select_from(population)


def _percentiles(
    session: Session, population: Any, ways: Groupings, found: list[dict[str | None, Metrics]]
) -> None:
    """Each group's percentiles by PostgreSQL's percentile_disc, which is nearest rank."""
    p = population.c
    fractions: ColumnElement[Any] = array(
        [literal_column(f"{percent / 100}") for percent in PERCENTS]
    )
    query = select(
        func.percentile_disc(fractions).within_group(p.first_response_minutes).label("response"),
        func.percentile_disc(fractions).within_group(p.resolution_hours).label("resolution"),
    ).select_from(population)
    for statement in ways.statements(query):
        for row in session.execute(statement):
            index, group = ways.group(row)
            metrics = found[index][group]
            _set_percentiles(metrics, "first_response_minutes", row.response)
            _set_percentiles(metrics, "resolution_hours", row.resolution)


def _set_percentiles(metrics: Metrics, figure: str, values: Sequence[float | None] | None) -> None:
    for percent, value in zip(PERCENTS, values or (), strict=False):
        if value is not None:
            name = "median" if percent == 50 else f"p{percent}"
            setattr(metrics, f"{name}_{figure}", round(float(value), 2))


def _from_sums(group: str | None, row: Any) -> Metrics:
    metrics = Metrics(
        group=group,
        cases=int(row.cases),
        recovered=int(row.recovered or 0),
        not_recovered=int(row.not_recovered or 0),
        sla_targets=int(row.sla_targets),
        sla_met=int(row.sla_met),
        reopened=int(row.reopened),
        no_response=int(row.no_response),
        simulated=int(row.simulated or 0),
    )
    metrics.recovery_rate = _rate(metrics.recovered, metrics.recovered + metrics.not_recovered)
    metrics.sla_compliance = _rate(metrics.sla_met, metrics.sla_targets)
    metrics.reopen_rate = _rate(metrics.reopened, int(row.settled))
    metrics.csat = _rate(int(row.csat_content), int(row.csat_answers))
    metrics.nps_after = _nps(row.promoters_after, row.detractors_after, row.answers_after)
    metrics.nps_before = _nps(row.promoters_before, row.detractors_before, row.answers_before)
    if row.replies_scored:
        metrics.reply_score = _half_up(float(row.reply_score_sum) / int(row.replies_scored), 1)
    if row.ratings_changed:
        metrics.rating_change = _half_up(int(row.rating_change_sum) / int(row.ratings_changed), 2)
    return metrics


def earlier(filters: Filters) -> Filters:
    """The same filters over the period of the same length that ends where `filters` starts."""
    return replace(filters, start=filters.start - (filters.end - filters.start), end=filters.start)


def scope(filters: Filters, table: Any = Case) -> list[ColumnElement[bool]]:
    """The conditions on a case (or its facts) that `filters` set: opened in the period, and
    each value."""
    wanted = [
        (table.channel, filters.channel),
        (table.category, filters.category),
        (table.team, filters.team),
        (table.playbook, filters.playbook),
        (table.owner_id, filters.agent_id),
    ]
    period = [table.opened_at >= filters.start, table.opened_at < filters.end]
    return period + [column == value for column, value in wanted if value is not None]


def _met(done: Any, due: Any) -> ColumnElement[int]:
    """1 when the target was met: done by its due time."""
    return case((and_(due.is_not(None), done.is_not(None), done <= due), 1), else_=0)


def _judged(done: Any, due: Any, end: datetime) -> ColumnElement[int]:
    """1 when the target has an outcome at the period's end: done, or its due time passed."""
    return case((and_(due.is_not(None), or_(done.is_not(None), due < end)), 1), else_=0)


def _nearest_ranks(
    session: Session,
    population: Any,
    key: ColumnElement[Any] | None,
    found: dict[str | None, Metrics],
) -> None:
    """Each group's nearest-rank percentiles where the database has no percentile_disc: the
    value at rank ceil(percent · n / 100), in integer arithmetic."""
    for figure in ("first_response_minutes", "resolution_hours"):
        value = population.c[figure]
        group = [] if key is None else [key]
        ranked = (
            select(
                *group,
                value,
                func.row_number().over(partition_by=group, order_by=value).label("rank"),
                func.count().over(partition_by=group).label("n"),
            )
            .where(value.is_not(None))
            .subquery()
        )
        at = [
            func.max(case((ranked.c.rank == (ranked.c.n * percent + 99) // 100, ranked.c[figure])))
            for percent in PERCENTS
        ]
        ranked_key = None if key is None else ranked.c[key.name]
        ways = Groupings([ranked_key], native=False)
        [statement] = ways.statements(select(*at))
        for row in session.execute(statement):
            _, group_value = ways.group(row)
            if group_value in found:
                _set_percentiles(found[group_value], figure, list(row)[: len(PERCENTS)])


def _money(
    session: Session,
    filters: Filters,
    groupings: Sequence[Dimension | None],
    found: list[dict[str | None, Metrics]],
    currency: str,
) -> None:
    """Compensation per group and kind, from the grants kept with the facts."""
    grants = CaseFactGrant.__table__
    ways = Groupings.on(
        session, [None if by is None else grants.c[key_column(by)] for by in groupings]
    )
    granted: Any = select(grants.c.kind, func.sum(grants.c.amount).label("amount")).where(
        grants.c.currency == currency, *scope(filters, CaseFactGrant)
    )
    for statement in ways.statements(granted, also=[grants.c.kind]):
        for row in session.execute(statement):
            index, group = ways.group(row)
            metrics = found[index][group]
            metrics.compensation_by_kind[row.kind] = Decimal(row.amount)
            metrics.compensation_total += Decimal(row.amount)


@dataclass(slots=True)
class _Customers:
    """A group's recovered customers, each once: how many, how many came back after their
    first recovery in the group, the orders they referred since, their lifetime value."""

    customers: int
    returned: int
    referred: int
    value: Decimal | None  # None: no lifetime value known for any of them


def _customers(
    session: Session, population: Any, ways: Groupings, sums: list[dict[str | None, Any]]
) -> list[dict[str | None, _Customers]]:
    """Per group, from the per-case sums of its recovered cases (`_sums`), less what customers
    with more than one such case in the period counted more than once. A customer came back
    after their first recovery in the group when they came back after any of its cases'
    recoveries, and that first one counts the most referrals, hence the maxima. Only those
    few customers are grouped per customer: grouping every recovered customer so, for every
    grouping, cost more than every other figure together."""
    tallies = [
        {
            group: _Customers(
                customers=int(row.customer_cases),
                returned=int(row.came_back_cases),
                referred=int(row.referral_cases),
                value=None if row.value_cases is None else Decimal(row.value_cases),
            )
            for group, row in rows.items()
        }
        for rows in sums
    ]
    p = population.c
    counted = and_(p.outcome == CaseStatus.RECOVERED, p.customer_id.is_not(None))
    repeated = (
        select(p.customer_id)
        .select_from(population)
        .where(counted)
        .group_by(p.customer_id)
        .having(func.count() > 1)
    )
    extra = (
        select(
            (func.count() - 1).label("cases"),
            (func.sum(p.came_back) - func.max(p.came_back)).label("came_back"),
            (func.sum(p.referrals) - func.max(p.referrals)).label("referrals"),
            func.coalesce(func.sum(p.lifetime_value) - func.max(p.lifetime_value), 0).label(
                "value"
            ),
        )
        .select_from(population)
        .where(counted, p.customer_id.in_(repeated))
        .having(func.count() > 1)  # a customer's one case in a group needs no correction
    )
    for statement in ways.statements(extra, also=[p.customer_id]):
        per_customer = statement.subquery()
        groups = ways.columns(per_customer)
        query = select(
            *groups,
            func.sum(per_customer.c.cases).label("cases"),
            func.sum(per_customer.c.came_back).label("came_back"),
            func.sum(per_customer.c.referrals).label("referrals"),
            func.sum(per_customer.c.value).label("value"),
        ).group_by(*groups)
        for row in session.execute(query):
            index, group = ways.group(row)
            tally = tallies[index][group]
            tally.customers -= int(row.cases)
            tally.returned -= int(row.came_back)
            tally.referred -= int(row.referrals)
            if tally.value is not None:
                tally.value -= Decimal(row.value)
    return tallies


def _set_customers(metrics: Metrics, tally: _Customers) -> None:
    metrics.repeat_business = _rate(tally.returned, tally.customers)
    metrics.referrals = tally.referred
    if tally.value is not None:
        metrics.retained_value = tally.value
        cost = metrics.compensation_total
        # No lifetime value known for any recovered customer: the return is unknown.
        if cost > 0:
            metrics.roi = round(float((metrics.retained_value - cost) / cost), 4)


def _nps(promoters: int | None, detractors: int | None, answers: int | None) -> float | None:
    """NPS: % promoters (9–10) − % detractors (0–6) of the answers, to one decimal."""
    if not answers:
        return None
    return _half_up(100 * (int(promoters or 0) - int(detractors or 0)) / int(answers), 1)


def _half_up(value: float, places: int) -> float:
    """Rounded as SQL rounds (half away from zero), not as Python's round (half to even)."""
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return float(exact)


def _rate(part: int | None, whole: int | None) -> float | None:
    return round((part or 0) / whole, 4) if whole else None
