"""Queue replies to customers: an email into their thread, or a signed POST to each connector
(a shared webhook that lists the `reply` event) that posts it on the customer's platform.
Queued in the caller's transaction and sent by the worker with the same retries as every
delivery."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from amends.lib import clock
from amends.notify.events import Notice
from amends.store.tables import Delivery, WebhookEndpoint


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailReply:
    reply_id: int
    case_id: int
    recipient: str
    subject: str
    text: str
    message_id: str  # with its angle brackets
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()


def queue_email(session: Session, reply: EmailReply) -> int:
    """The delivery's id."""
    data = {
        "reply_id": reply.reply_id,
        "text": reply.text,
        "subject": reply.subject,
        "message_id": reply.message_id,
        "in_reply_to": reply.in_reply_to,
        "references": list(reply.references),
    }
    return insert_delivery(
        session,
        channel="customer_email",
        case_id=reply.case_id,
        recipient=reply.recipient,
        endpoint_id=None,
        summary=reply.subject,
        data=data,
        key=f"reply:{reply.reply_id}|customer_email",
        notice=Notice.REPLY,
    )


def connectors(session: Session) -> list[WebhookEndpoint]:
    """Shared, active endpoints that asked for replies by name."""
    return listening(session, Notice.REPLY)


def listening(session: Session, notice: Notice) -> list[WebhookEndpoint]:
    """Shared, active endpoints that list `notice` by name."""
    query = select(WebhookEndpoint).where(
        WebhookEndpoint.user_id.is_(None), WebhookEndpoint.is_active
    )
    found = session.scalars(query.order_by(WebhookEndpoint.id))
    return [e for e in found if notice.value in (e.events or ())]


def queue_connectors(
    session: Session, *, reply_id: int, case_id: int, summary: str, data: dict[str, Any]
) -> list[int]:
    """One delivery per connector; their ids (none when no connector is set up)."""
    return [
        insert_delivery(
            session,
            channel="webhook",
            case_id=case_id,
            recipient=endpoint.url,
            endpoint_id=endpoint.id,
            summary=summary,
            data=data,
            key=f"reply:{reply_id}|webhook|endpoint:{endpoint.id}",
            notice=Notice.REPLY,
        )
        for endpoint in connectors(session)
    ]


def insert_delivery(
    session: Session,
    *,
    notice: Notice,
    channel: str,
    case_id: int | None,
    recipient: str,
    endpoint_id: int | None,
    summary: str,
    data: dict[str, Any],
    key: str | None,
) -> int:
    """One delivery, sent by the worker with the usual retries; its id."""
    payload = {"event": notice.value, "case_id": case_id, "summary": summary, "data": data}
    row = {
        "event": notice.value,
        "channel": channel,
        "case_id": case_id,
        "user_id": None,
        "endpoint_id": endpoint_id,
        "recipient": recipient,
        "payload": payload,
        "dedup_key": key,
        "next_attempt_at": clock.now(),
    }
    return int(session.scalars(insert(Delivery).returning(Delivery.id), [row]).one())
