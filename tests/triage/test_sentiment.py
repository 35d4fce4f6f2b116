"""Sentiment: the shipped model loads safely, gives probabilities, and keeps its measured
quality on the held-out fifth of the public data (docs/models.md#sentiment)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score

from amends.triage import sentiment
from tests.triage.helpers import indices, read

WEIGHTS = Path(sentiment.__file__).parent / "weights"

# Held-out macro-F1 measured when the shipped weights were trained, minus 0.02.
# Measured: airline 0.781, amazon 0.604, tripadvisor 0.613.
FLOORS = {"sentiment_airline": 0.76, "sentiment_amazon": 0.58, "sentiment_tripadvisor": 0.59}


@pytest.mark.parametrize("name", ["sentiment", "emotions", "category"])
def test_the_shipped_weights_are_plain_arrays(name: str) -> None:
    with np.load(WEIGHTS / f"{name}.npz", allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    assert {"meta", "columns", "idf", "coef", "intercept", "scale", "shift"} == set(arrays)
    assert all(array.dtype != object for array in arrays.values())


def test_the_probabilities_of_each_text_sum_to_one() -> None:
    results = sentiment.predict(["", "ok", "The crew was wonderful, thank you!", "x" * 5000])
    for result in results:
        assert set(result.probabilities) == set(sentiment.LABELS)
        assert sum(result.probabilities.values()) == pytest.approx(1.0, abs=1e-5)
        assert result.score == max(result.probabilities.values())
        assert result.probabilities[result.label] == result.score


def test_it_reads_clear_praise_and_clear_complaints() -> None:
    praise, complaint = sentiment.predict(
        [
            "Thank you so much, the crew was wonderful and the seats were great",
            "My flight was cancelled and nobody at the desk would help me, worst airline ever",
        ]
    )
    assert (praise.label, complaint.label) == ("positive", "negative")
    assert complaint.score > 0.8


def test_an_empty_batch_gives_no_results() -> None:
    assert sentiment.predict([]) == []


def test_predictions_follow_input_order_in_a_batch() -> None:
    texts = ["I love it", "This is terrible", "I love it"]
    batch = sentiment.predict(texts)
    one_by_one = [sentiment.predict([text])[0] for text in texts]
    assert [r.label for r in batch] == [r.label for r in one_by_one]
    assert batch[0].score == pytest.approx(one_by_one[0].score, abs=1e-6)


@pytest.mark.parametrize("reader", sorted(FLOORS))
def test_held_out_quality_stays_above_its_measured_floor(shared_data: Path, reader: str) -> None:
    corpus = read(shared_data, reader)
    predicted = [result.label for result in sentiment.predict(corpus.texts)]
    truth = indices(corpus.labels, sentiment.LABELS)
    found = f1_score(truth, indices(predicted, sentiment.LABELS), average="macro")
    assert found >= FLOORS[reader]
