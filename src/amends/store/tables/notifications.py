"""Who wants to hear about what, where webhooks go, and every message sent or tried."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base, BigId, CreatedMixin, IdMixin, JsonDoc, value_enum


class NotificationPreference(Base):
    """One user's choice for one kind of notification; with no row, the default applies
    (docs/notifications.md)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    event: Mapped[str] = mapped_column(String(40), primary_key=True)
    email: Mapped[bool] = mapped_column(default=True, server_default=true())
    webhook: Mapped[bool] = mapped_column(default=True, server_default=true())


class WebhookEndpoint(IdMixin, CreatedMixin, Base):
    """An outgoing webhook. With a user, it carries that user's notifications; without one,
    every notification of the events it lists. The secret signs each delivery."""

    __tablename__ = "webhook_endpoints"

    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))
    events: Mapped[list[str] | None] = mapped_column(JsonDoc)  # None: every event
    user_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"  # gave up after the last retry: the dead-letter record


class Delivery(IdMixin, CreatedMixin, Base):
    """One notification to one place, written in the transaction of the change it reports
    and sent by the worker, retried with back-off until sent or dead."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        UniqueConstraint("dedup_key", name="uq_deliveries_dedup_key"),
    )

    event: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(20))  # "email", "webhook", "customer_email"
    case_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id", ondelete="SET NULL"))
    endpoint_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    recipient: Mapped[str] = mapped_column(String(2000))  # an email address or a URL
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # What makes this delivery the same as another, so a retried transaction adds none.
    dedup_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[DeliveryStatus] = mapped_column(
        value_enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    next_attempt_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
