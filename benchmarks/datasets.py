"""Large import files built from the public-domain CFPB narratives shipped with the demo.

Real complaint text, cycled with unique ids, authors and dates, so size and shape are those
of a busy inbox and nothing is invented but the bookkeeping. Each text ends with the row's own
reference, so no two rows share a text: triage reads a text repeated within a batch once,
and a cycled file would otherwise flatter it.
"""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path

CHANNELS = ("email", "web", "x", "google", "trustpilot", "phone")
HEADER = ("external_id", "channel", "author", "email", "text", "rating", "posted_at")


def narratives() -> list[str]:
    path = files("amends.demo") / "cfpb_complaints.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["Consumer complaint narrative"] for row in csv.DictReader(handle)]


def write_generic_csv(
    path: Path,
    rows: int,
    *,
    seed: int = 7,
    customers: int | None = None,
    ratings: tuple[str, ...] = ("1", "2", "3", "4", "5", ""),
    max_chars: int | None = None,
) -> Path:
    """`rows` distinct items in the generic preset's columns, about three per customer at random,
    or spread evenly over `customers` when given; with `max_chars`, each narrative cut at a word
    to about that length (a review rather than a complaint letter)."""
    texts = [_cut(text, max_chars) for text in narratives()] if max_chars else narratives()
    rng = random.Random(seed)
    people = customers or max(1, rows // 3)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(rows):
            person = number % people if customers else rng.randrange(people)
            posted = start + timedelta(minutes=number * 3)
            writer.writerow(
                (
                    f"bench-{number}",
                    CHANNELS[number % len(CHANNELS)],
                    f"Customer {person}",
                    f"customer{person}@example.com",
                    f"{texts[number % len(texts)]} Reference {number}.",
                    rng.choice(ratings),
                    posted.isoformat(),
                )
            )
    return path


def _cut(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    return text[:max_chars].rsplit(" ", 1)[0]
