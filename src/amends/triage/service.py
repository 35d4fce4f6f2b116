"""Triage: the one call that reads a batch of items and says, for each, how the customer
feels, what went wrong, what personal data it holds and how risky it is to leave it.

Everything runs offline on the CPU; the models ship inside the package (docs/models.md) and
the rules are in language, pii and risk (docs/triage-rules.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from scipy import sparse

from amends import __version__
from amends.store.tables import Priority, Sentiment
from amends.triage import category, emotions, sentiment
from amends.triage.features import FeatureSpec, count
from amends.triage.language import DetectedLanguage, detect_language
from amends.triage.linear import LinearModel
from amends.triage.pii import PiiSpan, find_pii
from amends.triage.risk import RiskFactor, RiskInput, TextCues, assess_risk, read_cues


@dataclass(frozen=True, slots=True, kw_only=True)
class TriageInput:
    """An item's text and what else is known of it; every fact but the text may be missing."""

    text: str
    channel: str | None = None
    rating: int | None = None
    author_reach: int | None = None
    lifetime_value: Decimal | float | None = None
    recent_complaints: int = 0


@dataclass(frozen=True, slots=True)
class Triage:
    sentiment: Sentiment
    sentiment_score: float
    emotions: dict[str, float]
    emotion: str | None
    category: str
    category_score: float
    language: str
    language_score: float
    pii: tuple[PiiSpan, ...]
    risk: int
    risk_factors: tuple[RiskFactor, ...]
    priority: Priority

    @property
    def negative(self) -> bool:
        return self.sentiment is Sentiment.NEGATIVE

    def public(self) -> dict[str, Any]:
        """The fields `amends triage` prints, one JSON object per item: a public interface."""
        return {
            "sentiment": self.sentiment.value,
            "sentiment_score": round(self.sentiment_score, 4),
            "emotions": {name: round(p, 4) for name, p in self.emotions.items()},
            "category": self.category,
            "category_score": round(self.category_score, 4),
            "language": self.language,
            "language_score": round(self.language_score, 4),
            "pii": [span_public(span) for span in self.pii],
            "risk": self.risk,
            "risk_factors": [factor_public(factor) for factor in self.risk_factors],
            "priority": self.priority.value,
        }


def span_public(span: PiiSpan) -> dict[str, Any]:
    return {"kind": span.kind.value, "start": span.start, "end": span.end}


def factor_public(factor: RiskFactor) -> dict[str, Any]:
    return {"name": factor.name, "points": factor.points, "reason": factor.reason}


def model_name(category_model: Path | None) -> str:
    """Which models triaged an item, stored with the result so a rescore can tell."""
    custom = f"+category:{category_model.name}" if category_model else ""
    return f"amends-{__version__}{custom}"


@dataclass(frozen=True, slots=True)
class Reading:
    """What triage reads from a text alone, before any fact about the item or its customer:
    nearly all of triage's time, and the part that can run in another process (it pickles)."""

    sentiment: sentiment.SentimentResult
    emotions: dict[str, float]
    category: tuple[str, float]
    language: DetectedLanguage
    pii: tuple[PiiSpan, ...]
    cues: TextCues


def read(texts: Sequence[str], *, category_model: Path | None = None) -> list[Reading]:
    """Read a batch; the models run once over all texts, so larger batches are cheaper."""
    if not texts:
        return []
    features = _Features(list(texts))
    feelings = sentiment.from_counts(features.for_model(sentiment.load_model()))
    moods = emotions.from_counts(features.for_model(emotions.load_model()))
    chosen = category.load_model(category_model)
    topics = category.from_counts(features.for_model(chosen), chosen)
    return [
        Reading(feeling, mood, topic, detect_language(text), tuple(find_pii(text)), read_cues(text))
        for text, feeling, mood, topic in zip(texts, feelings, moods, topics, strict=True)
    ]


def triage(
    items: Sequence[TriageInput],
    *,
    category_model: Path | None = None,
    readings: Mapping[str, Reading] | None = None,
) -> list[Triage]:
    """Triage a batch. `readings` are texts already read (`read`, with the same
    `category_model`); the others are read here, together."""
    known = readings or {}
    unread = list(dict.fromkeys(item.text for item in items if item.text not in known))
    fresh = dict(zip(unread, read(unread, category_model=category_model), strict=True))
    return [_one(item, known.get(item.text) or fresh[item.text]) for item in items]


class _Features:
    """Counts of a batch's texts, computed once per feature spec: the models share one."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.by_spec: dict[FeatureSpec, sparse.csr_matrix] = {}

    def for_model(self, model: LinearModel) -> sparse.csr_matrix:
        if model.spec not in self.by_spec:
            self.by_spec[model.spec] = count(self.texts, model.spec)
        return self.by_spec[model.spec]


def _one(item: TriageInput, reading: Reading) -> Triage:
    feeling, mood = reading.sentiment, reading.emotions
    risk = assess_risk(
        RiskInput(
            text=item.text,
            channel=item.channel,
            rating=item.rating,
            author_reach=item.author_reach,
            lifetime_value=item.lifetime_value,
            recent_complaints=item.recent_complaints,
            negative_probability=feeling.probabilities[Sentiment.NEGATIVE.value],
            anger_probability=mood.get("anger"),
        ),
        cues=reading.cues,
    )
    return Triage(
        sentiment=Sentiment(feeling.label),
        sentiment_score=feeling.score,
        emotions=mood,
        emotion=next(iter(emotions.present(mood)), None),
        category=reading.category[0],
        category_score=reading.category[1],
        language=reading.language.code,
        language_score=reading.language.confidence,
        pii=reading.pii,
        risk=risk.score,
        risk_factors=risk.factors,
        priority=risk.priority,
    )
