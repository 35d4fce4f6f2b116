"""What the recovery figures need from each case, kept ready
(docs/insights.md#how-the-figures-stay-fast).

The figures read one narrow row per case instead of working out each case's history from its
timeline, surveys, replies and orders every time. Database triggers (migration
`c3f1a2b4d5e6`) note a case in `case_facts_stale` whenever anything a figure reads about it
changes, in the same transaction as the change; `amends.insights.facts.refresh` works those
notes off.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Float, ForeignKey, Index, Integer, Numeric, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from amends.store.base import Base, BigId, IdMixin


class CaseFact(Base):
    """One case as the figures see it. Counts are over the case's own rows (its surveys,
    replies, reviews); everything that depends on the period asked for is left to the query."""

    __tablename__ = "case_facts"
    # A dashboard filtered to a channel, category or team reads only its own cases of the
    # period, so the small views not worked out ahead stay quick (insights/warm.py).
    __table_args__ = (
        Index("ix_case_facts_channel_opened_at", "channel", "opened_at"),
        Index("ix_case_facts_category_opened_at", "category", "opened_at"),
        Index("ix_case_facts_team_opened_at", "team", "opened_at"),
    )

    case_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    opened_at: Mapped[datetime] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(40))
    category: Mapped[str | None] = mapped_column(String(60))
    team: Mapped[str | None] = mapped_column(String(100))
    playbook: Mapped[str | None] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(BigId)
    root_cause: Mapped[str | None] = mapped_column(String(32))
    customer_id: Mapped[int | None] = mapped_column(BigId)
    status: Mapped[str] = mapped_column(String(32))
    # The latest of recovered and not recovered the case reached, if either.
    outcome: Mapped[str | None] = mapped_column(String(32))
    recovered_at: Mapped[datetime | None]  # first time
    resolved_at: Mapped[datetime | None]  # first time it reached remedy done or later
    first_responded_at: Mapped[datetime | None]
    first_response_due_at: Mapped[datetime | None]
    resolution_due_at: Mapped[datetime | None]
    first_response_minutes: Mapped[float | None] = mapped_column(Float)
    resolution_hours: Mapped[float | None] = mapped_column(Float)
    updates_judged: Mapped[int] = mapped_column(Integer)
    updates_met: Mapped[int] = mapped_column(Integer)
    was_reopened: Mapped[int] = mapped_column(SmallInteger)
    was_settled: Mapped[int] = mapped_column(SmallInteger)
    surveys_unanswered: Mapped[int] = mapped_column(Integer)
    csat_content: Mapped[int] = mapped_column(Integer)
    csat_answers: Mapped[int] = mapped_column(Integer)
    nps_promoters: Mapped[int] = mapped_column(Integer)
    nps_detractors: Mapped[int] = mapped_column(Integer)
    nps_answers: Mapped[int] = mapped_column(Integer)
    # The customer's latest NPS answer before the case opened, on any earlier case.
    nps_before: Mapped[int | None] = mapped_column(SmallInteger)
    reply_score_sum: Mapped[float] = mapped_column(Float)
    replies_scored: Mapped[int] = mapped_column(Integer)
    rating_change_sum: Mapped[int] = mapped_column(Integer)
    ratings_changed: Mapped[int] = mapped_column(Integer)
    # Orders and visits by the customer after this case's first recovery, and orders they referred.
    came_back: Mapped[int] = mapped_column(SmallInteger)
    referrals: Mapped[int] = mapped_column(Integer)
    simulated: Mapped[int] = mapped_column(SmallInteger)
    lifetime_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # the customer's, now


class CaseFactGrant(Base):
    """A case's compensation as the figures read it: the sum per currency and kind, with the
    case's opening time and dimensions copied, so the figures never join the grants."""

    __tablename__ = "case_fact_grants"

    case_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    opened_at: Mapped[datetime] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(40))
    category: Mapped[str | None] = mapped_column(String(60))
    team: Mapped[str | None] = mapped_column(String(100))
    playbook: Mapped[str | None] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(BigId)
    root_cause: Mapped[str | None] = mapped_column(String(32))


class StaleCaseFact(IdMixin, Base):
    """A note that a case's facts must be worked out again. Not unique per case: a note written
    while a refresh runs must survive that refresh, which deletes only the notes it read."""

    __tablename__ = "case_facts_stale"

    case_id: Mapped[int] = mapped_column(BigId)
