"""A review that came back changed: the same item (same source and external id) imported again
with another rating or text, as platforms let reviewers edit their reviews."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base, BigId, IdMixin


class ReviewUpdate(IdMixin, Base):
    """One new version of an item. The item keeps its first version verbatim; each change is a
    row here, once (`version` hashes the rating and text), with the rating before and after."""

    __tablename__ = "review_updates"
    __table_args__ = (UniqueConstraint("item_id", "version"),)

    item_id: Mapped[int] = mapped_column(BigId, ForeignKey("feedback_items.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[str] = mapped_column(String(80))
    rating_before: Mapped[int | None] = mapped_column(SmallInteger)
    rating_after: Mapped[int | None] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime | None]
    received_at: Mapped[datetime]
