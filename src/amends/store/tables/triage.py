from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from amends.lib import clock
from amends.store.base import Base, BigId, value_enum
from amends.store.tables.cases import Priority


class Sentiment(enum.StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class ItemTriage(Base):
    """What triage understood of one feedback item, kept apart from the item so that
    `amends triage --rescore` can replace it after a model change without touching the item.

    `risk_factors` is a list of {name, points, reason}; `pii` a list of {kind, start, end}
    offsets into the item's text; `emotions` maps each emotion to its probability.
    """

    __tablename__ = "item_triage"

    item_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("feedback_items.id", ondelete="CASCADE"), primary_key=True
    )
    sentiment: Mapped[Sentiment] = mapped_column(value_enum(Sentiment, "sentiment"))
    sentiment_score: Mapped[float] = mapped_column(Float)
    emotions: Mapped[dict[str, float]] = mapped_column(default=dict)
    emotion: Mapped[str | None] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(60))
    category_score: Mapped[float] = mapped_column(Float)
    language: Mapped[str] = mapped_column(String(8))
    language_score: Mapped[float] = mapped_column(Float)
    pii: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    risk: Mapped[int] = mapped_column(SmallInteger)
    risk_factors: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    priority: Mapped[Priority] = mapped_column(value_enum(Priority, "priority"))
    model: Mapped[str] = mapped_column(String(100))
    triaged_at: Mapped[datetime] = mapped_column(default=clock.now)
