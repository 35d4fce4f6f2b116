"""Is a text negative, neutral or positive, and how sure is that: a calibrated probability.

The shipped model and how it was chosen, trained and measured: docs/models.md#sentiment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scipy import sparse

from amends.triage.features import count
from amends.triage.linear import LinearModel, load_shipped

LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True, slots=True)
class SentimentResult:
    """The most probable `label`, its probability `score`, and every label's probability."""

    label: str
    score: float
    probabilities: dict[str, float]


def load_model() -> LinearModel:
    """The shipped sentiment model, loaded once per process."""
    return load_shipped("sentiment")


def predict(texts: Sequence[str]) -> list[SentimentResult]:
    """One result per text, in order."""
    return from_counts(count(texts, load_model().spec))


def from_counts(counts: sparse.csr_matrix) -> list[SentimentResult]:
    """As `predict`, from `features.count(texts, load_model().spec)` computed once for several
    models that share the spec."""
    chosen = load_model()
    results = []
    for row in chosen.probabilities(counts).tolist():
        best = max(range(len(row)), key=row.__getitem__)
        probabilities = dict(zip(chosen.labels, row, strict=True))
        results.append(SentimentResult(chosen.labels[best], row[best], probabilities))
    return results
