"""Cases, their timelines and the changes the API accepts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from amends.api.schemas.clocks import SlaClockPublic
from amends.api.schemas.feedback import FeedbackPublic
from amends.cases.clocks import sla_clocks
from amends.store.tables import CaseStatus, Priority, RootCause, Sentiment


class CasePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: CaseStatus
    priority: Priority
    risk: int = Field(description="0–100: the risk of the case's riskiest item (see triage).")
    category: str | None = Field(description="Triage category of the riskiest item.")
    sentiment: Sentiment | None
    emotion: str | None = Field(description="The riskiest item's main emotion, if any.")
    title: str
    channel: str
    topic: str | None
    team: str | None = Field(
        description="The team of the case's playbook; null when it has none (the shared inbox)."
    )
    playbook: str | None = Field(
        description="The playbook the case fell under when it was opened (its riskiest item's "
        "first match, or `default`); null for cases opened before playbooks."
    )
    customer_id: int | None
    owner_id: int | None
    opened_at: datetime
    updated_at: datetime
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    closed_at: datetime | None
    first_responded_at: datetime | None = Field(None, description="The first reply sent.")
    last_contact_at: datetime | None = Field(None, description="The last message sent.")
    next_update_due_at: datetime | None = Field(
        None, description="When the next interim update is due; null when none is."
    )
    senior_review_at: datetime | None = Field(
        None, description="When the case was sent for a senior review; null if never."
    )
    senior_reviewed_at: datetime | None = Field(
        None, description="When a lead or above reviewed it; null while it waits."
    )
    root_cause: RootCause | None = Field(None, description="What caused the failure, once known.")
    root_cause_note: str | None = None

    @computed_field(  # type: ignore[prop-decorator]
        description="Each SLA target with a due time, and how it stands now."
    )
    @property
    def clocks(self) -> list[SlaClockPublic]:
        return [SlaClockPublic.of(clock) for clock in sla_clocks(self)]


class CasesPublic(BaseModel):
    cases: list[CasePublic]
    next_cursor: int | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


class TimelineEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    case_id: int
    kind: str = Field(description="A tag such as `case:status:change` or `case:note:added`.")
    actor_id: int | None = Field(description="The user who acted; null for amends itself.")
    actor: str
    at: datetime
    data: dict[str, Any]


class TimelinePublic(BaseModel):
    events: list[TimelineEventPublic]


class CaseDetail(CasePublic):
    next_statuses: list[CaseStatus] = Field(description="The statuses the case may move to now.")
    items: list[FeedbackPublic]
    timeline: list[TimelineEventPublic]


class CaseStatusChange(BaseModel):
    status: CaseStatus


class CaseAssign(BaseModel):
    owner_id: int | None = Field(description="The new owner's user id; null to unassign.")


class RootCauseSet(BaseModel):
    cause: RootCause
    note: str = Field("", max_length=2000, description="What happened, in a few words.")


class NoteCreate(BaseModel):
    text: str = Field(min_length=1, max_length=20_000)
