"""The numbers every model is judged by: F1, accuracy, and whether probabilities can be
trusted (Brier score and expected calibration error)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    precision_recall_fscore_support,
    roc_auc_score,
)

from amends.triage.features import FloatArray

Labels = npt.NDArray[np.int_]
ECE_BINS = 15


def classification(y: Labels, probabilities: FloatArray, labels: Sequence[str]) -> dict[str, Any]:
    """Macro-F1, accuracy, calibration and per-class precision/recall/F1 of a softmax model."""
    predicted = probabilities.argmax(axis=1)
    every = list(range(len(labels)))
    precision, recall, f1, support = precision_recall_fscore_support(
        y, predicted, labels=every, zero_division=0
    )
    present = sorted(set(y.tolist()))
    return {
        "rows": len(y),
        "macro_f1": round(float(f1_score(y, predicted, labels=present, average="macro")), 4),
        "accuracy": round(float(accuracy_score(y, predicted)), 4),
        "brier": round(brier(y, probabilities), 4),
        "ece": round(expected_calibration_error(y, probabilities), 4),
        "per_class": {
            label: {
                "precision": round(float(precision[i]), 4),
                "recall": round(float(recall[i]), 4),
                "f1": round(float(f1[i]), 4),
                "support": int(support[i]),
            }
            for i, label in enumerate(labels)
        },
    }


def brier(y: Labels, probabilities: FloatArray) -> float:
    """Mean squared distance between the probabilities and the one-hot truth (0 is perfect)."""
    truth = np.zeros_like(probabilities)
    truth[np.arange(len(y)), y] = 1.0
    return float(np.mean(np.sum((probabilities - truth) ** 2, axis=1)))


def expected_calibration_error(y: Labels, probabilities: FloatArray) -> float:
    """Top-label ECE: how far the stated confidence is from the accuracy, over 15 equal bins."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == y
    return binned_gap(confidence, correct)


def binned_gap(confidence: FloatArray, outcome: npt.NDArray[np.bool_]) -> float:
    bins = np.minimum((confidence * ECE_BINS).astype(int), ECE_BINS - 1)
    gap = 0.0
    for index in range(ECE_BINS):
        chosen = bins == index
        if chosen.any():
            gap += chosen.mean() * abs(confidence[chosen].mean() - outcome[chosen].mean())
    return float(gap)


def best_threshold(probability: FloatArray, target: npt.NDArray[np.bool_]) -> float:
    """The probability cut-off (predict `>= cut`) with the highest F1 on these rows."""
    order = np.argsort(-probability, kind="stable")
    ranked, hits = probability[order], target[order]
    true_positives = np.cumsum(hits)
    f1 = 2 * true_positives / (np.arange(1, len(ranked) + 1) + max(int(target.sum()), 1))
    # A cut can only fall where the probability changes.
    ends = np.r_[ranked[1:] != ranked[:-1], True]
    return float(ranked[ends][int(np.argmax(f1[ends]))])


def multilabel(
    targets: npt.NDArray[np.bool_],
    probabilities: FloatArray,
    labels: Sequence[str],
    thresholds: dict[str, float],
) -> dict[str, Any]:
    """Per label: F1, precision and recall at its threshold, ROC AUC, Brier and ECE."""
    report: dict[str, Any] = {}
    for j, label in enumerate(labels):
        target, probability = targets[:, j], probabilities[:, j]
        predicted = probability >= thresholds[label]
        precision, recall, f1, _ = precision_recall_fscore_support(
            target, predicted, average="binary", zero_division=0
        )
        report[label] = {
            "support": int(target.sum()),
            "threshold": thresholds[label],
            "f1": round(float(f1), 4),
            "precision": round(float(precision), 4),
            "recall": round(float(recall), 4),
            "auc": round(auc(target, probability), 4),
            "brier": round(float(np.mean((probability - target) ** 2)), 4),
            "ece": round(binned_gap(probability, target), 4),
        }
    report["macro_f1"] = round(float(np.mean([report[label]["f1"] for label in labels])), 4)
    return report


def auc(target: npt.NDArray[np.bool_], score: FloatArray) -> float:
    return float(roc_auc_score(target, score))
