from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from amends.lib import clock
from amends.store.base import Base, BigId, IdMixin

if TYPE_CHECKING:
    from amends.store.tables.triage import ItemTriage


class FeedbackItem(IdMixin, Base):
    """One piece of feedback as it arrived, with its raw payload kept verbatim.

    `dedupe_key` is the external id when the platform gives one, else a hash of the content;
    (source, dedupe_key) is unique, which is what makes imports idempotent.
    """

    __tablename__ = "feedback_items"
    __table_args__ = (
        UniqueConstraint("source", "dedupe_key"),
        Index("ix_feedback_items_customer_id_posted_at", "customer_id", "posted_at"),
    )

    source: Mapped[str] = mapped_column(String(100))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(300))
    author_handle: Mapped[str | None] = mapped_column(String(300))
    author_reach: Mapped[int | None]
    email: Mapped[str | None] = mapped_column(String(320))
    title: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    url: Mapped[str | None] = mapped_column(String(2000))
    product: Mapped[str | None] = mapped_column(String(300))
    business: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(8))
    posted_at: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(default=clock.now)
    raw: Mapped[str] = mapped_column(Text)
    customer_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("customers.id", ondelete="SET NULL")
    )
    case_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    triage: Mapped[ItemTriage | None] = relationship(lazy="selectin", viewonly=True)
