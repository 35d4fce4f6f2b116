"""Each kind of match condition: how it tests an item and how it explains the outcome.

CONDITIONS is the registry, one entry per key of `match` (schema.MatchRules), in the order
they are tested: cheap comparisons first, the keyword search last.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from amends.playbooks.facts import ItemFacts
from amends.playbooks.schema import EmotionRule, MatchRules

Number = int | float | Decimal


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether one condition held for an item, and why, e.g. `risk 82 ≥ 80`."""

    condition: str
    held: bool
    why: str


@dataclass(frozen=True, slots=True)
class Condition:
    key: str
    test: Callable[[ItemFacts], bool]
    explain: Callable[[ItemFacts], Verdict]


@dataclass(frozen=True, slots=True)
class ConditionKind:
    key: str
    build: Callable[[Any], Condition]
    help: str


def one_of(key: str, fact: Callable[[ItemFacts], str | None]) -> Callable[[Any], Condition]:
    """A condition that holds when the fact, compared without case, is one of the values."""

    def build(values: tuple[str, ...]) -> Condition:
        allowed = frozenset(str(v).lower() for v in values)
        shown = ", ".join(str(v) for v in values)

        def test(facts: ItemFacts) -> bool:
            value = fact(facts)
            return value is not None and value.lower() in allowed

        def explain(facts: ItemFacts) -> Verdict:
            value = fact(facts)
            if value is None:
                return Verdict(key, False, f"{key} unknown (wanted {shown})")
            held = value.lower() in allowed
            return Verdict(key, held, f'{key} "{value}" is {"" if held else "not "}in {shown}')

        return Condition(key, test, explain)

    return build


def within(key: str, fact: Callable[[ItemFacts], Number | None]) -> Callable[[Any], Condition]:
    """A condition that holds when the fact is at least `min` and at most `max`."""

    def build(bounds: Any) -> Condition:
        low, high = bounds.min, bounds.max

        def test(facts: ItemFacts) -> bool:
            value = fact(facts)
            return value is not None and _inside(value, low, high)

        def explain(facts: ItemFacts) -> Verdict:
            value = fact(facts)
            if value is None:
                return Verdict(key, False, f"{key} unknown")
            return Verdict(key, _inside(value, low, high), _compare(key, value, low, high))

        return Condition(key, test, explain)

    return build


def _inside(value: Number, low: Number | None, high: Number | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _compare(key: str, value: Number, low: Number | None, high: Number | None) -> str:
    if low is not None and value < low:
        return f"{key} {value} < {low}"
    if high is not None and value > high:
        return f"{key} {value} > {high}"
    held = [f"≥ {low}" if low is not None else "", f"≤ {high}" if high is not None else ""]
    return f"{key} {value} " + " and ".join(part for part in held if part)


def _emotions(rule: EmotionRule) -> Condition:
    def test(facts: ItemFacts) -> bool:
        return any(facts.emotions.get(name, 0.0) >= rule.min for name in rule.present)

    def explain(facts: ItemFacts) -> Verdict:
        scores = {name: facts.emotions.get(name, 0.0) for name in rule.present}
        strongest = max(scores, key=lambda name: scores[name])
        if scores[strongest] >= rule.min:
            return Verdict("emotions", True, f"{strongest} {scores[strongest]:.2f} ≥ {rule.min}")
        listed = ", ".join(f"{name} {score:.2f}" for name, score in scores.items())
        return Verdict("emotions", False, f"{listed}: none ≥ {rule.min}")

    return Condition("emotions", test, explain)


def keyword_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the words or phrases, as whole words, ignoring case and spacing."""
    phrases = sorted(words, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(t) for t in p.split()) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _keywords(words: tuple[str, ...]) -> Condition:
    pattern = keyword_pattern(words)

    def test(facts: ItemFacts) -> bool:
        return pattern.search(facts.text) is not None

    def explain(facts: ItemFacts) -> Verdict:
        found = pattern.search(facts.text)
        if found is None:
            return Verdict("keywords", False, "text contains none of: " + ", ".join(words))
        return Verdict("keywords", True, f'text contains "{found.group(0)}"')

    return Condition("keywords", test, explain)


def _enum_value(value: Any) -> str | None:
    return None if value is None else str(value.value)


# fmt: off
CONDITIONS: dict[str, ConditionKind] = {kind.key: kind for kind in (
    ConditionKind("channel", one_of("channel", lambda f: f.channel),
                  "the channel the item came through (x, email, trustpilot…)"),
    ConditionKind("source", one_of("source", lambda f: f.source),
                  "the import or webhook source it came from"),
    ConditionKind("category", one_of("category", lambda f: f.category),
                  "triage's category (TAXONOMY, or the custom model's labels)"),
    ConditionKind("sentiment", one_of("sentiment", lambda f: _enum_value(f.sentiment)),
                  "negative, neutral or positive"),
    ConditionKind("priority", one_of("priority", lambda f: _enum_value(f.priority)),
                  "low, normal, high or critical"),
    ConditionKind("language", one_of("language", lambda f: f.language),
                  "the detected language code (en, de…)"),
    ConditionKind("segment", one_of("segment", lambda f: f.segment),
                  "the customer's segment, as your customer records name it"),
    ConditionKind("risk", within("risk", lambda f: f.risk), "risk score 0–100, min and max"),
    ConditionKind("rating", within("rating", lambda f: f.rating), "star rating 1–5, min and max"),
    ConditionKind("lifetime_value", within("lifetime_value", lambda f: f.lifetime_value),
                  "customer lifetime value, min and max"),
    ConditionKind("emotions", _emotions,
                  "at least one of `present` has probability `min` (default 0.5) or more"),
    ConditionKind("keywords", _keywords,
                  "the text contains any of the words or phrases, whole words, any case"),
)}
# fmt: on


def compile_rules(rules: MatchRules) -> tuple[Condition, ...]:
    """The conditions a `match` section gives, in test order."""
    return tuple(
        kind.build(getattr(rules, key))
        for key, kind in CONDITIONS.items()
        if getattr(rules, key) is not None
    )
