"""Email complaints from `.eml` and `.mbox` files (read by `amends.ingest.email_reader`)."""

from __future__ import annotations

import re
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any

from amends.ingest.channels.language import iso_language
from amends.ingest.model import Record
from amends.ingest.presets import Preset

# "On Tue, 4 Mar 2025 at 09:12, Acme Support <help@acme.test> wrote:" above a quoted block.
_ATTRIBUTION = re.compile(r"\bwrote:\s*$")
_OUTLOOK_HISTORY = re.compile(r"^-{2,}\s*Original Message\s*-{2,}$", re.IGNORECASE)


def sender(value: Any) -> tuple[str | None, str | None]:
    """The display name and address of a From header (`"Doe, Jane" <jane@example.com>`)."""
    if not isinstance(value, str):
        return None, None
    name, address = parseaddr(value)
    return name.strip() or None, address.strip() or None


def sent_at(value: Any) -> Any:
    """An RFC 5322 date as a datetime; anything else is passed on for the date check to name."""
    if not isinstance(value, str):
        return value
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return value


def message_id(value: Any) -> str | None:
    """`<id@host>` without its angle brackets."""
    if not isinstance(value, str):
        return None
    return value.strip().strip("<>").strip() or None


def without_quoted_history(body: str) -> str:
    """The customer's own words: no `>` quoted lines, no attribution line above them, nothing
    after an Outlook `-----Original Message-----`. A body that is all quote is kept whole."""
    lines = body.splitlines()
    cut = next((i for i, line in enumerate(lines) if _OUTLOOK_HISTORY.match(line.strip())), None)
    kept: list[str] = []
    for index, line in enumerate(lines[:cut]):
        if line.startswith(">") or (_ATTRIBUTION.search(line) and _quote_follows(lines, index)):
            continue
        kept.append(line)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return text or body.strip()


def _quote_follows(lines: list[str], index: int) -> bool:
    following = (line for line in lines[index + 1 :] if line.strip())
    return next(following, "").startswith(">")


def _adapt(record: Record) -> dict[str, Any]:
    data = dict(record.data)
    data["_author"], data["_email"] = sender(data.get("from"))
    data["_message_id"] = message_id(data.get("message-id"))
    data["_date"] = sent_at(data.get("date"))
    data["_text"] = without_quoted_history(str(data.get("body") or ""))
    data["_language"] = iso_language(data.get("content-language"))
    return data


PRESET = Preset(
    name="email",
    help="Email messages (.eml, .mbox): sender as author and email, Subject as title, the "
    "text body without quoted history. In-Reply-To and References stay in the raw message.",
    format="mbox",
    channel="email",
    reference="https://www.rfc-editor.org/rfc/rfc5322",
    signature=frozenset({"body", "body_type"}),
    fields={
        "external_id": "_message_id",
        "author": "_author",
        "email": "_email",
        "title": "subject",
        "text": "_text",
        "posted_at": "_date",
        "language": "_language",
    },
    adapt=_adapt,
)
