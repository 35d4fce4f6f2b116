"""What matching knows about an item: triage's labels and the facts it arrived with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from amends.store.tables.cases import Priority
from amends.store.tables.triage import Sentiment


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemFacts:
    """One item as playbooks see it. Every fact but the text may be unknown (None); a
    condition on an unknown fact does not hold. `emotions` maps each emotion to its
    probability; a missing emotion counts as 0."""

    text: str = ""
    channel: str | None = None
    source: str | None = None
    category: str | None = None
    sentiment: Sentiment | None = None
    emotions: Mapping[str, float] = field(default_factory=dict)
    risk: int | None = None
    priority: Priority | None = None
    rating: int | None = None
    language: str | None = None
    segment: str | None = None
    lifetime_value: Decimal | None = None
