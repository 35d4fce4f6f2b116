"""X (Twitter) API v2 posts, e.g. a recent search with `expansions=author_id`."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from amends.ingest.channels.language import iso_language
from amends.ingest.model import Record
from amends.ingest.presets import Preset

POST_URL = "https://x.com/{username}/status/{id}"
#: Resolves for any post when the author's username is not in the document.
ANONYMOUS_POST_URL = "https://x.com/i/web/status/{id}"

Users = dict[str, Mapping[str, Any]]


class _UserIndex:
    """`includes.users` by id for the document being read, built once per document.

    Every record of a document shares one context object, so its identity is the cache key;
    the pair is swapped in one assignment so concurrent imports never see a mixed state.
    """

    def __init__(self) -> None:
        self._cached: tuple[Mapping[str, Any], Users] | None = None

    def find(self, context: Mapping[str, Any], user_id: Any) -> Mapping[str, Any]:
        cached = self._cached
        if cached is None or cached[0] is not context:
            cached = (context, _users_by_id(context))
            self._cached = cached
        return cached[1].get(str(user_id), {})


def _users_by_id(context: Mapping[str, Any]) -> Users:
    includes = context.get("includes")
    users = includes.get("users") if isinstance(includes, Mapping) else None
    if not isinstance(users, list):
        return {}
    return {str(user["id"]): user for user in users if isinstance(user, Mapping) and "id" in user}


_USERS = _UserIndex()


def _adapt(record: Record) -> dict[str, Any]:
    data = dict(record.data)
    user = _USERS.find(record.context, data.get("author_id"))
    metrics = user.get("public_metrics")
    data["_author"] = user.get("name")
    data["_handle"] = user.get("username")
    data["_reach"] = metrics.get("followers_count") if isinstance(metrics, Mapping) else None
    data["_url"] = _url(data.get("id"), user.get("username"))
    data["_language"] = iso_language(data.get("lang"))
    data["_text"] = _full_text(data)
    return data


def _url(post_id: Any, username: Any) -> str | None:
    if not post_id:
        return None
    if username:
        return POST_URL.format(username=username, id=post_id)
    return ANONYMOUS_POST_URL.format(id=post_id)


def _full_text(data: Mapping[str, Any]) -> Any:
    """A long post's whole text is in `note_tweet`; X escapes `&`, `<` and `>` as entities."""
    note = data.get("note_tweet")
    text = note.get("text") if isinstance(note, Mapping) else None
    text = text or data.get("text")
    return html.unescape(text) if isinstance(text, str) else text


PRESET = Preset(
    name="x",
    help="X (Twitter) API v2 JSON: posts in `data`, authors joined from `includes.users` "
    "(name, username, followers).",
    format="json",
    channel="x",
    reference="https://docs.x.com/x-api/fundamentals/data-dictionary",
    list_key="data",
    signature=frozenset({"id", "text", "author_id"}),
    fields={
        "external_id": "id",
        "author": "_author",
        "author_handle": "_handle",
        "author_reach": "_reach",
        "text": "_text",
        "url": "_url",
        "posted_at": "created_at",
        "language": "_language",
    },
    adapt=_adapt,
)
