"""What flows through ingest: records as read, items as normalised, and why a row was refused."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: Our field names, the ones `--map FIELD=COLUMN` and the webhook accept.
ITEM_FIELDS: dict[str, str] = {
    "external_id": "The platform's id for the item; with the source, it makes imports idempotent.",
    "channel": "Where the feedback was given: email, x, google, trustpilot, appstore, web, phone…",
    "author": "The author's display name.",
    "author_handle": "The author's handle or account id on the platform.",
    "author_reach": "Followers or audience of the author, when the platform tells.",
    "email": "The author's email address; links the customer across channels.",
    "title": "A subject or review title.",
    "text": "The feedback itself (required).",
    "rating": "Star rating, a whole number from 1 to 5.",
    "url": "Link to the item on its platform.",
    "posted_at": "When it was posted: ISO 8601, `2015-02-24 11:35:52 -0800`, RFC 2822, epoch s/ms.",
    "product": "The product or service concerned.",
    "business": "The business, brand or company addressed.",
    "location": "The place or branch concerned.",
    "language": "ISO 639-1 code, when the platform tells.",
}


EXTRA_KEY = "_extra"
"""Where a CSV row keeps the cells it has beyond its header."""


class FieldError(ValueError):
    """A value that cannot become an item; names the field so the user can fix the row."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Record:
    """One row, object or message as read from a file, before any interpretation.

    `line` is where it starts in the file (1-based); `raw` is its verbatim text, kept with the item.
    `error` is set when the record could not even be read (bad JSON, undecodable bytes).
    `context` holds the rest of the document for formats whose records refer to it (X's includes).
    """

    line: int
    data: Mapping[str, Any]
    raw: str
    error: FieldError | None = None
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ItemIn:
    """A feedback item normalised to our fields, ready for the pipeline."""

    source: str
    channel: str
    text: str
    raw: str
    external_id: str | None = None
    author: str | None = None
    author_handle: str | None = None
    author_reach: int | None = None
    email: str | None = None
    title: str | None = None
    rating: int | None = None
    url: str | None = None
    posted_at: datetime | None = None
    product: str | None = None
    business: str | None = None
    location: str | None = None
    language: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
