"""Training a custom category model: the labelled file, the safe model file, the round trip."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from amends.triage import category, emotions, linear, sentiment
from amends.triage.features import FeatureSpec, count, normalise
from amends.triage.linear import ModelFileError, load, save
from amends.triage.training.custom import LabelledFileError, read_labelled, train_custom
from amends.triage.training.data import airline_text, is_held_out
from amends.triage.training.fit import Recipe, weighting_for

# Written for these tests; no row comes from a data set.
LABELLED = {
    "delivery": [
        "The parcel never showed up although tracking says delivered",
        "My box is still not here after two weeks of waiting",
        "The courier left the package at the wrong house again",
        "Delivery was promised for Monday and nothing arrived",
        "Where is my order? It has not even shipped yet",
        "The driver did not ring the bell and took the package back",
        "Tracking has not moved for nine days, where is my parcel",
    ],
    "billing": [
        "You charged my card twice for one single order",
        "I was billed again after I cancelled the subscription",
        "Please refund the extra fee on my last invoice",
        "The price at checkout was higher than the advertised price",
        "My bank statement shows a charge I never made with you",
        "Still waiting for the refund you promised last month",
        "Why is there a service fee on my bill this time",
    ],
    "app": [
        "The app crashes every time I open the basket",
        "I cannot log in because the password reset link is broken",
        "The website shows an error page when I try to pay",
        "Your app freezes on the loading screen after the update",
        "The login page keeps spinning forever on my phone",
        "Push notifications stopped working after the last update",
        "The checkout button does nothing when I tap it in the app",
    ],
}


def write_labelled(path: Path, rows: list[tuple[str, str]] | None = None) -> Path:
    """A CSV with columns `ticket` and `topic`; by default every LABELLED sentence."""
    if rows is None:
        rows = [(text, label) for label, texts in LABELLED.items() for text in texts]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "ticket", "topic"])
        writer.writerows((str(i), text, label) for i, (text, label) in enumerate(rows))
    return path


def _train(tmp_path: Path) -> Path:
    output = tmp_path / "custom.npz"
    train_custom(
        write_labelled(tmp_path / "labelled.csv"),
        text_column="ticket",
        label_column="topic",
        output=output,
        step=lambda _: None,
    )
    return output


def test_a_custom_model_predicts_its_own_classes(tmp_path: Path) -> None:
    model = _train(tmp_path)
    found = category.predict(
        ["they charged my card twice", "the app crashes at login", "my parcel never arrived"],
        model=model,
    )
    assert [label for label, _ in found] == ["billing", "app", "delivery"]
    assert all(0.34 < probability <= 1.0 for _, probability in found)


def test_a_saved_model_predicts_the_same_after_loading(tmp_path: Path) -> None:
    path = _train(tmp_path)
    model = load(path)
    again = tmp_path / "again.npz"
    save(model, again)
    texts = ["refund my fee", "the page is blank", "no parcel yet", ""]
    assert np.allclose(load(again).predict_proba(texts), model.predict_proba(texts), atol=1e-3)


def test_the_training_reports_cross_validated_metrics(tmp_path: Path) -> None:
    result = train_custom(
        write_labelled(tmp_path / "labelled.csv"),
        text_column="ticket",
        label_column="topic",
        output=tmp_path / "model.npz",
        step=lambda _: None,
    )
    assert result.labels == ("app", "billing", "delivery")
    assert set(result.metrics["per_class"]) == {"app", "billing", "delivery"}
    assert 0.0 <= result.metrics["macro_f1"] <= 1.0
    assert result.metrics["rows"] == 21


def test_a_missing_column_is_named_with_the_columns_there(tmp_path: Path) -> None:
    path = write_labelled(tmp_path / "labelled.csv")
    with pytest.raises(LabelledFileError) as error:
        read_labelled(path, "text", "topic")
    assert str(error.value) == (
        f"{path}: line 1: no column 'text'; the columns are 'id', 'ticket', 'topic'"
    )


def test_an_empty_label_is_named_by_line_and_column(tmp_path: Path) -> None:
    rows = [(text, label) for label, texts in LABELLED.items() for text in texts]
    rows[3] = ("A text whose label was forgotten,\nover two lines", "")
    rows[4] = (rows[4][0], "")
    path = write_labelled(tmp_path / "labelled.csv", rows)
    with pytest.raises(LabelledFileError, match=r":5: column 'topic' \(column 3\) is empty$"):
        read_labelled(path, "ticket", "topic")


def test_line_numbers_count_lines_inside_quoted_texts(tmp_path: Path) -> None:
    rows = [(text, label) for label, texts in LABELLED.items() for text in texts]
    rows[0] = ("first line\nsecond line\nthird line", "delivery")
    rows[2] = ("", "delivery")
    path = write_labelled(tmp_path / "labelled.csv", rows)
    with pytest.raises(LabelledFileError, match=r":6: column 'ticket' \(column 2\) is empty$"):
        read_labelled(path, "ticket", "topic")


def test_a_label_with_too_few_examples_is_refused(tmp_path: Path) -> None:
    rows = [(text, label) for label, texts in LABELLED.items() for text in texts]
    rows += [("The box arrived crushed", "damaged"), ("The mug was broken", "damaged")]
    path = write_labelled(tmp_path / "labelled.csv", rows)
    with pytest.raises(LabelledFileError) as error:
        read_labelled(path, "ticket", "topic")
    assert "label 'damaged' has 2 example(s) (line 23, 24); each label needs at least 5" in str(
        error.value
    )


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("ticket,topic\nCaf\xe9 was closed,other\n".encode("latin-1"))
    with pytest.raises(LabelledFileError, match="not UTF-8"):
        read_labelled(path, "ticket", "topic")


def test_a_model_file_with_pickled_objects_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.npz"
    np.savez(path, meta=np.array([{"format": "amends-linear-v1"}], dtype=object))
    with pytest.raises(ModelFileError, match="not an amends model file"):
        load(path)


def test_a_tampered_model_file_is_refused(tmp_path: Path) -> None:
    path = _train(tmp_path)
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    arrays["columns"] = arrays["columns"].copy()
    arrays["columns"][1] = -5
    np.savez(tmp_path / "tampered.npz", **arrays)
    with pytest.raises(ModelFileError, match="not strictly increasing"):
        load(tmp_path / "tampered.npz")


def test_the_model_file_says_what_it_was_trained_on(tmp_path: Path) -> None:
    with np.load(_train(tmp_path), allow_pickle=False) as archive:
        meta = json.loads(str(archive["meta"]))
    assert meta["task"] == "category"
    assert meta["trained_from"] == {
        "file": "labelled.csv",
        "text_column": "ticket",
        "label_column": "topic",
    }


def test_the_weighting_matches_scikit_learns_tfidf() -> None:
    texts = ["the flight was late", "late again, the flight", "lovely crew", "crew was late"]
    spec = FeatureSpec(word_ngrams=(1, 1), char_ngrams=(3, 3), bits=18)
    counts = count(texts, spec)
    weighting = weighting_for(counts, Recipe(spec=spec, min_df=1))
    words = int((weighting.columns < spec.block_size).sum())
    ours = weighting.apply(counts).toarray()[:, :words]
    vectoriser = TfidfVectorizer(sublinear_tf=True, lowercase=False)
    theirs = vectoriser.fit_transform([normalise(text) for text in texts]).toarray()
    assert words == len(vectoriser.vocabulary_)
    # Hashed columns come in another order than sklearn's vocabulary: compare each row's values.
    for mine, expected in zip(ours, theirs, strict=True):
        assert np.allclose(np.sort(mine), np.sort(expected), atol=1e-6)


def test_the_airline_text_repair_restores_the_replaced_words() -> None:
    assert airline_text("my flight Cancelled Flightled, pLate Flights") == (
        "my flight cancelled, plates"
    )


def test_the_holdout_is_decided_by_the_text_alone() -> None:
    assert is_held_out("Late  again") == is_held_out("late again")
    share = np.mean([is_held_out(f"text number {i}") for i in range(2000)])
    assert 0.17 < share < 0.23


def test_no_model_opens_a_network_connection(tmp_path: Path) -> None:
    linear._load_shipped.cache_clear()  # load the shipped weights again, sockets refused
    texts = ["My flight was cancelled", "Thanks for the quick refund!"]
    assert len(sentiment.predict(texts)) == len(emotions.predict(texts)) == 2
    assert len(category.predict(texts)) == len(category.predict(texts, model=_train(tmp_path))) == 2
