"""The batch n-gram hasher gives exactly scikit-learn's HashingVectorizer counts, which the
shipped weights were trained on: same columns, same counts, on real and on awkward texts."""

from __future__ import annotations

import csv
import random
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from amends.triage import hashing
from amends.triage.features import FeatureSpec, count, normalise
from amends.triage.training import data

_AWKWARD = (
    "abcdefghijklmnopqrstuvwxyz ABCXYZ 0123 ,.;:!?'\"-_()@#/&"
    "éèçñüßİı ΣΩπ Жж 中文字 日本 한국 🙂😡👍🏽 ❤️ e\u0301 \u200b\u00a0\u2028\x1c\t\n "
)


def _reference(texts: list[str], spec: FeatureSpec) -> sparse.csr_matrix:
    common: dict[str, Any] = {
        "n_features": spec.block_size,
        "alternate_sign": False,
        "norm": None,
        "lowercase": False,
        "dtype": np.float32,
    }
    words = HashingVectorizer(analyzer="word", ngram_range=spec.word_ngrams, **common)
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=spec.char_ngrams, **common)
    clean = [normalise(text) for text in texts]
    matrix: sparse.csr_matrix = sparse.hstack(
        [words.transform(clean), chars.transform(clean)], format="csr"
    )
    return matrix


def _assert_same(texts: list[str], spec: FeatureSpec) -> None:
    ours, theirs = count(texts, spec), _reference(texts, spec)
    assert ours.shape == theirs.shape
    assert ours.has_sorted_indices
    assert abs(ours - theirs).max() == 0, "counts differ from HashingVectorizer's"
    assert ours.nnz == theirs.nnz


def _demo_texts() -> list[str]:
    with (files("amends.demo") / "cfpb_complaints.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    return [next(value for key, value in row.items() if "narrative" in key.lower()) for row in rows]


def _awkward_texts(n: int, seed: int) -> list[str]:
    pick = random.Random(seed)
    return ["".join(pick.choices(_AWKWARD, k=pick.randint(0, 40))) for _ in range(n)]


def test_the_shipped_spec_counts_the_demo_complaints_as_scikit_learn_does() -> None:
    _assert_same(_demo_texts()[:600], FeatureSpec())


@pytest.mark.parametrize(
    "spec",
    [
        FeatureSpec(),
        FeatureSpec((1, 1), (1, 3), 8),
        FeatureSpec((2, 3), (4, 6), 12),
        FeatureSpec((1, 4), (3, 3), 4),
        FeatureSpec((1, 2), (6, 8), 20),
    ],
    ids=str,
)
def test_any_spec_counts_awkward_texts_as_scikit_learn_does(spec: FeatureSpec) -> None:
    """Accents, emoji, other scripts, odd spaces, words shorter than n, tiny hash widths
    (collisions), empty texts: several hundred random texts over such characters."""
    _assert_same(_awkward_texts(400, seed=spec.bits), spec)


def test_batches_larger_than_a_chunk_and_empty_ones() -> None:
    texts = ["", " ", *_awkward_texts(600, seed=7), ""]
    _assert_same(texts, FeatureSpec((1, 2), (2, 4), 10))
    assert count([], FeatureSpec()).shape == (0, 2 * FeatureSpec().block_size)
    assert count(["", ""], FeatureSpec()).nnz == 0


def test_public_tweets_and_comments_count_as_scikit_learn_does(shared_data: Path) -> None:
    tweets = data.sentiment_airline(shared_data).texts[:2000]
    comments = data.sentiment_goemotions(shared_data).texts[:2000]
    _assert_same([*tweets, *comments], FeatureSpec())


@pytest.mark.parametrize("length", range(22))
def test_murmur3_matches_scikit_learns_on_every_tail_length(length: int) -> None:
    pick = random.Random(length)
    keys = [bytes(pick.randrange(256) for _ in range(length)) for _ in range(50)]
    buffer = b"".join(keys)
    starts = np.cumsum([0, *map(len, keys)])[:-1].astype(np.int64)
    lengths = np.array([len(key) for key in keys], dtype=np.int64)
    words = hashing._sliding_words(np.frombuffer(buffer, dtype=np.uint8))
    ours = hashing.murmur3(words, starts, lengths)
    assert ours.tolist() == [murmurhash3_32(key, seed=0) for key in keys]


def test_the_most_negative_hash_takes_scikit_learns_column() -> None:
    """abs(-2**31) overflows in C; scikit-learn defines its column, and so do we."""
    lowest = np.array([-(2**31), -1, 0, 2**31 - 1], dtype=np.int32)
    n = 1000
    assert hashing.columns(lowest, n).tolist() == [
        (2147483647 - (n - 1)) % n,
        1,
        0,
        (2**31 - 1) % n,
    ]


def test_a_lone_surrogate_is_counted_not_a_crash() -> None:
    """JSON may carry one (a webhook's "\\ud83d"); scikit-learn raises on it."""
    counts = count(["broken \ud83d emoji"], FeatureSpec())
    assert counts.nnz > 0
