"""A case's SLA clocks as the API gives them (amends.cases.clocks)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from amends.cases.clocks import ClockState, SlaClock
from amends.playbooks.schema import SlaTarget


class SlaClockPublic(BaseModel):
    target: SlaTarget
    state: ClockState = Field(
        description="`on_time`, `due_soon` (under a fifth of its window left), `breached`, "
        "`met`, `met_late`, or `stopped` (the case closed before it was due)."
    )
    started_at: datetime = Field(description="When the clock started counting.")
    due_at: datetime
    done_at: datetime | None = Field(
        description="When the target was met, or the case closed; null while it runs."
    )
    seconds_left: int = Field(
        description="Time left before due, at `done_at` or now; negative when past due."
    )
    label: str = Field(description="The clock in words, e.g. `1h 20m left`, `breached 3h ago`.")

    @classmethod
    def of(cls, clock: SlaClock) -> SlaClockPublic:
        return cls(
            target=clock.target,
            state=clock.state,
            started_at=clock.started_at,
            due_at=clock.due_at,
            done_at=clock.done_at,
            seconds_left=int(clock.margin.total_seconds()),
            label=clock.label,
        )
