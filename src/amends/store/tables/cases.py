from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base, BigId, CreatedMixin, IdMixin, trigram_index, value_enum


class CaseStatus(enum.StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    REMEDY_OFFERED = "remedy_offered"
    REMEDY_ACCEPTED = "remedy_accepted"
    REMEDY_DONE = "remedy_done"
    FOLLOW_UP = "follow_up"
    RECOVERED = "recovered"
    NOT_RECOVERED = "not_recovered"
    CLOSED = "closed"
    REOPENED = "reopened"


class RootCause(enum.StrEnum):
    """Why the failure happened, for learning (docs/insights.md#root-causes)."""

    PROCESS = "process"
    TRAINING = "training"
    POLICY = "policy"
    PRODUCT = "product"
    LOGISTICS = "logistics"
    PARTNER = "partner"
    OTHER = "other"


class Priority(enum.StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    CRITICAL = "critical"


class Case(IdMixin, CreatedMixin, Base):
    """One recovery: the customer, the items it answers, who owns it and by when."""

    __tablename__ = "cases"
    __table_args__ = (
        # The inbox: filtered by status and ordered newest first, paged by id.
        Index("ix_cases_status_id", "status", "id"),
        Index("ix_cases_priority_id", "priority", "id"),
        Index("ix_cases_owner_id_id", "owner_id", "id"),
        Index("ix_cases_channel_id", "channel", "id"),
        # Joining an item to the customer's open case on the same topic.
        Index("ix_cases_customer_id_topic", "customer_id", "topic"),
        Index("ix_cases_risk_id", "risk", "id"),
        Index("ix_cases_category_id", "category", "id"),
        # Inbox text search (`q`), which matches anywhere in a word: PostgreSQL only.
        trigram_index("ix_cases_title_trgm", "title"),
    )

    status: Mapped[CaseStatus] = mapped_column(
        value_enum(CaseStatus, "case_status"), default=CaseStatus.NEW
    )
    priority: Mapped[Priority] = mapped_column(
        value_enum(Priority, "priority"), default=Priority.NORMAL
    )
    title: Mapped[str] = mapped_column(String(300))
    # What triage found in the case's riskiest item: the inbox filters and sorts by these.
    risk: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    category: Mapped[str | None] = mapped_column(String(60))
    sentiment: Mapped[str | None] = mapped_column(String(16))
    emotion: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(40))
    topic: Mapped[str | None] = mapped_column(String(300))
    team: Mapped[str | None] = mapped_column(String(100))
    # The playbook the case fell under when it was opened (docs/playbooks.md). Names may be
    # up to 200 characters long (playbooks.schema.Playbook.name).
    playbook: Mapped[str | None] = mapped_column(String(200), index=True)
    customer_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("customers.id", ondelete="SET NULL")
    )
    owner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    first_response_due_at: Mapped[datetime | None]
    resolution_due_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The customer heard from us: first, and most recently (interim updates count from it).
    first_responded_at: Mapped[datetime | None]
    last_contact_at: Mapped[datetime | None]
    next_update_due_at: Mapped[datetime | None]
    # Escalation: the most senior target reached so far, and the senior-review queue.
    escalated_to: Mapped[str | None] = mapped_column(String(20))
    escalated_at: Mapped[datetime | None]
    senior_review_at: Mapped[datetime | None] = mapped_column(index=True)
    senior_reviewed_at: Mapped[datetime | None]
    # What caused the failure, once someone knows: the kind, and their words.
    root_cause: Mapped[RootCause | None] = mapped_column(value_enum(RootCause, "root_cause"))
    root_cause_note: Mapped[str | None] = mapped_column(Text)


class TeamCursor(Base):
    """Where round-robin assignment stands in a team: the id of the agent chosen last.

    Not a foreign key: when that user is gone, the rotation simply goes on after their id.
    """

    __tablename__ = "team_cursors"

    team: Mapped[str] = mapped_column(String(100), primary_key=True)
    cursor: Mapped[int] = mapped_column(BigId)
