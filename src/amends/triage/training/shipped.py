"""Rebuild the three shipped models from the public data sets (`amends model train`).

Each task holds out one fifth of its texts (data.is_held_out), picks the regularisation by
5-fold cross-validation on the rest, calibrates on the out-of-fold scores, fits on the rest,
and reports on the held-out fifth. The shipped weights never saw the held-out texts, so the
metrics in docs/models.md describe exactly the files in the wheel.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import sklearn
from scipy import sparse

from amends.triage import category, emotions, sentiment
from amends.triage.features import FloatArray, count
from amends.triage.linear import LinearModel, calibrate, save
from amends.triage.training import data, metrics
from amends.triage.training.fit import (
    C_GRID,
    FOLDS,
    Recipe,
    Step,
    assemble,
    choose_c_softmax,
    fit_one_vs_rest,
    fit_softmax,
    out_of_fold_one_vs_rest,
    platt,
    temperature_calibration,
)


@dataclass(frozen=True, slots=True)
class Trained:
    name: str
    model: LinearModel
    metrics: dict[str, Any]


def train_all(
    folder: Path, output: Path, step: Step, recipe: Recipe | None = None
) -> list[Trained]:
    """Train sentiment, emotions and category from the files in `folder`; write them to
    `output/<name>.npz` and return them with their metrics."""
    recipe = recipe or Recipe(balanced=True)
    trained = [
        train_sentiment(folder, recipe, step),
        train_emotions(folder, recipe, step),
        train_category(folder, recipe, step),
    ]
    for result in trained:
        save(result.model, output / f"{result.name}.npz")
        write_card(result.model, output / f"{result.name}.json")
    return trained


def write_card(model: LinearModel, path: Path) -> None:
    """The model's metadata as readable JSON next to its weights, so a retrain shows up in a
    diff as changed metrics. Loading never reads it."""
    card = {**model.meta, "labels": list(model.labels), "kind": model.kind}
    path.write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def sentiment_corpus(folder: Path) -> data.Labelled:
    """Airline tweets and Amazon and TripAdvisor reviews. GoEmotions' Reddit comments are left
    out: adding them lowered macro-F1 on all three (docs/models.md#sentiment)."""
    return (
        data.sentiment_airline(folder)
        + data.sentiment_amazon(folder)
        + data.sentiment_tripadvisor(folder)
    )


def category_corpus(folder: Path) -> data.Labelled:
    return data.category_airline(folder) + data.category_cfpb(folder) + data.category_amazon(folder)


def train_sentiment(folder: Path, recipe: Recipe, step: Step) -> Trained:
    step("sentiment: reading data")
    corpus = sentiment_corpus(folder)
    return _train_softmax("sentiment", corpus, sentiment.LABELS, recipe, step)


def train_category(folder: Path, recipe: Recipe, step: Step) -> Trained:
    step("category: reading data")
    corpus = category_corpus(folder)
    labels = [label for label in category.TAXONOMY if label in set(corpus.labels)]
    trained = _train_softmax(category.TASK, corpus, labels, recipe, step)
    untrained = [label for label in category.TAXONOMY if label not in labels]
    trained.model.meta["untrained_labels"] = untrained
    return trained


def _train_softmax(
    name: str, corpus: data.Labelled, labels: Sequence[str], recipe: Recipe, step: Step
) -> Trained:
    held = data.held_out_mask(corpus.texts)
    step(f"{name}: counting n-grams of {len(corpus):,} texts")
    counts = count(corpus.texts, recipe.spec)
    y = np.array([labels.index(label) for label in corpus.labels])
    recipe, scores, search = choose_c_softmax(
        counts[~held], y[~held], len(labels), recipe, lambda text: step(f"{name}: {text}")
    )
    calibration = temperature_calibration(scores, y[~held])
    step(f"{name}: fitting on {int((~held).sum()):,} texts")
    fitted = fit_softmax(counts[~held], y[~held], len(labels), recipe)
    report = {
        "cross_validation": search,
        "temperature": round(float(1 / calibration[0][0]), 4),
        "held_out": _by_source(
            fitted.scores(counts[held]), y[held], corpus, held, labels, calibration
        ),
    }
    model = assemble(
        fitted, labels=labels, kind="softmax", calibration=calibration,
        meta=_meta(name, recipe, corpus, held, report),
    )  # fmt: skip
    return Trained(name, model, report)


def _by_source(
    scores: FloatArray,
    y: npt.NDArray[np.int_],
    corpus: data.Labelled,
    held: npt.NDArray[np.bool_],
    labels: Sequence[str],
    calibration: tuple[FloatArray, FloatArray],
) -> dict[str, Any]:
    """Held-out metrics for all rows, and for each data set's rows."""
    probabilities = calibrate(scores, *calibration, "softmax")
    uncalibrated = calibrate(scores, np.ones(len(labels), np.float32), calibration[1], "softmax")
    sources = np.array(corpus.sources)[held]
    report = {"all": metrics.classification(y, probabilities, labels)}
    report["all"]["ece_before_calibration"] = round(
        metrics.expected_calibration_error(y, uncalibrated), 4
    )
    for source in sorted(set(sources.tolist())):
        chosen = sources == source
        report[source] = metrics.classification(y[chosen], probabilities[chosen], labels)
    return report


def train_emotions(folder: Path, recipe: Recipe, step: Step) -> Trained:
    step("emotions: reading data")
    corpus = data.emotions_goemotions(folder)
    held = data.held_out_mask(corpus.texts)
    step(f"emotions: counting n-grams of {len(corpus.texts):,} texts")
    counts = count(corpus.texts, recipe.spec)
    train, test = counts[~held], counts[held]
    recipe, scores, search = _choose_c_one_vs_rest(train, corpus.targets[~held], recipe, step)
    calibration = platt(scores, corpus.targets[~held])
    oof = calibrate(scores, *calibration, "one-vs-rest")
    thresholds = {
        label: round(metrics.best_threshold(oof[:, j], corpus.targets[~held][:, j]), 4)
        for j, label in enumerate(corpus.labels)
    }
    step(f"emotions: fitting on {int((~held).sum()):,} texts")
    fitted = fit_one_vs_rest(train, corpus.targets[~held], recipe)
    probabilities = calibrate(fitted.scores(test), *calibration, "one-vs-rest")
    report = {
        "cross_validation": search,
        "held_out": metrics.multilabel(
            corpus.targets[held], probabilities, corpus.labels, thresholds
        ),
    }
    sources = data.Labelled(
        corpus.texts, [""] * len(corpus.texts), ["goemotions"] * len(corpus.texts)
    )
    meta = _meta("emotions", recipe, sources, held, report)
    meta["thresholds"] = thresholds
    model = assemble(
        fitted, labels=emotions.EMOTIONS, kind="one-vs-rest", calibration=calibration, meta=meta
    )
    return Trained("emotions", model, report)


def _choose_c_one_vs_rest(
    counts: sparse.csr_matrix, targets: npt.NDArray[np.bool_], recipe: Recipe, step: Step
) -> tuple[Recipe, FloatArray, dict[str, float]]:
    """The C with the best mean out-of-fold ROC AUC over the emotions."""
    best: tuple[float, Recipe, FloatArray] | None = None
    search: dict[str, float] = {}
    for c in C_GRID:
        step(f"emotions: {FOLDS}-fold cross-validation, C={c:g}")
        candidate = replace(recipe, c=c)
        scores = out_of_fold_one_vs_rest(counts, targets, candidate, FOLDS)
        found = float(
            np.mean([metrics.auc(targets[:, j], scores[:, j]) for j in range(targets.shape[1])])
        )
        search[f"C={c:g}"] = round(found, 4)
        if best is None or found > best[0]:
            best = (found, candidate, scores)
    assert best is not None
    return best[1], best[2], search


def _meta(
    name: str,
    recipe: Recipe,
    corpus: data.Labelled,
    held: npt.NDArray[np.bool_],
    report: dict[str, Any],
) -> dict[str, Any]:
    trained_on: dict[str, int] = {}
    for source, is_held in zip(corpus.sources, held.tolist(), strict=True):
        if not is_held:
            trained_on[source] = trained_on.get(source, 0) + 1
    return {
        "task": name,
        "recipe": {
            "c": recipe.c,
            "min_df": recipe.min_df,
            "balanced": recipe.balanced,
            "seed": recipe.seed,
        },
        "trained_on_rows": trained_on,
        "metrics": report,
        "versions": {"python": platform.python_version(), "scikit-learn": sklearn.__version__},
        "docs": "docs/models.md",
    }
