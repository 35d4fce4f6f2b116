"""What went wrong, in a customer-service taxonomy, with the probability of that category.

The default model covers the taxonomy in TAXONOMY as far as public data allows
(docs/models.md#category); a business can train its own taxonomy with
`amends model train --input` and pass that file as `model` (setting AMENDS_CATEGORY_MODEL).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scipy import sparse

from amends.triage.features import count
from amends.triage.linear import LinearModel, ModelFileError, load, load_shipped

TASK = "category"
TAXONOMY = (
    "delay", "cancellation", "damaged_or_defective", "wrong_or_missing_item", "lost_item",
    "billing_and_refunds", "staff_attitude", "wait_time", "booking_or_account_access",
    "technical_problem", "product_quality", "policy", "other",
)  # fmt: skip


def load_model(path: Path | None = None) -> LinearModel:
    """The category model in `path`, or the shipped one; ModelFileError if `path` holds some
    other kind of model."""
    if path is None:
        return load_shipped("category")
    found = load(path)
    if found.meta.get("task") != TASK or found.kind != "softmax":
        raise ModelFileError(f"{path}: not a category model (task {found.meta.get('task')!r})")
    return found


def predict(texts: Sequence[str], model: Path | None = None) -> list[tuple[str, float]]:
    """Per text, the most probable category and its probability."""
    chosen = load_model(model)
    return from_counts(count(texts, chosen.spec), chosen)


def from_counts(counts: sparse.csr_matrix, chosen: LinearModel) -> list[tuple[str, float]]:
    """As `predict`, from `features.count(texts, chosen.spec)`."""
    probabilities = chosen.probabilities(counts)
    best = probabilities.argmax(axis=1)
    return [
        (chosen.labels[index], float(probabilities[row, index]))
        for row, index in enumerate(best.tolist())
    ]
