"""Spike detection on synthetic counts: seeded Poisson noise with a daily curve (quiet nights,
busy afternoons), steady series whose baselines can be worked out by hand, and injected bursts."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
from scipy.stats import binom

from amends.insights.spikes import Spike, SpikeParams, detect_spikes, latest_spikes

Event = tuple[datetime, str]
START = datetime(2024, 3, 4, tzinfo=UTC)
HOUR = timedelta(hours=1)
PACIFIC = timezone(timedelta(hours=-8))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return START + timedelta(days=day, hours=hour, minutes=minute)


def noisy(seed: int, key: str, *, days: int, mean: float) -> list[Event]:
    """Poisson counts per hour around `mean`, from 0.2x at 03:00 to 1.8x at 15:00."""
    rng = np.random.default_rng(seed)
    hours = np.arange(days * 24)
    rates = mean * (1 - 0.8 * np.cos(2 * np.pi * (hours % 24 - 3) / 24))
    events: list[Event] = []
    for hour, count, minute in zip(
        hours, rng.poisson(rates), rng.integers(0, 60, hours.size), strict=True
    ):
        events += [(START + int(hour) * HOUR + timedelta(minutes=int(minute)), key)] * int(count)
    return events


def steady(key: str, *, days: int, per_hour: int) -> list[Event]:
    return [
        (START + hour * HOUR + timedelta(minutes=minute), key)
        for hour in range(days * 24)
        for minute in range(per_hour)
    ]


def burst(key: str, moment: datetime, count: int) -> list[Event]:
    return [(moment + timedelta(seconds=second), key) for second in range(count)]


def spans(spikes: list[Spike]) -> list[tuple[str, datetime, datetime]]:
    return [(spike.key, spike.start, spike.end) for spike in spikes]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_it_finds_an_injected_burst_with_its_key_and_hour(seed: int) -> None:
    events = noisy(seed, "late flight", days=10, mean=4) + noisy(
        seed + 100, "lost", days=10, mean=2
    )
    events += burst("late flight", at(9, 14, 5), 30)

    spikes = detect_spikes(events)

    assert spans(spikes) == [("late flight", at(9, 14), at(9, 15))]
    assert spikes[0].observed >= 30
    assert spikes[0].p_value < 1e-4


def test_it_stays_quiet_on_series_without_a_burst() -> None:
    seeds, days = range(12), 37
    found = [
        spike
        for seed in seeds
        for spike in detect_spikes(
            noisy(seed, "quiet", days=days, mean=2) + noisy(seed + 1000, "busy", days=days, mean=12)
        )
    ]
    key_days = len(seeds) * 2 * (days - 7)

    # The brief allows one a month per key; aim ten times lower.
    assert len(found) <= key_days / 300, [spike.explanation for spike in found]


def test_it_learns_a_daily_peak_instead_of_flagging_it() -> None:
    shape = {11: 15, 12: 30, 13: 15}
    events = [
        (at(day, hour, minute), "lunch")
        for day in range(9)
        for hour in range(24)
        for minute in range(shape.get(hour, 3))
    ]

    assert detect_spikes(events) == []


def test_it_merges_consecutive_buckets_into_one_spike() -> None:
    events = steady("refund", days=9, per_hour=4)
    for hour in (10, 11, 12, 15):
        events += burst("refund", at(8, hour, 1), 30)

    spikes = detect_spikes(events)

    assert spans(spikes) == [("refund", at(8, 10), at(8, 13)), ("refund", at(8, 15), at(8, 16))]
    assert [(s.observed, s.expected) for s in spikes] == [(102, 12.0), (34, 4.0)]
    assert "102 'refund' items on 2024-03-12 between 10:00 and 13:00 UTC" in spikes[0].explanation
    assert "a usual 12.0 over those 3 hours" in spikes[0].explanation
    assert "its most surprising hour (34 against 4.0) would come by chance" in spikes[0].explanation


def test_the_explanation_names_the_baseline_numbers() -> None:
    events = steady("late flight", days=8, per_hour=6) + burst("late flight", at(7, 14, 2), 35)

    [spike] = detect_spikes(events)

    assert spike.expected == 6.0
    assert spike.p_value == pytest.approx(binom.sf(40, 41 + 21 * 6, 1 / 22), rel=1e-6)
    assert spike.explanation.startswith(
        "41 'late flight' items on 2024-03-11 between 14:00 and 15:00 UTC against a usual 6.0 per"
        " hour (the mean of the same hour of the day and the hours either side on the 7 previous"
        " days, earlier spikes left out). If the rate had not changed, that many would come by"
        " chance less than once in "
    )


def test_the_explanation_says_how_rare_in_plain_numbers() -> None:
    events = steady("late flight", days=8, per_hour=6) + burst("late flight", at(7, 14, 2), 13)

    [spike] = detect_spikes(events)

    assert 1e-5 <= spike.p_value < 1e-4
    assert spike.explanation.endswith("less than once in 10,000 hours.")


def test_a_near_zero_baseline_does_not_flag_a_handful() -> None:
    sparse = [(at(day, 3), "damaged") for day in range(9)]
    handful = sparse + burst("damaged", at(8, 14), 6)
    many = sparse + burst("damaged", at(8, 14), 12)

    assert detect_spikes(handful) == []
    assert detect_spikes(sparse + burst("damaged", at(8, 14), 4), SpikeParams(floor=0)) == []
    [spike] = detect_spikes(many)
    assert spike.expected == 1.0
    assert "raised to the floor of 1 per hour" in spike.explanation


def test_a_first_appearance_needs_a_large_count() -> None:
    history = steady("late flight", days=8, per_hour=3)

    assert detect_spikes(history + burst("wifi", at(8, 9), 19)) == []
    [spike] = detect_spikes(history + burst("wifi", at(8, 9), 20))
    assert (spike.key, spike.first_appearance) == ("wifi", True)
    assert "'wifi' had no items in the 168 hours before" in spike.explanation


def test_it_does_not_judge_the_first_day_without_a_baseline() -> None:
    events = steady("late flight", days=3, per_hour=3) + burst("late flight", at(0, 20), 60)

    assert detect_spikes(events) == []
    # Watched, and silent, for a day before: now there is a baseline (the floor) to judge by.
    watched = detect_spikes(events, since=at(0, 0) - timedelta(days=1))
    assert spans(watched) == [("late flight", at(0, 20), at(0, 21))]


def test_a_short_history_asks_for_a_larger_burst() -> None:
    # 15 against a known rate of 4 has a Poisson tail of 2e-5; against a rate measured over
    # three hours it could well be chance.
    one_day = steady("late flight", days=2, per_hour=4) + burst("late flight", at(1, 14, 1), 11)
    week = steady("late flight", days=8, per_hour=4) + burst("late flight", at(7, 14, 1), 11)

    assert detect_spikes(one_day) == []
    assert spans(detect_spikes(week)) == [("late flight", at(7, 14), at(7, 15))]


def test_yesterdays_spike_does_not_hide_todays() -> None:
    events = steady("refund", days=9, per_hour=4)
    events += burst("refund", at(7, 14, 1), 60) + burst("refund", at(8, 14, 1), 16)

    spikes = detect_spikes(events, SpikeParams(window=48))

    assert spans(spikes) == [("refund", at(7, 14), at(7, 15)), ("refund", at(8, 14), at(8, 15))]
    assert spikes[1].expected == 4.0


def test_it_buckets_by_instant_whatever_the_offset() -> None:
    events = steady("delays", days=8, per_hour=5) + burst("delays", at(7, 14, 30), 40)
    pacific = [(moment.astimezone(PACIFIC), key) for moment, key in events]

    assert detect_spikes(pacific) == detect_spikes(events)
    [spike] = detect_spikes(pacific, tz=PACIFIC)
    assert spike.start == at(7, 14)
    assert "on 2024-03-11 between 06:00 and 07:00 UTC-08:00" in spike.explanation


def test_it_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        detect_spikes([(datetime(2024, 3, 4, 12), "late")])
    with pytest.raises(ValueError, match="no time zone"):
        latest_spikes([], datetime(2024, 3, 4, 12))


def test_latest_spikes_reports_only_a_spike_in_the_last_complete_bucket() -> None:
    events = steady("refund", days=9, per_hour=4)
    events += burst("refund", at(8, 10, 1), 30) + burst("refund", at(8, 11, 1), 30)

    assert spans(latest_spikes(events, at(8, 12, 20))) == [("refund", at(8, 10), at(8, 12))]
    assert spans(latest_spikes(events, at(8, 11, 30))) == [("refund", at(8, 10), at(8, 11))]
    assert latest_spikes(events, at(8, 13, 5)) == []


def test_daily_buckets_compare_with_the_previous_days() -> None:
    events = [(at(day, 12, minute), "lost") for day in range(10) for minute in range(20)]
    events += burst("lost", at(9, 18), 60)

    [spike] = detect_spikes(events, SpikeParams(bucket=timedelta(days=1)))

    assert (spike.start, spike.observed, spike.expected) == (at(9, 0), 80, 20.0)
    assert "the mean of the previous 7 days" in spike.explanation


def test_daily_buckets_are_the_days_of_the_given_zone() -> None:
    mornings = [
        (datetime(2024, 3, day, 10, minute, tzinfo=PACIFIC), "lost")
        for day in range(1, 11)
        for minute in range(20)
    ]
    evening = burst("lost", datetime(2024, 3, 10, 20, tzinfo=PACIFIC), 60)  # 04:00 UTC, Mar 11

    [spike] = detect_spikes(mornings + evening, SpikeParams(bucket=timedelta(days=1)), tz=PACIFIC)

    assert (spike.start, spike.observed) == (datetime(2024, 3, 10, tzinfo=PACIFIC), 80)
    assert "80 'lost' items between 2024-03-10 00:00 and 2024-03-11 00:00 UTC-08:00" in (
        spike.explanation
    )


def test_it_refuses_a_bucket_that_does_not_divide_a_day() -> None:
    with pytest.raises(ValueError, match="divide a day"):
        SpikeParams(bucket=timedelta(hours=7))
    assert math.isclose(SpikeParams(bucket=timedelta(minutes=30)).window_buckets, 7 * 48)
