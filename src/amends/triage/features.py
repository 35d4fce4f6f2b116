"""Text to sparse features, defined entirely by a `FeatureSpec` and an idf vector.

The n-grams are hashed (MurmurHash3, exactly as scikit-learn's stateless HashingVectorizer
hashes them; see hashing.py), so no vocabulary is stored: a model file holds the spec as JSON
and, for the hashed columns it saw in training, their idf and weights. Counting is separate
from weighting so that the models that share a spec (the three shipped ones do) count a batch
once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from amends.triage import hashing

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]

_URL = re.compile(r"(?:https?://|www\.)\S+")
_HANDLE = re.compile(r"@\w+")
_DIGITS = re.compile(r"\d")


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
    if "http" in text or "www." in text:
        text = _URL.sub(" http ", text)
    if "@" in text:
        text = _HANDLE.sub(" @user ", text)
    return " ".join(_DIGITS.sub("0", text).split())


CHUNK = 256
"""Texts counted together: enough for NumPy to pay off, few enough to keep memory small
(a 1,000-character complaint has some 5,000 n-grams)."""


def count(texts: Sequence[str], spec: FeatureSpec) -> sparse.csr_matrix:
    """Raw n-gram counts, one row per text, `2 * spec.block_size` columns: word n-grams, then
    character n-grams within words, hashed as scikit-learn's HashingVectorizer hashes them."""
    clean = [normalise(text) for text in texts]
    chunks = [_count_chunk(clean[at : at + CHUNK], spec) for at in range(0, len(clean), CHUNK)]
    if not chunks:
        return sparse.csr_matrix(np.zeros((0, 2 * spec.block_size), dtype=np.float32))
    matrix: sparse.csr_matrix = sparse.vstack(chunks, format="csr")
    return matrix


def _count_chunk(texts: list[str], spec: FeatureSpec) -> sparse.csr_matrix:
    word_rows, word_hashes = hashing.word_hashes(texts, spec.word_ngrams)
    char_rows, char_hashes = hashing.char_wb_hashes(texts, spec.char_ngrams)
    rows = np.concatenate([word_rows, char_rows])
    cols = np.concatenate(
        [
            hashing.columns(word_hashes, spec.block_size),
            hashing.columns(char_hashes, spec.block_size) + spec.block_size,
        ]
    )
    return hashing.count_matrix(rows, cols, (len(texts), 2 * spec.block_size))


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
    positions: IntArray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Where each hashed column sits in `columns` (-1: unseen): one lookup per n-gram
        # instead of a binary search, for 4 bytes per column of the spec.
        positions = np.full(2 * self.spec.block_size, -1, dtype=np.int32)
        positions[self.columns] = np.arange(len(self.columns), dtype=np.int32)
        object.__setattr__(self, "positions", positions)

    def apply(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """Rows of `counts` as tf-idf vectors over `columns` (shape rows × len(columns))."""
        n_rows = counts.shape[0]
        where = self.positions[counts.indices]
        known = where >= 0
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
