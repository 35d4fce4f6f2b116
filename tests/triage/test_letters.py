"""Fast letter counting and the link shortcut give exactly what the slow ways give."""

from __future__ import annotations

import html
import random
import re

import pytest

from amends.triage import language, risk
from amends.triage.features import _HANDLE, _URL, normalise
from amends.triage.letters import case_counts, may_hold_links

_ALPHABET = "abcxyzABCXYZ019 .,:/@#_-!?'\"\t\n éÉßİıǅⅫΣσЖж中文😡👍🏽\u0301\u00a0\u2028\x1c\x85"
_PIECES = ("http://t.co/x", "https://a.b", "HTTP://X.Y", "www.site.com", "WWW.SITE", "@united")


def _texts(n: int, seed: int) -> list[str]:
    pick = random.Random(seed)
    texts = []
    for _ in range(n):
        parts = [
            "".join(pick.choices(_ALPHABET, k=pick.randint(0, 30)))
            for _ in range(pick.randint(1, 4))
        ]
        if pick.random() < 0.3:
            parts.insert(pick.randrange(len(parts) + 1), pick.choice(_PIECES))
        texts.append("".join(parts))
    return texts


@pytest.mark.parametrize("text", [*_texts(300, seed=1), "", "SHOUTING IN CAPITALS", "\ud83d"])
def test_case_counts_are_pythons(text: str) -> None:
    assert case_counts(text) == (sum(map(str.isalpha, text)), sum(map(str.isupper, text)))


def test_a_text_that_may_hold_no_link_holds_none_for_any_pattern() -> None:
    patterns = (risk._NOT_WORDS, language._NOT_WORDS, _URL, _HANDLE)
    texts = _texts(2000, seed=2)
    for text in texts:
        if not may_hold_links(text):
            assert not any(pattern.search(text) for pattern in patterns), text
    assert sum(map(may_hold_links, texts)) > 100


def test_normalise_is_the_documented_rule() -> None:
    """Lower case, entities decoded, links `http`, handles `@user`, digits 0, one space."""

    def by_rule(text: str) -> str:
        text = html.unescape(text).lower()
        text = re.sub(r"(?:https?://|www\.)\S+", " http ", text)
        text = re.sub(r"@\w+", " @user ", text)
        text = re.sub(r"\d", "0", text)
        return re.sub(r"\s+", " ", text).strip()

    for text in [*_texts(1000, seed=3), "&amp; &lt;b&gt; flight 1234 \u2028 end"]:
        assert normalise(text) == by_rule(text), text
