"""Emotions: a probability per emotion, thresholds, and held-out quality on GoEmotions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from amends.triage import emotions
from amends.triage.training import data

# Held-out ROC AUC measured when the shipped weights were trained (anger 0.884, annoyance
# 0.784, disappointment 0.768, sadness 0.912, fear 0.952, confusion 0.902, gratitude 0.987),
# minus about 0.02.
AUC_FLOORS = {
    "anger": 0.86,
    "annoyance": 0.76,
    "disappointment": 0.74,
    "sadness": 0.89,
    "fear": 0.93,
    "confusion": 0.88,
    "gratitude": 0.96,
}


def test_each_text_gets_a_probability_for_every_emotion() -> None:
    results = emotions.predict(["", "Thanks a lot!", "I am so angry right now"])
    assert len(results) == 3
    for result in results:
        assert tuple(result) == emotions.EMOTIONS
        assert all(0.0 <= value <= 1.0 for value in result.values())


def test_every_emotion_has_a_threshold() -> None:
    thresholds = emotions.thresholds()
    assert set(thresholds) == set(emotions.EMOTIONS)
    assert all(0.0 < value < 1.0 for value in thresholds.values())


def test_clear_gratitude_is_present_and_anger_leads_an_angry_text() -> None:
    thanks, angry = emotions.predict(
        [
            "Thank you so much for your help, I really appreciate it",
            "I am furious, this is outrageous",
        ]
    )
    assert emotions.present(thanks)[0] == "gratitude"
    assert max(angry, key=angry.__getitem__) == "anger"
    assert angry["anger"] > 10 * thanks["anger"]


def test_held_out_auc_stays_above_its_measured_floor(shared_data: Path) -> None:
    corpus = data.emotions_goemotions(shared_data)
    held = corpus.subset(data.held_out_mask(corpus.texts))
    found = np.array([list(row.values()) for row in emotions.predict(held.texts)])
    for j, name in enumerate(emotions.EMOTIONS):
        auc = roc_auc_score(held.targets[:, j], found[:, j])
        assert auc >= AUC_FLOORS[name], name


@pytest.mark.parametrize("name", emotions.EMOTIONS)
def test_the_emotion_labels_are_what_the_data_mapping_trains(name: str) -> None:
    assert name in data.EMOTIONS
