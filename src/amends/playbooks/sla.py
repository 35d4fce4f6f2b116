"""A case's SLA targets as instants, on the playbook's clock (business hours or calendar)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from amends.playbooks.clock import due, elapsed
from amends.playbooks.schema import Sla


@dataclass(frozen=True, slots=True)
class DueTimes:
    first_response: datetime
    resolution: datetime


def due_times(sla: Sla, opened_at: datetime) -> DueTimes:
    """When the first response and the resolution of a case opened at `opened_at` are due."""
    calendar = sla.calendar
    return DueTimes(
        first_response=due(opened_at, sla.first_response, calendar),
        resolution=due(opened_at, sla.resolution, calendar),
    )


def next_update_due(sla: Sla, last_sent_at: datetime) -> datetime | None:
    """When the next interim update is due, counted from the last message sent to the
    customer (the first response, then each update); None when the sla sets no interval."""
    if sla.update_interval is None:
        return None
    return due(last_sent_at, sla.update_interval, sla.calendar)


def time_taken(sla: Sla, start: datetime, end: datetime) -> timedelta:
    """Time between two instants on the sla's clock, as its targets are measured."""
    return elapsed(start, end, sla.calendar)


def breached(due_at: datetime, *, done_at: datetime | None, now: datetime) -> bool:
    """Whether a target was missed: done after it was due, or not done and now past due."""
    return (done_at if done_at is not None else now) > due_at
