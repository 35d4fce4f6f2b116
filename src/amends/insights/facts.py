"""Working out each case's facts (`store.tables.case_facts`) from its history, for the cases
the triggers noted as changed (docs/insights.md#how-the-figures-stay-fast)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session, aliased

from amends.cases.events import EventKind
from amends.store.db import for_aggregates
from amends.store.many import one_of
from amends.store.tables import (
    Case,
    CaseFact,
    CaseFactGrant,
    CaseStatus,
    CaseTimer,
    Compensation,
    Customer,
    CustomerIdentity,
    FeedbackItem,
    Order,
    Reply,
    ReviewUpdate,
    StaleCaseFact,
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

#: Notes read per round, and so at most the cases worked out in one statement.
NOTES_PER_ROUND = 10_000
#: Any fixed number: PostgreSQL's advisory lock that keeps two refreshes from racing.
_LOCK_KEY = 4_212_202_612


def ready(session: Session) -> None:
    """Bring every case's facts up to date and set the transaction up for the figures' large
    aggregates: what each view of the figures does first."""
    refresh(session)
    for_aggregates(session)


def refresh(session: Session, *, rounds: int | None = None) -> int:
    """Work out again every case noted as changed (or those of the first `rounds` rounds of
    notes), and drop those notes; the number of cases. Runs in the caller's transaction: the
    facts are as fresh as what it can see."""
    if session.scalar(select(StaleCaseFact.id).limit(1)) is None:
        return 0  # the usual case: no lock, so views of the figures never queue behind each other
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    done = 0
    taken = 0
    while (rounds is None or taken < rounds) and (
        notes := session.execute(
            select(StaleCaseFact.id, StaleCaseFact.case_id)
            .order_by(StaleCaseFact.id)
            .limit(NOTES_PER_ROUND)
        ).all()
    ):
        taken += 1
        cases = sorted({case_id for _, case_id in notes})
        for table in (CaseFact, CaseFactGrant):
            session.execute(delete(table).where(one_of(session, table.case_id, cases)))
        columns = [column.name for column in CaseFact.__table__.columns]
        session.execute(insert(CaseFact).from_select(columns, facts_of(session, cases)))
        grants = grants_of(session, cases)
        session.execute(
            insert(CaseFactGrant).from_select(list(grants.selected_columns.keys()), grants)
        )
        noted = [note_id for note_id, _ in notes]
        session.execute(delete(StaleCaseFact).where(one_of(session, StaleCaseFact.id, noted)))
        done += len(cases)
    return done


def facts_of(session: Session, cases: Collection[int]) -> Select[Any]:
    """The facts of `cases`, in `CaseFact`'s column order. Each part is one grouped pass over
    those cases' rows, joined in, not a subquery per case."""
    minutes = _minutes_between(session)
    moves = _moves(session, cases)
    updates = _update_targets(session, cases)
    surveys = _surveys(session, cases)
    replies = _replies(session, cases)
    ratings = _rating_changes(session, cases)
    outcome = _outcome(moves)
    zero = literal(0)
    # More columns than the typing of Select spells out:
    return (
        select(  # type: ignore[return-value]
            Case.id,
            Case.opened_at,
            Case.channel,
            Case.category,
            Case.team,
            Case.playbook,
            Case.owner_id,
            Case.root_cause,
            Case.customer_id,
            Case.status,
            outcome,
            moves.c.recovered_at,
            moves.c.resolved_at,
            Case.first_responded_at,
            Case.first_response_due_at,
            Case.resolution_due_at,
            minutes(Case.first_responded_at, Case.opened_at),
            minutes(moves.c.resolved_at, Case.opened_at) / 60.0,
            func.coalesce(updates.c.judged, zero),
            func.coalesce(updates.c.met, zero),
            func.coalesce(moves.c.was_reopened, zero),
            func.coalesce(moves.c.was_settled, zero),
            func.coalesce(surveys.c.unanswered, zero),
            func.coalesce(surveys.c.csat_content, zero),
            func.coalesce(surveys.c.csat_answers, zero),
            func.coalesce(surveys.c.nps_promoters, zero),
            func.coalesce(surveys.c.nps_detractors, zero),
            func.coalesce(surveys.c.nps_answers, zero),
            _nps_before(),
            func.coalesce(replies.c.score_sum, literal(0.0)),
            func.coalesce(replies.c.scored, zero),
            func.coalesce(ratings.c.change_sum, zero),
            func.coalesce(ratings.c.changed, zero),
            _came_back(moves.c.recovered_at),
            _referrals(moves.c.recovered_at),
            _simulated(),
            Customer.lifetime_value,
        )
        .outerjoin(moves, moves.c.case_id == Case.id)
        .outerjoin(updates, updates.c.case_id == Case.id)
        .outerjoin(surveys, surveys.c.case_id == Case.id)
        .outerjoin(replies, replies.c.case_id == Case.id)
        .outerjoin(ratings, ratings.c.case_id == Case.id)
        .outerjoin(Customer, Customer.id == Case.customer_id)
        .where(one_of(session, Case.id, cases))
    )


def grants_of(session: Session, cases: Collection[int]) -> Select[Any]:
    """The compensation granted on `cases`, summed per currency and kind, with each case's
    opening time and dimensions."""
    return (
        select(  # type: ignore[return-value]
            Compensation.case_id.label("case_id"),
            Compensation.currency.label("currency"),
            Compensation.kind.label("kind"),
            func.sum(Compensation.amount).label("amount"),
            Case.opened_at.label("opened_at"),
            Case.channel.label("channel"),
            Case.category.label("category"),
            Case.team.label("team"),
            Case.playbook.label("playbook"),
            Case.owner_id.label("owner_id"),
            Case.root_cause.label("root_cause"),
        )
        .join(Case, Case.id == Compensation.case_id)
        .where(one_of(session, Compensation.case_id, cases))
        .group_by(Compensation.case_id, Compensation.currency, Compensation.kind, Case.id)
    )


def _minutes_between(session: Session) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return lambda later, earlier: (func.julianday(later) - func.julianday(earlier)) * 1440.0
    return lambda later, earlier: cast(func.extract("epoch", later - earlier), Float) / 60.0


def _outcome(moves: Any) -> ColumnElement[Any]:
    """The case's latest outcome: recovered or not recovered, whichever it reached last (a
    case reopened after an unsatisfied answer stays not recovered until it is recovered)."""
    won, lost = moves.c.last_recovered_at, moves.c.last_not_recovered_at
    return case(
        (and_(won.is_not(None), or_(lost.is_(None), won >= lost)), CaseStatus.RECOVERED.value),
        (lost.is_not(None), CaseStatus.NOT_RECOVERED.value),
        else_=None,
    )


def _moves(session: Session, cases: Collection[int]) -> Any:
    """Per case: when it was first resolved (remedy done or later) and first recovered, when
    it last reached each outcome, and whether it was ever reopened or settled."""
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
        .where(
            TimelineEvent.kind == EventKind.STATUS_CHANGED.value,
            one_of(session, TimelineEvent.case_id, cases),
        )
        .group_by(TimelineEvent.case_id)
        .subquery("moves")
    )


def _update_targets(session: Session, cases: Collection[int]) -> Any:
    """Per case: its interim-update targets with an outcome, and those met. A target is met
    when its breach timer was cancelled (a message went out in time, or the case no longer
    needed one) and missed when it fired; one still pending has no outcome yet."""
    done = CaseTimer.fired_at.is_not(None) | CaseTimer.cancelled_at.is_not(None)
    return (
        select(
            CaseTimer.case_id.label("case_id"),
            func.sum(case((done, 1), else_=0)).label("judged"),
            func.sum(case((CaseTimer.cancelled_at.is_not(None), 1), else_=0)).label("met"),
        )
        .where(
            CaseTimer.kind == TimerKind.UPDATE_BREACH,
            one_of(session, CaseTimer.case_id, cases),
        )
        .group_by(CaseTimer.case_id)
        .subquery("updates")
    )


def _surveys(session: Session, cases: Collection[int]) -> Any:
    def count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((condition, 1), else_=0))

    return (
        select(
            Survey.case_id.label("case_id"),
            count_where(Survey.outcome == SurveyOutcome.NO_RESPONSE).label("unanswered"),
            count_where(Survey.csat >= 4).label("csat_content"),
            func.count(Survey.csat).label("csat_answers"),
            count_where(Survey.nps >= 9).label("nps_promoters"),
            count_where(Survey.nps <= 6).label("nps_detractors"),
            func.count(Survey.nps).label("nps_answers"),
        )
        .where(one_of(session, Survey.case_id, cases))
        .group_by(Survey.case_id)
        .subquery("surveys")
    )


def _nps_before() -> Any:
    """The customer's latest NPS answer from before this case opened."""
    earlier = aliased(Survey)
    return (
        select(earlier.nps)
        .where(
            earlier.customer_id == Case.customer_id,
            earlier.answered_at < Case.opened_at,
            earlier.nps.is_not(None),
        )
        .order_by(earlier.answered_at.desc(), earlier.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _replies(session: Session, cases: Collection[int]) -> Any:
    """The checker scores of the replies people sent (not amends' automatic ones)."""
    return (
        select(
            Reply.case_id.label("case_id"),
            func.sum(Reply.score).label("score_sum"),
            func.count(Reply.score).label("scored"),
        )
        .where(Reply.author_id.is_not(None), one_of(session, Reply.case_id, cases))
        .group_by(Reply.case_id)
        .subquery("replies")
    )


def _rating_changes(session: Session, cases: Collection[int]) -> Any:
    """Per case, over its reviews that came back updated: the sum and number of changes of
    star rating, each the review's latest rating minus the one it came in with."""
    items = (
        select(FeedbackItem.id, FeedbackItem.case_id, FeedbackItem.rating)
        .where(FeedbackItem.rating.is_not(None), one_of(session, FeedbackItem.case_id, cases))
        .subquery()
    )
    latest = (
        select(ReviewUpdate.item_id, func.max(ReviewUpdate.id).label("last"))
        .join(items, items.c.id == ReviewUpdate.item_id)
        .group_by(ReviewUpdate.item_id)
        .subquery()
    )
    delta = ReviewUpdate.rating_after - items.c.rating
    return (
        select(
            items.c.case_id.label("case_id"),
            func.sum(delta).label("change_sum"),
            func.count(delta).label("changed"),
        )
        .join(latest, latest.c.item_id == items.c.id)
        .join(ReviewUpdate, ReviewUpdate.id == latest.c.last)
        .where(ReviewUpdate.rating_after.is_not(None))
        .group_by(items.c.case_id)
        .subquery("ratings")
    )


def _came_back(recovered_at: Any) -> ColumnElement[int]:
    """1 when the customer ordered or visited after the case's first recovery. Orders name
    customers by identity, matched here (docs/channels.md#orders-and-visits)."""
    ordered = (
        select(literal(1))
        .select_from(CustomerIdentity)
        .join(
            Order,
            and_(
                Order.identity_kind == CustomerIdentity.kind,
                Order.identity_value == CustomerIdentity.value,
            ),
        )
        .where(CustomerIdentity.customer_id == Case.customer_id, Order.ordered_at > recovered_at)
        .exists()
    )
    return case((and_(recovered_at.is_not(None), ordered), 1), else_=0)


def _referrals(recovered_at: Any) -> Any:
    """Orders referred by the customer (by email) after the case's first recovery."""
    referred = (
        select(func.count(Order.id))
        .select_from(CustomerIdentity)
        .join(
            Order,
            and_(Order.referred_by == CustomerIdentity.value, Order.ordered_at > recovered_at),
        )
        .where(CustomerIdentity.customer_id == Case.customer_id, CustomerIdentity.kind == "email")
        .scalar_subquery()
    )
    return case((recovered_at.is_not(None), referred), else_=0)


def _simulated() -> ColumnElement[int]:
    marked = (
        select(literal(1))
        .where(
            TimelineEvent.case_id == Case.id,
            TimelineEvent.kind == EventKind.DEMO_SIMULATED.value,
        )
        .exists()
    )
    return case((marked, 1), else_=0)
