"""Orders and visits imported from the business's own systems, to see whether recovered
customers come back (docs/insights.md#repeat-business-and-referrals)."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base, CreatedMixin, IdMixin, value_enum


class OrderKind(enum.StrEnum):
    ORDER = "order"
    VISIT = "visit"


class Order(IdMixin, CreatedMixin, Base):
    """One order or visit. It names its customer the way feedback does, by an identity (an
    email, or a handle on a channel), and is matched to customers when the figures are computed,
    so orders imported before or after the complaints link the same way."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("source", "dedupe_key"),
        Index("ix_orders_identity", "identity_kind", "identity_value", "ordered_at"),
        Index("ix_orders_referred_by", "referred_by"),
    )

    source: Mapped[str] = mapped_column(String(100))
    # The external id, else a hash of the row's facts: the same row imported twice is one order.
    dedupe_key: Mapped[str] = mapped_column(String(200))
    external_id: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[OrderKind] = mapped_column(value_enum(OrderKind, "order_kind"))
    identity_kind: Mapped[str] = mapped_column(String(40))  # "email", or a channel for a handle
    identity_value: Mapped[str] = mapped_column(String(320))
    ordered_at: Mapped[datetime]
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    # The email of the customer who referred this one, when the business records it.
    referred_by: Mapped[str | None] = mapped_column(String(320))
    raw: Mapped[str] = mapped_column(Text)
