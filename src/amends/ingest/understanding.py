"""Triage in the pipeline: gather what the store knows of each item's customer, triage the
batch, and turn the results into rows and into the signals case opening needs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from amends.cases.opening import Signals
from amends.cases.routing import Profile, item_facts
from amends.config import Settings
from amends.ingest.model import ItemIn
from amends.playbooks.facts import ItemFacts
from amends.store.many import one_of
from amends.store.tables import Customer, FeedbackItem
from amends.triage.service import (
    Reading,
    Triage,
    TriageInput,
    factor_public,
    span_public,
    triage,
)

REPEAT_WINDOW = timedelta(days=30)


class Facts(Protocol):
    """What triage reads of an item: an arriving ItemIn or a stored FeedbackItem."""

    @property
    def text(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def rating(self) -> int | None: ...
    @property
    def author_reach(self) -> int | None: ...


def understand(
    session: Session,
    items: Sequence[Facts],
    customers: Sequence[int | None],
    settings: Settings,
    now: datetime,
    *,
    profiles: Mapping[int, Profile] | None = None,
    readings: Mapping[str, Reading] | None = None,
) -> list[Triage]:
    """Triage `items`, each with its customer's lifetime value and how many other complaints
    that customer made in the last 30 days (stored ones, and earlier ones in this batch).
    `profiles` are the customers' (customer_profiles); read here when not given; `readings`
    are texts already read (triage.service.read)."""
    known = customer_profiles(session, customers) if profiles is None else profiles
    values = {
        customer: profile.lifetime_value
        for customer, profile in known.items()
        if profile.lifetime_value is not None
    }
    stored = _recent_complaints(session, customers, now - REPEAT_WINDOW)
    seen: Counter[int] = Counter()
    inputs = []
    for item, customer in zip(items, customers, strict=True):
        recent = stored.get(customer, 0) + seen[customer] if customer is not None else 0
        inputs.append(
            TriageInput(
                text=item.text,
                channel=item.channel,
                rating=item.rating,
                author_reach=item.author_reach,
                lifetime_value=values.get(customer) if customer is not None else None,
                recent_complaints=recent,
            )
        )
        if customer is not None:
            seen[customer] += 1
    return triage(inputs, category_model=settings.category_model, readings=readings)


def signals(result: Triage) -> Signals:
    return Signals(
        negative=result.negative,
        risk=result.risk,
        priority=result.priority,
        category=result.category,
        sentiment=result.sentiment.value,
        emotion=result.emotion,
    )


def triage_row(item_id: int, result: Triage, model: str, now: datetime) -> dict[str, Any]:
    return {
        "item_id": item_id,
        "sentiment": result.sentiment,
        "sentiment_score": result.sentiment_score,
        "emotions": result.emotions,
        "emotion": result.emotion,
        "category": result.category,
        "category_score": result.category_score,
        "language": result.language,
        "language_score": result.language_score,
        "pii": [span_public(span) for span in result.pii],
        "risk": result.risk,
        "risk_factors": [factor_public(factor) for factor in result.risk_factors],
        "priority": result.priority,
        "model": model,
        "triaged_at": now,
    }


def customer_profiles(session: Session, customers: Sequence[int | None]) -> dict[int, Profile]:
    """The segment and lifetime value of each customer that has either."""
    ids = {customer for customer in customers if customer is not None}
    if not ids:
        return {}
    query = select(Customer.id, Customer.segment, Customer.lifetime_value).where(
        one_of(session, Customer.id, ids),
        or_(Customer.segment.is_not(None), Customer.lifetime_value.is_not(None)),
    )
    return {
        customer: Profile(segment, value) for customer, segment, value in session.execute(query)
    }


def playbook_facts(item: ItemIn, result: Triage, profile: Profile | None) -> ItemFacts:
    """What playbooks match an arriving item on."""
    return item_facts(
        text=item.text,
        channel=item.channel,
        source=item.source,
        rating=item.rating,
        triaged=result,
        profile=profile,
    )


def _recent_complaints(
    session: Session, customers: Sequence[int | None], since: datetime
) -> dict[int, int]:
    ids = {customer for customer in customers if customer is not None}
    if not ids:
        return {}
    query = (
        select(FeedbackItem.customer_id, func.count())
        .where(
            one_of(session, FeedbackItem.customer_id, ids),
            FeedbackItem.case_id.is_not(None),
            FeedbackItem.received_at >= since,
        )
        .group_by(FeedbackItem.customer_id)
    )
    return {
        customer: int(count) for customer, count in session.execute(query) if customer is not None
    }
