from __future__ import annotations

from datetime import UTC, datetime

import pytest

from amends.ingest.fields import clean_text, parse_datetime, parse_rating
from amends.ingest.model import FieldError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-02-24 11:35:52 -0800", datetime(2015, 2, 24, 19, 35, 52, tzinfo=UTC)),
        ("2024-03-01T09:30:00Z", datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
        ("2024-03-01T09:30:00+02:00", datetime(2024, 3, 1, 7, 30, tzinfo=UTC)),
        ("2024-03-01", datetime(2024, 3, 1, tzinfo=UTC)),
        ("Tue Oct 31 22:10:47 +0000 2017", datetime(2017, 10, 31, 22, 10, 47, tzinfo=UTC)),
        ("Mon, 23 Nov 2026 10:00:00 +0100", datetime(2026, 11, 23, 9, 0, tzinfo=UTC)),
        ("1424806552", datetime(2015, 2, 24, 19, 35, 52, tzinfo=UTC)),
        ("1424806552000", datetime(2015, 2, 24, 19, 35, 52, tzinfo=UTC)),
        (1424806552, datetime(2015, 2, 24, 19, 35, 52, tzinfo=UTC)),
    ],
)
def test_it_reads_the_common_date_forms(value: object, expected: datetime) -> None:
    assert parse_datetime(value) == expected


def test_it_names_the_field_of_a_bad_date() -> None:
    with pytest.raises(FieldError) as caught:
        parse_datetime("next tuesday-ish", "posted_at")
    assert caught.value.field == "posted_at"
    assert "not a date" in caught.value.message


@pytest.mark.parametrize(
    ("value", "expected"), [("1", 1), ("5", 5), ("4.0", 4), ("3/5", 3), ("", None)]
)
def test_it_reads_star_ratings(value: str, expected: int | None) -> None:
    assert parse_rating(value) == expected


@pytest.mark.parametrize("value", ["0", "6", "4.5", "great", "-1", "3/10", "8/10"])
def test_it_refuses_ratings_outside_one_to_five(value: str) -> None:
    with pytest.raises(FieldError, match="rating"):
        parse_rating(value)


def test_it_refuses_text_holding_undecodable_bytes() -> None:
    broken = b"caf\xe9 was closed".decode("utf-8", "surrogateescape")
    with pytest.raises(FieldError, match=r"undecodable byte 0xe9 at character 4"):
        clean_text(broken, "text")
