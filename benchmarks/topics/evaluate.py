"""Emerging topics on real complaints (docs/topics.md#evaluation).

.venv/bin/python -m benchmarks.topics.evaluate --tweets /work/shared/data/airline_tweets.dev.csv
.venv/bin/python -m benchmarks.topics.evaluate --cfpb /work/shared/data/cfpb_complaints.dev.csv

The shipped triage models read every text; the negative ones that fit no category are clustered,
and each topic is shown with the human labels of its members (the tweets' negativereason, the
complaints' product and issue). Tweet text is printed to this terminal only: it is CC BY-NC-SA,
so it must not be copied into any file of the repository.

--plant N adds N negative items of one human label, taken from those triage did categorise, to
the selection, as a new kind of complaint the taxonomy does not know, and reports how well the
best topic recovers them (F1 against every item of that label), over three seeds per label.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from amends.insights.topics import (
    LOW_CATEGORY_SCORE,
    Doc,
    Topic,
    TopicParams,
    find_topics,
    fits_no_category,
)
from amends.triage.service import Triage, TriageInput, triage
from amends.triage.training.data import (
    AIRLINE_CATEGORY,
    CFPB_CATEGORY,
    airline_text,
    is_held_out,
)
from benchmarks import machine

DEFAULTS = TopicParams()
BINS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
# The export replaced some words with label names ("rebook" became "reFlight Booking
# Problems"); amends' training repairs "late" and "cancel", this repairs the third.
_BOOK = re.compile(r"Flight Booking Problems")


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    label: str  # the human label purity is measured against
    gold: str  # the category the training mapped that label to, "" if none
    group: str  # what --plant plants: the label, or a complaint's product
    held_out: bool  # in the fifth the shipped category model was not trained on


@dataclass(frozen=True, slots=True)
class Judged:
    item: Item
    triage: Triage

    @property
    def selected(self) -> bool:
        return self.triage.negative and fits_no_category(
            self.triage.category, self.triage.category_score
        )


def main() -> None:
    args = _parser().parse_args()
    print(machine.summary())
    params = TopicParams(min_size=args.min_size, min_share=args.min_share)
    for name, items in _sources(args):
        started = time.perf_counter()
        results = triage([TriageInput(text=item.text) for item in items])
        judged = [Judged(item, result) for item, result in zip(items, results, strict=True)]
        print(
            f"\n===== {name}: {len(items):,} texts triaged in {time.perf_counter() - started:.1f} s"
        )
        _calibration(judged)
        _topics(judged, params, args.examples, everything=args.all_negative)
        _speed(judged, params)
        if args.plant:
            _plant(judged, params, args.plant)


def _sources(args: argparse.Namespace) -> Iterator[tuple[str, list[Item]]]:
    if args.tweets:
        yield "airline tweets", _tweets(args.tweets)
    if args.cfpb:
        yield "CFPB complaints", _complaints(args.cfpb)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--tweets", type=Path, help="airline_tweets CSV (never commit its text)")
    parser.add_argument("--cfpb", type=Path, help="cfpb_complaints CSV")
    parser.add_argument("--min-size", type=int, default=DEFAULTS.min_size)
    parser.add_argument("--min-share", type=float, default=DEFAULTS.min_share)
    parser.add_argument("--examples", type=int, default=1, help="examples printed per topic")
    parser.add_argument("--plant", type=int, default=0, help="planted items per label")
    parser.add_argument(
        "--all-negative",
        action="store_true",
        help="cluster every negative text, not only those that fit no category",
    )
    return parser


def _tweets(path: Path) -> list[Item]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [_tweet(row) for row in csv.DictReader(handle)]


def _tweet(row: dict[str, str]) -> Item:
    text = airline_text(row["text"])  # as training saw it, so the held-out split matches
    label = row["negativereason"] or f"({row['airline_sentiment']})"
    return Item(
        text=_BOOK.sub("book", text),
        label=label,
        gold=AIRLINE_CATEGORY.get(row["negativereason"], ""),
        group=label,
        held_out=is_held_out(text),
    )


def _complaints(path: Path) -> list[Item]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Item(
                text=row["Consumer complaint narrative"],
                label=row["Issue"],
                gold=CFPB_CATEGORY.get(row["Issue"], ""),
                group=row["Product"],
                held_out=is_held_out(row["Consumer complaint narrative"]),
            )
            for row in csv.DictReader(handle)
            if row["Consumer complaint narrative"].strip()
        ]


def _calibration(judged: list[Judged]) -> None:
    """How often the category is right at each score, on the fifth of the texts the shipped
    model was not trained on: where it is wrong more often than right, the item fits nothing."""
    held = [j for j in judged if j.item.gold and j.item.held_out]
    print(f"Category right by category_score, {len(held)} held-out texts with a mapped label:")
    for low, high in zip(BINS, (*BINS[1:], 1.01), strict=True):
        inside = [j for j in held if low <= j.triage.category_score < high]
        right = sum(j.triage.category == j.item.gold for j in inside)
        share = f"{right / len(inside):.2f}" if inside else "-"
        print(f"  {low:.1f}-{min(high, 1.0):.1f}: {len(inside):4} texts, right {share}")
    negative = [j for j in judged if j.triage.negative]
    for threshold in (0.3, LOW_CATEGORY_SCORE, 0.5):
        chosen = sum(
            fits_no_category(j.triage.category, j.triage.category_score, threshold)
            for j in negative
        )
        print(f"  threshold {threshold}: {chosen} of {len(negative)} negative texts fit nothing")


def _topics(judged: list[Judged], params: TopicParams, examples: int, *, everything: bool) -> None:
    """With `everything`, every negative text: a check that the clustering finds the causes
    the human labels name when they are there to find."""
    chosen = [j.item for j in judged if (j.triage.negative if everything else j.selected)]
    which = "negative" if everything else f"negative, 'other' or score < {LOW_CATEGORY_SCORE}"
    started, cpu = time.perf_counter(), time.process_time()
    topics = find_topics([Doc(i, item.text) for i, item in enumerate(chosen)], params)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    covered = sum(topic.size for topic in topics)
    print(
        f"\nSelected {len(chosen)} ({which}): "
        f"{len(topics)} topics holding {covered} items, in {wall:.2f} s ({cpu:.2f} s CPU)"
    )
    print(f"Human labels of the selection: {_mix(Counter(item.label for item in chosen))}")
    for topic in topics:
        labels = Counter(chosen[i].label for i in topic.item_ids)
        print(f"\n{topic.size:4}  cohesion {topic.cohesion:.3f}  {topic.label}")
        print(f"      terms: {', '.join(topic.terms)}")
        print(f"      labels: {_mix(labels)}")
        if any(chosen[i].group != chosen[i].label for i in topic.item_ids):
            print(f"      products: {_mix(Counter(chosen[i].group for i in topic.item_ids), 3)}")
        for example in topic.examples[:examples]:
            print(f"      e.g. {example.text}")
    _purity(topics, chosen)


def _mix(counts: Counter[str], top: int = 4) -> str:
    total = sum(counts.values())
    return ", ".join(f"{name} {n} ({n / total:.0%})" for name, n in counts.most_common(top))


def _purity(topics: list[Topic], chosen: list[Item]) -> None:
    """The share of topic members carrying their topic's most common human label, against
    the same share for the whole selection taken as one group; then the same counting only
    members whose label names a cause (not "Can't Tell", not a tweet rated non-negative)."""
    covered = sum(topic.size for topic in topics)
    print(f"\n{len(topics)} topics cover {covered} of {len(chosen)} items")
    for name, keep in (("all labels", _any), ("labels naming a cause", _names_cause)):
        groups = [[chosen[i].label for i in t.item_ids if keep(chosen[i])] for t in topics]
        agree = sum(Counter(g).most_common(1)[0][1] for g in groups if g)
        counted = sum(len(g) for g in groups)
        kept = [item.label for item in chosen if keep(item)]
        baseline = Counter(kept).most_common(1)[0][1] / len(kept) if kept else 0.0
        print(
            f"Purity, {name}: {agree / max(counted, 1):.3f} over {counted} members "
            f"(the selection as one group: {baseline:.3f})"
        )


def _any(item: Item) -> bool:
    return True


def _names_cause(item: Item) -> bool:
    return item.label != "Can't Tell" and not item.label.startswith("(")


def _speed(judged: list[Judged], params: TopicParams) -> None:
    texts = [j.item.text for j in judged if j.triage.negative][:2000]
    started, cpu = time.perf_counter(), time.process_time()
    topics = find_topics([Doc(i, text) for i, text in enumerate(texts)], params)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"Speed: {len(texts)} negative texts, {len(topics)} topics: {wall:.2f} s, {cpu:.2f} s CPU"
    )


def _plant(judged: list[Judged], params: TopicParams, per_label: int) -> None:
    chosen = [j.item for j in judged if j.selected]
    rest = [j.item for j in judged if j.triage.negative and not j.selected]
    already = Counter(item.group for item in chosen)
    groups = [
        group
        for group, n in Counter(i.group for i in rest).most_common()
        if n >= 10 and already[group] < 0.1 * len(chosen)
    ][:6]
    print(f"\nPlanted topics: {per_label} items of one kind added to the {len(chosen)} selected")
    scores = []
    for group in groups:
        pool = [item for item in rest if item.group == group]
        runs = []
        for seed in range(3):
            planted = chosen + random.Random(seed).sample(pool, min(per_label, len(pool)))
            topics = find_topics([Doc(i, item.text) for i, item in enumerate(planted)], params)
            runs.append(_best_f1(topics, [item.group == group for item in planted]))
        scores += [f1 for f1, _ in runs]
        print(f"  {group[:40]:40} F1 {' '.join(f'{f1:.2f}' for f1, _ in runs)}  {runs[0][1]}")
    print(f"  mean F1 {sum(scores) / max(len(scores), 1):.3f}")


def _best_f1(topics: list[Topic], wanted: list[bool]) -> tuple[float, str]:
    best = (0.0, "(none)")
    for topic in topics:
        hits = sum(wanted[i] for i in topic.item_ids)
        if hits:
            precision, recall = hits / topic.size, hits / sum(wanted)
            best = max(best, (2 * precision * recall / (precision + recall), topic.label))
    return best


if __name__ == "__main__":
    main()
