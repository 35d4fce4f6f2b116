"""Webhook sources: a name, a channel and the secret its requests are signed with."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.lib import signing
from amends.store.tables import Source


class SourceError(ValueError):
    pass


def create_source(session: Session, *, name: str, channel: str) -> Source:
    if session.scalar(select(Source.id).where(Source.name == name)) is not None:
        raise SourceError(f"a source named {name!r} already exists")
    source = Source(
        name=name, channel=channel.lower(), webhook_secret="whsec_" + secrets.token_hex(24)
    )
    session.add(source)
    session.flush()
    return source


def get_source(session: Session, name: str) -> Source | None:
    return session.scalar(select(Source).where(Source.name == name))


def list_sources(session: Session) -> list[Source]:
    return list(session.scalars(select(Source).order_by(Source.name)))


def verify_request(
    source: Source | None,
    *,
    timestamp: str,
    body: bytes,
    signature: str,
    now: float,
    tolerance: int,
) -> bool:
    """True only for a known source, a fresh timestamp and a matching signature."""
    if source is None or not timestamp or not signature:
        return False
    try:
        age = abs(now - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and signing.verify(source.webhook_secret, timestamp, body, signature)
