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


def test_a_topic_says_how_many_of_its_items_are_recent_and_whether_it_grows(
    session: Session,
) -> None:
    rng = random.Random(9)
    days_ago: dict[int, float] = {}
    # Parking: 4 items in the earlier half of the 30 days, 12 in the later. Allergens: even.
    for theme, ages in (("parking", [20.0] * 4 + [5.0] * 12), ("allergen", [25.0] * 8 + [2.0] * 8)):
        for age in ages:
            days_ago[_item(session, theme_text(rng, theme), days_ago=age)] = age
    for _ in range(30):
        age = rng.uniform(0.5, 29.5)
        days_ago[_item(session, grumble_text(rng), days_ago=age)] = age
    session.commit()
    topics = emerging(session, Filters(start=NOW - timedelta(days=30), end=NOW))
    assert len(topics) == 2
    for topic in topics:
        assert topic.recent == sum(days_ago[item] < 15 for item in topic.item_ids)
    found = {("parking" if "parking" in t.label else "allergen"): t for t in topics}
    assert found["parking"].growing
    assert not found["allergen"].growing
