"""A case's due times from its playbook's SLA."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from amends.playbooks.schema import Sla
from amends.playbooks.sla import breached, due_times, next_update_due, time_taken

LONDON = ZoneInfo("Europe/London")
OFFICE = Sla.model_validate(
    {
        "clock": "business_hours",
        "timezone": "Europe/London",
        "holidays": ["2026-04-03", "2026-04-06"],
        "first_response": "4h",
        "update_interval": "8h",
        "resolution": "16h",
    }
)


def test_due_times_count_business_hours_over_easter() -> None:
    thursday = datetime(2026, 4, 2, 15, 0, tzinfo=LONDON)
    due = due_times(OFFICE, thursday)
    # Two hours on Thursday; Good Friday and Easter Monday are closed.
    assert due.first_response == datetime(2026, 4, 7, 11, 0, tzinfo=LONDON)
    assert due.resolution == datetime(2026, 4, 8, 15, 0, tzinfo=LONDON)


def test_calendar_time_runs_through_nights_and_weekends() -> None:
    sla = Sla.model_validate({"first_response": "4h", "resolution": "2d"})
    friday = datetime(2026, 4, 3, 22, 0, tzinfo=UTC)
    due = due_times(sla, friday)
    assert (due.first_response, due.resolution) == (
        friday + timedelta(hours=4),
        friday + timedelta(days=2),
    )


def test_the_next_update_is_due_an_interval_after_the_last_message() -> None:
    sent = datetime(2026, 4, 7, 16, 0, tzinfo=LONDON)
    assert next_update_due(OFFICE, sent) == datetime(2026, 4, 8, 16, 0, tzinfo=LONDON)
    plain = Sla.model_validate({"first_response": "4h", "resolution": "2d"})
    assert next_update_due(plain, sent) is None


def test_time_taken_is_measured_on_the_same_clock() -> None:
    opened = datetime(2026, 4, 2, 15, 0, tzinfo=LONDON)
    answered = datetime(2026, 4, 7, 11, 0, tzinfo=LONDON)
    assert time_taken(OFFICE, opened, answered) == timedelta(hours=4)


def test_a_target_is_breached_when_done_late_or_still_open_past_due() -> None:
    due = datetime(2026, 4, 7, 11, 0, tzinfo=UTC)
    early, late = due - timedelta(minutes=1), due + timedelta(minutes=1)
    assert not breached(due, done_at=early, now=late)
    assert breached(due, done_at=late, now=late)
    assert breached(due, done_at=None, now=late)
    assert not breached(due, done_at=None, now=due)
