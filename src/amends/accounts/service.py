"""Create users and tokens, and find who a password or a bearer token belongs to."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from amends.accounts.passwords import hash_password, verify_password
from amends.lib import clock
from amends.store.tables import ApiToken, Role, User

EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
"""Loose on purpose: self-hosted teams sign in with addresses like ann@support.corp.local."""
TOKEN_PREFIX = "amd_"  # noqa: S105 - a label, not a secret


_UNUSABLE_HASH = hash_password(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A user that cannot be created as asked; `field` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class EmailTaken(AccountError):
    pass


def create_user(
    session: Session, *, email: str, name: str, role: Role, password: str | None = None
) -> User:
    email = email.strip().lower()
    if not EMAIL.fullmatch(email):
        raise AccountError("email", f"{email!r} is not an email address")
    if password == "":
        raise AccountError("password", "the password is empty; leave it out for a token-only user")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTaken("email", f"a user with email {email} already exists")
    user = User(
        email=email,
        name=name.strip() or email,
        role=role,
        password_hash=_password_hash(password),
    )
    session.add(user)
    session.flush()
    return user


def _password_hash(password: str | None) -> str | None:
    if password is None:
        return None
    try:
        return hash_password(password)
    except ValueError as error:
        raise AccountError("password", str(error)) from error


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The active user with this email and password, or None.

    Takes as long for an unknown email as for a wrong password, so timing does not reveal
    which emails have accounts.
    """
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    stored_hash = user.password_hash if user is not None else None
    if not verify_password(stored_hash or _UNUSABLE_HASH, password) or stored_hash is None:
        return None
    return user if user is not None and user.is_active else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, *, user: User, name: str) -> tuple[ApiToken, str]:
    """Return the stored row and the token itself, which is shown once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=_digest(token), prefix=token[:12])
    session.add(row)
    session.flush()
    return row, token


def user_for_token(session: Session, token: str) -> User | None:
    row = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None))
    )
    if row is None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=clock.now()))
    return user


def revoke_token(session: Session, token_id: int) -> bool:
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))


def user_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User)) or 0)
