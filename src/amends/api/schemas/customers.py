"""A customer with the ways we recognise them and everything they told us."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from amends.api.schemas.cases import CasePublic
from amends.api.schemas.feedback import FeedbackPublic


class IdentityPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str = Field(description="`email`, or the channel a handle belongs to (`x`, …).")
    value: str


class CustomerDetail(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str | None
    segment: str | None
    lifetime_value: Decimal | None
    created_at: datetime
    identities: list[IdentityPublic]
    items: list[FeedbackPublic] = Field(description="Newest first, by when it was posted.")
    cases: list[CasePublic] = Field(description="Newest first, by when it was opened.")
