"""Replies sent to customers, with the checker's verdict at the moment they went out."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base, BigId, CreatedMixin, IdMixin, value_enum


class ReplyRoute(enum.StrEnum):
    EMAIL = "email"  # over SMTP, threaded under the customer's message
    CONNECTOR = "connector"  # a signed webhook to the business's connector for the platform
    POSTED = "posted"  # copied by the agent and posted by hand (or said on the phone)


class Reply(IdMixin, CreatedMixin, Base):
    """One message to the customer. Email and connector replies leave through a delivery,
    whose status says whether they got out; a posted reply was out before it was recorded.
    `findings` holds the checker's findings in their public JSON shape."""

    __tablename__ = "replies"
    __table_args__ = (Index("ix_replies_case_id_id", "case_id", "id"),)

    case_id: Mapped[int] = mapped_column(BigId, ForeignKey("cases.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="SET NULL")
    )
    author: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(40))
    route: Mapped[ReplyRoute] = mapped_column(value_enum(ReplyRoute, "reply_route"))
    text: Mapped[str] = mapped_column(Text)
    score: Mapped[int] = mapped_column(SmallInteger)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    # Sent although the checker found something severe: the author said so.
    confirmed: Mapped[bool] = mapped_column(default=False, server_default=false())
    source: Mapped[str] = mapped_column(String(100), default="agent", server_default="agent")
    recipient: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(500))
    message_id: Mapped[str | None] = mapped_column(String(300))
    delivery_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("deliveries.id", ondelete="SET NULL")
    )
    posted_url: Mapped[str | None] = mapped_column(String(2000))
    sent_at: Mapped[datetime]


class SavedTemplate(IdMixin, CreatedMixin, Base):
    """A reply template written or edited in the web UI. It stands in for the playbook file's
    template of the same name, if there is one; `score` and `findings` are the checker's verdict
    on it, filled for the example case, when it was saved."""

    __tablename__ = "reply_templates"
    __table_args__ = (UniqueConstraint("playbook", "name"),)

    playbook: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    score: Mapped[int] = mapped_column(SmallInteger)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    updated_by_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime]
