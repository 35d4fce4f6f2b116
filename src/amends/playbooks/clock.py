"""Business-time arithmetic: when a target falls due, and how much business time has passed.

Business time is real elapsed time inside opening hours. Opening hours are wall-clock times
in the calendar's time zone, so on the day clocks change an interval that spans the change is
an hour shorter or longer, exactly as the people working it experience it. Holidays are whole
local dates with no opening hours.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 1440
#: Opening hours of one day: (start, end) in minutes after local midnight, end up to 1440.
DayHours = tuple[tuple[int, int], ...]
_ALL_DAY: DayHours = ((0, MINUTES_PER_DAY),)
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """When the business is open: opening hours per weekday (Monday first), a time zone and
    holidays. `BusinessCalendar.always()` is calendar time: open every minute of every day."""

    zone: ZoneInfo
    week: tuple[DayHours, ...]
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError("a week has 7 days of opening hours, Monday first")
        if not any(self.week):
            raise ValueError("a business calendar needs opening hours on at least one day")
        for day in self.week:
            check_day(day)

    @classmethod
    def always(cls, zone: ZoneInfo | None = None) -> BusinessCalendar:
        return cls(zone=zone or ZoneInfo("UTC"), week=(_ALL_DAY,) * 7)

    @property
    def always_open(self) -> bool:
        return not self.holidays and all(day == _ALL_DAY for day in self.week)

    def open_intervals(self, first: date) -> Iterator[tuple[datetime, datetime]]:
        """The open intervals, as UTC instants, from local date `first` on, forever."""
        day = first
        while True:
            if day not in self.holidays:
                for start, end in self.week[day.weekday()]:
                    opens, closes = self._instant(day, start), self._instant(day, end)
                    # An interval inside the hour skipped when clocks go forward is empty.
                    if closes > opens:
                        yield opens, closes
            day += timedelta(days=1)

    def _instant(self, day: date, minutes: int) -> datetime:
        wall = datetime.combine(day, time()) + timedelta(minutes=minutes)
        return wall.replace(tzinfo=self.zone).astimezone(UTC)


def check_day(day: DayHours) -> None:
    """ValueError unless a day's intervals are within the day, in order and apart."""
    previous_end = 0
    for start, end in day:
        if not previous_end <= start < end <= MINUTES_PER_DAY:
            raise ValueError("opening hours must be in order, within the day, and not overlap")
        previous_end = end


def due(start: datetime, duration: timedelta, calendar: BusinessCalendar) -> datetime:
    """The instant `duration` of business time after `start`, in the calendar's time zone.

    A target that runs out exactly at closing time is due at closing time, not at the next
    opening. A start outside opening hours counts from the next opening. Subtracting two
    datetimes of the same ZoneInfo gives wall-clock time: convert to UTC first.
    """
    _require_aware(start)
    if duration < timedelta():
        raise ValueError(f"a duration cannot be negative: {duration}")
    if calendar.always_open:
        return (start.astimezone(UTC) + duration).astimezone(calendar.zone)
    cursor, remaining = start.astimezone(UTC), duration
    for opens, closes in calendar.open_intervals(_local_date(cursor, calendar) - _DAY):
        if closes <= cursor:
            continue
        begin = max(opens, cursor)
        if remaining <= closes - begin:
            return (begin + remaining).astimezone(calendar.zone)
        remaining -= closes - begin
    raise AssertionError("open_intervals never ends")  # pragma: no cover


def elapsed(start: datetime, end: datetime, calendar: BusinessCalendar) -> timedelta:
    """Business time between two instants; negative when `end` is before `start`."""
    _require_aware(start)
    _require_aware(end)
    if end < start:
        return -elapsed(end, start, calendar)
    begin, finish = start.astimezone(UTC), end.astimezone(UTC)
    if calendar.always_open:
        return finish - begin
    total = timedelta()
    for opens, closes in calendar.open_intervals(_local_date(begin, calendar) - _DAY):
        if opens >= finish:
            return total
        total += max(timedelta(), min(closes, finish) - max(opens, begin))
    raise AssertionError("open_intervals never ends")  # pragma: no cover


def _local_date(instant: datetime, calendar: BusinessCalendar) -> date:
    return instant.astimezone(calendar.zone).date()


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"a time without a time zone is ambiguous: {instant.isoformat()}")
