"""Spike alerts (docs/spikes.md#alerts): the worker asks, about once a minute, whether the last
complete hour held a spike of negative items for a category, product or location, and tells
the leads and managers, by email or webhook per their preferences, once per spike.

Each alert's key names the key and the spike's first hour, so a spike that lasts several hours,
or that several workers see at once, is told once (the outbox skips a key it already holds)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.insights.spikes import Spike, SpikeParams, latest_spikes
from amends.notify.events import Notice
from amends.notify.outbox import Note, enqueue_all
from amends.store.tables import FeedbackItem, ItemTriage, Role, Sentiment, User

#: The item facts watched, each a family of keys ("category: delay", "location: Leeds").
WATCHED = ("category", "product", "location")


def watch(session: Session, *, now: datetime, params: SpikeParams | None = None) -> list[Spike]:
    """Find the spikes of the last complete bucket before `now` and queue their alerts, in the
    caller's transaction; return them."""
    params = params or SpikeParams()
    since = now - params.bucket * (params.window_buckets + 2)
    spikes = latest_spikes(_events(session, since), now, params, since=since)
    if spikes:
        enqueue_all(session, [_note(spike, _watchers(session)) for spike in spikes])
    return spikes


def _events(session: Session, since: datetime) -> list[tuple[datetime, str]]:
    """(arrival, key) of every negative item since `since`, one per watched fact it has."""
    query = (
        select(
            FeedbackItem.received_at,
            ItemTriage.category,
            FeedbackItem.product,
            FeedbackItem.location,
        )
        .join(ItemTriage, ItemTriage.item_id == FeedbackItem.id)
        .where(FeedbackItem.received_at >= since, ItemTriage.sentiment == Sentiment.NEGATIVE)
    )
    events = []
    for received, *facts in session.execute(query):
        for name, value in zip(WATCHED, facts, strict=True):
            if value:
                events.append((received, f"{name}: {value}"))
    return events


def _watchers(session: Session) -> list[int]:
    query = select(User.id).where(User.is_active, User.role.in_([Role.LEAD, Role.MANAGER]))
    return list(session.scalars(query.order_by(User.id)))


def _note(spike: Spike, user_ids: list[int]) -> Note:
    data: dict[str, Any] = {
        "key": spike.key,
        "start": spike.start.isoformat(),
        "end": spike.end.isoformat(),
        "observed": spike.observed,
        "expected": round(spike.expected, 2),
        "p_value": spike.p_value,
        "first_appearance": spike.first_appearance,
        "explanation": spike.explanation,
    }
    return Note(
        notice=Notice.SPIKE,
        case_id=None,
        user_ids=user_ids,
        summary=f"Spike in {spike.key}: {spike.observed} items against a usual "
        f"{spike.expected:.1f}",
        data=data,
        key=f"spike:{spike.key[:100]}:{spike.start.isoformat()}",
    )
