"""The public data sets the shipped models learn from, read into labelled examples.

Every mapping from a data set's own labels to ours is a table here, and docs/models.md repeats
it with its weaknesses. Nothing from these files is kept in the repository; only the weights
trained on them are.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

AIRLINE = "airline_tweets.dev.csv"
TWCS = "twcs.dev.csv"
AMAZON = "amazon_fine_food_reviews.dev.csv"
TRIPADVISOR = "tripadvisor_hotel_reviews.dev.csv"
GOEMOTIONS = "goemotions.dev.csv"
CFPB = "cfpb_complaints.dev.csv"

#: One in HOLDOUT_PARTS texts, chosen by a hash of the text, is never trained on.
HOLDOUT_PARTS = 5

STARS = {"1": "negative", "2": "negative", "3": "neutral", "4": "positive", "5": "positive"}

# GoEmotions' own grouping (Demszky et al. 2020, table 2); ambiguous labels are left out.
GOEMOTIONS_SENTIMENT = {
    "positive": {"admiration", "amusement", "approval", "caring", "desire", "excitement",
                 "gratitude", "joy", "love", "optimism", "pride", "relief"},
    "negative": {"anger", "annoyance", "disappointment", "disapproval", "disgust",
                 "embarrassment", "fear", "grief", "nervousness", "remorse", "sadness"},
    "neutral": {"neutral"},
}  # fmt: skip

#: Our emotion ← the GoEmotions labels that mean it.
EMOTIONS: dict[str, frozenset[str]] = {
    "anger": frozenset({"anger"}),
    "annoyance": frozenset({"annoyance"}),
    "disappointment": frozenset({"disappointment"}),
    "sadness": frozenset({"sadness", "grief"}),
    "fear": frozenset({"fear", "nervousness"}),
    "confusion": frozenset({"confusion"}),
    "gratitude": frozenset({"gratitude"}),
}

#: Airline `negativereason` → category. "Can't Tell" is a negative tweet whose reason the
#: raters could not name: that is what `other` means.
AIRLINE_CATEGORY = {
    "Late Flight": "delay",
    "Cancelled Flight": "cancellation",
    "Lost Luggage": "lost_item",
    "Damaged Luggage": "damaged_or_defective",
    "Customer Service Issue": "staff_attitude",
    "Flight Attendant Complaints": "staff_attitude",
    "longlines": "wait_time",
    "Flight Booking Problems": "booking_or_account_access",
    "Bad Flight": "product_quality",
    "Can't Tell": "other",
}

#: CFPB `Issue` → category, for complaints with a narrative. Issues not listed are left out.
CFPB_CATEGORY = {
    **dict.fromkeys(
        (
            "Trouble during payment process",
            "Problem when making payments",
            "Fees or interest",
            "Charged fees or interest you didn't expect",
            "Unexpected or other fees",
            "Problem with a purchase shown on your statement",
            "Problem with a lender or other company charging your account",
            "Problem caused by your funds being low",
            "Unauthorized transactions or other transaction problem",
            "Other transaction problem",
            "Attempts to collect debt not owed",
            "Cont'd attempts collect debt not owed",
            "False statements or representation",
            "Problem with the payoff process at the end of the loan",
            "Settlement process and costs",
        ),
        "billing_and_refunds",
    ),
    **dict.fromkeys(
        (
            "Managing an account",
            "Opening an account",
            "Closing an account",
            "Closing your account",
            "Unable to get your credit report or credit score",
            "Trouble using your card",
            "Getting a credit card",
        ),
        "booking_or_account_access",
    ),
    **dict.fromkeys(
        (
            "Communication tactics",
            "Problem with customer service",
            "Improper contact or sharing of info",
        ),
        "staff_attitude",
    ),
    **dict.fromkeys(
        (
            "Written notification about debt",
            "Took or threatened to take negative or legal action",
            "Struggling to pay mortgage",
            "Struggling to repay your loan",
            "Struggling to pay your loan",
            "Struggling to pay your bill",
            "Advertising and marketing, including promotional offers",
            "Confusing or missing disclosures",
            "Other features, terms, or problems",
        ),
        "policy",
    ),
    **dict.fromkeys(
        (
            "Incorrect information on your report",
            "Problem with a credit reporting company's investigation into an existing problem",
            "Improper use of your report",
            "Problem with fraud alerts or security freezes",
        ),
        "other",
    ),
}

# The airline file replaced every "cancel" with "Cancelled Flight" and every "late" with
# "Late Flight" inside the tweets ("Cancelled Flightled", "pLate Flights"); undone here so the
# models learn the words customers write.
_AIRLINE_REPAIRS = (("Cancelled Flight", "cancel"), ("Late Flight", "late"))
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Labelled:
    """Texts with one label each, and the data set each came from."""

    texts: list[str]
    labels: list[str]
    sources: list[str]

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, keep: Sequence[bool] | npt.NDArray[np.bool_]) -> Labelled:
        rows = [i for i, chosen in enumerate(keep) if chosen]
        return Labelled(
            [self.texts[i] for i in rows],
            [self.labels[i] for i in rows],
            [self.sources[i] for i in rows],
        )

    def __add__(self, other: Labelled) -> Labelled:
        return Labelled(
            self.texts + other.texts, self.labels + other.labels, self.sources + other.sources
        )


@dataclass(frozen=True, slots=True)
class MultiLabelled:
    """Texts with any number of the `labels` each: `targets[i, j]` is text i has label j."""

    texts: list[str]
    labels: tuple[str, ...]
    targets: npt.NDArray[np.bool_]

    def subset(self, keep: npt.NDArray[np.bool_]) -> MultiLabelled:
        return MultiLabelled(
            [text for text, chosen in zip(self.texts, keep, strict=True) if chosen],
            self.labels,
            self.targets[keep],
        )


def is_held_out(text: str) -> bool:
    """Whether `text` belongs to our held-out fifth. Decided by the whitespace-collapsed,
    lower-cased text, as the data sets were split, so duplicates never straddle the line."""
    key = _SPACE.sub(" ", text).strip().lower().encode("utf-8")
    return int(hashlib.sha256(b"amends-triage:" + key).hexdigest(), 16) % HOLDOUT_PARTS == 0


def held_out_mask(texts: Sequence[str]) -> npt.NDArray[np.bool_]:
    return np.array([is_held_out(text) for text in texts], dtype=bool)


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: data file not found")
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def airline_text(text: str) -> str:
    for wrong, right in _AIRLINE_REPAIRS:
        text = text.replace(wrong, right)
    return text


def _labelled(
    rows: Iterator[dict[str, str]], source: str, pick: Callable[[dict[str, str]], tuple[str, str]]
) -> Labelled:
    texts: list[str] = []
    labels: list[str] = []
    for row in rows:
        text, label = pick(row)
        if text.strip() and label:
            texts.append(text)
            labels.append(label)
    return Labelled(texts, labels, [source] * len(texts))


def sentiment_airline(folder: Path) -> Labelled:
    return _labelled(
        read_rows(folder / AIRLINE),
        "airline",
        lambda row: (airline_text(row["text"]), row["airline_sentiment"]),
    )


def sentiment_amazon(folder: Path) -> Labelled:
    return _labelled(
        read_rows(folder / AMAZON), "amazon", lambda row: (review(row), STARS.get(row["Score"], ""))
    )


def sentiment_tripadvisor(folder: Path) -> Labelled:
    return _labelled(
        read_rows(folder / TRIPADVISOR),
        "tripadvisor",
        lambda row: (row["Review"], STARS.get(row["Rating"], "")),
    )


def sentiment_goemotions(folder: Path) -> Labelled:
    return _labelled(
        read_rows(folder / GOEMOTIONS),
        "goemotions",
        lambda row: (row["text"], _goemotions_sentiment(row["emotions"])),
    )


def review(row: dict[str, str]) -> str:
    """An Amazon review as a reader sees it: its title, then its text."""
    summary = row["Summary"].strip()
    return f"{summary}. {row['Text']}" if summary else row["Text"]


def _goemotions_sentiment(emotions: str) -> str:
    """The one sentiment all of a comment's labels agree on, or "" when they do not."""
    names = set(emotions.split(","))
    groups = [group for group, members in GOEMOTIONS_SENTIMENT.items() if names & members]
    return groups[0] if len(groups) == 1 and names <= GOEMOTIONS_SENTIMENT[groups[0]] else ""


def emotions_goemotions(folder: Path) -> MultiLabelled:
    texts: list[str] = []
    rows: list[list[bool]] = []
    for row in read_rows(folder / GOEMOTIONS):
        names = set(row["emotions"].split(","))
        texts.append(row["text"])
        rows.append([bool(names & members) for members in EMOTIONS.values()])
    return MultiLabelled(texts, tuple(EMOTIONS), np.array(rows, dtype=bool))


def category_airline(folder: Path) -> Labelled:
    return _labelled(
        read_rows(folder / AIRLINE),
        "airline",
        lambda row: (airline_text(row["text"]), AIRLINE_CATEGORY.get(row["negativereason"], "")),
    )


def category_cfpb(folder: Path) -> Labelled:
    return _labelled(
        read_rows(folder / CFPB),
        "cfpb",
        lambda row: (row["Consumer complaint narrative"], CFPB_CATEGORY.get(row["Issue"], "")),
    )


def category_amazon(folder: Path) -> Labelled:
    """1-2 star reviews as `product_quality`: a product review rates the product."""
    return _labelled(
        read_rows(folder / AMAZON),
        "amazon",
        lambda row: (review(row), "product_quality" if row["Score"] in {"1", "2"} else ""),
    )


def unlabelled(folder: Path) -> list[str]:
    """Customer text without sentiment labels, outside the held-out fifth: GoEmotions comments,
    customers' tweets to support accounts (TWCS) and CFPB narratives. A teacher labels them."""
    texts = [row["text"] for row in read_rows(folder / GOEMOTIONS)]
    texts += [row["text"] for row in read_rows(folder / TWCS) if row["inbound"] == "true"]
    texts += [row["Consumer complaint narrative"] for row in read_rows(folder / CFPB)]
    return [text for text in texts if text.strip() and not is_held_out(text)]
