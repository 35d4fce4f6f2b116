"""Remedies offered and chosen, compensation granted, and approvals for grants above a
person's authority (docs/authority.md)."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base, BigId, CreatedMixin, IdMixin, value_enum

#: Money as stored: twelve digits, two after the point, exact on every database.
Money = Numeric(12, 2, asdecimal=True)


class OfferStatus(enum.StrEnum):
    OPEN = "open"  # waiting for the customer's choice
    CHOSEN = "chosen"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class RemedyOffer(IdMixin, CreatedMixin, Base):
    """Two or three remedies put to the customer, who picks one through a signed link or
    tells the agent. `options` is a list of {kind, amount, currency, note}."""

    __tablename__ = "remedy_offers"
    __table_args__ = (Index("ix_remedy_offers_case_id_id", "case_id", "id"),)

    case_id: Mapped[int] = mapped_column(BigId, ForeignKey("cases.id", ondelete="CASCADE"))
    offered_by_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="SET NULL")
    )
    options: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    status: Mapped[OfferStatus] = mapped_column(
        value_enum(OfferStatus, "offer_status"), default=OfferStatus.OPEN
    )
    expires_at: Mapped[datetime]
    chosen_option: Mapped[int | None]  # index into options
    chosen_at: Mapped[datetime | None]
    chosen_via: Mapped[str | None] = mapped_column(String(20))  # "link" or "agent"


class ApprovalStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class ApprovalRequest(IdMixin, CreatedMixin, Base):
    """A grant above the requester's authority, waiting for someone whose limit covers it."""

    __tablename__ = "approval_requests"
    __table_args__ = (Index("ix_approval_requests_status_id", "status", "id"),)

    case_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))  # a playbooks.schema.RemedyKind value
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    note: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="SET NULL")
    )
    required_role: Mapped[str] = mapped_column(String(20))  # the lowest role that may approve
    status: Mapped[ApprovalStatus] = mapped_column(
        value_enum(ApprovalStatus, "approval_status"), default=ApprovalStatus.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)


class Compensation(IdMixin, CreatedMixin, Base):
    """Compensation granted on a case: what kind, how much, who granted and who approved it."""

    __tablename__ = "compensations"

    case_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    note: Mapped[str | None] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="SET NULL")
    )
    approval_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("approval_requests.id", ondelete="SET NULL")
    )
    offer_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("remedy_offers.id", ondelete="SET NULL")
    )
