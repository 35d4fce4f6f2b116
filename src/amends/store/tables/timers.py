"""The clocks the worker keeps: one row per moment something must happen to a case."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base, BigId, IdMixin, value_enum


class TimerKind(enum.StrEnum):
    FIRST_RESPONSE_REMINDER = "first_response_reminder"
    FIRST_RESPONSE_BREACH = "first_response_breach"
    UPDATE_REMINDER = "update_reminder"
    UPDATE_BREACH = "update_breach"
    RESOLUTION_REMINDER = "resolution_reminder"
    RESOLUTION_BREACH = "resolution_breach"
    ACKNOWLEDGE = "acknowledge"  # the playbook's automatic first reply
    FOLLOW_UP = "follow_up"  # the playbook's check-in after the remedy is done


class CaseTimer(IdMixin, Base):
    """A moment due on a case. The worker fires each once: `fired_at` is set in the same
    transaction as what firing does, and a timer no longer needed gets `cancelled_at`.

    (case, kind, due_at) is unique, so planning the same clock twice adds nothing.
    """

    __tablename__ = "case_timers"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "due_at", name="uq_case_timers_case_kind_due"),
        # The worker's one question: which pending timers are due? Only pending rows are
        # indexed, so 100,000 open cases cost the sweep nothing until their moment comes.
        Index(
            "ix_case_timers_pending_due",
            "due_at",
            postgresql_where=text("fired_at IS NULL AND cancelled_at IS NULL"),
            sqlite_where=text("fired_at IS NULL AND cancelled_at IS NULL"),
        ),
    )

    case_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[TimerKind] = mapped_column(value_enum(TimerKind, "timer_kind"))
    due_at: Mapped[datetime]
    fired_at: Mapped[datetime | None]
    fired_by: Mapped[str | None] = mapped_column(String(100))  # which worker, for the record
    cancelled_at: Mapped[datetime | None]
