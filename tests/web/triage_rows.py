"""Triage rows with the values a test chooses, for tests that must not depend on the models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from amends.store.tables import ItemTriage, Priority, Sentiment


def triage_row(
    item_id: int,
    *,
    risk: int = 30,
    priority: Priority = Priority.NORMAL,
    category: str = "delay",
    sentiment: Sentiment = Sentiment.NEGATIVE,
    emotion: str | None = "annoyance",
    emotions: dict[str, float] | None = None,
    factors: Sequence[dict[str, Any]] = (),
    pii: Sequence[dict[str, Any]] = (),
) -> ItemTriage:
    """An item's triage as the pipeline stores it, with the values a test chooses."""
    return ItemTriage(
        item_id=item_id,
        sentiment=sentiment,
        sentiment_score=0.91,
        emotions={emotion or "calm": 0.62} if emotions is None else emotions,
        emotion=emotion,
        category=category,
        category_score=0.74,
        language="en",
        language_score=0.98,
        pii=list(pii),
        risk=risk,
        risk_factors=list(factors),
        priority=priority,
        model="test-model",
    )
