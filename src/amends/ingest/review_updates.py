"""Reviews that come back changed (docs/channels.md#updated-reviews): an item imported again
under the same source and external id, with another rating or text, is a new version of it.
The item keeps its first version; the new one is kept as a review update, once, and its case's
timeline records the rating before and after, which the recovery figures report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from amends.cases.events import EventKind
from amends.ingest import fields as f
from amends.ingest.mapping import dedupe_key
from amends.ingest.model import ItemIn
from amends.store.many import one_of
from amends.store.tables import FeedbackItem, ReviewUpdate, TimelineEvent
from amends.store.upsert import insert_rows

Version = tuple[int | None, str]


def record_updates(session: Session, repeats: Sequence[ItemIn], now: datetime) -> int:
    """Keep the new versions among `repeats` (items already stored); how many were new."""
    known = [item for item in repeats if item.external_id]
    if not known:
        return 0
    stored = _stored(session, known)
    versions = _versions(session, [row.id for row in stored.values()])
    rows = []
    for item in known:
        original = stored.get((item.source, dedupe_key(item)))
        if original is None:
            continue
        seen = [(original.rating, original.text), *versions[original.id]]
        if any(_same(item, version) for version in seen):
            continue
        rows.append(_row(item, original, seen[-1][0], now))
    if not rows:
        return 0
    table = cast(Table, ReviewUpdate.__table__)
    added = insert_rows(
        session,
        table,
        rows,
        conflict=["item_id", "version"],
        returning=["item_id", "case_id", "rating_before", "rating_after"],
    )
    events = [_event(row, now) for row in added if row.case_id is not None]
    if events:
        insert_rows(session, cast(Table, TimelineEvent.__table__), events)
    return len(added)


def _stored(session: Session, items: Sequence[ItemIn]) -> dict[tuple[str, str], FeedbackItem]:
    by_source: dict[str, list[str]] = defaultdict(list)
    for item in items:
        by_source[item.source].append(dedupe_key(item))
    found: dict[tuple[str, str], FeedbackItem] = {}
    for source, keys in by_source.items():
        query = select(FeedbackItem).where(
            FeedbackItem.source == source, one_of(session, FeedbackItem.dedupe_key, keys)
        )
        for row in session.scalars(query):
            found[(source, row.dedupe_key)] = row
    return found


def _versions(session: Session, item_ids: list[int]) -> dict[int, list[Version]]:
    """Each item's later versions, oldest first."""
    found: dict[int, list[Version]] = defaultdict(list)
    if not item_ids:
        return found
    query = (
        select(ReviewUpdate.item_id, ReviewUpdate.rating_after, ReviewUpdate.text)
        .where(one_of(session, ReviewUpdate.item_id, item_ids))
        .order_by(ReviewUpdate.id)
    )
    for item_id, rating, text in session.execute(query):
        found[item_id].append((rating, text))
    return found


def _same(item: ItemIn, version: Version) -> bool:
    """A rating left out by the platform is no change; the text must match."""
    rating, text = version
    return item.text == text and (item.rating is None or item.rating == rating)


def _row(item: ItemIn, original: FeedbackItem, before: int | None, now: datetime) -> dict[str, Any]:
    after = item.rating if item.rating is not None else before
    return {
        "item_id": original.id,
        "case_id": original.case_id,
        "version": f.content_hash(str(after), item.text)[:80],
        "rating_before": before,
        "rating_after": after,
        "text": item.text,
        "raw": item.raw,
        "posted_at": item.posted_at,
        "received_at": now,
    }


def _event(row: Any, now: datetime) -> dict[str, Any]:
    return {
        "case_id": row.case_id,
        "kind": EventKind.REVIEW_UPDATED.value,
        "actor_id": None,
        "actor": "amends",
        "at": now,
        "data": {
            "item_id": row.item_id,
            "rating_before": row.rating_before,
            "rating_after": row.rating_after,
        },
    }
