"""A calibrated linear model over hashed n-grams, and its one safe file format.

A model file is a NumPy `.npz` archive of plain arrays plus one JSON string, read with
`allow_pickle=False`: a file from elsewhere (`--model PATH`) can hold wrong numbers, never
code. The arrays fully define the model, because the featuriser is stateless (features.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse

from amends.triage.features import FeatureSpec, FloatArray, Weighting, count

FORMAT = "amends-linear-v1"
Kind = Literal["softmax", "one-vs-rest"]
_ARRAYS = ("columns", "idf", "coef", "intercept", "scale", "shift")


class ModelFileError(ValueError):
    """A model file that is not a readable amends model; the message names the file."""


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Scores `z = x·coef + intercept`, calibrated as `z * scale + shift`, then a softmax over
    the labels (`softmax`) or a sigmoid per label (`one-vs-rest`).

    `meta` carries what the numbers do not: thresholds, training data, metrics, versions.
    """

    labels: tuple[str, ...]
    kind: Kind
    weighting: Weighting
    coef: FloatArray
    intercept: FloatArray
    scale: FloatArray
    shift: FloatArray
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def spec(self) -> FeatureSpec:
        return self.weighting.spec

    def probabilities(self, counts: sparse.csr_matrix) -> FloatArray:
        """One row per text of `counts` (features.count with this model's spec)."""
        scores = self.weighting.apply(counts) @ self.coef + self.intercept
        return calibrate(np.asarray(scores, dtype=np.float32), self.scale, self.shift, self.kind)

    def predict_proba(self, texts: Sequence[str]) -> FloatArray:
        return self.probabilities(count(texts, self.spec))


def calibrate(scores: FloatArray, scale: FloatArray, shift: FloatArray, kind: Kind) -> FloatArray:
    """Probabilities from raw scores: softmax or per-label sigmoid of `scores * scale + shift`."""
    logits = scores * scale + shift
    if kind == "one-vs-rest":
        sigmoid: FloatArray = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        return sigmoid
    logits = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    softmax: FloatArray = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
    return softmax


def save(model: LinearModel, path: Path) -> None:
    """Write `model` to `path` (an `.npz`); weights are stored as float16 to keep files small."""
    meta = {
        **model.meta,
        "format": FORMAT,
        "labels": list(model.labels),
        "kind": model.kind,
        "features": model.spec.to_json(),
        "unseen_idf": model.weighting.unseen_idf,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        np.savez_compressed(
            out,
            meta=np.array(json.dumps(meta, sort_keys=True)),
            columns=_deltas(model.weighting.columns),
            idf=model.weighting.idf.astype(np.float16),
            coef=model.coef.astype(np.float16),
            intercept=model.intercept.astype(np.float32),
            scale=model.scale.astype(np.float32),
            shift=model.shift.astype(np.float32),
        )


def load(path: Path) -> LinearModel:
    """The model in `path`, cached per file version; ModelFileError if it is not one."""
    try:
        stat = path.resolve(strict=True).stat()
    except OSError as error:
        raise ModelFileError(f"{path}: cannot read the model file ({error.strerror})") from None
    return _load_version(path.resolve(), stat.st_mtime_ns, stat.st_size)


def load_shipped(name: str) -> LinearModel:
    """One of the models shipped in `amends/triage/weights/`, loaded once per process."""
    return _load_shipped(name)


@cache
def _load_shipped(name: str) -> LinearModel:
    resource = resources.files("amends.triage").joinpath("weights", f"{name}.npz")
    with resources.as_file(resource) as path:
        return _read(path)


@cache
def _load_version(path: Path, mtime_ns: int, size: int) -> LinearModel:
    return _read(path)


def _read(path: Path) -> LinearModel:
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in ("meta", *_ARRAYS)}
    except (OSError, ValueError, KeyError, EOFError) as error:
        raise ModelFileError(f"{path}: not an amends model file ({error})") from None
    try:
        return _build(json.loads(str(arrays["meta"])), arrays)
    except (KeyError, TypeError, ValueError) as error:
        raise ModelFileError(f"{path}: damaged amends model file ({error})") from None


def _build(meta: dict[str, Any], arrays: dict[str, npt.NDArray[Any]]) -> LinearModel:
    if meta.get("format") != FORMAT:
        raise ValueError(f"format is {meta.get('format')!r}, expected {FORMAT!r}")
    labels = tuple(str(label) for label in meta["labels"])
    kind: Kind = "one-vs-rest" if meta["kind"] == "one-vs-rest" else "softmax"
    columns = np.cumsum(arrays["columns"], dtype=np.int64).astype(np.int32)
    coef = arrays["coef"].astype(np.float32)
    vectors = [arrays[name].astype(np.float32) for name in ("intercept", "scale", "shift")]
    spec = FeatureSpec.from_json(meta["features"])
    _check_shapes(labels, columns, arrays["idf"], coef, vectors, spec)
    weighting = Weighting(spec, columns, arrays["idf"].astype(np.float32), meta["unseen_idf"])
    intercept, scale, shift = vectors
    return LinearModel(labels, kind, weighting, coef, intercept, scale, shift, meta=meta)


def _check_shapes(
    labels: tuple[str, ...],
    columns: npt.NDArray[np.int32],
    idf: npt.NDArray[Any],
    coef: FloatArray,
    vectors: list[FloatArray],
    spec: FeatureSpec,
) -> None:
    if not labels or coef.shape != (len(columns), len(labels)) or idf.shape != columns.shape:
        raise ValueError("array shapes do not match the labels")
    if any(vector.shape != (len(labels),) for vector in vectors):
        raise ValueError("calibration arrays do not match the labels")
    if len(columns) and (columns[0] < 0 or columns[-1] >= 2 * spec.block_size):
        raise ValueError("feature columns out of range")
    if np.any(np.diff(columns) <= 0):
        raise ValueError("feature columns are not strictly increasing")


def _deltas(columns: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    """Sorted columns as gaps: small numbers that compress well."""
    return np.diff(columns, prepend=0).astype(np.int32)
