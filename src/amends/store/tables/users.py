from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base, BigId, CreatedMixin, IdMixin, JsonDoc, value_enum


class Role(enum.StrEnum):
    """Roles in order of authority: each may do what the ones before it may."""

    AGENT = "agent"
    LEAD = "lead"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class User(IdMixin, CreatedMixin, Base):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(value_enum(Role, "role"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Who works which cases: playbooks assign a case to a team, and to one of its members
    # with the skills and a language the playbook asks for (lists of names, e.g. ["en"]).
    team: Mapped[str | None] = mapped_column(String(100), index=True)
    skills: Mapped[list[str] | None] = mapped_column(JsonDoc)
    languages: Mapped[list[str] | None] = mapped_column(JsonDoc)


class ApiToken(IdMixin, CreatedMixin, Base):
    """A bearer token; only its SHA-256 is stored, the token itself is shown once."""

    __tablename__ = "api_tokens"

    user_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
