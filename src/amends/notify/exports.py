"""Exports for other systems (a root cause with its cases, for the product team): one signed
webhook delivery per shared endpoint that lists the export by name, with the usual retries."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from amends.notify.customer import insert_delivery, listening
from amends.notify.events import Notice


def queue_export(session: Session, *, summary: str, data: dict[str, Any]) -> list[int]:
    """The deliveries' ids; none when no endpoint asked for root-cause exports. Each call is
    an export of its own: asking twice sends twice."""
    return [
        insert_delivery(
            session,
            notice=Notice.ROOT_CAUSE_EXPORT,
            channel="webhook",
            case_id=None,
            recipient=endpoint.url,
            endpoint_id=endpoint.id,
            summary=summary,
            data=data,
            key=None,
        )
        for endpoint in listening(session, Notice.ROOT_CAUSE_EXPORT)
    ]
