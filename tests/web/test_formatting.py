from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from amends.store.tables import CaseStatus
from amends.web import formatting

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(seconds=-20), "just now"),
        (timedelta(minutes=-5), "5m ago"),
        (timedelta(hours=-3, minutes=-10), "3h ago"),
        (timedelta(days=-2), "2d ago"),
        (timedelta(hours=5), "in 5h"),
        (timedelta(days=-45), "9 Oct 2026"),
    ],
)
def test_it_says_how_long_ago(delta: timedelta, expected: str) -> None:
    assert formatting.ago(NOW + delta, now=NOW) == expected


def test_it_says_nothing_for_no_time() -> None:
    assert formatting.ago(None) == ""
    assert formatting.stamp(None) == ""


def test_it_stamps_in_utc() -> None:
    assert formatting.stamp(NOW) == "2026-11-23 12:00 UTC"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/r/1", "https://example.com/r/1"),
        ("http://example.com", "http://example.com"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//example.com/x", None),
        ("/relative", None),
        ("", None),
        (None, None),
    ],
)
def test_it_links_only_to_absolute_http_urls(url: str | None, expected: str | None) -> None:
    assert formatting.web_url(url) == expected


def test_it_labels_statuses_in_words() -> None:
    assert formatting.label(CaseStatus.REMEDY_OFFERED) == "remedy offered"


def test_it_draws_ratings_as_stars() -> None:
    assert formatting.stars(2) == "★★☆☆☆"
    assert formatting.stars(None) == ""


def test_it_shortens_long_text_on_one_line() -> None:
    assert formatting.excerpt("a\nb", 10) == "a b"
    assert formatting.excerpt("x" * 20, 10) == "x" * 9 + "…"
