from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, Field

from amends.playbooks.schema import EscalationTarget


class ContactCreate(BaseModel):
    channel: str | None = Field(
        None, max_length=40, description="How the customer was reached, e.g. `email`, `phone`."
    )
    at: AwareDatetime | None = Field(
        None, description="When the message was sent (ISO 8601 with offset); default now."
    )


class EscalationCreate(BaseModel):
    to: EscalationTarget = Field(description="`senior_review`, `team_lead` or `manager`.")
    reason: str = Field(min_length=1, max_length=2000)
