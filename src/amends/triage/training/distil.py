"""Distillation: a linear model trained on labelled rows plus a teacher's soft labels.

The student sees every labelled row with weight 1 and, for each text the teacher labelled, one
row per label weighted by the teacher's probability (teacher.soft_rows). Classes are balanced by
their total weight. The out-of-fold scores used for calibration leave out, with a fold's
labelled rows, the augmented copies made from them, so no fold sees its own texts in disguise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from amends.triage.features import FloatArray
from amends.triage.training.fit import (
    FOLDS,
    Fitted,
    Labels,
    Recipe,
    both_columns,
    fit_quietly,
    folds,
    weighting_for,
)
from amends.triage.training.teacher import SoftRows


@dataclass(frozen=True, slots=True)
class Student:
    """What the student learns from: labelled rows (`counts`, `y`) and the texts the teacher
    labelled (`pool_counts`, `soft`); `parents[i]` is the labelled row pool text i was copied
    from, or -1 for a text of its own."""

    counts: sparse.csr_matrix
    y: Labels
    pool_counts: sparse.csr_matrix
    soft: SoftRows
    parents: npt.NDArray[np.int_]
    n_labels: int


def fit_student(student: Student, recipe: Recipe, hard: npt.NDArray[np.bool_]) -> Fitted:
    """Fit on the labelled rows in `hard` and on the soft rows not copied from the others."""
    parents = student.parents[student.soft.index]
    keep = (parents < 0) | hard[np.maximum(parents, 0)]
    counts = sparse.vstack(
        [student.counts[hard], student.pool_counts[student.soft.index[keep]]], format="csr"
    )
    y = np.concatenate([student.y[hard], student.soft.y[keep]])
    weights = np.concatenate([np.ones(int(hard.sum()), np.float32), student.soft.weights[keep]])
    total = np.bincount(y, weights=weights, minlength=student.n_labels)
    balance = weights.sum() / (student.n_labels * np.maximum(total, 1e-9))
    seen = student.pool_counts[np.unique(student.soft.index[keep])]
    weighting = weighting_for(sparse.vstack([student.counts[hard], seen], format="csr"), recipe)
    model = LogisticRegression(C=recipe.c, max_iter=3000, random_state=recipe.seed)
    fitted = fit_quietly(
        model, weighting.apply(counts), y, (weights * balance[y]).astype(np.float32)
    )
    return Fitted(weighting, *both_columns(fitted.coef_, fitted.intercept_, student.n_labels))


def out_of_fold(student: Student, recipe: Recipe) -> FloatArray:
    """Each labelled row's scores from a student that saw neither it nor its copies."""
    scores = np.zeros((len(student.y), student.n_labels), dtype=np.float32)
    for train, test in folds(student.y, FOLDS, recipe.seed):
        hard = np.zeros(len(student.y), dtype=bool)
        hard[train] = True
        scores[test] = fit_student(student, recipe, hard).scores(student.counts[test])
    return scores
