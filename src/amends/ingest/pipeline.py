"""The one path every incoming item takes, whether from a file or a webhook.

    deduplicate → link customer → triage → open or join a case (routed by the playbooks) → store

Replies plug in here too, after triage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from amends.cases import playbook_set
from amends.cases.opening import Arrival, open_or_join
from amends.cases.routing import Profile
from amends.config import Settings
from amends.ingest.identity import link_customers
from amends.ingest.mapping import dedupe_key
from amends.ingest.model import ItemIn
from amends.ingest.review_updates import record_updates
from amends.ingest.understanding import (
    customer_profiles,
    playbook_facts,
    signals,
    triage_row,
    understand,
)
from amends.lib import clock
from amends.store.many import one_of
from amends.store.tables import FeedbackItem, ItemTriage
from amends.store.upsert import allocate_ids, insert_rows, lock_for_writing
from amends.triage.service import Reading, Triage, model_name


@dataclass(slots=True)
class Outcome:
    imported: int = 0
    duplicates: int = 0
    updated: int = 0  # of the duplicates, reviews that came back changed
    item_ids: list[int] = field(default_factory=list)
    case_ids: dict[int, int] = field(default_factory=dict)


def process(
    session: Session,
    items: Sequence[ItemIn],
    settings: Settings,
    *,
    readings: Mapping[str, Reading] | None = None,
) -> Outcome:
    """Store new items, link their customers and open cases, inside the caller's transaction.

    `readings` are texts triage has already read (an import reads ahead in other processes).

    Safe to call again with the same items: what is already stored counts as a duplicate.
    Writers of one source take turns (lock_for_writing), so the check for what is already
    stored stays true until the new items are in.
    """
    for source in sorted({item.source for item in items}):
        lock_for_writing(session, f"ingest:{source}")
    fresh, repeats = _unseen(session, items)
    outcome = Outcome(duplicates=len(items) - len(fresh))
    outcome.updated = record_updates(session, repeats, clock.now())
    if not fresh:
        return outcome
    table = cast(Table, FeedbackItem.__table__)
    ids = allocate_ids(session, table, len(fresh))
    customers = link_customers(session, [item for _, item in fresh])
    now = clock.now()
    profiles = customer_profiles(session, customers)
    items_in = [item for _, item in fresh]
    results = understand(
        session, items_in, customers, settings, now, profiles=profiles, readings=readings
    )
    arrivals = [
        _arrival(item_id, item, customer, result, profiles, now)
        for item_id, item, customer, result in zip(ids, items_in, customers, results, strict=True)
    ]
    outcome.case_ids = open_or_join(session, arrivals, playbook_set.current(settings))
    rows = [
        _row(item_id, key, item, customer, outcome.case_ids.get(item_id), now)
        for item_id, (key, item), customer in zip(ids, fresh, customers, strict=True)
    ]
    insert_rows(session, table, rows)
    model = model_name(settings.category_model)
    triaged = [
        triage_row(item_id, result, model, now)
        for item_id, result in zip(ids, results, strict=True)
    ]
    insert_rows(session, cast(Table, ItemTriage.__table__), triaged)
    outcome.imported = len(rows)
    outcome.item_ids = ids
    return outcome


def _unseen(
    session: Session, items: Sequence[ItemIn]
) -> tuple[list[tuple[tuple[str, str], ItemIn]], list[ItemIn]]:
    """Items not yet stored, first of each key only (a file may repeat a row); and those
    already stored, which may be new versions of a review."""
    keyed: dict[tuple[str, str], ItemIn] = {}
    for item in items:
        keyed.setdefault((item.source, dedupe_key(item)), item)
    stored: set[tuple[str, str]] = set()
    for source in {source for source, _ in keyed}:
        query = select(FeedbackItem.dedupe_key).where(
            FeedbackItem.source == source,
            one_of(session, FeedbackItem.dedupe_key, [key for src, key in keyed if src == source]),
        )
        stored.update((source, key) for key in session.scalars(query))
    fresh = [(key, item) for key, item in keyed.items() if key not in stored]
    return fresh, [item for key, item in keyed.items() if key in stored]


def _row(
    item_id: int,
    key: tuple[str, str],
    item: ItemIn,
    customer_id: int | None,
    case_id: int | None,
    now: datetime,
) -> dict[str, object]:
    return {
        "id": item_id,
        "source": item.source,
        "dedupe_key": key[1],
        "channel": item.channel,
        "external_id": item.external_id,
        "author": item.author,
        "author_handle": item.author_handle,
        "author_reach": item.author_reach,
        "email": item.email,
        "title": item.title,
        "text": item.text,
        "rating": item.rating,
        "url": item.url,
        "product": item.product,
        "business": item.business,
        "location": item.location,
        "language": item.language,
        "posted_at": item.posted_at,
        "received_at": now,
        "raw": item.raw,
        "customer_id": customer_id,
        "case_id": case_id,
    }


def _arrival(
    item_id: int,
    item: ItemIn,
    customer_id: int | None,
    result: Triage,
    profiles: Mapping[int, Profile],
    now: datetime,
) -> Arrival:
    profile = profiles.get(customer_id) if customer_id is not None else None
    return Arrival(
        item_id=item_id,
        customer_id=customer_id,
        topic=item.product,
        channel=item.channel,
        rating=item.rating,
        title=item.title,
        text=item.text,
        at=now,
        signals=signals(result),
        facts=playbook_facts(item, result, profile),
    )
