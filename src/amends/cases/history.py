"""Read what customers said and what became of it: feedback items and a customer's history."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amends.cases.queries import MAX_PAGE
from amends.store.tables import Case, Customer, CustomerIdentity, FeedbackItem


@dataclass(frozen=True, slots=True)
class ItemFilter:
    source: str | None = None
    channel: str | None = None
    case_id: int | None = None


@dataclass(frozen=True, slots=True)
class ItemPage:
    items: list[FeedbackItem]
    next_cursor: int | None


@dataclass(frozen=True, slots=True)
class CustomerHistory:
    """A customer, the ways we recognise them, and everything they told us, newest first."""

    customer: Customer
    identities: list[CustomerIdentity]
    items: list[FeedbackItem]
    cases: list[Case]


def list_items(
    session: Session, filters: ItemFilter, *, cursor: int | None = None, limit: int = 50
) -> ItemPage:
    """Newest stored first; `cursor` is the id of the last item of the previous page."""
    limit = max(1, min(limit, MAX_PAGE))
    query = select(FeedbackItem)
    if filters.source is not None:
        query = query.where(FeedbackItem.source == filters.source)
    if filters.channel is not None:
        query = query.where(FeedbackItem.channel == filters.channel)
    if filters.case_id is not None:
        query = query.where(FeedbackItem.case_id == filters.case_id)
    if cursor is not None:
        query = query.where(FeedbackItem.id < cursor)
    rows = list(session.scalars(query.order_by(FeedbackItem.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return ItemPage(items=rows, next_cursor=rows[-1].id if more and rows else None)


def get_item(session: Session, item_id: int) -> FeedbackItem | None:
    return session.get(FeedbackItem, item_id)


def customer_history(session: Session, customer_id: int) -> CustomerHistory | None:
    customer = session.get(Customer, customer_id)
    if customer is None:
        return None
    return CustomerHistory(
        customer=customer,
        identities=_identities(session, customer_id),
        items=_items(session, customer_id),
        cases=_cases(session, customer_id),
    )


def _identities(session: Session, customer_id: int) -> list[CustomerIdentity]:
    query = (
        select(CustomerIdentity)
        .where(CustomerIdentity.customer_id == customer_id)
        .order_by(CustomerIdentity.id)
    )
    return list(session.scalars(query))


def _items(session: Session, customer_id: int) -> list[FeedbackItem]:
    # When the customer spoke, not when we imported it: a backfill must not reorder the past.
    said_at = func.coalesce(FeedbackItem.posted_at, FeedbackItem.received_at)
    query = (
        select(FeedbackItem)
        .where(FeedbackItem.customer_id == customer_id)
        .order_by(said_at.desc(), FeedbackItem.id.desc())
    )
    return list(session.scalars(query))


def _cases(session: Session, customer_id: int) -> list[Case]:
    query = (
        select(Case)
        .where(Case.customer_id == customer_id)
        .order_by(Case.opened_at.desc(), Case.id.desc())
    )
    return list(session.scalars(query))
