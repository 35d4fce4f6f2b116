from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base, BigId, CreatedMixin, IdMixin


class Customer(IdMixin, CreatedMixin, Base):
    __tablename__ = "customers"

    name: Mapped[str | None] = mapped_column(String(300))
    lifetime_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    segment: Mapped[str | None] = mapped_column(String(100))


class CustomerIdentity(IdMixin, CreatedMixin, Base):
    """One way to recognise a customer on a channel: an email, or a handle on a platform."""

    __tablename__ = "customer_identities"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    customer_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(320))
