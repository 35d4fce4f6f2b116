"""Google Business Profile reviews, as `accounts.locations.reviews.list` returns them."""

from __future__ import annotations

import re
from typing import Any

from amends.ingest.model import Record
from amends.ingest.presets import Preset

#: The API's StarRating enum; an unspecified rating is no rating at all.
STAR_RATING: dict[str, int | None] = {
    "STAR_RATING_UNSPECIFIED": None,
    "ONE": 1,
    "TWO": 2,
    "THREE": 3,
    "FOUR": 4,
    "FIVE": 5,
}
TRANSLATED = "(Translated by Google)"
ORIGINAL = "(Original)"
_LOCATION = re.compile(r"(?:^|/)(locations/[^/]+)")


def star_rating(value: Any) -> Any:
    """`"FOUR"` to 4; any other value is passed on for the rating check to name."""
    if isinstance(value, str) and value.strip().upper() in STAR_RATING:
        return STAR_RATING[value.strip().upper()]
    return value


def original_comment(comment: Any) -> Any:
    """The reviewer's own words from a comment Google has machine-translated.

    Google sends both texts in one comment, either `(Translated by Google) <translation>
    (Original) <original>` or `<original> (Translated by Google) <translation>`. A comment
    that fits neither shape is kept whole.
    """
    if not isinstance(comment, str) or TRANSLATED not in comment:
        return comment
    before, _, after = comment.partition(TRANSLATED)
    original = after.split(ORIGINAL, 1)[1] if ORIGINAL in after else before
    return original.strip() or comment


def _adapt(record: Record) -> dict[str, Any]:
    data = dict(record.data)
    reviewer = data.get("reviewer")
    anonymous = isinstance(reviewer, dict) and reviewer.get("isAnonymous") is True
    data["_author"] = None if anonymous else _reviewer_name(reviewer)
    data["_rating"] = star_rating(data.get("starRating"))
    data["_comment"] = original_comment(data.get("comment"))
    location = _LOCATION.search(str(data.get("name") or ""))
    data["_location"] = location.group(1) if location else None
    return data


def _reviewer_name(reviewer: Any) -> Any:
    return reviewer.get("displayName") if isinstance(reviewer, dict) else None


PRESET = Preset(
    name="google",
    help="Google Business Profile reviews JSON (reviews.list): starRating as 1-5, the "
    "reviewer's original text when Google translated it.",
    format="json",
    channel="google",
    reference="https://developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews",
    list_key="reviews",
    signature=frozenset({"reviewId", "starRating", "reviewer"}),
    fields={
        "external_id": "reviewId",
        "author": "_author",
        "rating": "_rating",
        "text": "_comment",
        "posted_at": "createTime",
        "location": "_location",
    },
    adapt=_adapt,
)
