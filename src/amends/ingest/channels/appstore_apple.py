"""Apple App Store Connect API `customerReviews` JSON (`GET /v1/apps/{id}/customerReviews`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from amends.ingest.model import Record
from amends.ingest.presets import Preset

_APP_ID = re.compile(r"/apps/([^/?#]+)/customerReviews")


def app_id(context: Mapping[str, Any]) -> str | None:
    """The app the reviews belong to, read from the response's `links.self`."""
    links = context.get("links")
    own = links.get("self") if isinstance(links, Mapping) else None
    found = _APP_ID.search(own) if isinstance(own, str) else None
    return found.group(1) if found else None


def _adapt(record: Record) -> dict[str, Any]:
    data = dict(record.data)
    data["_app"] = app_id(record.context)
    return data


PRESET = Preset(
    name="appstore-apple",
    help="App Store Connect customerReviews JSON: nickname as author, territory as location, "
    "the app id as product.",
    format="json",
    channel="appstore",
    reference="https://developer.apple.com/documentation/appstoreconnectapi/customerreview",
    list_key="data",
    signature=frozenset({"type", "id", "attributes"}),
    fields={
        "external_id": "id",
        "author": "attributes.reviewerNickname",
        "title": "attributes.title",
        "text": "attributes.body",
        "rating": "attributes.rating",
        "posted_at": "attributes.createdDate",
        "location": "attributes.territory",
        "product": "_app",
    },
    adapt=_adapt,
)
