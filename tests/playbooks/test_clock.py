"""Business-time arithmetic across weekends, holidays and clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from amends.playbooks.clock import BusinessCalendar, due, elapsed

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NINE_TO_FIVE = ((9 * 60, 17 * 60),)
WEEKDAYS = (NINE_TO_FIVE,) * 5 + ((), ())


def office(zone: ZoneInfo, *holidays: date) -> BusinessCalendar:
    return BusinessCalendar(zone=zone, week=WEEKDAYS, holidays=frozenset(holidays))


def test_it_carries_over_the_weekend() -> None:
    friday = datetime(2026, 3, 6, 15, 0, tzinfo=LONDON)
    assert due(friday, timedelta(hours=4), office(LONDON)) == datetime(
        2026, 3, 9, 11, 0, tzinfo=LONDON
    )


def test_it_skips_holidays() -> None:
    christmas_eve = datetime(2026, 12, 24, 16, 0, tzinfo=LONDON)
    calendar = office(LONDON, date(2026, 12, 25), date(2026, 12, 28))
    # One hour on Thursday; Friday and Monday are holidays, so the rest is on Tuesday.
    assert due(christmas_eve, timedelta(hours=3), calendar) == datetime(
        2026, 12, 29, 11, 0, tzinfo=LONDON
    )


def test_it_keeps_wall_clock_hours_when_london_moves_to_summer_time() -> None:
    # Clocks go forward on Sunday 29 March 2026: Friday is GMT, Monday is BST.
    friday = datetime(2026, 3, 27, 16, 0, tzinfo=LONDON)
    result = due(friday, timedelta(hours=2), office(LONDON))
    assert (result.hour, result.minute) == (10, 0)
    assert result.utcoffset() == timedelta(hours=1)
    assert result.astimezone(UTC) == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)


def test_it_keeps_wall_clock_hours_when_new_york_leaves_daylight_time() -> None:
    # Clocks go back on Sunday 1 November 2026: Friday is EDT, Monday is EST.
    friday = datetime(2026, 10, 30, 16, 0, tzinfo=NEW_YORK)
    result = due(friday, timedelta(hours=3), office(NEW_YORK))
    assert (result.date(), result.hour, result.utcoffset()) == (
        date(2026, 11, 2),
        11,
        timedelta(hours=-5),
    )
    assert result.astimezone(UTC) == datetime(2026, 11, 2, 16, 0, tzinfo=UTC)


def test_an_open_day_is_an_hour_shorter_or_longer_on_the_night_clocks_change() -> None:
    always = BusinessCalendar(zone=NEW_YORK, week=(((0, 1440),),) * 7, holidays=frozenset())
    open_day = BusinessCalendar(zone=LONDON, week=(((0, 1440),),) * 6 + (((0, 360),),))
    saturday = datetime(2026, 10, 31, 12, 0, tzinfo=NEW_YORK)
    sunday = datetime(2026, 11, 1, 12, 0, tzinfo=NEW_YORK)
    assert elapsed(saturday, sunday, always) == timedelta(hours=25)
    spring_sunday = datetime(2026, 3, 29, 0, 0, tzinfo=LONDON)
    assert elapsed(spring_sunday, spring_sunday.replace(hour=6), open_day) == timedelta(hours=5)


def test_calendar_time_is_real_elapsed_time_across_a_clock_change() -> None:
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)
    result = due(saturday, timedelta(hours=24), BusinessCalendar.always(LONDON))
    assert result.astimezone(UTC) - saturday.astimezone(UTC) == timedelta(hours=24)
    assert result.hour == 13  # the wall clock skipped an hour


def test_a_start_outside_hours_counts_from_the_next_opening() -> None:
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=LONDON)
    assert due(saturday, timedelta(hours=1), office(LONDON)) == datetime(
        2026, 3, 9, 10, 0, tzinfo=LONDON
    )


def test_a_target_that_runs_out_at_closing_is_due_at_closing() -> None:
    start = datetime(2026, 3, 10, 13, 0, tzinfo=LONDON)
    assert due(start, timedelta(hours=4), office(LONDON)) == start.replace(hour=17)


def test_it_skips_a_lunch_break() -> None:
    split = ((9 * 60, 12 * 60), (13 * 60, 17 * 60))
    calendar = BusinessCalendar(zone=LONDON, week=(split,) * 5 + ((), ()))
    start = datetime(2026, 3, 10, 11, 0, tzinfo=LONDON)
    assert due(start, timedelta(hours=2), calendar) == start.replace(hour=14)


def test_it_answers_in_the_calendars_time_zone_whatever_the_start() -> None:
    start = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    result = due(start, timedelta(hours=1), office(NEW_YORK))
    assert result.tzinfo == NEW_YORK
    assert (result.hour, result.minute) == (10, 0)


def test_elapsed_is_the_inverse_of_due_across_weekends_holidays_and_clock_changes() -> None:
    calendar = office(LONDON, date(2026, 4, 3), date(2026, 4, 6))
    start = datetime(2026, 3, 20, 0, 0, tzinfo=UTC)
    for step in range(0, 24 * 30, 7):
        begin = start + timedelta(hours=step)
        for hours in (1, 8, 19):
            end = due(begin, timedelta(hours=hours), calendar)
            assert elapsed(begin, end, calendar) == timedelta(hours=hours), begin


def test_elapsed_counts_only_open_hours_and_is_negative_backwards() -> None:
    friday = datetime(2026, 3, 6, 16, 0, tzinfo=LONDON)
    monday = datetime(2026, 3, 9, 10, 30, tzinfo=LONDON)
    assert elapsed(friday, monday, office(LONDON)) == timedelta(hours=2, minutes=30)
    assert elapsed(monday, friday, office(LONDON)) == -timedelta(hours=2, minutes=30)


def test_it_refuses_a_time_without_a_zone() -> None:
    with pytest.raises(ValueError, match="without a time zone"):
        due(datetime(2026, 3, 6, 15, 0), timedelta(hours=1), office(LONDON))


def test_a_calendar_must_open_some_day_and_keep_its_hours_in_order() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        BusinessCalendar(zone=LONDON, week=((),) * 7)
    with pytest.raises(ValueError, match="in order"):
        BusinessCalendar(zone=LONDON, week=(((600, 700), (650, 800)),) * 7)
