"""Follow-up surveys: the check-in after a remedy, and the customer's answer."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base, BigId, IdMixin, JsonDoc, value_enum


class SurveyOutcome(enum.StrEnum):
    PENDING = "pending"  # sent, not answered, not yet closed
    SATISFIED = "satisfied"  # CSAT 4–5 or NPS 7–10: the case is recovered
    UNSATISFIED = "unsatisfied"  # the case is reopened and escalated
    NO_RESPONSE = "no_response"  # unanswered after the reminders: the case closed


class Consent(enum.StrEnum):
    """What the customer allowed their comment to become."""

    NONE = "none"
    ANONYMOUS = "anonymous"  # an anonymised recovery story
    NAMED = "named"  # a testimonial with their name


class Survey(IdMixin, Base):
    """One check-in on one case. A case that reaches *remedy done* again after a reopening gets
    another, with the next `round`; (case, round) is unique, so two workers never send the same
    check-in twice. `expires_at` is when the link stops working and an unanswered survey closes
    the case as no response."""

    __tablename__ = "surveys"
    __table_args__ = (
        UniqueConstraint("case_id", "round"),
        CheckConstraint("csat IS NULL OR csat BETWEEN 1 AND 5", name="csat_range"),
        CheckConstraint("nps IS NULL OR nps BETWEEN 0 AND 10", name="nps_range"),
        # The worker's question each round: which pending surveys need a reminder or closing?
        Index(
            "ix_surveys_pending_next_check",
            "next_check_at",
            postgresql_where=text("outcome = 'pending'"),
            sqlite_where=text("outcome = 'pending'"),
        ),
    )

    case_id: Mapped[int] = mapped_column(BigId, ForeignKey("cases.id", ondelete="CASCADE"))
    customer_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    round: Mapped[int] = mapped_column(SmallInteger)
    sent_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    # The check-in went by email; when not, an agent sends the link and amends sends no reminder.
    emailed: Mapped[bool] = mapped_column(default=False, server_default=false())
    reminders_sent: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    # When the worker next looks at it, pending: the next reminder, else the expiry. None: at once.
    next_check_at: Mapped[datetime | None]
    outcome: Mapped[SurveyOutcome] = mapped_column(
        value_enum(SurveyOutcome, "survey_outcome"), default=SurveyOutcome.PENDING
    )
    answered_at: Mapped[datetime | None]
    csat: Mapped[int | None] = mapped_column(SmallInteger)
    nps: Mapped[int | None] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    consent: Mapped[Consent] = mapped_column(
        value_enum(Consent, "survey_consent"), default=Consent.NONE
    )
    # When the customer took their leave to share the comment back (consent is then none).
    consent_withdrawn_at: Mapped[datetime | None]
    # Platforms whose review page the check-in named: the same for every customer.
    invited: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
