"""Emerging topics on synthetic complaints: three themes, each with its own vocabulary, hidden
among generic grumbles that share little with each other, all generated from a seed."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from amends.insights.topics import (
    LOW_CATEGORY_SCORE,
    Doc,
    Topic,
    TopicParams,
    find_topics,
    fits_no_category,
)

# Each theme: phrases that name it (one per text) and phrases around it (two per text).
THEMES = {
    "login": (
        ("app login", "login screen", "login code"),
        ("password reset", "verification text", "locked out", "two factor", "reset email",
         "sign in page"),
    ),
    "parking": (
        ("parking garage", "parking ticket", "parking fee"),
        ("exit barrier", "pay machine", "charged twice", "barrier stuck", "garage attendant",
         "level three"),
    ),
    "allergen": (
        ("allergen labels", "allergen menu", "allergen info"),
        ("peanut traces", "gluten free", "allergic reaction", "ingredient list", "epipen",
         "sesame oil"),
    ),
}  # fmt: skip
FILLER = ("honestly", "again", "today", "really", "yesterday", "seriously", "frankly", "week")
# Made-up words, 500 of them: unrelated complaints share few words, as real ones do.
GRUMBLES = tuple(
    f"{a}{b}{c}{d}"
    for a in ("bla", "dro", "gru", "ske", "twi")
    for b in "aeiou"
    for c in ("mp", "nd", "sk", "rt")
    for d in "aeiou"
)
PER_THEME = 25


def theme_text(rng: random.Random, theme: str) -> str:
    names, around = THEMES[theme]
    first, second = rng.sample(around, 2)
    return f"{rng.choice(names)} {rng.choice(FILLER)}, then {first} and {second}"


def grumble_text(rng: random.Random) -> str:
    return "so " + " and ".join(rng.sample(GRUMBLES, 4))


def corpus(
    seed: int = 7, *, per_theme: int = PER_THEME, noise: int = 45
) -> tuple[list[Doc], dict[int, str]]:
    """Docs in shuffled order, and each item's theme (or "noise")."""
    rng = random.Random(seed)
    texts = [(theme, theme_text(rng, theme)) for theme in THEMES for _ in range(per_theme)]
    texts += [("noise", grumble_text(rng)) for _ in range(noise)]
    rng.shuffle(texts)
    docs = [Doc(1000 + i, text) for i, (_, text) in enumerate(texts)]
    return docs, {doc.item_id: theme for doc, (theme, _) in zip(docs, texts, strict=True)}


def majority(topic: Topic, themes: dict[int, str]) -> tuple[str, int]:
    return Counter(themes[item] for item in topic.item_ids).most_common(1)[0]


@pytest.fixture(scope="module")
def found() -> tuple[list[Topic], dict[int, str], list[Doc]]:
    docs, themes = corpus()
    return find_topics(docs), themes, docs


def test_it_recovers_each_theme_as_one_pure_topic(
    found: tuple[list[Topic], dict[int, str], list[Doc]],
) -> None:
    topics, themes, _ = found
    by_theme = {majority(topic, themes)[0]: topic for topic in topics}
    assert set(by_theme) == set(THEMES)
    assert len(topics) == len(THEMES)
    for theme, topic in by_theme.items():
        members = sum(1 for item in topic.item_ids if themes[item] == theme)
        assert members / topic.size >= 0.9, theme
        assert members / PER_THEME >= 0.9, theme


def test_its_labels_name_the_theme(
    found: tuple[list[Topic], dict[int, str], list[Doc]],
) -> None:
    topics, themes, _ = found
    for topic in topics:
        theme = majority(topic, themes)[0]
        words = {word for phrases in THEMES[theme] for phrase in phrases for word in phrase.split()}
        parts = topic.label.split(" · ")
        assert theme in parts, topic.label
        assert len(parts) == 3
        assert {word for part in parts for word in part.split()} <= words, topic.label
        assert theme in topic.terms[:2]


def test_its_examples_are_members_nearest_the_centre(
    found: tuple[list[Topic], dict[int, str], list[Doc]],
) -> None:
    topics, _, docs = found
    text = {doc.item_id: doc.text for doc in docs}
    for topic in topics:
        assert 1 <= len(topic.examples) <= 3
        for example in topic.examples:
            assert example.item_id in topic.item_ids
            assert example.text == text[example.item_id]
        assert 0.0 < topic.cohesion <= 1.0
        assert topic.size == len(topic.item_ids)


def test_its_examples_are_the_most_typical_members() -> None:
    rng = random.Random(31)
    typical = [
        Doc(i, f"parking fee {rng.choice(FILLER)}, exit barrier, pay machine") for i in range(6)
    ]
    partial = [
        Doc(
            100 + i,
            f"parking fee, {rng.choice(('exit barrier', 'pay machine'))} {grumble_text(rng)}",
        )
        for i in range(10)
    ]
    others = [Doc(200 + i, theme_text(rng, "login")) for i in range(16)]
    parking = next(
        topic for topic in find_topics(typical + partial + others) if 0 in topic.item_ids
    )
    assert parking.size == 16
    assert {example.item_id for example in parking.examples} <= {doc.item_id for doc in typical}


def test_it_keeps_a_phrase_whole_in_the_label_when_it_is_always_said_so() -> None:
    rng = random.Random(37)
    docs = [Doc(i, f"wifi outage {rng.choice(FILLER)}, {grumble_text(rng)}") for i in range(10)]
    docs += [Doc(100 + i, theme_text(rng, "parking")) for i in range(10)]
    wifi = next(topic for topic in find_topics(docs) if 0 in topic.item_ids)
    assert wifi.label.split(" · ")[0] == "wifi outage"


def test_it_cuts_long_examples_at_a_word() -> None:
    rng = random.Random(3)
    docs = [Doc(i, theme_text(rng, "login") + " " + "waiting " * 60) for i in range(6)]
    docs += [Doc(100 + i, theme_text(rng, "parking")) for i in range(6)]
    docs += [Doc(200 + i, grumble_text(rng)) for i in range(8)]
    login = next(topic for topic in find_topics(docs) if topic.examples[0].item_id < 100)
    for example in login.examples:
        assert len(example.text) <= 201
        assert example.text.endswith("waiting…")


def test_it_lists_the_largest_topic_first() -> None:
    docs, themes = corpus(11)
    extra = random.Random(5)
    docs += [Doc(5000 + i, theme_text(extra, "parking")) for i in range(20)]
    themes.update({5000 + i: "parking" for i in range(20)})
    topics = find_topics(docs)
    assert [topic.size for topic in topics] == sorted((t.size for t in topics), reverse=True)
    assert majority(topics[0], themes)[0] == "parking"


def test_it_is_deterministic() -> None:
    docs, _ = corpus(13)
    assert find_topics(docs) == find_topics(list(docs))


def test_it_drops_themes_smaller_than_min_size() -> None:
    docs, themes = corpus(17, per_theme=4)
    docs += [Doc(9000 + i, theme_text(random.Random(i), "login")) for i in range(12)]
    themes.update({9000 + i: "login" for i in range(12)})
    topics = find_topics(docs)
    assert [majority(topic, themes)[0] for topic in topics] == ["login"]
    logins = sum(theme == "login" for theme in themes.values())
    assert find_topics(docs, TopicParams(min_size=logins + 1)) == []


def test_it_finds_no_topic_in_unrelated_grumbles() -> None:
    rng = random.Random(19)
    assert find_topics([Doc(i, grumble_text(rng)) for i in range(80)]) == []


def test_it_ignores_links_handles_and_redactions() -> None:
    rng = random.Random(23)
    boiler = "@acme_help see https://acme.example/status XXXX XXXX"
    docs = [Doc(i, f"{boiler} {grumble_text(rng)}") for i in range(60)]
    assert find_topics(docs) == []


@pytest.mark.parametrize("size", [0, 1, 9])
def test_it_gives_no_topics_for_fewer_than_twice_min_size(size: int) -> None:
    docs, _ = corpus(29)
    assert find_topics(docs[:size]) == []


def test_it_survives_texts_without_shared_words() -> None:
    docs = [Doc(i, text) for i, text in enumerate(["", "!!!", "12 34"] * 4)]
    assert find_topics(docs) == []


@pytest.mark.parametrize(
    ("category", "score", "expected"),
    [
        ("other", 0.99, True),
        ("delay", LOW_CATEGORY_SCORE - 0.01, True),
        ("delay", LOW_CATEGORY_SCORE, False),
        ("delay", 0.95, False),
    ],
)
def test_it_knows_which_items_fit_no_category(category: str, score: float, expected: bool) -> None:
    assert fits_no_category(category, score) is expected
