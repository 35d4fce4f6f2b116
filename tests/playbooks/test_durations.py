"""Durations as playbooks write them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from amends.playbooks.durations import format_duration, parse_duration, uses_days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("4h", timedelta(hours=4)),
        ("2d", timedelta(days=2)),
        ("1w", timedelta(weeks=1)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        (" 1d 4H ", timedelta(days=1, hours=4)),
    ],
)
def test_it_reads_each_unit_and_combinations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["4 hourz", "4", "h", "-4h", "4.5h", "", "4s"])
def test_it_refuses_what_is_not_a_duration_quoting_it(text: str) -> None:
    with pytest.raises(ValueError, match=f'not a duration: "{text}"'):
        parse_duration(text)


def test_it_refuses_zero() -> None:
    with pytest.raises(ValueError, match="more than zero"):
        parse_duration("0h")


def test_it_knows_which_durations_count_days() -> None:
    assert uses_days("2d")
    assert uses_days("1w2h")
    assert not uses_days("16h30m")


def test_it_formats_the_shortest_spelling() -> None:
    assert format_duration(timedelta(minutes=90)) == "1h30m"
    assert format_duration(timedelta(hours=30)) == "1d6h"
    assert format_duration(timedelta(hours=30), days=False) == "30h"
