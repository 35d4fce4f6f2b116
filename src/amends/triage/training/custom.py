"""A category model trained on a business's own labelled history: its taxonomy, its words.

`amends model train --input labeled.csv --text-column TEXT --label-column LABEL --output MODEL`
lands here. The metrics are cross-validated (every row is scored by a model that did not see
it); the model written is then fitted on all rows.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from amends.triage.category import TASK
from amends.triage.features import count
from amends.triage.linear import calibrate, save
from amends.triage.training import metrics
from amends.triage.training.data import Labelled
from amends.triage.training.fit import (
    Recipe,
    Step,
    assemble,
    choose_c_softmax,
    fit_softmax,
    temperature_calibration,
)

#: A label needs this many examples: enough for each cross-validation fold to hold one.
MIN_EXAMPLES = 5


class LabelledFileError(ValueError):
    """A labelled file that cannot be trained on; the message names the file, line and column."""


@dataclass(frozen=True, slots=True)
class CustomModel:
    path: Path
    labels: tuple[str, ...]
    rows: int
    metrics: dict[str, Any]


def read_labelled(path: Path, text_column: str, label_column: str) -> Labelled:
    """The texts and labels of a UTF-8 CSV file with a header row."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return _read(csv.reader(handle), path, text_column, label_column)
    except FileNotFoundError:
        raise LabelledFileError(f"{path}: file not found") from None
    except UnicodeDecodeError as error:
        raise LabelledFileError(f"{path}: not UTF-8 text (byte {error.start})") from None


def _read(reader: Any, path: Path, text_column: str, label_column: str) -> Labelled:
    header = next(reader, None)
    if header is None:
        raise LabelledFileError(f"{path}: line 1: the file is empty; expected a header row")
    text_at, label_at = (_column(path, header, name) for name in (text_column, label_column))
    texts, labels, lines = [], [], []
    line = reader.line_num
    try:
        for record in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            texts.append(_cell(path, start, record, text_at, text_column))
            labels.append(_cell(path, start, record, label_at, label_column))
            lines.append(start)
    except csv.Error as error:
        raise LabelledFileError(f"{path}:{reader.line_num}: {error}") from None
    _check_counts(path, labels, lines, label_column)
    return Labelled(texts, labels, [path.name] * len(texts))


def _column(path: Path, header: list[str], name: str) -> int:
    if name not in header:
        shown = ", ".join(repr(column) for column in header)
        raise LabelledFileError(f"{path}: line 1: no column {name!r}; the columns are {shown}")
    return header.index(name)


def _cell(path: Path, line: int, record: list[str], at: int, name: str) -> str:
    value = record[at].strip() if at < len(record) else ""
    if not value:
        raise LabelledFileError(f"{path}:{line}: column {name!r} (column {at + 1}) is empty")
    return value


def _check_counts(path: Path, labels: list[str], lines: list[int], label_column: str) -> None:
    counts = Counter(labels)
    if len(counts) < 2:
        found = f"only {next(iter(counts))!r}" if counts else "no rows"
        raise LabelledFileError(
            f"{path}: column {label_column!r} needs two labels at least; found {found}"
        )
    for label, seen in sorted(counts.items()):
        if seen < MIN_EXAMPLES:
            where = ", ".join(
                str(line) for line, name in zip(lines, labels, strict=True) if name == label
            )
            raise LabelledFileError(
                f"{path}: column {label_column!r}: label {label!r} has {seen} example(s) "
                f"(line {where}); each label needs at least {MIN_EXAMPLES}"
            )


def train_custom(
    source: Path,
    *,
    text_column: str,
    label_column: str,
    output: Path,
    step: Step,
    recipe: Recipe | None = None,
) -> CustomModel:
    """Train a category model on `source`, write it to `output`, return its CV metrics."""
    recipe = recipe or Recipe(balanced=True)
    step(f"reading {source.name}")
    corpus = read_labelled(source, text_column, label_column)
    labels = sorted(set(corpus.labels))
    y = np.array([labels.index(label) for label in corpus.labels])
    step(f"counting n-grams of {len(corpus):,} texts")
    counts = count(corpus.texts, recipe.spec)
    recipe, scores, search = choose_c_softmax(counts, y, len(labels), recipe, step)
    calibration = temperature_calibration(scores, y)
    report = metrics.classification(y, calibrate(scores, *calibration, "softmax"), labels)
    report["cross_validation"] = search
    step(f"fitting on all {len(corpus):,} texts")
    fitted = fit_softmax(counts, y, len(labels), recipe)
    meta: dict[str, object] = {
        "task": TASK,
        "trained_from": {
            "file": source.name,
            "text_column": text_column,
            "label_column": label_column,
        },
        "recipe": {
            "c": recipe.c,
            "min_df": recipe.min_df,
            "balanced": recipe.balanced,
            "seed": recipe.seed,
        },
        "trained_on_rows": {source.name: len(corpus)},
        "metrics": {"cross_validated": report},
    }
    model = assemble(fitted, labels=labels, kind="softmax", calibration=calibration, meta=meta)
    save(model, output)
    return CustomModel(output, tuple(labels), len(corpus), report)
