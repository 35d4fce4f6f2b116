"""Google Play Console monthly reviews report (`reviews_<package>_<yyyymm>.csv`, UTF-16)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from amends.ingest.channels.language import iso_language
from amends.ingest.model import Record
from amends.ingest.presets import Preset

REVIEW_LINK = "Review Link"


def review_id(link: Any) -> str | None:
    """The `reviewId` a Play Console review link carries (query or fragment), if any."""
    if not isinstance(link, str) or not link.strip():
        return None
    parts = urlsplit(link.strip())
    for query in (parts.query, parts.fragment):
        params = {key.lower(): values for key, values in parse_qs(query).items()}
        if params.get("reviewid"):
            return params["reviewid"][0]
    return None


def _adapt(record: Record) -> dict[str, Any]:
    data = dict(record.data)
    data["_review_id"] = review_id(data.get(REVIEW_LINK))
    data["_language"] = iso_language(data.get("Reviewer Language"))
    # Older reports leave the date column empty but always carry the milliseconds.
    data["_submitted"] = data.get("Review Submit Date and Time") or data.get(
        "Review Submit Millis Since Epoch"
    )
    return data


PRESET = Preset(
    name="appstore",
    help="Google Play Console reviews report CSV (UTF-16): package as product; the review "
    "link, when there is one, gives the id.",
    format="csv",
    channel="appstore",
    reference="https://support.google.com/googleplay/android-developer/answer/6135870",
    signature=frozenset({"Package Name", "Star Rating", "Review Text"}),
    fields={
        "external_id": "_review_id",
        "title": "Review Title",
        "text": "Review Text",
        "rating": "Star Rating",
        "url": REVIEW_LINK,
        "posted_at": "_submitted",
        "product": "Package Name",
        "language": "_language",
    },
    adapt=_adapt,
)
