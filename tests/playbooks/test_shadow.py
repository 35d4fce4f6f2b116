"""Shadowing: when an earlier playbook matches every item a later one would."""

from __future__ import annotations

from typing import Any

import pytest

from amends.playbooks.facts import ItemFacts
from amends.playbooks.schema import MatchRules
from amends.playbooks.shadow import covers
from amends.store.tables import Priority, Sentiment
from tests.playbooks.helpers import compiled


def rules(**conditions: Any) -> MatchRules:
    return MatchRules.model_validate(conditions)


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ({}, {"category": "delay"}),
        ({"category": ["delay", "lost_item"]}, {"category": "delay", "channel": "x"}),
        ({"risk": {"min": 50}}, {"risk": {"min": 80, "max": 90}}),
        ({"rating": {"max": 3}}, {"rating": {"min": 1, "max": 2}}),
        ({"lifetime_value": {"min": 100}}, {"lifetime_value": {"min": 100}}),
        ({"emotions": {"present": ["anger", "fear"], "min": 0.5}},
         {"emotions": {"present": "anger", "min": 0.7}}),
        ({"keywords": ["luggage", "refund"]}, {"keywords": ["lost luggage", "refund please"]}),
        ({"sentiment": ["negative", "neutral"], "priority": "high"},
         {"sentiment": "negative", "priority": "high", "language": "en"}),
    ],
)  # fmt: skip
def test_it_sees_an_earlier_playbook_that_takes_all_a_later_one_would(
    earlier: dict[str, Any], later: dict[str, Any]
) -> None:
    assert covers(rules(**earlier), rules(**later))


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ({"category": "delay"}, {}),
        ({"category": "delay"}, {"channel": "x"}),
        ({"category": "delay"}, {"category": ["delay", "lost_item"]}),
        ({"risk": {"min": 80}}, {"risk": {"min": 70}}),
        ({"risk": {"max": 50}}, {"risk": {"min": 10}}),
        ({"rating": {"min": 1}}, {}),  # an item without a rating
        ({"emotions": {"present": "anger", "min": 0.5}},
         {"emotions": {"present": ["anger", "fear"], "min": 0.9}}),
        ({"emotions": {"present": "anger", "min": 0.8}}, {"emotions": {"present": "anger"}}),
        ({"keywords": ["lost luggage"]}, {"keywords": ["luggage"]}),
        ({"keywords": ["mail"]}, {"keywords": ["e-mail"]}),
        ({"keywords": ["refund"]}, {"keywords": ["refund", "chargeback"]}),
    ],
)  # fmt: skip
def test_it_never_claims_a_later_playbook_is_shadowed_when_it_is_not(
    earlier: dict[str, Any], later: dict[str, Any]
) -> None:
    assert not covers(rules(**earlier), rules(**later))


def test_when_it_says_shadowed_no_item_reaches_the_later_playbook() -> None:
    """Soundness on a grid of items: whatever the later playbook matches, the earlier does."""
    pairs = [
        ({"risk": {"min": 50}, "keywords": ["luggage"]},
         {"risk": {"min": 60, "max": 70}, "keywords": ["lost luggage"], "channel": "x"}),
        ({"emotions": {"present": ["anger", "fear"]}, "priority": ["high", "critical"]},
         {"emotions": {"present": "anger", "min": 0.6}, "priority": "critical"}),
    ]  # fmt: skip
    items = [
        ItemFacts(
            text=text, channel=channel, risk=risk, priority=priority,
            emotions={"anger": anger}, sentiment=Sentiment.NEGATIVE,
        )
        for text in ("my LOST   luggage!", "luggage", "lost luggages", "")
        for channel in ("x", "email", None)
        for risk in (0, 55, 65, 75, None)
        for priority in (Priority.HIGH, Priority.CRITICAL, None)
        for anger in (0.0, 0.55, 0.65)
    ]  # fmt: skip
    for earlier, later in pairs:
        assert covers(rules(**earlier), rules(**later))
        first, second = compiled("first", match=earlier), compiled("second", match=later)
        reached = [item for item in items if second.matches(item)]
        assert reached, "the grid must exercise the later playbook"
        assert all(first.matches(item) for item in reached)
