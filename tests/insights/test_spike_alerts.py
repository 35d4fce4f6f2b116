"""Spike alerts from stored items: a burst of negative items in the last hour is told to the
leads and managers once, with the baseline it was judged against; a usual hour is not."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.insights.spike_alerts import watch
from amends.store.tables import Delivery, FeedbackItem, Sentiment, User
from tests.web.triage_rows import triage_row

NOW = datetime(2026, 4, 10, 15, 5, tzinfo=UTC)  # the last complete hour is 14:00–15:00
_serial = itertools.count()


def _item(session: Session, at: datetime, category: str, sentiment: Sentiment) -> None:
    n = next(_serial)
    item = FeedbackItem(
        source="t", dedupe_key=f"k{n}", channel="email", text="x", raw="x", received_at=at,
        location="Leeds" if category == "delay" else None,
    )  # fmt: skip
    session.add(item)
    session.flush()
    session.add(triage_row(item.id, category=category, sentiment=sentiment))


def _history(session: Session, *, burst: int) -> None:
    """Eight days of about two negative 'delay' items an hour, then `burst` more in the last
    complete hour; positive items, however many, never count."""
    rng = random.Random(7)
    start = NOW.replace(minute=0) - timedelta(days=8)
    hour = start
    while hour < NOW.replace(minute=0):
        for _ in range(rng.choice((1, 2, 2, 3))):
            _item(session, hour + timedelta(minutes=rng.randrange(60)), "delay", Sentiment.NEGATIVE)
        hour += timedelta(hours=1)
    last = NOW.replace(minute=0) - timedelta(hours=1)
    for minute in range(burst):
        _item(session, last + timedelta(minutes=minute % 60), "delay", Sentiment.NEGATIVE)
    for minute in range(40):
        _item(session, last + timedelta(minutes=minute), "billing", Sentiment.POSITIVE)
    session.commit()


def test_a_burst_is_told_once_to_leads_and_managers(
    session: Session, alice: User, bob: User, carol: User
) -> None:
    _history(session, burst=30)
    spikes = watch(session, now=NOW)
    session.commit()
    keys = {spike.key for spike in spikes}
    assert keys == {"category: delay", "location: Leeds"}
    delay = next(s for s in spikes if s.key == "category: delay")
    assert delay.observed >= 30
    assert delay.start == NOW.replace(minute=0) - timedelta(hours=1)
    assert "usual" in delay.explanation
    told = session.scalars(select(Delivery).where(Delivery.event == "spike")).all()
    assert {d.user_id for d in told} == {bob.id, carol.id}
    assert all(d.payload["data"]["explanation"] for d in told)
    watch(session, now=NOW + timedelta(minutes=1))
    session.commit()
    again = session.scalars(select(Delivery).where(Delivery.event == "spike")).all()
    assert len(again) == len(told)


def test_a_usual_hour_alerts_nobody(session: Session, bob: User) -> None:
    _history(session, burst=0)
    assert watch(session, now=NOW) == []
    assert session.scalars(select(Delivery)).all() == []
