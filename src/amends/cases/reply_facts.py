"""A case's facts as replies needs them: the playbook's SLA as a reply states it, and the
context the checker reads a reply in."""

from __future__ import annotations

from datetime import timedelta

from amends.playbooks.schema import Clock, Sla
from amends.replies.facts import Timing

#: Business hours in a working day, and calendar days a working day stands for (a week of
#: five working days is seven calendar days), for comparing business time with a promise.
WORKING_DAY_HOURS = 8
CALENDAR_DAYS_PER_WORKING_DAY = 1.4


def timing_of(sla: Sla) -> Timing:
    return Timing(
        first_response=sla.first_response,
        update_interval=sla.update_interval,
        resolution=sla.resolution,
        business_time=sla.clock is Clock.BUSINESS_HOURS,
    )


def calendar_span(span: timedelta, *, business: bool) -> timedelta:
    """About how long `span` of SLA time lasts by the calendar."""
    if not business:
        return span
    working_days = span.total_seconds() / 3600 / WORKING_DAY_HOURS
    return timedelta(days=working_days * CALENDAR_DAYS_PER_WORKING_DAY)
