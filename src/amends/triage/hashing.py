"""Hashed n-gram counts for a whole batch at once, the same as scikit-learn's HashingVectorizer.

HashingVectorizer builds every n-gram as a Python string and hashes it on its own: a
1,000-character complaint is some 5,000 strings, and that was half of triage's time. Here no
n-gram is ever built. The batch is encoded once, each n-gram is a window (start, length) onto
its UTF-8 bytes, and MurmurHash3 (x86, 32 bits, seed 0, as scikit-learn uses) runs over all
windows together in NumPy. The columns and counts are exactly those of
`HashingVectorizer(analyzer="word" | "char_wb", alternate_sign=False, norm=None,
lowercase=False)` on the same texts, so weights trained on either stay valid; the tests compare
the two on real and on adversarial texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

Int64Array = npt.NDArray[np.int64]
UInt32Array = npt.NDArray[np.uint32]

TOKEN = re.compile(r"(?u)\b\w\w+\b")
"""scikit-learn's default `token_pattern`: words of two or more word characters."""

_C1 = np.uint32(0xCC9E2D51)
_C2 = np.uint32(0x1B873593)
_TAIL_MASKS = np.array([0, 0xFF, 0xFFFF, 0xFFFFFF], dtype=np.uint32)
_SPACE = 0x20
_NEWLINE = 0x0A


@dataclass(frozen=True, slots=True)
class Windows:
    """N-grams of a batch as byte windows: row `rows[i]` holds bytes `[starts[i], starts[i] +
    lengths[i])` of the batch's UTF-8 encoding."""

    rows: Int64Array
    starts: Int64Array
    lengths: Int64Array


class _Encoded:
    """One string, its code points, and where each code point starts in its UTF-8 bytes."""

    def __init__(self, text: str) -> None:
        # surrogatepass: a lone surrogate (JSON may carry one) is hashed, not a crash
        self.points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        sizes = 1 + (self.points >= 0x80) + (self.points >= 0x800) + (self.points >= 0x10000)
        self.byte_at = np.zeros(len(self.points) + 1, dtype=np.int64)
        np.cumsum(sizes, out=self.byte_at[1:])
        self.words = _sliding_words(np.frombuffer(text.encode("utf-8", "surrogatepass"), np.uint8))

    def runs(self, separators: npt.NDArray[np.bool_]) -> tuple[Int64Array, Int64Array]:
        """Starts and ends (code points) of the maximal runs between separators; the text
        must begin and end with one."""
        inside = ~separators
        starts = np.flatnonzero(inside[1:] & ~inside[:-1]) + 1
        ends = np.flatnonzero(inside[:-1] & ~inside[1:]) + 1
        return starts.astype(np.int64), ends.astype(np.int64)

    def windows(self, rows: Int64Array, starts: Int64Array, ends: Int64Array) -> Windows:
        """Code-point windows `[starts, ends)` as byte windows."""
        first = self.byte_at[starts]
        return Windows(rows, first, self.byte_at[ends] - first)


def _sliding_words(data: npt.NDArray[np.uint8]) -> UInt32Array:
    """`words[i]` = the little-endian 32-bit word of bytes i..i+3 (zeros past the end)."""
    padded = np.zeros(len(data) + 3, dtype=np.uint32)
    padded[: len(data)] = data
    n = len(data)
    eight, sixteen, twenty_four = np.uint32(8), np.uint32(16), np.uint32(24)
    words: UInt32Array = padded[:n] | (padded[1 : n + 1] << eight)
    words |= (padded[2 : n + 2] << sixteen) | (padded[3 : n + 3] << twenty_four)
    return np.append(words, np.uint32(0))


def _rotl(x: UInt32Array, r: int) -> UInt32Array:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def murmur3(words: UInt32Array, starts: Int64Array, lengths: Int64Array) -> npt.NDArray[np.int32]:
    """Signed MurmurHash3_x86_32 (seed 0) of each byte window; `words` from `_sliding_words`."""
    h = np.zeros(len(starts), dtype=np.uint32)
    blocks = lengths >> 2
    active = np.arange(len(starts))
    k = 0
    while True:
        active = active[blocks[active] > k]
        if not len(active):
            break
        k1 = words[starts[active] + 4 * k] * _C1
        k1 = _rotl(k1, 15) * _C2
        mixed = _rotl(h[active] ^ k1, 13)
        h[active] = mixed * np.uint32(5) + np.uint32(0xE6546B64)
        k += 1
    tail = words[np.minimum(starts + 4 * blocks, len(words) - 1)] & _TAIL_MASKS[lengths & 3]
    h ^= _rotl(tail * _C1, 15) * _C2  # a tail of no bytes is 0 and changes nothing
    h ^= lengths.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h.view(np.int32)


def columns(hashes: npt.NDArray[np.int32], n_features: int) -> Int64Array:
    """scikit-learn's column for a hash: `abs(h) % n_features` (abs(-2**31) taken as 2**31)."""
    result: Int64Array = np.abs(hashes.astype(np.int64)) % n_features
    return result


def char_wb_hashes(
    texts: Sequence[str], ngrams: tuple[int, int]
) -> tuple[Int64Array, npt.NDArray[np.int32]]:
    """Rows and hashes of `analyzer="char_wb"` n-grams of texts as `features.normalise` leaves
    them (words split by single spaces).

    scikit-learn pads each word with a space either side and takes the n-grams inside it, a
    word shorter than n once whole. In the batch string, where words are padded and texts
    joined by spaces, those are exactly the windows with no space inside them (ends may be
    spaces); a window of two spaces lies between texts and is no n-gram. Single characters
    are the exception: neighbouring words share a padding space (`_single_characters`).
    """
    encoded = _Encoded("".join(f" {text} " for text in texts))
    space = encoded.points == _SPACE
    spaces_before = np.zeros(len(space) + 1, dtype=np.int64)
    np.cumsum(space, out=spaces_before[1:])
    row_of = np.repeat(np.arange(len(texts), dtype=np.int64), [len(text) + 2 for text in texts])
    starts: list[Int64Array] = []
    lengths: list[int | Int64Array] = []
    low, high = ngrams
    for n in range(low, high + 1):
        if n > len(space):
            break
        if n == 1:
            starts.append(_single_characters(space))
            lengths.append(1)
            continue
        first = np.arange(len(space) - n + 1, dtype=np.int64)
        inside = spaces_before[first + n - 1] - spaces_before[first + 1] == 0
        if n == 2:
            inside &= ~(space[:-1] & space[1:])
        starts.append(first[inside])
        lengths.append(n)
    shorter = _words_shorter_than(space, low)
    starts.append(shorter[0])
    lengths.append(shorter[1])
    window_from = np.concatenate(starts)
    window_to = window_from + np.concatenate(
        [np.broadcast_to(size, part.shape) for size, part in zip(lengths, starts, strict=True)]
    )
    windows = encoded.windows(row_of[window_from], window_from, window_to)
    return windows.rows, murmur3(encoded.words, windows.starts, windows.lengths)


def _single_characters(space: npt.NDArray[np.bool_]) -> Int64Array:
    """1-grams: every character of a word, and its two padding spaces (which neighbouring
    words share in the batch string, so each word's leading space is taken twice)."""
    leading = np.flatnonzero(space[:-1] & ~space[1:]).astype(np.int64)
    return np.concatenate([np.flatnonzero(~space).astype(np.int64), leading, leading])


def _words_shorter_than(space: npt.NDArray[np.bool_], low: int) -> tuple[Int64Array, Int64Array]:
    """Starts and sizes of padded words of fewer than `low` characters (none when low <= 3,
    as a padded word has at least three)."""
    if low <= 3:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    inside = ~space
    words_from = np.flatnonzero(inside[1:] & ~inside[:-1]).astype(np.int64) + 1
    words_to = np.flatnonzero(inside[:-1] & ~inside[1:]).astype(np.int64) + 1
    size = words_to - words_from + 2
    short = size < low
    return words_from[short] - 1, size[short]


def word_hashes(
    texts: Sequence[str], ngrams: tuple[int, int]
) -> tuple[Int64Array, npt.NDArray[np.int32]]:
    """Rows and hashes of `analyzer="word"` n-grams: runs of `TOKEN`, joined by one space."""
    joined = "\n".join(" ".join(TOKEN.findall(text)) for text in texts)
    encoded = _Encoded(f"\n{joined}\n")
    points = encoded.points
    token_from, token_to = encoded.runs((points == _SPACE) | (points == _NEWLINE))
    breaks = np.flatnonzero(points == _NEWLINE)
    token_rows = np.searchsorted(breaks, token_from) - 1
    rows, starts, ends = [], [], []
    low, high = ngrams
    for n in range(low, high + 1):
        if len(token_from) < n:
            break
        last = np.arange(n - 1, len(token_from))
        same_row = token_rows[last] == token_rows[last - n + 1]
        rows.append(token_rows[last][same_row])
        starts.append(token_from[last - n + 1][same_row])
        ends.append(token_to[last][same_row])
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int32)
    windows = encoded.windows(np.concatenate(rows), np.concatenate(starts), np.concatenate(ends))
    return windows.rows, murmur3(encoded.words, windows.starts, windows.lengths)


def _offsets(sizes: list[int]) -> Int64Array:
    offsets = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1], out=offsets[1:])
    return offsets


def count_matrix(rows: Int64Array, cols: Int64Array, shape: tuple[int, int]) -> sparse.csr_matrix:
    """How often each (row, column) pair occurs, as a CSR matrix with sorted indices.

    One sort of `row * width + column` keys (32-bit when they fit, which sorts several times
    faster) gives rows in order and columns sorted within them; equal neighbours are counted.
    """
    n_rows, width = shape
    keys = rows * width + cols
    if n_rows * width <= 2**32:
        keys = keys.astype(np.uint32)
    keys.sort()
    firsts = np.flatnonzero(np.concatenate([keys[:1] == keys[:1], keys[1:] != keys[:-1]]))
    counts = np.diff(np.append(firsts, len(keys))).astype(np.float32)
    unique = keys[firsts].astype(np.int64)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(unique // width, minlength=n_rows), out=indptr[1:])
    return sparse.csr_matrix((counts, (unique % width).astype(np.int32), indptr), shape=shape)
