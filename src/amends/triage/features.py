"""Text to sparse features, defined entirely by a `FeatureSpec` and an idf vector.

The n-grams are hashed (scikit-learn's stateless HashingVectorizer, MurmurHash3), so no
vocabulary is stored: a model file holds the spec as JSON and, for the hashed columns it saw in
training, their idf and weights. Counting is separate from weighting so that the models that
share a spec (the three shipped ones do) count a batch once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]

_URL = re.compile(r"(?:https?://|www\.)\S+")
_HANDLE = re.compile(r"@\w+")
_DIGITS = re.compile(r"\d")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """How texts become counts: word and character n-gram ranges and the hash width.

    Each block (words, characters) has `2**bits` columns; characters come after words.
    """

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    bits: int = 20

    @property
    def block_size(self) -> int:
        return int(2**self.bits)

    def to_json(self) -> dict[str, Any]:
        return {"kind": "hashed-word-char-v1", **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeatureSpec:
        if data.get("kind") != "hashed-word-char-v1":
            raise ValueError(f"unknown feature kind {data.get('kind')!r}")
        word, char = data["word_ngrams"], data["char_ngrams"]
        return cls((int(word[0]), int(word[1])), (int(char[0]), int(char[1])), int(data["bits"]))


def normalise(text: str) -> str:
    """Lower-cased, entities decoded, links, @handles and digits made generic.

    "@united flight 1234 https://t.co/x" and "@delta flight 987 https://t.co/y" should look
    alike: the handle and number say nothing about how the customer feels.
    """
    text = html.unescape(text).lower()
    text = _URL.sub(" http ", text)
    text = _HANDLE.sub(" @user ", text)
    text = _DIGITS.sub("0", text)
    return _SPACE.sub(" ", text).strip()


@cache
def _vectorisers(spec: FeatureSpec) -> tuple[HashingVectorizer, HashingVectorizer]:
    common: dict[str, Any] = {
        "n_features": spec.block_size,
        "alternate_sign": False,
        "norm": None,
        "lowercase": False,
        "dtype": np.float32,
    }
    words = HashingVectorizer(analyzer="word", ngram_range=spec.word_ngrams, **common)
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=spec.char_ngrams, **common)
    return words, chars


def count(texts: Sequence[str], spec: FeatureSpec) -> sparse.csr_matrix:
    """Raw n-gram counts, one row per text, `2 * spec.block_size` columns."""
    if not texts:  # HashingVectorizer cannot transform an empty batch
        return sparse.csr_matrix(np.zeros((0, 2 * spec.block_size), dtype=np.float32))
    clean = [normalise(text) for text in texts]
    words, chars = _vectorisers(spec)
    blocks = [words.transform(clean), chars.transform(clean)]
    matrix: sparse.csr_matrix = sparse.hstack(blocks, format="csr")
    matrix.sort_indices()
    return matrix


def document_frequency(counts: sparse.csr_matrix) -> IntArray:
    """In how many rows each column occurs."""
    return np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.int32)


def smooth_idf(df: npt.NDArray[np.integer[Any]], rows: int) -> FloatArray:
    """scikit-learn's smoothed idf: `ln((1 + rows) / (1 + df)) + 1`."""
    idf: FloatArray = (np.log((1.0 + rows) / (1.0 + df)) + 1.0).astype(np.float32)
    return idf


@dataclass(frozen=True, slots=True)
class Weighting:
    """Sub-linear tf times idf over the `columns` a model knows, L2-normalised per block.

    `columns` is sorted. Columns the model never saw still count towards the norm, with
    `unseen_idf`, exactly as they would have in training had they been there; they carry no
    weight afterwards.
    """

    spec: FeatureSpec
    columns: IntArray
    idf: FloatArray
    unseen_idf: float

    def apply(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """Rows of `counts` as tf-idf vectors over `columns` (shape rows × len(columns))."""
        n_rows = counts.shape[0]
        where = np.minimum(np.searchsorted(self.columns, counts.indices), len(self.columns) - 1)
        known = self.columns[where] == counts.indices
        idf = np.where(known, self.idf[where], np.float32(self.unseen_idf))
        values = (1.0 + np.log(counts.data)) * idf
        rows = np.repeat(np.arange(n_rows), np.diff(counts.indptr))
        values = values / self._norms(rows, counts.indices, values, n_rows)
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows[known], minlength=n_rows), out=indptr[1:])
        return sparse.csr_matrix(
            (values[known].astype(np.float32), where[known], indptr),
            shape=(n_rows, len(self.columns)),
        )

    def _norms(
        self, rows: npt.NDArray[np.int_], indices: IntArray, values: FloatArray, n_rows: int
    ) -> FloatArray:
        slot = rows * 2 + (indices >= self.spec.block_size)
        squared = np.bincount(slot, weights=values.astype(np.float64) ** 2, minlength=2 * n_rows)
        norms = np.sqrt(squared)
        norms[norms == 0] = 1.0
        return norms[slot].astype(np.float32)
