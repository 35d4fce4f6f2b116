"""The record of what was sent: the dead letters, and sending one again."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from amends.store.tables import Delivery, DeliveryStatus


class DeliveryNotFound(LookupError):
    pass


class NotDead(ValueError):
    """Only a dead delivery can be retried: a pending one is already queued, a sent one done."""


def list_deliveries(
    session: Session, *, status: DeliveryStatus | None = None, limit: int = 100
) -> list[Delivery]:
    """Newest first."""
    query = select(Delivery).order_by(Delivery.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Delivery.status == status)
    return list(session.scalars(query))


def retry(session: Session, *, delivery_id: int, now: datetime) -> Delivery:
    """Queue a dead delivery again, due at `now`, with all its tries ahead of it; the last
    error stays, as the record of why it died before."""
    requeued = session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.DEAD)
        .values(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    delivery = session.get(Delivery, delivery_id, populate_existing=True)
    if delivery is None:
        raise DeliveryNotFound(f"delivery {delivery_id} not found")
    if requeued.rowcount != 1:  # type: ignore[attr-defined]
        raise NotDead(f"delivery {delivery_id} is {delivery.status.value}, not dead")
    return delivery


def shown_recipient(delivery: Delivery) -> str:
    """Where a delivery went, fit to show: an email address, or only a webhook URL's scheme and
    host, since its path or query may be a key of its own (chat webhooks put one there)."""
    if delivery.channel != "webhook":
        return delivery.recipient
    parts = urlsplit(delivery.recipient)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
