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
from amends.triage.training.distil import Student, fit_student, out_of_fold
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
from amends.triage.training.teacher import Teacher, TeacherRecipe, augment, soft_rows

#: The student's regularisation: more data than the plain model's, so weaker (docs/models.md).
DISTILLED_C = 30.0


@dataclass(frozen=True, slots=True)
class Trained:
    name: str
    model: LinearModel
    metrics: dict[str, Any]


MODELS = ("sentiment", "emotions", "category")


def train_all(
    folder: Path,
    output: Path,
    step: Step,
    *,
    recipe: Recipe | None = None,
    teacher: TeacherRecipe | None = None,
    only: Sequence[str] = MODELS,
) -> list[Trained]:
    """Train the models named in `only` from the files in `folder`; write them to
    `output/<name>.npz` and return them with their metrics. With a `teacher`, sentiment is
    distilled from a fine-tuned MiniLM (teacher.py), as the shipped weights were."""
    recipe = recipe or Recipe(balanced=True)
    trainers = {
        "sentiment": lambda: train_sentiment(folder, recipe, step, teacher),
        "emotions": lambda: train_emotions(folder, recipe, step),
        "category": lambda: train_category(folder, recipe, step),
    }
    trained = [trainers[name]() for name in MODELS if name in only]
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


def train_sentiment(
    folder: Path, recipe: Recipe, step: Step, teacher: TeacherRecipe | None = None
) -> Trained:
    step("sentiment: reading data")
    corpus = sentiment_corpus(folder)
    if teacher is None:
        return _train_softmax("sentiment", corpus, sentiment.LABELS, recipe, step)
    return _train_distilled(folder, corpus, replace(recipe, c=DISTILLED_C), teacher, step)


def _train_distilled(
    folder: Path, corpus: data.Labelled, recipe: Recipe, teacher: TeacherRecipe, step: Step
) -> Trained:
    """The teacher learns from the training tweets, then labels augmented copies of them and
    unlabelled customer text; the student learns from all labelled rows and those soft labels.
    The teacher learns from tweets only: they are the short, factual complaints the plain
    model reads worst, and fine-tuning on the long reviews would take several times longer."""
    labels = sentiment.LABELS
    held = data.held_out_mask(corpus.texts)
    train = corpus.subset(~held)
    y = np.array([labels.index(label) for label in train.labels])
    tweets = np.flatnonzero(np.array(train.sources) == "airline")
    model = Teacher(len(labels), teacher)
    model.fit([train.texts[i] for i in tweets], y[tweets], step)
    copies = augment([train.texts[i] for i in tweets], teacher)
    extra = data.unlabelled(folder)
    pool = copies + extra
    parents = np.concatenate([np.repeat(tweets, teacher.copies), np.full(len(extra), -1)])
    soft = soft_rows(model.probabilities(pool, step))
    step(f"sentiment: counting n-grams of {len(train) + len(pool):,} texts")
    student = Student(
        counts=count(train.texts, recipe.spec), y=y, pool_counts=count(pool, recipe.spec),
        soft=soft, parents=parents, n_labels=len(labels),
    )  # fmt: skip
    step(f"sentiment: {FOLDS}-fold out-of-fold scores for the calibration")
    calibration = temperature_calibration(out_of_fold(student, recipe), y)
    step(f"sentiment: fitting on {len(train):,} labelled and {len(soft.y):,} soft rows")
    fitted = fit_student(student, recipe, np.ones(len(y), dtype=bool))
    test = corpus.subset(held)
    y_test = np.array([labels.index(label) for label in test.labels])
    taught = model.probabilities(test.texts, step)
    report = {
        "distillation": {
            "teacher_held_out": _by_source(
                np.log(np.maximum(taught, 1e-7)), y_test, corpus, held, labels,
                (np.ones(len(labels), np.float32), np.zeros(len(labels), np.float32)),
            ),
            "teacher": teacher.to_json(),
            "teacher_trained_on_rows": len(tweets),
            "augmented_copies": len(copies),
            "unlabelled_texts": len(extra),
            "soft_rows": len(soft.y),
        },
        "temperature": round(float(1 / calibration[0][0]), 4),
        "held_out": _by_source(
            fitted.scores(count(test.texts, recipe.spec)), y_test, corpus, held, labels,
            calibration,
        ),
    }  # fmt: skip
    model_file = assemble(
        fitted, labels=labels, kind="softmax", calibration=calibration,
        meta=_meta("sentiment", recipe, corpus, held, report),
    )  # fmt: skip
    return Trained("sentiment", model_file, report)


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
