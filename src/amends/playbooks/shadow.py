"""Shadowed playbooks: a later playbook that can never match, because an earlier one matches
every item it would.

`covers(earlier, later)` is sound: when it says yes, every item `later` matches is matched by
`earlier`, for any item. It may say no in cases where that is also true (it reasons about each
condition alone), so it never reports a playbook that could fire, but may miss one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from amends.playbooks.schema import EmotionRule, MatchRules


def covers(earlier: MatchRules, later: MatchRules) -> bool:
    """Whether every item `later` matches is also matched by `earlier`."""
    for key in MatchRules.model_fields:
        wide, narrow = getattr(earlier, key), getattr(later, key)
        if wide is None:
            continue
        # A condition `later` leaves out lets through items that `earlier` would refuse,
        # including those that lack the fact altogether.
        within: Callable[[Any, Any], bool] = _COVERS.get(key, _within_set)
        if narrow is None or not within(wide, narrow):
            return False
    return True


def _within_set(wide: tuple[Any, ...], narrow: tuple[Any, ...]) -> bool:
    return set(narrow) <= set(wide)


def _within_range(wide: Any, narrow: Any) -> bool:
    low_ok = wide.min is None or (narrow.min is not None and narrow.min >= wide.min)
    high_ok = wide.max is None or (narrow.max is not None and narrow.max <= wide.max)
    return low_ok and high_ok


def _within_emotions(wide: EmotionRule, narrow: EmotionRule) -> bool:
    return set(narrow.present) <= set(wide.present) and narrow.min >= wide.min


def _within_keywords(wide: tuple[str, ...], narrow: tuple[str, ...]) -> bool:
    """Each phrase of `narrow` contains, as whole words, some phrase of `wide`: a text that
    contains "lost luggage" contains "luggage"."""
    return all(any(_contains(phrase, word) for word in wide) for phrase in narrow)


def _contains(phrase: str, word: str) -> bool:
    outer, inner = phrase.split(), word.split()
    return any(outer[i : i + len(inner)] == inner for i in range(len(outer) - len(inner) + 1))


_COVERS: dict[str, Callable[[Any, Any], bool]] = {
    "risk": _within_range,
    "rating": _within_range,
    "lifetime_value": _within_range,
    "emotions": _within_emotions,
    "keywords": _within_keywords,
}
