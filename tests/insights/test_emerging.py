"""Emerging topics from stored items: only the period's negative items that fit no category."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from amends.insights.emerging import emerging
from amends.insights.metrics import Filters
from amends.store.tables import FeedbackItem, Sentiment
from tests.insights.test_topics import grumble_text, theme_text
from tests.web.triage_rows import triage_row

NOW = datetime(2026, 6, 1, tzinfo=UTC)
_serial = itertools.count()


def _item(
    session: Session, text: str, *, category: str = "other", score: float = 0.9,
    sentiment: Sentiment = Sentiment.NEGATIVE, days_ago: float = 1,
) -> int:  # fmt: skip
    n = next(_serial)
    item = FeedbackItem(
        source="t", dedupe_key=f"e{n}", channel="email", text=text, raw="x",
        received_at=NOW - timedelta(days=days_ago),
    )  # fmt: skip
    session.add(item)
    session.flush()
    row = triage_row(item.id, category=category, sentiment=sentiment)
    row.category_score = score
    session.add(row)
    return item.id


def test_only_recent_negative_items_that_fit_no_category_are_grouped(session: Session) -> None:
    rng = random.Random(5)
    themed = {_item(session, theme_text(rng, "allergen")) for _ in range(20)}
    for _ in range(30):
        _item(session, grumble_text(rng))
    # The same theme, but placed by triage, positive, or too old: never in a topic.
    placed = {
        _item(session, theme_text(rng, "allergen"), category="product_quality") for _ in range(8)
    }
    happy = {
        _item(session, theme_text(rng, "allergen"), sentiment=Sentiment.POSITIVE) for _ in range(8)
    }
    old = {_item(session, theme_text(rng, "allergen"), days_ago=60) for _ in range(8)}
    unsure = {
        _item(session, theme_text(rng, "allergen"), category="delay", score=0.2) for _ in range(4)
    }
    session.commit()
    topics = emerging(session, Filters(start=NOW - timedelta(days=30), end=NOW))
    assert topics
    best = topics[0]
    members = set(best.item_ids)
    assert "allergen" in best.label
    assert len(members & (themed | unsure)) >= 0.8 * len(members)
    assert not members & (placed | happy | old)
