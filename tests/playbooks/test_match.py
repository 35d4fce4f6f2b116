"""Matching: every kind of condition, first match wins, the default, and explain."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from amends.playbooks.default import DEFAULT_NAME, DEFAULT_PLAYBOOK, default_playbook
from amends.playbooks.facts import ItemFacts
from amends.playbooks.match import explain, match
from amends.store.tables import Priority, Sentiment
from tests.playbooks.helpers import compiled

ANGRY_BAG = ItemFacts(
    text="Lost  LUGGAGE again, I want a refund!",
    channel="X",
    source="social-feed",
    category="lost_item",
    sentiment=Sentiment.NEGATIVE,
    emotions={"anger": 0.71, "annoyance": 0.3},
    risk=82,
    priority=Priority.CRITICAL,
    rating=1,
    language="en",
    segment="Gold",
    lifetime_value=Decimal("2500.00"),
)


def holds(condition: dict[str, Any], facts: ItemFacts = ANGRY_BAG) -> bool:
    return match([compiled("p", match=condition)], facts).playbook.name == "p"


@pytest.mark.parametrize(
    ("condition", "other"),
    [
        ({"channel": ["facebook", "x"]}, {"channel": "email"}),
        ({"source": "social-feed"}, {"source": "email-inbox"}),
        ({"category": ["lost_item", "delay"]}, {"category": "billing_and_refunds"}),
        ({"sentiment": "negative"}, {"sentiment": Sentiment.NEUTRAL}),
        ({"emotions": {"present": ["anger", "fear"], "min": 0.7}}, {"emotions": {"anger": 0.69}}),
        ({"risk": {"min": 80}}, {"risk": 79}),
        ({"risk": {"min": 80, "max": 82}}, {"risk": 83}),
        ({"priority": ["high", "critical"]}, {"priority": Priority.NORMAL}),
        ({"rating": {"max": 2}}, {"rating": 3}),
        ({"language": "EN"}, {"language": "de"}),
        ({"segment": "gold"}, {"segment": "silver"}),
        ({"lifetime_value": {"min": 1000}}, {"lifetime_value": Decimal("999.99")}),
        ({"keywords": ["lost luggage", "chargeback"]}, {"text": "my luggage was lost"}),
    ],
)
def test_each_condition_holds_for_a_fitting_item_and_not_for_another(
    condition: dict[str, Any], other: dict[str, Any]
) -> None:
    assert holds(condition)
    changed = ItemFacts(**{**_fields(ANGRY_BAG), **other})
    assert not holds(condition, changed)


@pytest.mark.parametrize(
    "condition",
    [
        {"rating": {"min": 1}},
        {"language": "en"},
        {"segment": "gold"},
        {"lifetime_value": {"max": 100}},
        {"channel": "x"},
        {"risk": {"max": 100}},
    ],
)
def test_a_condition_on_an_unknown_fact_does_not_hold(condition: dict[str, Any]) -> None:
    assert not holds(condition, ItemFacts(text="hello"))


def test_keywords_match_whole_words_only() -> None:
    condition = {"keywords": ["sue", "refund"]}
    assert not holds(condition, ItemFacts(text="I will pursue this; refunded already"))
    assert holds(condition, ItemFacts(text="I will SUE."))


def test_all_conditions_of_a_playbook_must_hold() -> None:
    assert holds({"category": "lost_item", "risk": {"min": 80}})
    assert not holds({"category": "lost_item", "risk": {"min": 90}})


def test_the_first_matching_playbook_wins_in_order() -> None:
    playbooks = [
        compiled("billing", match={"category": "billing_and_refunds"}),
        compiled("bags", match={"category": "lost_item"}),
        compiled("angry", match={"emotions": {"present": "anger"}}),
    ]
    assert match(playbooks, ANGRY_BAG).playbook.name == "bags"
    assert match(list(reversed(playbooks)), ANGRY_BAG).playbook.name == "angry"


def test_an_empty_match_takes_every_item() -> None:
    assert holds({})
    assert holds({}, ItemFacts())


def test_the_default_playbook_applies_when_none_matches() -> None:
    found = match([compiled("billing", match={"category": "billing_and_refunds"})], ANGRY_BAG)
    assert found.is_default
    assert found.origin is None
    assert found.playbook.name == DEFAULT_NAME
    assert found.sla.first_response == timedelta(hours=24)
    assert found.sla.resolution == timedelta(hours=72)


def test_a_playbook_without_an_sla_takes_the_defaults() -> None:
    found = match([compiled("bags", match={"category": "lost_item"})], ANGRY_BAG)
    assert not found.is_default
    assert found.sla == DEFAULT_PLAYBOOK.sla
    own = compiled("fast", sla={"first_response": "1h", "resolution": "1d"})
    assert match([own], ANGRY_BAG).sla.first_response == timedelta(hours=1)


def test_the_default_playbook_follows_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from amends.config import load_settings

    monkeypatch.setenv("AMENDS_FIRST_RESPONSE_HOURS", "2")
    monkeypatch.setenv("AMENDS_RESOLUTION_HOURS", "10")
    default = default_playbook(load_settings())
    found = match([], ANGRY_BAG, default=default)
    assert (found.sla.first_response, found.sla.resolution) == (
        timedelta(hours=2),
        timedelta(hours=10),
    )


def test_explain_gives_each_condition_with_its_outcome_and_reason() -> None:
    playbooks = [
        compiled("calm billing", match={"category": "billing_and_refunds", "rating": {"min": 3}}),
        compiled("risky bags", match={"risk": {"min": 80}, "keywords": ["lost luggage"]}),
    ]
    found = explain(playbooks, ANGRY_BAG)
    assert found.match.playbook.name == "risky bags"
    first, second = found.attempts
    assert not first.matched
    assert [(v.condition, v.held, v.why) for v in first.verdicts] == [
        ("category", False, 'category "lost_item" is not in billing_and_refunds'),
        ("rating", False, "rating 1 < 3"),
    ]
    assert second.matched
    assert [v.why for v in second.verdicts] == ["risk 82 ≥ 80", 'text contains "Lost  LUGGAGE"']


def test_explain_says_why_nothing_matched() -> None:
    found = explain(
        [
            compiled("sad", match={"emotions": {"present": ["sadness", "fear"], "min": 0.5}}),
            compiled("vip", match={"lifetime_value": {"min": 100, "max": 2000}}),
        ],
        ANGRY_BAG,
    )
    assert found.match.is_default
    lines = found.lines()
    assert lines == [
        "✗ sad",
        "    ✗ sadness 0.00, fear 0.00: none ≥ 0.5",
        "✗ vip",
        "    ✗ lifetime_value 2500.00 > 2000",
        f"→ no playbook matched: the default playbook ({DEFAULT_NAME})",
    ]


def test_explain_and_match_agree() -> None:
    playbooks = [
        compiled("a", match={"channel": "email"}),
        compiled("b", match={"rating": {"min": 2}}),
        compiled("c", match={"sentiment": ["negative"], "priority": "critical"}),
    ]
    for facts in (ANGRY_BAG, ItemFacts(channel="email"), ItemFacts(rating=4), ItemFacts()):
        assert explain(playbooks, facts).match == match(playbooks, facts)


def _fields(facts: ItemFacts) -> dict[str, Any]:
    return {name: getattr(facts, name) for name in facts.__dataclass_fields__}
