"""Queue notifications in the caller's transaction: if the change rolls back, so do they.

Each recipient gets an email and their own webhooks unless their preferences say otherwise;
webhooks that belong to no user get every notification of the events they list.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from amends.lib import clock
from amends.notify.events import Notice
from amends.store.tables import Delivery, NotificationPreference, User, WebhookEndpoint


def enqueue(
    session: Session,
    *,
    notice: Notice,
    case_id: int | None,
    user_ids: Collection[int],
    summary: str,
    data: dict[str, Any] | None = None,
) -> int:
    """Queue `notice` for `user_ids` and for the webhooks that listen to it; return how many
    deliveries were queued. `summary` is one line a person reads, e.g. "Case 12 breached
    its first-response target"; `data` is the machine-readable detail."""
    payload = {"event": notice.value, "case_id": case_id, "summary": summary, "data": data or {}}
    rows = [*_to_users(session, notice, user_ids, payload), *_to_shared(session, notice, payload)]
    if rows:
        now = clock.now()
        for row in rows:
            row |= {"event": notice.value, "case_id": case_id, "next_attempt_at": now}
        session.execute(insert(Delivery), rows)
    return len(rows)


def _to_users(
    session: Session, notice: Notice, user_ids: Collection[int], payload: dict[str, Any]
) -> list[dict[str, Any]]:
    if not user_ids:
        return []
    users = session.execute(
        select(User.id, User.email, NotificationPreference.email, NotificationPreference.webhook)
        .outerjoin(
            NotificationPreference,
            (NotificationPreference.user_id == User.id)
            & (NotificationPreference.event == notice.value),
        )
        .where(User.id.in_(set(user_ids)), User.is_active)
    ).all()
    wants_webhook = {user_id for user_id, _, _, webhook in users if webhook is not False}
    rows = [
        {"channel": "email", "user_id": user_id, "recipient": address, "payload": payload}
        for user_id, address, email, _ in users
        if email is not False
    ]
    for endpoint in _endpoints(session, notice, owners=wants_webhook):
        rows.append(_webhook_row(endpoint, payload, user_id=endpoint.user_id))
    return rows


def _to_shared(session: Session, notice: Notice, payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [_webhook_row(e, payload, user_id=None) for e in _endpoints(session, notice, None)]


def _endpoints(
    session: Session, notice: Notice, owners: Collection[int] | None
) -> list[WebhookEndpoint]:
    """Active endpoints listening to `notice`: those of `owners`, or the shared ones (None)."""
    if owners is not None and not owners:
        return []
    owned = (
        WebhookEndpoint.user_id.is_(None) if owners is None else WebhookEndpoint.user_id.in_(owners)
    )
    found = session.scalars(select(WebhookEndpoint).where(owned, WebhookEndpoint.is_active))
    return [e for e in found if e.events is None or notice.value in e.events]


def _webhook_row(
    endpoint: WebhookEndpoint, payload: dict[str, Any], *, user_id: int | None
) -> dict[str, Any]:
    return {
        "channel": "webhook",
        "user_id": user_id,
        "endpoint_id": endpoint.id,
        "recipient": endpoint.url,
        "payload": payload,
    }
