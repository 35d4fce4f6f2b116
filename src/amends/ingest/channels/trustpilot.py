"""Trustpilot reviews JSON from the Business Units API (public or private reviews)."""

from __future__ import annotations

from typing import Any

from amends.ingest.channels.language import iso_language
from amends.ingest.model import Record
from amends.ingest.presets import Preset

REVIEW_URL = "https://www.trustpilot.com/reviews/{id}"


def _adapt(record: Record) -> dict[str, Any]:
    data = dict(record.data)
    review_id = data.get("id")
    data["_url"] = REVIEW_URL.format(id=review_id) if review_id else None
    data["_language"] = iso_language(data.get("language"))
    data["_location"] = _location_name(data.get("location"))
    return data


def _location_name(location: Any) -> Any:
    """A business location is an object with a `name`; older exports send a plain string."""
    if isinstance(location, dict):
        return location.get("name")
    return location


PRESET = Preset(
    name="trustpilot",
    help="Trustpilot reviews JSON (Business Units API): consumer id as handle, referralEmail "
    "as email when the private API sends it.",
    format="json",
    channel="trustpilot",
    reference="https://developers.trustpilot.com/business-units-api",
    list_key="reviews",
    signature=frozenset({"id", "consumer", "stars"}),
    fields={
        "external_id": "id",
        "author": "consumer.displayName",
        "author_handle": "consumer.id",
        "email": "referralEmail",
        "title": "title",
        "text": "text",
        "rating": "stars",
        "url": "_url",
        "posted_at": "createdAt",
        "business": "businessUnit.displayName",
        "location": "_location",
        "language": "_language",
    },
    adapt=_adapt,
)
