"""The triage panel of the case page: what triage stored for an item, shaped for the template,
and the item's text with its personal data marked.

Everything here comes from the `item_triage` row as stored: JSON written by whichever model
version triaged the item, so a malformed entry is skipped rather than trusted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from amends.store.tables import FeedbackItem, ItemTriage, Priority
from amends.triage import emotions as emotion_model

#: How many emotions the panel draws, strongest first, and the least worth drawing.
TOP_EMOTIONS = 3
EMOTION_FLOOR = 0.05

_MARK = Markup('<mark class="pii" data-kind="{kind}" title="personal data: {kind}">{text}</mark>')


@dataclass(frozen=True, slots=True)
class Factor:
    name: str
    points: int
    reason: str


@dataclass(frozen=True, slots=True)
class Emotion:
    name: str
    probability: float
    present: bool  # at or above the probability from which the model counts it as present


@dataclass(frozen=True, slots=True)
class Span:
    """`text[start:end]` is personal data of `kind`."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Panel:
    """One item's triage, as the case page shows it."""

    row: ItemTriage
    emotions: list[Emotion]
    pii: list[tuple[str, int]]
    factors: list[Factor]
    marked_text: Markup

    @property
    def priority(self) -> Priority:
        return self.row.priority

    @property
    def emotion_clear(self) -> bool:
        """Whether any emotion drawn is present; else the panel says none is clear."""
        return any(emotion.present for emotion in self.emotions)

    @property
    def pii_count(self) -> int:
        return sum(count for _, count in self.pii)

    @property
    def points(self) -> int:
        """The factors' points added up: above 100 when the score was capped."""
        return sum(factor.points for factor in self.factors)


def panels(items: Iterable[FeedbackItem]) -> dict[int, Panel]:
    """The panel of each triaged item, by item id; items stored before triage have none."""
    return {item.id: panel(item, item.triage) for item in items if item.triage is not None}


def panel(item: FeedbackItem, row: ItemTriage) -> Panel:
    spans = pii_spans(row.pii)
    return Panel(
        row=row,
        emotions=top_emotions(row.emotions, emotion_model.thresholds()),
        pii=Counter(span.kind for span in spans).most_common(),
        factors=risk_factors(row.risk_factors),
        marked_text=mark_pii(item.text, spans),
    )


def riskiest(items: Iterable[FeedbackItem]) -> FeedbackItem | None:
    """The triaged item with the highest risk (the first of equals), which the case shows."""
    triaged = [item for item in items if item.triage is not None]
    return max(triaged, key=lambda item: item.triage.risk if item.triage else 0, default=None)


def top_emotions(emotions: Mapping[str, Any], thresholds: Mapping[str, float]) -> list[Emotion]:
    """The strongest emotions worth drawing, each marked present when it reaches the model's
    threshold for it (a 6 % gratitude in an angry letter that ends "Thank you" is not)."""
    found = [(str(name), float(p)) for name, p in emotions.items() if _is_number(p)]
    strongest = sorted(found, key=lambda pair: (-pair[1], pair[0]))[:TOP_EMOTIONS]
    return [
        Emotion(name, p, present=name in thresholds and p >= thresholds[name])
        for name, p in strongest
        if p >= EMOTION_FLOOR
    ]


def risk_factors(stored: Iterable[Any]) -> list[Factor]:
    """The stored factors, largest first; entries without a name or points are left out."""
    factors = [
        Factor(name=str(entry["name"]), points=entry["points"], reason=str(entry.get("reason", "")))
        for entry in stored
        if isinstance(entry, Mapping) and entry.get("name") and _is_int(entry.get("points"))
    ]
    return sorted(factors, key=lambda factor: -factor.points)


def pii_spans(stored: Iterable[Any]) -> list[Span]:
    """The stored spans in text order; entries without a kind or whole-number offsets are left
    out (`mark_pii` checks that they fit the text)."""
    spans = [
        Span(kind=str(entry["kind"]), start=entry["start"], end=entry["end"])
        for entry in stored
        if isinstance(entry, Mapping)
        and entry.get("kind")
        and _is_int(entry.get("start"))
        and _is_int(entry.get("end"))
    ]
    return sorted(spans, key=lambda span: (span.start, -span.end))


def mark_pii(text: str, spans: Iterable[Span]) -> Markup:
    """`text`, escaped, with each span of personal data in a `<mark>`.

    Offsets count characters of the raw text, so the text is cut first and every piece is
    escaped on its own: nothing the customer wrote is ever marked safe. A span that overlaps an
    earlier one, is empty or does not fit the text is left unmarked.
    """
    pieces: list[Markup] = []
    at = 0
    for span in spans:
        if span.start < at or span.end <= span.start or span.end > len(text):
            continue
        pieces.append(escape(text[at : span.start]))
        pieces.append(_MARK.format(kind=span.kind, text=text[span.start : span.end]))
        at = span.end
    pieces.append(escape(text[at:]))
    return Markup("").join(pieces)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
