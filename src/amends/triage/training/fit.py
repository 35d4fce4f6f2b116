"""Fitting the linear models: idf from the training rows only, logistic regression, and a
calibration fitted on out-of-fold scores so the probabilities mean what they say."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from amends.triage.features import (
    FeatureSpec,
    FloatArray,
    Weighting,
    document_frequency,
    smooth_idf,
)
from amends.triage.linear import Kind, LinearModel

SEED = 20261123
FOLDS = 5
#: Inverse regularisation strengths tried by cross-validation; the best is kept.
C_GRID = (1.0, 3.0, 10.0)
Labels = npt.NDArray[np.int_]
#: A step's description; training calls it as each step starts.
Step = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Recipe:
    """Everything that decides a fit besides the data. `c` is the inverse regularisation."""

    spec: FeatureSpec = field(default_factory=FeatureSpec)
    min_df: int = 2
    c: float = 10.0
    balanced: bool = False
    seed: int = SEED


@dataclass(frozen=True, slots=True)
class Fitted:
    """A fitted model's parts before calibration: scores = weighting(x) @ coef + intercept."""

    weighting: Weighting
    coef: FloatArray
    intercept: FloatArray

    def scores(self, counts: sparse.csr_matrix) -> FloatArray:
        return np.asarray(self.weighting.apply(counts) @ self.coef + self.intercept, np.float32)


def weighting_for(counts: sparse.csr_matrix, recipe: Recipe) -> Weighting:
    """The columns seen in at least `min_df` training rows, with their idf."""
    df = document_frequency(counts)
    columns = np.flatnonzero(df >= recipe.min_df).astype(np.int32)
    rows = counts.shape[0]
    unseen = float(smooth_idf(np.zeros(1, dtype=np.int_), rows)[0])
    return Weighting(recipe.spec, columns, smooth_idf(df[columns], rows), unseen)


def fit_softmax(counts: sparse.csr_matrix, y: Labels, n_labels: int, recipe: Recipe) -> Fitted:
    """Multinomial logistic regression; `y` holds label indices 0..n_labels-1."""
    weighting = weighting_for(counts, recipe)
    model = fit_quietly(_logistic(recipe), weighting.apply(counts), y)
    return Fitted(weighting, *both_columns(model.coef_, model.intercept_, n_labels))


def both_columns(
    coef: FloatArray, intercept: FloatArray, n_labels: int
) -> tuple[FloatArray, FloatArray]:
    """scikit-learn's weights as columns × labels; for two labels it keeps one row
    (z1 - z0 = w·x + b), which becomes two opposite halves."""
    if n_labels == 2:
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return coef.T.astype(np.float32), intercept.astype(np.float32)


def fit_one_vs_rest(
    counts: sparse.csr_matrix, targets: npt.NDArray[np.bool_], recipe: Recipe
) -> Fitted:
    """One binary logistic regression per column of `targets`, sharing the features."""
    weighting = weighting_for(counts, recipe)
    features = weighting.apply(counts)
    coefs, intercepts = [], []
    for column in targets.T:
        model = fit_quietly(_logistic(recipe), features, column.astype(np.int_))
        coefs.append(model.coef_[0])
        intercepts.append(model.intercept_[0])
    return Fitted(weighting, np.array(coefs, np.float32).T, np.array(intercepts, dtype=np.float32))


def _logistic(recipe: Recipe) -> LogisticRegression:
    return LogisticRegression(
        C=recipe.c,
        max_iter=2000,
        class_weight="balanced" if recipe.balanced else None,
        random_state=recipe.seed,
    )


def fit_quietly(
    model: LogisticRegression,
    features: sparse.csr_matrix,
    y: Labels,
    sample_weight: FloatArray | None = None,
) -> LogisticRegression:
    # lbfgs can stop a few iterations short at the largest C; cross-validation shows whether
    # that costs anything, so the warning is noise here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(features, y, sample_weight=sample_weight)


def folds(y: Labels, n_folds: int, seed: int) -> Iterator[tuple[Labels, Labels]]:
    """Stratified folds; `y` may be any integer stratum (a label, or several combined)."""
    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    yield from splitter.split(np.zeros(len(y)), y)


def out_of_fold_softmax(
    counts: sparse.csr_matrix, y: Labels, n_labels: int, recipe: Recipe, n_folds: int
) -> FloatArray:
    """Each row's scores from a model that did not see it."""
    scores = np.zeros((len(y), n_labels), dtype=np.float32)
    for train, test in folds(y, n_folds, recipe.seed):
        scores[test] = fit_softmax(counts[train], y[train], n_labels, recipe).scores(counts[test])
    return scores


def out_of_fold_one_vs_rest(
    counts: sparse.csr_matrix, targets: npt.NDArray[np.bool_], recipe: Recipe, n_folds: int
) -> FloatArray:
    scores = np.zeros(targets.shape, dtype=np.float32)
    strata = targets.argmax(axis=1) + targets.any(axis=1)
    for train, test in folds(strata, n_folds, recipe.seed):
        scores[test] = fit_one_vs_rest(counts[train], targets[train], recipe).scores(counts[test])
    return scores


def choose_c_softmax(
    counts: sparse.csr_matrix, y: Labels, n_labels: int, recipe: Recipe, step: Step
) -> tuple[Recipe, FloatArray, dict[str, float]]:
    """The recipe whose C (from C_GRID) has the best out-of-fold macro-F1, its out-of-fold
    scores, and every C's macro-F1."""
    best: tuple[float, Recipe, FloatArray] | None = None
    search: dict[str, float] = {}
    for c in C_GRID:
        step(f"{FOLDS}-fold cross-validation, C={c:g}")
        candidate = replace(recipe, c=c)
        scores = out_of_fold_softmax(counts, y, n_labels, candidate, FOLDS)
        found = round(float(f1_score(y, scores.argmax(axis=1), average="macro")), 4)
        search[f"C={c:g}"] = found
        if best is None or found > best[0]:
            best = (found, candidate, scores)
    assert best is not None
    return best[1], best[2], search


def temperature_calibration(scores: FloatArray, y: Labels) -> tuple[FloatArray, FloatArray]:
    """`scale` and `shift` for LinearModel: one temperature for all labels, no shift."""
    n_labels = scores.shape[1]
    scale = np.full(n_labels, 1 / temperature(scores, y), dtype=np.float32)
    return scale, np.zeros(n_labels, dtype=np.float32)


def temperature(scores: FloatArray, y: Labels) -> float:
    """The temperature T that makes softmax(scores / T) best fit `y` (lowest log loss)."""

    def loss(log_t: float) -> float:
        logits = scores / np.exp(log_t)
        logits = logits - logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits).sum(axis=1))
        return float(np.mean(log_norm - logits[np.arange(len(y)), y]))

    found = optimize.minimize_scalar(loss, bounds=(-3.0, 3.0), method="bounded")
    return float(np.exp(found.x))


def platt(scores: FloatArray, targets: npt.NDArray[np.bool_]) -> tuple[FloatArray, FloatArray]:
    """Per column, `a` and `b` such that sigmoid(a * score + b) best fits the targets."""
    scale, shift = [], []
    for column, target in zip(scores.T, targets.T, strict=True):
        model = LogisticRegression(C=1e4).fit(column.reshape(-1, 1), target.astype(np.int_))
        scale.append(model.coef_[0, 0])
        shift.append(model.intercept_[0])
    return np.array(scale, dtype=np.float32), np.array(shift, dtype=np.float32)


def assemble(
    fitted: Fitted,
    *,
    labels: Sequence[str],
    kind: Kind,
    calibration: tuple[FloatArray, FloatArray],
    meta: dict[str, object],
) -> LinearModel:
    scale, shift = calibration
    return LinearModel(
        tuple(labels), kind, fitted.weighting, fitted.coef, fitted.intercept, scale, shift,
        meta=dict(meta),
    )  # fmt: skip
