"""Spikes: a key (a category, product, location, airline…) counted per time bucket, and
flagged when a bucket holds far more items than that key usually has at that time of day.

The baseline of a bucket is the mean count of the same bucket of the day, and the bucket on
either side, on each of the previous days of the window (7 days: 21 hourly buckets). The
neighbours triple the history, so a baseline holds after two or three days and is not
swung by one odd hour, while a daily curve that moves smoothly keeps its shape. Buckets
already flagged are left out of later baselines, so yesterday's spike does not hide today's.

Surprise is the exact test comparing two Poisson rates: given `x` items now and `y` in `n`
baseline buckets, if the rate had not changed `x` would follow Binomial(x + y, 1 / (n + 1)).
With a long history this is the Poisson upper tail at the baseline mean; with a short one it
asks for a larger burst, because the mean itself is uncertain. A robust z-score (median/MAD)
was tried against the airline tweets and dropped: hourly counts per reason are mostly 0–10,
and the MAD of a baseline was 0 in 41 % of hours and at most 1 in 85 %, so the score leaps
between nothing and infinity on one item, and has no chance to state in plain words.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from scipy.special import betainc

DAY = timedelta(days=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SpikeParams:
    """How spikes are found (docs/spikes.md#parameters). A bucket shorter than a day must
    divide it, so buckets start at the same times every day."""

    bucket: timedelta = timedelta(hours=1)
    #: Baseline window in buckets; None means 7 days' worth.
    window: int | None = None
    #: Fewer items than this in a bucket are never a spike.
    min_count: int = 5
    #: The largest chance probability still called a spike.
    threshold: float = 1e-4
    #: A spike holds at least this many times the baseline.
    min_ratio: float = 1.5
    #: The lowest baseline per bucket, so 5 items after nothing are not a spike by default.
    floor: float = 1.0
    #: Items needed in a bucket when the key had none in the whole window before it.
    first_min_count: int = 20
    #: Baseline buckets needed (inside the observed span) before a bucket is judged.
    min_history: int = 3
    #: Buckets on each side of the same time of day that join the baseline.
    spread: int = 1

    def __post_init__(self) -> None:
        if self.bucket <= timedelta(0) or (self.bucket < DAY and DAY % self.bucket):
            raise ValueError(f"bucket {self.bucket} must be positive and divide a day")
        if min(self.window_buckets, self.min_count, self.min_history) < 1:
            raise ValueError("window, min_count and min_history must be positive")
        if not 0 < self.threshold < 1:
            raise ValueError("threshold must be a probability between 0 and 1")

    @property
    def window_buckets(self) -> int:
        return self.window if self.window is not None else max(1, 7 * DAY // self.bucket)

    @property
    def period(self) -> int | None:
        """Buckets in a day, or None when a bucket is a day or more, or the window is shorter
        than a day: then there is no same time of day to compare with."""
        if self.bucket >= DAY or self.window_buckets < DAY // self.bucket:
            return None
        return DAY // self.bucket

    def offsets(self) -> list[tuple[int, int]]:
        """(days back, buckets back) of each baseline bucket."""
        period = self.period
        if period is None:
            return [(step, step) for step in range(1, self.window_buckets + 1)]
        days = range(1, self.window_buckets // period + 1)
        sides = range(-self.spread, self.spread + 1)
        return [(day, day * period + side) for day in days for side in sides]


@dataclass(frozen=True, slots=True)
class Spike:
    key: str
    start: datetime
    end: datetime
    observed: int
    expected: float
    #: The chance probability of the most surprising bucket in the spike.
    p_value: float
    first_appearance: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class _Hit:
    index: int
    observed: int
    expected: float
    p_value: float
    days: int
    history: int
    first: bool


def detect_spikes(
    events: Iterable[tuple[datetime, str]],
    params: SpikeParams | None = None,
    *,
    since: datetime | None = None,
    tz: tzinfo = UTC,
) -> list[Spike]:
    """Spikes over all the events, oldest first; runs of adjacent flagged buckets of a key
    are merged into one. `since` is when observation began (default: the first event's
    bucket): buckets before it are unknown rather than empty. Buckets and the wording follow
    `tz`: daily buckets are its days, at its UTC offset of 1 January 1970."""
    params = params or SpikeParams()
    origin = _origin(tz)
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for moment, key in events:
        counts[key][_index(moment, params.bucket, origin)] += 1
    if not counts:
        return []
    first = min(min(c) for c in counts.values())
    if since is not None:
        first = _index(since, params.bucket, origin)
    spikes = [
        _merge(key, run, params, origin, tz)
        for key, per_bucket in counts.items()
        for run in _runs(_scan(per_bucket, first, params))
    ]
    return sorted(spikes, key=lambda spike: (spike.start, spike.key))


def latest_spikes(
    events: Iterable[tuple[datetime, str]],
    now: datetime,
    params: SpikeParams | None = None,
    *,
    since: datetime | None = None,
    tz: tzinfo = UTC,
) -> list[Spike]:
    """Spikes that include the last complete bucket before `now` (the bucket in progress
    would be undercounted), for a periodic alert job. Pass at least the window's events."""
    params = params or SpikeParams()
    origin = _origin(tz)
    current = _index(now, params.bucket, origin)
    past = [(at, key) for at, key in events if _index(at, params.bucket, origin) < current]
    end = origin + current * params.bucket
    return [spike for spike in detect_spikes(past, params, since=since, tz=tz) if spike.end == end]


def _origin(tz: tzinfo) -> datetime:
    return _EPOCH - (tz.utcoffset(_EPOCH.replace(tzinfo=None)) or timedelta(0))


def _index(moment: datetime, bucket: timedelta, origin: datetime) -> int:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; spikes need aware datetimes")
    return (moment - origin) // bucket


def _scan(counts: Counter[int], first: int, params: SpikeParams) -> list[_Hit]:
    seen = sorted(counts)
    flagged: set[int] = set()
    hits: list[_Hit] = []
    for index in seen:
        observed = counts[index]
        if index < first or observed < params.min_count:
            continue
        history = [
            (day, index - step)
            for day, step in params.offsets()
            if index - step >= first and index - step not in flagged
        ]
        if len(history) < params.min_history:
            continue
        before = bisect.bisect_left(seen, index)
        is_first = before == 0 or seen[before - 1] < index - params.window_buckets
        if is_first and observed < params.first_min_count:
            continue
        hit = _judge(index, observed, history, counts, params, first=is_first)
        if hit is not None:
            flagged.add(index)
            hits.append(hit)
    return hits


def _judge(
    index: int,
    observed: int,
    history: list[tuple[int, int]],
    counts: Counter[int],
    params: SpikeParams,
    *,
    first: bool,
) -> _Hit | None:
    size = len(history)
    total = max(float(sum(counts[bucket] for _, bucket in history)), params.floor * size)
    # P(Binomial(x + y, 1/(n+1)) >= x) = I_p(x, y + 1), which also takes a fractional y.
    p_value = float(betainc(observed, total + 1, 1 / (size + 1)))
    expected = total / size
    if p_value > params.threshold or observed < params.min_ratio * expected:
        return None
    days = len({day for day, _ in history})
    return _Hit(index, observed, expected, p_value, days, size, first)


def _runs(hits: list[_Hit]) -> list[list[_Hit]]:
    """Adjacent buckets share index minus position, so each run is one group."""
    groups = itertools.groupby(enumerate(hits), key=lambda pair: pair[1].index - pair[0])
    return [[hit for _, hit in group] for _, group in groups]


def _merge(key: str, run: list[_Hit], params: SpikeParams, origin: datetime, tz: tzinfo) -> Spike:
    start = origin + run[0].index * params.bucket
    end = origin + (run[-1].index + 1) * params.bucket
    observed = sum(hit.observed for hit in run)
    expected = sum(hit.expected for hit in run)
    peak = min(run, key=lambda hit: hit.p_value)
    first = any(hit.first for hit in run)
    unit = _unit(params.bucket)
    usual = f"{expected:.1f} per {unit}"
    if len(run) > 1:
        usual = f"{expected:.1f} over those {len(run)} {unit}s"
    text = (
        f"{observed} '{key}' items {_span(start.astimezone(tz), end.astimezone(tz))} against "
        f"a usual {usual} ({_baseline(peak, params, unit)})"
    )
    if first:
        text += (
            f"; '{key}' had no items in the {params.window_buckets} {unit}s before, "
            f"so it needed at least {params.first_min_count} in one {unit} to count"
        )
    what = "that many"
    if len(run) > 1:
        what = f"its most surprising {unit} ({peak.observed} against {peak.expected:.1f})"
    text += f". If the rate had not changed, {what} would come by chance {_chance(peak, unit)}."
    return Spike(key, start, end, observed, expected, peak.p_value, first, text)


def _baseline(hit: _Hit, params: SpikeParams, unit: str) -> str:
    days = f"{hit.days} previous day" + ("s" if hit.days != 1 else "")
    sides = f" and the {unit}s either side" if params.spread else ""
    what = f"the mean of the same {unit} of the day{sides} on the {days}"
    if params.period is None:
        what = f"the mean of the previous {hit.history} {unit}s"
    if hit.expected <= params.floor:
        what += f", raised to the floor of {params.floor:g} per {unit}"
    return what + ", earlier spikes left out"


def _chance(hit: _Hit, unit: str) -> str:
    exponent = math.floor(-math.log10(max(hit.p_value, 1e-300)))
    return f"less than once in {f'{10**exponent:,}' if exponent < 9 else 'a billion'} {unit}s"


def _span(start: datetime, end: datetime) -> str:
    zone = start.tzname() or ""
    if end - start < DAY and (end - timedelta(microseconds=1)).date() == start.date():
        return f"on {start:%Y-%m-%d} between {start:%H:%M} and {end:%H:%M} {zone}"
    return f"between {start:%Y-%m-%d %H:%M} and {end:%Y-%m-%d %H:%M} {zone}"


def _unit(bucket: timedelta) -> str:
    minutes = bucket // timedelta(minutes=1)
    hours = f"{minutes // 60}-hour period" if minutes % 60 == 0 else f"{minutes}-minute period"
    return {60: "hour", 24 * 60: "day"}.get(minutes, hours)
