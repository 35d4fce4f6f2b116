"""The checker on real brand replies (../shared/data/twcs.dev.csv) against every hand label in
benchmarks/replies/: each rule with enough labeled positives keeps the precision aim that
`make bench-replies` reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.replies.bench import (
    HOLDOUT,
    HOLDOUT_2,
    LABELED_RULES,
    LABELS,
    MIN_POSITIVES,
    PRECISION_AIM,
    Tally,
    agreement,
    read_labels,
)
from benchmarks.replies.threads import load

LABEL_FILES = (LABELS, HOLDOUT, HOLDOUT_2)
# Rules that have had at least MIN_POSITIVES labeled positives since the second held-out set:
# the aim must be checked for each of them at least.
ENOUGH_LABELS = {
    "issue.unacknowledged", "empathy.missing", "apology.missing", "blame.shifting",
    "tone.defensive", "next_step.missing", "phrase.robotic", "phrase.cheesy", "phrase.repeated",
    "thanks.missing", "channel.form",
}  # fmt: skip


@pytest.fixture(scope="module")
def tallies(shared_data: Path) -> dict[str, Tally]:
    replies = {reply.tweet_id: reply for reply in load(shared_data)}
    labels = [label for path in LABEL_FILES for label in read_labels(path)]
    result = agreement(replies, labels, known_complaint=True)
    return result["tallies"]  # type: ignore[return-value]


def test_every_rule_with_enough_labels_meets_the_precision_aim(
    tallies: dict[str, Tally],
) -> None:
    judged = {
        rule for rule in LABELED_RULES if tallies[rule].tp + tallies[rule].fn >= MIN_POSITIVES
    }
    assert judged >= ENOUGH_LABELS
    below = {
        rule: tallies[rule].precision
        for rule in judged
        if tallies[rule].precision is not None and tallies[rule].precision < PRECISION_AIM
    }
    assert below == {}


def test_the_labels_cover_at_least_150_real_replies() -> None:
    assert sum(len(read_labels(path)) for path in LABEL_FILES) >= 150
    assert len(read_labels(HOLDOUT_2)) >= 150
