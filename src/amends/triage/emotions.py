"""How likely a text expresses each of the emotions service recovery cares about.

Probabilities are independent (a text can be angry and disappointed). Each emotion also has
a threshold, chosen for the best F1 on held-out data, above which it counts as present.
The model and its measurements: docs/models.md#emotions.
"""

from __future__ import annotations

from collections.abc import Sequence

from scipy import sparse

from amends.triage.features import count
from amends.triage.linear import LinearModel, load_shipped

EMOTIONS = ("anger", "annoyance", "disappointment", "sadness", "fear", "confusion", "gratitude")


def load_model() -> LinearModel:
    """The shipped emotion model, loaded once per process."""
    return load_shipped("emotions")


def predict(texts: Sequence[str]) -> list[dict[str, float]]:
    """Per text, each emotion's probability."""
    return from_counts(count(texts, load_model().spec))


def from_counts(counts: sparse.csr_matrix) -> list[dict[str, float]]:
    """As `predict`, from `features.count(texts, load_model().spec)`."""
    chosen = load_model()
    rows = chosen.probabilities(counts).tolist()
    return [dict(zip(chosen.labels, row, strict=True)) for row in rows]


def thresholds() -> dict[str, float]:
    """The probability above which each emotion counts as present."""
    return {name: float(value) for name, value in load_model().meta["thresholds"].items()}


def present(probabilities: dict[str, float]) -> list[str]:
    """The emotions of one `predict` result that are above their thresholds, strongest first."""
    limits = thresholds()
    found = [name for name, value in probabilities.items() if value >= limits[name]]
    return sorted(found, key=lambda name: -probabilities[name])
