"""Spike detection at scale: a year of daily counts for 500 keys (categories × locations).

`python -m benchmarks.spikes.scale`. Events are generated (seeded): each key has its own daily
rate (2–30 a day) with a weekly pattern and Poisson noise, and 50 bursts are injected. Rows:
- `detect_spikes`: amends' detector over every event (one (day, key) pair per item), daily
  buckets, the defaults otherwise; how many of the injected bursts it found and what else;
- peer `numpy z-score`: the usual hand-rolled check over the same daily counts (mean and
  standard deviation of the previous 28 days, flag z > 4), vectorised; its finds likewise.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime, timedelta

import numpy as np

from amends.insights.spikes import SpikeParams, detect_spikes

START = datetime(2025, 1, 6, tzinfo=UTC)
DAY = timedelta(days=1)


def _counts(
    keys: int, days: int, bursts: int, seed: int
) -> tuple[np.ndarray, set[tuple[int, int]]]:
    rng = np.random.default_rng(seed)
    rates = rng.uniform(2, 30, size=keys)
    weekly = np.array([1.0, 1.05, 1.0, 0.95, 1.1, 0.8, 0.7])
    expected = rates[:, None] * weekly[np.arange(days) % 7][None, :]
    counts = rng.poisson(expected)
    injected: set[tuple[int, int]] = set()
    for _ in range(bursts):
        key, day = int(rng.integers(keys)), int(rng.integers(60, days))
        counts[key, day] += int(rates[key] * 3 + 15)
        injected.add((key, day))
    return counts, injected


def _events(counts: np.ndarray) -> list[tuple[datetime, str]]:
    keys, days = counts.shape
    stamps = [START + DAY * d + timedelta(hours=12) for d in range(days)]
    return [
        (stamps[d], f"k{k}")
        for k in range(keys)
        for d in range(days)
        for _ in range(int(counts[k, d]))
    ]


def _zscore(counts: np.ndarray, window: int = 28, z: float = 4.0) -> set[tuple[int, int]]:
    cumulative = np.cumsum(np.pad(counts, ((0, 0), (1, 0))), axis=1, dtype=float)
    squares = np.cumsum(np.pad(counts.astype(float) ** 2, ((0, 0), (1, 0))), axis=1)
    found: set[tuple[int, int]] = set()
    for day in range(window, counts.shape[1]):
        total = cumulative[:, day] - cumulative[:, day - window]
        total2 = squares[:, day] - squares[:, day - window]
        mean = total / window
        std = np.sqrt(np.maximum(total2 / window - mean**2, 1e-9))
        for key in np.nonzero((counts[:, day] - mean) / std > z)[0]:
            found.add((int(key), day))
    return found


def run(
    keys: int = 500, days: int = 365, bursts: int = 50, seed: int = 11
) -> list[dict[str, object]]:
    counts, injected = _counts(keys, days, bursts, seed)
    events = _events(counts)
    started = time.perf_counter()
    spikes = detect_spikes(events, SpikeParams(bucket=DAY, window=28))
    ours = time.perf_counter() - started
    found = {(int(s.key[1:]), (s.start - START) // DAY) for s in spikes}
    started = time.perf_counter()
    peer = _zscore(counts)
    theirs = time.perf_counter() - started
    return [
        _row("detect_spikes (amends)", len(events), ours, found, injected),
        _row("peer: numpy z-score > 4, 28 days", len(events), theirs, peer, injected),
    ]


def _row(
    name: str,
    events: int,
    seconds: float,
    found: set[tuple[int, int]],
    injected: set[tuple[int, int]],
) -> dict[str, object]:
    return {
        "detector": name,
        "events": events,
        "seconds": round(seconds, 2),
        "injected found": f"{len(found & injected)} of {len(injected)}",
        "other flags": len(found - injected),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    for row in run(args.keys, args.days):
        print(json.dumps(row))


if __name__ == "__main__":
    main()
