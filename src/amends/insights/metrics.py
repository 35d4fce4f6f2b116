"""Recovery metrics, computed in SQL with the same results on SQLite and PostgreSQL
(docs/insights.md#metrics has each definition).

Every figure is over the cases opened in a period that match the filters, grouped by one
dimension or none. Percentiles are nearest-rank (the smallest value with at least p % of the
values at or below it), so they are values that occurred, and the same on both databases.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Float,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from amends.cases.events import EventKind
from amends.store.base import BigId, UTCDateTime
from amends.store.tables import (
    Case,
    CaseStatus,
    CaseTimer,
    Compensation,
    Customer,
    CustomerIdentity,
    FeedbackItem,
    Order,
    Reply,
    ReviewUpdate,
    Survey,
    SurveyOutcome,
    TimelineEvent,
    TimerKind,
)

#: Statuses that mean the remedy is done or the case is settled: resolution time ends there.
RESOLVED = (
    CaseStatus.REMEDY_DONE,
    CaseStatus.FOLLOW_UP,
    CaseStatus.RECOVERED,
    CaseStatus.NOT_RECOVERED,
    CaseStatus.CLOSED,
)
#: Statuses that settle a case: a reopening counts against one of these.
SETTLED = (CaseStatus.RECOVERED, CaseStatus.NOT_RECOVERED, CaseStatus.CLOSED)


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
    """`report` for several groupings at once (the dashboard's): the population is computed
    once for all of them."""
    with _temporary(session, _population(session, filters)) as table:
        return {
            by: _figures(session, _grouped(table, by), currency, whole=by is None)
            for by in groupings
        }


def _grouped(table: Table, by: Dimension | None) -> Any:
    """The population with `grp`: the value of `by`, `(none)` where a case has none."""
    group = (
        cast(literal(None), String)
        if by is None
        else func.coalesce(table.c[f"by_{by.value}"], "(none)")
    )
    others = [column for column in table.c if not column.name.startswith("by_")]
    return select(group.label("grp"), *others).subquery("population")


def _figures(session: Session, population: Any, currency: str, *, whole: bool) -> list[Metrics]:
    found: dict[str | None, Metrics] = {}
    for row in session.execute(_counts(population)):
        metrics = Metrics(
            group=row.grp,
            cases=row.cases,
            recovered=int(row.recovered or 0),
            not_recovered=int(row.not_recovered or 0),
            sla_targets=int(row.sla_targets or 0),
            sla_met=int(row.sla_met or 0),
            reopened=int(row.reopened or 0),
        )
        metrics.recovery_rate = _rate(metrics.recovered, metrics.recovered + metrics.not_recovered)
        metrics.sla_compliance = _rate(metrics.sla_met, metrics.sla_targets)
        metrics.reopen_rate = _rate(metrics.reopened, int(row.settled or 0))
        found[row.grp] = metrics
    _percentiles(session, population, found)
    _money(session, population, found, currency)
    _surveys(session, population, found)
    _reply_scores(session, population, found)
    _comebacks(session, population, found)
    _rating_changes(session, population, found)
    if whole and not found:
        found[None] = Metrics(group=None)
    return sorted(found.values(), key=lambda m: (-m.cases, m.group or ""))


#: The population's columns, typed, for the temporary table it is computed into once.
_POPULATION_COLUMNS: tuple[tuple[str, Any], ...] = (
    *((f"by_{d.value}", String(300)) for d in Dimension),
    ("case_id", BigId),
    ("status", String(32)),
    ("outcome", String(32)),
    ("customer_id", BigId),
    ("opened_at", UTCDateTime()),
    ("recovered_at", UTCDateTime()),
    ("first_response_minutes", Float()),
    ("resolution_hours", Float()),
    ("fr_met", Integer()),
    ("fr_judged", Integer()),
    ("res_met", Integer()),
    ("res_judged", Integer()),
    ("upd_judged", Integer()),
    ("upd_met", Integer()),
    ("was_reopened", Integer()),
    ("was_settled", Integer()),
)


@contextmanager
def _temporary(session: Session, query: Select[Any]) -> Iterator[Table]:
    """`query`'s rows in a temporary table, for the many figures read from them: computing the
    population once costs less than every figure computing it again (a CTE is not kept
    between statements). Dropped afterwards; it lives in this connection only."""
    table = Table(
        f"amends_population_{uuid.uuid4().hex[:12]}",
        MetaData(),
        *(Column(name, kind) for name, kind in _POPULATION_COLUMNS),
        prefixes=["TEMPORARY"],
    )
    connection = session.connection()
    table.create(connection)
    try:
        session.execute(table.insert().from_select([n for n, _ in _POPULATION_COLUMNS], query))
        yield table
    finally:
        table.drop(connection)


def _population(session: Session, filters: Filters) -> Select[Any]:
    """One row per case in the period: its group, clock times and what it went through. The
    moves and update targets are each one grouped pass over the period's cases, joined in, not
    a subquery per case."""
    minutes = _minutes_between(session)
    moves = _moves(filters)
    updates = _update_targets(filters)
    resolved_at = moves.c.resolved_at
    return (
        select(
            *(_dimension(d).label(f"by_{d.value}") for d in Dimension),
            Case.id.label("case_id"),
            Case.status,
            _outcome(moves).label("outcome"),
            Case.customer_id,
            Case.opened_at,
            moves.c.recovered_at,
            minutes(Case.first_responded_at, Case.opened_at).label("first_response_minutes"),
            (minutes(resolved_at, Case.opened_at) / 60.0).label("resolution_hours"),
            _met(Case.first_responded_at, Case.first_response_due_at).label("fr_met"),
            _judged(Case.first_responded_at, Case.first_response_due_at, filters.end).label(
                "fr_judged"
            ),
            _met(resolved_at, Case.resolution_due_at).label("res_met"),
            _judged(resolved_at, Case.resolution_due_at, filters.end).label("res_judged"),
            func.coalesce(updates.c.judged, 0).label("upd_judged"),
            func.coalesce(updates.c.met, 0).label("upd_met"),
            func.coalesce(moves.c.was_reopened, 0).label("was_reopened"),
            func.coalesce(moves.c.was_settled, 0).label("was_settled"),
        )
        .outerjoin(moves, moves.c.case_id == Case.id)
        .outerjoin(updates, updates.c.case_id == Case.id)
        .where(*scope(filters))
    )


def _outcome(moves: Any) -> ColumnElement[Any]:
    """The case's latest outcome: recovered or not recovered, whichever it reached last (a
    case reopened after an unsatisfied answer stays not recovered until it is recovered)."""
    won, lost = moves.c.last_recovered_at, moves.c.last_not_recovered_at
    return case(
        (and_(won.is_not(None), or_(lost.is_(None), won >= lost)), CaseStatus.RECOVERED.value),
        (lost.is_not(None), CaseStatus.NOT_RECOVERED.value),
        else_=None,
    )


def _moves(filters: Filters) -> Any:
    """Per case of the period: when it was first resolved (remedy done or later) and first
    recovered, and whether it was ever reopened or settled, from its status changes."""
    to = TimelineEvent.data["to"].as_string()

    def first(statuses: Sequence[CaseStatus]) -> ColumnElement[Any]:
        return func.min(case((to.in_([s.value for s in statuses]), TimelineEvent.at)))

    def last(status: CaseStatus) -> ColumnElement[Any]:
        return func.max(case((to == status.value, TimelineEvent.at)))

    def ever(statuses: Sequence[CaseStatus]) -> ColumnElement[Any]:
        return func.max(case((to.in_([s.value for s in statuses]), 1), else_=0))

    return (
        select(
            TimelineEvent.case_id.label("case_id"),
            first(RESOLVED).label("resolved_at"),
            first([CaseStatus.RECOVERED]).label("recovered_at"),
            last(CaseStatus.RECOVERED).label("last_recovered_at"),
            last(CaseStatus.NOT_RECOVERED).label("last_not_recovered_at"),
            ever([CaseStatus.REOPENED]).label("was_reopened"),
            ever(SETTLED).label("was_settled"),
        )
        .join(Case, Case.id == TimelineEvent.case_id)
        .where(TimelineEvent.kind == EventKind.STATUS_CHANGED.value, *scope(filters))
        .group_by(TimelineEvent.case_id)
        .subquery("moves")
    )


def _update_targets(filters: Filters) -> Any:
    """Per case of the period: its interim-update targets with an outcome, and those met. A
    target is met when its breach timer was cancelled (a message went out in time, or the case
    no longer needed one) and missed when it fired; one still pending has no outcome yet."""
    done = CaseTimer.fired_at.is_not(None) | CaseTimer.cancelled_at.is_not(None)
    return (
        select(
            CaseTimer.case_id.label("case_id"),
            func.sum(case((done, 1), else_=0)).label("judged"),
            func.sum(case((CaseTimer.cancelled_at.is_not(None), 1), else_=0)).label("met"),
        )
        .join(Case, Case.id == CaseTimer.case_id)
        .where(CaseTimer.kind == TimerKind.UPDATE_BREACH, *scope(filters))
        .group_by(CaseTimer.case_id)
        .subquery("updates")
    )


def group_column(by: Dimension | None) -> ColumnElement[Any]:
    """The value a case is grouped by; `(none)` where it has none."""
    if by is None:
        return cast(literal(None), String)
    return func.coalesce(_dimension(by), "(none)")


def _dimension(by: Dimension) -> Any:
    columns: dict[Dimension, Any] = {
        Dimension.CHANNEL: Case.channel,
        Dimension.CATEGORY: Case.category,
        Dimension.TEAM: Case.team,
        Dimension.PLAYBOOK: Case.playbook,
        Dimension.AGENT: cast(Case.owner_id, String),
        Dimension.ROOT_CAUSE: cast(Case.root_cause, String),
    }
    return columns[by]


def scope(filters: Filters) -> list[ColumnElement[bool]]:
    """The conditions on a case that `filters` set: opened in the period, and each value."""
    wanted = [
        (Case.channel, filters.channel),
        (Case.category, filters.category),
        (Case.team, filters.team),
        (Case.playbook, filters.playbook),
        (Case.owner_id, filters.agent_id),
    ]
    period = [Case.opened_at >= filters.start, Case.opened_at < filters.end]
    return period + [column == value for column, value in wanted if value is not None]


def _met(done: Any, due: Any) -> ColumnElement[int]:
    """1 when the target was met: done by its due time."""
    return case((and_(due.is_not(None), done.is_not(None), done <= due), 1), else_=0)


def _judged(done: Any, due: Any, end: datetime) -> ColumnElement[int]:
    """1 when the target has an outcome at the period's end: done, or its due time passed."""
    return case((and_(due.is_not(None), or_(done.is_not(None), due < end)), 1), else_=0)


def _minutes_between(session: Session) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return lambda later, earlier: (func.julianday(later) - func.julianday(earlier)) * 1440.0
    return lambda later, earlier: cast(func.extract("epoch", later - earlier), Float) / 60.0


def _counts(population: Any) -> Select[Any]:
    p = population.c
    return select(
        p.grp,
        func.count().label("cases"),
        func.sum(case((p.outcome == CaseStatus.RECOVERED, 1), else_=0)).label("recovered"),
        func.sum(case((p.outcome == CaseStatus.NOT_RECOVERED, 1), else_=0)).label("not_recovered"),
        func.sum(p.fr_judged + p.res_judged + p.upd_judged).label("sla_targets"),
        func.sum(p.fr_met + p.res_met + p.upd_met).label("sla_met"),
        func.sum(p.was_reopened).label("reopened"),
        func.sum(p.was_settled).label("settled"),
    ).group_by(p.grp)


def _percentiles(session: Session, population: Any, found: dict[str | None, Metrics]) -> None:
    for column in ("first_response_minutes", "resolution_hours"):
        for group, median, p90 in session.execute(_nearest_ranks(population, column, (50, 90))):
            if group in found:
                if median is not None:
                    setattr(found[group], f"median_{column}", round(float(median), 2))
                if p90 is not None:
                    setattr(found[group], f"p90_{column}", round(float(p90), 2))


def _nearest_ranks(population: Any, column: str, percents: Sequence[int]) -> Select[Any]:
    """Each group's nearest-rank percentiles of `column`, one column per percent: the value
    at rank ceil(percent · n / 100), in integer arithmetic so both databases agree."""
    value = population.c[column]
    ranked = (
        select(
            population.c.grp,
            value.label("value"),
            func.row_number().over(partition_by=population.c.grp, order_by=value).label("rank"),
            func.count().over(partition_by=population.c.grp).label("n"),
        )
        .where(value.is_not(None))
        .subquery()
    )
    at = [
        func.max(case((ranked.c.rank == (ranked.c.n * percent + 99) // 100, ranked.c.value)))
        for percent in percents
    ]
    return select(ranked.c.grp, *at).group_by(ranked.c.grp)


def _money(
    session: Session, population: Any, found: dict[str | None, Metrics], currency: str
) -> None:
    p = population.c
    granted = (
        select(p.grp, Compensation.kind, func.sum(Compensation.amount))
        .join(Compensation, Compensation.case_id == p.case_id)
        .where(Compensation.currency == currency)
        .group_by(p.grp, Compensation.kind)
    )
    for group, kind, amount in session.execute(granted):
        metrics = found[group]
        metrics.compensation_by_kind[kind] = Decimal(amount)
        metrics.compensation_total += Decimal(amount)
    recovered = (
        select(p.grp, p.customer_id)
        .where(p.outcome == CaseStatus.RECOVERED, p.customer_id.is_not(None))
        .distinct()
        .subquery()
    )
    retained = (
        select(recovered.c.grp, func.sum(Customer.lifetime_value))
        .join(Customer, Customer.id == recovered.c.customer_id)
        .group_by(recovered.c.grp)
    )
    valued: set[str | None] = set()
    for group, value in session.execute(retained):
        if value is not None:
            found[group].retained_value = Decimal(value)
            valued.add(group)
    for group, metrics in found.items():
        cost = metrics.compensation_total
        # No lifetime value known for any recovered customer: the return is unknown, not -100 %.
        if cost > 0 and group in valued:
            metrics.roi = round(float((metrics.retained_value - cost) / cost), 4)


def _surveys(session: Session, population: Any, found: dict[str | None, Metrics]) -> None:
    """CSAT, NPS after and before recovery, and surveys closed with no response."""
    p = population.c
    answered = (
        select(
            p.grp,
            func.sum(case((Survey.outcome == SurveyOutcome.NO_RESPONSE, 1), else_=0)),
            func.sum(case((Survey.csat >= 4, 1), else_=0)),
            func.count(Survey.csat),
        )
        .join(Survey, Survey.case_id == p.case_id)
        .group_by(p.grp)
    )
    for group, unanswered, content, rated in session.execute(answered):
        found[group].no_response = int(unanswered or 0)
        found[group].csat = _rate(int(content or 0), int(rated or 0))
    recovered = p.outcome == CaseStatus.RECOVERED
    after = (
        select(p.grp, Survey.nps.label("nps"))
        .join(Survey, Survey.case_id == p.case_id)
        .where(recovered, Survey.nps.is_not(None))
    )
    for group, nps in session.execute(_nps(after.subquery())):
        found[group].nps_after = float(nps)
    earlier = aliased(Survey)
    prior = (
        select(earlier.nps)
        .where(
            earlier.customer_id == p.customer_id,
            earlier.answered_at < p.opened_at,
            earlier.nps.is_not(None),
        )
        .order_by(earlier.answered_at.desc(), earlier.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    before = select(p.grp, prior.label("nps")).where(recovered, p.customer_id.is_not(None))
    for group, nps in session.execute(_nps(before.subquery())):
        found[group].nps_before = float(nps)


def _comebacks(session: Session, population: Any, found: dict[str | None, Metrics]) -> None:
    """Repeat business: the share of recovered customers with an order or visit after their
    (first) recovery in the group; referrals: orders referred by them after it. Orders name
    customers by identity, matched here (docs/channels.md#orders-and-visits)."""
    p = population.c
    customers = (
        select(p.grp, p.customer_id, func.min(p.recovered_at).label("since"))
        .where(p.outcome == CaseStatus.RECOVERED, p.customer_id.is_not(None))
        .group_by(p.grp, p.customer_id)
        .subquery()
    )
    came_back = (
        select(literal(1))
        .select_from(CustomerIdentity)
        .join(
            Order,
            and_(
                Order.identity_kind == CustomerIdentity.kind,
                Order.identity_value == CustomerIdentity.value,
            ),
        )
        .where(
            CustomerIdentity.customer_id == customers.c.customer_id,
            Order.ordered_at > customers.c.since,
        )
        .exists()
    )
    returns = select(
        customers.c.grp, func.count(), func.sum(case((came_back, 1), else_=0))
    ).group_by(customers.c.grp)
    for group, recovered, returned in session.execute(returns):
        found[group].repeat_business = _rate(int(returned or 0), int(recovered or 0))
    referred = (
        select(customers.c.grp, func.count(Order.id))
        .join(
            CustomerIdentity,
            and_(
                CustomerIdentity.customer_id == customers.c.customer_id,
                CustomerIdentity.kind == "email",
            ),
        )
        .join(
            Order,
            and_(Order.referred_by == CustomerIdentity.value, Order.ordered_at > customers.c.since),
        )
        .group_by(customers.c.grp)
    )
    for group, count in session.execute(referred):
        found[group].referrals = int(count)


def _rating_changes(session: Session, population: Any, found: dict[str | None, Metrics]) -> None:
    """The mean change of star rating of the reviews on recovered cases that came back
    updated: each review's latest rating minus the rating it had when it came in."""
    p = population.c
    latest = (
        select(ReviewUpdate.item_id, func.max(ReviewUpdate.id).label("last"))
        .group_by(ReviewUpdate.item_id)
        .subquery()
    )
    delta = (ReviewUpdate.rating_after - FeedbackItem.rating).label("delta")
    changes = (
        select(p.grp, delta)
        .join(FeedbackItem, FeedbackItem.case_id == p.case_id)
        .join(latest, latest.c.item_id == FeedbackItem.id)
        .join(ReviewUpdate, ReviewUpdate.id == latest.c.last)
        .where(
            p.outcome == CaseStatus.RECOVERED,
            FeedbackItem.rating.is_not(None),
            ReviewUpdate.rating_after.is_not(None),
        )
        .subquery()
    )
    mean = select(changes.c.grp, func.avg(changes.c.delta)).group_by(changes.c.grp)
    for group, value in session.execute(mean):
        if value is not None:
            found[group].rating_change = round(float(value), 2)


def _reply_scores(session: Session, population: Any, found: dict[str | None, Metrics]) -> None:
    """The mean checker score of the replies people sent on the group's cases (not amends'
    automatic ones), to one decimal."""
    p = population.c
    scores = (
        select(p.grp, func.avg(Reply.score))
        .join(Reply, Reply.case_id == p.case_id)
        .where(Reply.author_id.is_not(None))
        .group_by(p.grp)
    )
    for group, mean in session.execute(scores):
        if mean is not None:
            found[group].reply_score = round(float(mean), 1)


def _nps(answers: Any) -> Select[Any]:
    """Each group's NPS: % promoters (9–10) − % detractors (0–6) of its answers."""
    a = answers.c
    promoters = func.sum(case((a.nps >= 9, 1), else_=0))
    detractors = func.sum(case((a.nps <= 6, 1), else_=0))
    # An inline 100.0 is numeric on PostgreSQL (round(numeric, 1) exists there, unlike for a
    # float bound as a parameter) and real on SQLite: never integer division.
    hundred: ColumnElement[Any] = literal_column("100.0")
    score = func.round(hundred * (promoters - detractors) / func.count(a.nps), 1)
    return select(a.grp, score).group_by(a.grp).having(func.count(a.nps) > 0)


def _rate(part: int | None, whole: int | None) -> float | None:
    return round((part or 0) / whole, 4) if whole else None
