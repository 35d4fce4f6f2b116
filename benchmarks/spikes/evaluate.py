"""Spike detection on the real airline tweets' timestamps (docs/spikes.md#evaluation).

.venv/bin/python -m benchmarks.spikes.evaluate --tweets /work/shared/data/airline_tweets.dev.csv

Takes the negative tweets and finds spikes keyed by negative reason, then by airline. Each
spike is shown with the counts of the other key inside it (which airlines a reason spike came
from, which reasons an airline spike was about), to help say what it was. Only times, counts,
reason labels and airline names are read or printed: never tweet text (CC BY-NC-SA).

--placebo N moves every tweet to a random whole day, keeping its time of day and its key,
N times: the daily curve stays and day-specific bursts go, so the spikes still found there
are an estimate of false alarms on data shaped like this.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

from amends.insights.spikes import Spike, SpikeParams, detect_spikes
from benchmarks import machine

UNITS = {"m": "minutes", "h": "hours", "d": "days"}
SENTIMENTS = ("negative", "neutral", "positive")
DEFAULTS = SpikeParams()


@dataclass(frozen=True, slots=True)
class Tweet:
    at: datetime
    sentiment: str
    reason: str
    airline: str

    def key(self, name: str) -> str:
        return self.reason if name == "reason" else self.airline


def main() -> None:
    args = _parser().parse_args()
    tweets = _read(args.tweets)
    negatives = [
        tweet
        for tweet in tweets
        if tweet.sentiment == "negative" and tweet.airline not in args.exclude_airline
    ]
    zone = negatives[0].at.tzinfo or UTC
    params = SpikeParams(bucket=args.bucket, threshold=args.threshold, min_ratio=args.min_ratio)
    print(machine.summary())
    left_out = f" (without {', '.join(args.exclude_airline)})" if args.exclude_airline else ""
    print(f"{len(tweets):,} tweets, {len(negatives):,} negative{left_out}; {params}")
    _context(tweets)
    since = _first_whole_bucket(min(t.at for t in negatives), params.bucket, zone)
    for name in ("reason", "airline"):
        started = time.perf_counter()
        events = [(t.at, t.key(name)) for t in negatives]
        spikes = detect_spikes(events, params, since=since, tz=zone)
        elapsed = time.perf_counter() - started
        _report(name, spikes, negatives, params, elapsed, zone)
        _top(spikes, args.top)
    if args.placebo:
        _placebo(negatives, params, args.placebo, zone)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--tweets", type=Path, required=True, help="airline_tweets CSV")
    parser.add_argument("--bucket", type=_duration, default=timedelta(hours=1), help="1h, 30m, 1d")
    parser.add_argument("--threshold", type=float, default=DEFAULTS.threshold)
    parser.add_argument("--min-ratio", type=float, default=DEFAULTS.min_ratio)
    parser.add_argument("--top", type=int, default=10, help="spikes ranked by excess items")
    parser.add_argument(
        "--exclude-airline", action="append", default=[], help="leave an airline out (repeatable)"
    )
    parser.add_argument("--placebo", type=int, default=0, help="shuffled runs for false alarms")
    return parser


def _duration(text: str) -> timedelta:
    match = re.fullmatch(r"(\d+)([mhd])", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r}: write a number and m, h or d, like 1h")
    return timedelta(**{UNITS[match[2]]: int(match[1])})


def _first_whole_bucket(first: datetime, bucket: timedelta, zone: tzinfo) -> datetime:
    """The file starts late on Feb 16: a partial first day would read as a quiet one."""
    origin = datetime(1970, 1, 1, tzinfo=zone)
    return origin + ((first - origin) // bucket + 1) * bucket


def _read(path: Path) -> list[Tweet]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Tweet(
                at=datetime.strptime(row["tweet_created"], "%Y-%m-%d %H:%M:%S %z"),
                sentiment=row["airline_sentiment"],
                reason=row["negativereason"] or "(none)",
                airline=row["airline"],
            )
            for row in csv.DictReader(handle)
        ]


def _context(tweets: list[Tweet]) -> None:
    """Tweets per day by sentiment, with and without American (whose tweets barely appear
    before Feb 22 in this file), so a spike can be read against the day's volume."""
    days: Counter[tuple[date, str, bool]] = Counter(
        (t.at.date(), t.sentiment, t.airline == "American") for t in tweets
    )
    print("\nTweets per day (the file's own offset), negative/neutral/positive:")
    print(f"{'day':10}  {'all airlines':>14}  {'without American':>16}  {'American':>12}")
    for day in sorted({key[0] for key in days}):
        rest = [days[(day, sentiment, False)] for sentiment in SENTIMENTS]
        american = [days[(day, sentiment, True)] for sentiment in SENTIMENTS]
        both = "/".join(str(x + y) for x, y in zip(rest, american, strict=True))
        print(f"{day!s:10}  {both:>14}  {_slash(rest):>16}  {_slash(american):>12}")


def _slash(counts: list[int]) -> str:
    return "/".join(map(str, counts))


def _report(
    name: str,
    spikes: list[Spike],
    negatives: list[Tweet],
    params: SpikeParams,
    elapsed: float,
    zone: tzinfo,
) -> None:
    other = "airline" if name == "reason" else "reason"
    span = (max(t.at for t in negatives) - min(t.at for t in negatives)) // params.bucket + 1
    per_key = Counter(t.key(name) for t in negatives)
    print(f"\n== Negative tweets by {name}: {len(per_key)} keys, {span} buckets of {params.bucket}")
    flagged = sum((spike.end - spike.start for spike in spikes), timedelta(0)) // params.bucket
    print(f"{len(spikes)} spikes covering {flagged} buckets, found in {elapsed * 1000:.0f} ms")
    print(f"{'key':28} {'items':>6} {'spikes':>6} {'in spikes':>9} {'expected':>8}")
    for key, items in per_key.most_common():
        mine = [spike for spike in spikes if spike.key == key]
        seen = sum(spike.observed for spike in mine)
        usual = sum(spike.expected for spike in mine)
        print(f"{key:28} {items:>6} {len(mine):>6} {seen:>9} {usual:>8.1f}")
    print(f"\nSpikes, oldest first (times {zone}); 'from' = the {other}s inside the spike")
    for spike in spikes:
        inside = Counter(
            t.key(other)
            for t in negatives
            if t.key(name) == spike.key and spike.start <= t.at < spike.end
        )
        hours = (spike.end - spike.start) / timedelta(hours=1)
        mix = ", ".join(f"{key} {count}" for key, count in inside.most_common(3))
        print(
            f"{spike.start.astimezone(zone):%a %m-%d %H:%M} {hours:>3.0f}h {spike.key:28} "
            f"{spike.observed:>4} vs {spike.expected:>6.1f}  p={spike.p_value:.0e}  from: {mix}"
        )


def _top(spikes: list[Spike], top: int) -> None:
    print(f"\nTop {top} by excess items (observed - expected):")
    for spike in sorted(spikes, key=lambda s: s.expected - s.observed)[:top]:
        print(f"- {spike.explanation}")


def _placebo(negatives: list[Tweet], params: SpikeParams, runs: int, zone: tzinfo) -> None:
    whole = sorted({t.at.date() for t in negatives})[1:-1]
    inside = [t for t in negatives if t.at.date() in whole]
    print(f"\n== Placebo: {len(inside):,} tweets of {whole[0]}..{whole[-1]}, each on a random day")
    for seed in range(runs):
        rng = random.Random(seed)
        moved = [replace(t, at=datetime.combine(rng.choice(whole), t.at.timetz())) for t in inside]
        reasons, airlines = (
            detect_spikes([(t.at, t.key(name)) for t in moved], params, tz=zone)
            for name in ("reason", "airline")
        )
        print(f"seed {seed}: {len(reasons)} reason spikes, {len(airlines)} airline spikes")


if __name__ == "__main__":
    main()
