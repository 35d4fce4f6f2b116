"""Webhook sources: a name, a channel and the secret its requests are signed with."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.lib import signing
from amends.store.tables import Source


class SourceError(ValueError):
    pass


SOURCE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
CHANNEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")


def create_source(session: Session, *, name: str, channel: str) -> Source:
    """A source's name travels in the X-Amends-Source header, so it is plain ASCII."""
    if not SOURCE_NAME.fullmatch(name):
        raise SourceError(
            f"source name {name!r}: use up to 100 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if not CHANNEL_NAME.fullmatch(channel):
        raise SourceError(f"channel {channel!r}: use up to 40 letters, digits, '_' or '-'")
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
