"""Read cases for the inbox, the case page and the API: one filter, one cursor, both layers."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from amends.cases.clocks import ClockState, condition
from amends.lib import clock
from amends.store.tables import Case, CaseStatus, Customer, FeedbackItem, Priority, TimelineEvent

MAX_PAGE = 200


@dataclass(frozen=True, slots=True)
class CaseFilter:
    status: Sequence[CaseStatus] = ()
    priority: Sequence[Priority] = ()
    channel: Sequence[str] = ()
    owner_id: int | None = None
    unassigned: bool = False
    q: str | None = None
    category: Sequence[str] = ()
    sentiment: Sequence[str] = ()
    emotion: Sequence[str] = ()
    min_risk: int | None = None
    sla: ClockState | None = None  # breached or due_soon: clocks.condition


class Order(enum.StrEnum):
    """Inbox orders. Both page by case id, so a cursor stays a plain id."""

    NEWEST = "newest"
    RISK = "risk"


@dataclass(frozen=True, slots=True)
class Page:
    cases: list[Case]
    next_cursor: int | None


def list_cases(
    session: Session,
    filters: CaseFilter,
    *,
    cursor: int | None = None,
    limit: int = 50,
    order: Order = Order.NEWEST,
) -> Page:
    """Newest first, or riskiest first (newest first among equals); `cursor` is the id of the
    last case of the previous page."""
    limit = max(1, min(limit, MAX_PAGE))
    query = _filtered(select(Case), filters)
    if order is Order.RISK:
        query = _after_by_risk(session, query, cursor).order_by(Case.risk.desc(), Case.id.desc())
    else:
        query = query.where(Case.id < cursor) if cursor is not None else query
        query = query.order_by(Case.id.desc())
    rows = list(session.scalars(query.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(cases=rows, next_cursor=rows[-1].id if more and rows else None)


def _after_by_risk(session: Session, query: Select[Any], cursor: int | None) -> Select[Any]:
    """Keyset paging on (risk, id), starting after the cursor case's place in that order."""
    if cursor is None:
        return query
    risk = session.scalar(select(Case.risk).where(Case.id == cursor))
    if risk is None:
        return query.where(Case.id < cursor)
    return query.where(or_(Case.risk < risk, and_(Case.risk == risk, Case.id < cursor)))


def count_cases(session: Session, filters: CaseFilter) -> int:
    query = _filtered(select(func.count()).select_from(Case), filters)
    return int(session.scalar(query) or 0)


def _filtered(query: Select[Any], filters: CaseFilter) -> Select[Any]:
    if filters.status:
        query = query.where(Case.status.in_(filters.status))
    if filters.priority:
        query = query.where(Case.priority.in_(filters.priority))
    if filters.channel:
        query = query.where(Case.channel.in_(filters.channel))
    if filters.unassigned:
        query = query.where(Case.owner_id.is_(None))
    elif filters.owner_id is not None:
        query = query.where(Case.owner_id == filters.owner_id)
    if filters.q:
        query = query.where(_matches(filters.q))
    if filters.category:
        query = query.where(Case.category.in_(filters.category))
    if filters.sentiment:
        query = query.where(Case.sentiment.in_(filters.sentiment))
    if filters.emotion:
        query = query.where(Case.emotion.in_(filters.emotion))
    if filters.min_risk is not None:
        query = query.where(Case.risk >= filters.min_risk)
    if filters.sla is not None:
        query = query.where(condition(filters.sla, clock.now()))
    return query


def _matches(q: str) -> ColumnElement[bool]:
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    # OFFSET 0 keeps PostgreSQL from turning this EXISTS into a hash of every matching item:
    # newest-first, it probes each case's items and stops at a page (1.7 s → 40 ms on 100k).
    in_items = (
        select(FeedbackItem.id)
        .where(FeedbackItem.case_id == Case.id, FeedbackItem.text.ilike(pattern, escape="\\"))
        .offset(0)
        .exists()
    )
    return or_(Case.title.ilike(pattern, escape="\\"), in_items)


def get_case(session: Session, case_id: int) -> Case | None:
    return session.get(Case, case_id)


def case_items(session: Session, case_id: int) -> list[FeedbackItem]:
    query = select(FeedbackItem).where(FeedbackItem.case_id == case_id).order_by(FeedbackItem.id)
    return list(session.scalars(query))


def timeline(session: Session, case_id: int) -> list[TimelineEvent]:
    query = select(TimelineEvent).where(TimelineEvent.case_id == case_id).order_by(TimelineEvent.id)
    return list(session.scalars(query))


def customer(session: Session, customer_id: int) -> Customer | None:
    return session.get(Customer, customer_id)


def count_by_status(session: Session, filters: CaseFilter) -> dict[CaseStatus, int]:
    """How many cases match `filters` in each status; statuses with none are left out."""
    grouped = cast("Select[Any]", select(Case.status, func.count()).group_by(Case.status))
    query = _filtered(grouped, filters)
    return {status: int(count) for status, count in session.execute(query)}


def channels(session: Session) -> list[str]:
    """Every channel a case came from, for filter menus."""
    return list(session.scalars(select(Case.channel).distinct().order_by(Case.channel)))


def customer_names(session: Session, customer_ids: Iterable[int]) -> dict[int, str]:
    """Names of the given customers, for lists; customers without a name are left out."""
    ids = set(customer_ids)
    if not ids:
        return {}
    query = select(Customer.id, Customer.name).where(
        Customer.id.in_(ids), Customer.name.is_not(None)
    )
    return {customer_id: str(name) for customer_id, name in session.execute(query)}


def categories(session: Session) -> list[str]:
    """Every category triage gave a case, for filter menus."""
    query = select(Case.category).where(Case.category.is_not(None)).distinct()
    return sorted(str(name) for name in session.scalars(query))


def emotions(session: Session) -> list[str]:
    """Every main emotion triage gave a case, for filter menus."""
    query = select(Case.emotion).where(Case.emotion.is_not(None)).distinct()
    return sorted(str(name) for name in session.scalars(query))
