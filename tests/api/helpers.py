"""Builders for API tests: signed webhook requests, cases opened the way ingest opens them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.lib import clock, signing
from amends.store.tables import Case, FeedbackItem, Source


def body_of(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def signed(
    source: Source, body: bytes, *, timestamp: int | None = None, secret: str | None = None
) -> dict[str, str]:
    """The three webhook headers, signed with the source's secret unless told otherwise."""
    stamp = str(int(clock.now().timestamp()) if timestamp is None else timestamp)
    signature = signing.sign(secret or source.webhook_secret, stamp, body)
    return {
        "Content-Type": "application/json",
        "X-Amends-Source": source.name,
        "X-Amends-Timestamp": stamp,
        "X-Amends-Signature": signature,
    }


def open_case(
    session: Session, settings: Settings, text: str = "Parcel never came", **fields: Any
) -> int:
    """Ingest one complaint (2 stars unless told, so it opens a case whatever triage thinks
    of the text) and return the id of the case it opened."""
    channel = str(fields.pop("channel", "email"))
    fields.setdefault("rating", 2)
    item = ItemIn(source="test", channel=channel, text=text, raw="{}", **fields)
    outcome = pipeline.process(session, [item], settings)
    session.commit()
    return outcome.case_ids[outcome.item_ids[0]]


def set_case(session: Session, case_id: int, **values: Any) -> None:
    """Put a case in a state for a test, as another user's earlier work would have."""
    session.execute(update(Case).where(Case.id == case_id).values(**values))
    session.commit()


def item_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(FeedbackItem)) or 0)
