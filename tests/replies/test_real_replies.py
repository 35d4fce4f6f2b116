"""The checker on real brand replies (../shared/data/twcs.dev.csv) against the hand labels in
benchmarks/replies/: the rules must keep the precision `make bench-replies` reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.replies.bench import LABELS, MIN_POSITIVES, PRECISION_AIM, agreement, read_labels
from benchmarks.replies.threads import load

# Rules with enough labeled positives on the tuning set, all met when the rules were frozen.
TUNED = (
    "issue.unacknowledged", "empathy.missing", "apology.missing", "next_step.missing",
    "phrase.robotic", "phrase.cheesy", "phrase.repeated", "thanks.missing", "channel.form",
)  # fmt: skip


@pytest.fixture(scope="module")
def tallies(shared_data: Path) -> dict[str, object]:
    replies = {reply.tweet_id: reply for reply in load(shared_data)}
    result = agreement(replies, read_labels(LABELS), known_complaint=True)
    return result["tallies"]  # type: ignore[return-value]


@pytest.mark.parametrize("rule", TUNED)
def test_each_rule_keeps_its_precision_on_the_labeled_replies(
    tallies: dict[str, object], rule: str
) -> None:
    tally = tallies[rule]
    assert tally.tp + tally.fn >= MIN_POSITIVES  # type: ignore[attr-defined]
    assert tally.precision >= PRECISION_AIM  # type: ignore[attr-defined]


def test_the_labels_cover_at_least_150_real_replies() -> None:
    assert len(read_labels(LABELS)) >= 150
