"""Links a customer follows without logging in (a remedy offer, a follow-up survey): the token
signs a row's id and its expiry with the install's secret (itsdangerous, HMAC-SHA256), salted
per use so a token for one kind of page is worthless on another. The token is the customer's
only credential: one that fails the signature, or whose expiry differs from the stored row's,
names nothing."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Protocol, TypeVar

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session


class Linked(Protocol):
    """A row a link can name: an id and an expiry."""

    id: int
    expires_at: datetime


RowT = TypeVar("RowT", bound=Linked)


class LinkInvalid(LookupError):
    """The token was not signed by us, or names no row we have."""


def token(secret: str, salt: str, row_id: int, expires_at: datetime) -> str:
    return str(_serializer(secret, salt).dumps([row_id, stamp(expires_at)]))


def read(secret: str, salt: str, token: str) -> tuple[int, int]:
    """The (row id, expiry stamp) a token carries; LinkInvalid when it was tampered with."""
    try:
        payload = _serializer(secret, salt).loads(token)
    except BadSignature:
        raise LinkInvalid("this link is not valid") from None
    if not (
        isinstance(payload, list)
        and len(payload) == 2
        and all(type(part) is int for part in payload)
    ):
        raise LinkInvalid("this link is not valid")
    return payload[0], payload[1]


def find(session: Session, model: type[RowT], *, secret: str, salt: str, token: str) -> RowT:
    """The `model` row a token names, whose stored expiry is the one signed; LinkInvalid for
    anything else."""
    row_id, expiry = read(secret, salt, token)
    row = session.get(model, row_id)
    if row is None or stamp(row.expires_at) != expiry:
        raise LinkInvalid("this link is not valid")
    return row


def stamp(moment: datetime) -> int:
    """Whole seconds: what a token signs of an expiry."""
    return int(moment.timestamp())


def _serializer(secret: str, salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=salt, signer_kwargs={"digest_method": hashlib.sha256})
