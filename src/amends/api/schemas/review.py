"""The senior-review queue."""

from __future__ import annotations

from pydantic import BaseModel, Field

from amends.api.schemas.cases import CasePublic
from amends.cases.review import NOTE_LIMIT


class QueuedCase(CasePublic):
    review_reason: str | None = Field(
        description="Why it was sent for review: its latest escalation's reason, e.g. "
        "`risk 82 ≥ 80`; null when the timeline does not say."
    )


class ReviewQueue(BaseModel):
    waiting: int = Field(description="How many cases wait; `cases` holds the first 200.")
    cases: list[QueuedCase] = Field(description="Riskiest first, then the longest waiting.")


class ReviewDone(BaseModel):
    note: str = Field("", max_length=NOTE_LIMIT, description="Shown on the case's timeline.")
