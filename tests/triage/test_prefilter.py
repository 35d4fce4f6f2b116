from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

import pytest

from amends.triage import pii, risk
from amends.triage.prefilter import PatternSet
from amends.triage.training import data

SETS = {
    "risk cues, lowered": (risk._LOWERED_SCAN, risk._lowered),
    "risk cues, as written": (risk._EXACT_SCAN, str),
    "personal data": (pii._SCAN, str),
    "order keywords": (pii._ORDER_SCAN, lambda text: text.lower()),
}


def _missed(texts: Iterable[str]) -> list[tuple[str, str, str]]:
    """(set, pattern, text) wherever Python's pattern matches and the prefilter ruled it out."""
    missed = []
    for label, (patterns, prepare) in SETS.items():
        for text in texts:
            seen = prepare(text)
            may = patterns.candidates(seen)
            missed += [
                (label, name, text[:80])
                for name, pattern in patterns.patterns.items()
                if name not in may and pattern.search(seen)
            ]
    return missed


def _narratives() -> list[str]:
    with (files("amends.demo") / "cfpb_complaints.csv").open(encoding="utf-8") as handle:
        return [row["Consumer complaint narrative"] for row in csv.DictReader(handle)]


def test_every_pattern_that_matches_a_demo_complaint_is_a_candidate() -> None:
    assert _missed(_narratives()) == []


def test_every_pattern_that_matches_a_public_text_is_a_candidate(shared_data: Path) -> None:
    texts = [
        *data.sentiment_airline(shared_data).texts,
        *data.sentiment_goemotions(shared_data).texts[:20_000],
        *data.sentiment_tripadvisor(shared_data).texts[:3_000],
        *data.unlabelled(shared_data)[:20_000],
    ]
    assert _missed(texts) == []


@pytest.mark.parametrize(
    "text",
    [
        "I will never\u00a0again fly with you",  # a no-break space is a space to Python
        "never\u2028again",
        "I am never flying with you again, señor",
        "I'll never éver fly with you again",  # a word of non-ASCII letters between
        "We got\x1csick after the meal",  # a separator Python counts as space
        "I will sue",
        "Kontakt: 12 Main \u017ft, Springfield",  # "ſt" is "st" when case is ignored
        "order #\u0661\u0662\u0663\u0664\u0665",  # Arabic-Indic digits are digits to Python
        "zip code \u0661\u0662\u0663\u0664\u0665",
        "call the ne\u0301ws",
        "\ud800 I will sue",  # a lone surrogate: no UTF-8, every pattern runs
    ],
)
def test_texts_python_reads_in_unicode_keep_their_candidates(text: str) -> None:
    assert _missed([text]) == []


def test_a_text_with_none_of_the_patterns_has_no_candidates() -> None:
    text = "The parcel came on time and the driver was polite."
    assert [patterns.candidates(text) for patterns, _ in SETS.values()] == [frozenset()] * 4


def test_only_the_patterns_that_may_match_are_candidates() -> None:
    patterns = PatternSet({"refund": re.compile(r"\brefund\b"), "late": re.compile(r"late")})
    assert patterns.candidates("Where is my refund?") == {"refund"}
    assert patterns.candidates("It came late, I want a refund") == {"refund", "late"}


def test_without_the_scan_every_pattern_is_a_candidate() -> None:
    patterns = PatternSet({"refund": re.compile(r"\brefund\b")}, scan=False)
    assert patterns.candidates("nothing here") == {"refund"}


def test_patterns_hyperscan_cannot_compile_all_run() -> None:
    patterns = PatternSet({"dash": re.compile(r"\N{EM DASH}"), "late": re.compile("late")})
    assert patterns.candidates("on time") == {"dash", "late"}


def test_a_repeat_the_engines_read_differently_is_refused() -> None:
    with pytest.raises(ValueError, match="'short'"):
        PatternSet({"short": re.compile(r"a{,3}b")})


def test_a_patterns_own_flags_are_kept() -> None:
    patterns = PatternSet({"refund": re.compile(r"refund", re.IGNORECASE)})
    assert patterns.candidates("WHERE IS MY REFUND") == {"refund"}


def test_a_flag_the_engines_read_differently_is_refused() -> None:
    with pytest.raises(ValueError, match="'spaced'"):
        PatternSet({"spaced": re.compile(r"re fund", re.VERBOSE)})


def test_cues_and_personal_data_are_the_same_with_and_without_the_scan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _narratives()
    scanned = [(risk.read_cues(text), pii.find_pii(text)) for text in texts]
    for patterns in (risk._LOWERED_SCAN, risk._EXACT_SCAN, pii._SCAN, pii._ORDER_SCAN):
        monkeypatch.setattr(patterns, "_scan", False)
    assert [(risk.read_cues(text), pii.find_pii(text)) for text in texts] == scanned
