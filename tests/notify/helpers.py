"""Builders shared by the notification tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.notify import endpoints, outbox
from amends.notify.events import Notice
from amends.store.tables import Delivery, WebhookEndpoint


def all_deliveries(session: Session) -> list[Delivery]:
    """Every delivery as the database has it now, oldest first."""
    session.expire_all()
    return list(session.scalars(select(Delivery).order_by(Delivery.id)))


def add_endpoint(
    session: Session, url: str, *, user_id: int | None, events: list[str] | None = None
) -> WebhookEndpoint:
    endpoint = endpoints.create_endpoint(session, url=url, events=events, user_id=user_id)
    session.commit()
    return endpoint


def notify(
    session: Session,
    user_ids: list[int],
    *,
    notice: Notice = Notice.ASSIGNED,
    case_id: int | None = None,
    **extra: Any,
) -> int:
    """Queue `notice` and commit, as a change that reports it would."""
    queued = outbox.enqueue(
        session,
        notice=notice,
        case_id=case_id,
        user_ids=user_ids,
        summary=extra.pop("summary", "Case assigned to you"),
        data=extra.pop("data", {"priority": "high"}),
        **extra,
    )
    session.commit()
    return queued
