"""Queue notifications in the caller's transaction: if the change rolls back, so do they.

Each recipient gets an email and their own webhooks unless their preferences say otherwise;
webhooks that belong to no user get every notification of the events they list.
With a `key`, the same notice queued twice (a timer fired again after a crash) is queued once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from amends.lib import clock
from amends.notify.events import PERSONAL, Notice
from amends.store.tables import Delivery, NotificationPreference, User, WebhookEndpoint

#: Room left in Delivery.dedup_key (200) for the channel and recipient added to a key.
KEY_LIMIT = 150


@dataclass(frozen=True, slots=True)
class Note:
    """One notice to queue. `summary` is one line a person reads, e.g. "Case 12 breached its
    first-response target"; `data` is the machine-readable detail; `key` names this occurrence
    (e.g. "breached:timer:41"), so deliveries already queued under it are not queued again."""

    notice: Notice
    case_id: int | None
    user_ids: Collection[int]
    summary: str
    data: dict[str, Any] | None = None
    key: str | None = None

    def payload(self) -> dict[str, Any]:
        return {
            "event": self.notice.value,
            "case_id": self.case_id,
            "summary": self.summary,
            "data": self.data or {},
        }


def enqueue(
    session: Session,
    *,
    notice: Notice,
    case_id: int | None,
    user_ids: Collection[int],
    summary: str,
    data: dict[str, Any] | None = None,
    key: str | None = None,
) -> int:
    """Queue one notice (see Note) for `user_ids` and for the webhooks that listen to it;
    return how many deliveries were queued."""
    return enqueue_all(session, [Note(notice, case_id, tuple(user_ids), summary, data, key)])


def enqueue_all(session: Session, notes: Iterable[Note]) -> int:
    """Queue many notes with one look-up of recipients per kind of notice and one INSERT;
    return how many deliveries were queued."""
    by_notice: dict[Notice, list[Note]] = defaultdict(list)
    for note in notes:
        if note.key is not None and len(note.key) > KEY_LIMIT:
            raise ValueError(f"a notification key has at most {KEY_LIMIT} characters")
        by_notice[note.notice].append(note)
    rows: list[dict[str, Any]] = []
    for notice, group in by_notice.items():
        audience = _Audience.load(session, notice, {u for note in group for u in note.user_ids})
        rows += [row for note in group for row in audience.rows(note)]
    if not rows:
        return 0
    return len(session.scalars(_insert(session).returning(Delivery.id), rows).all())


@dataclass(slots=True)
class _Audience:
    """Who hears one kind of notice: addresses of users who want email, the endpoints of users
    who want webhooks, and the shared endpoints that listen to it."""

    emails: dict[int, str] = field(default_factory=dict)
    owned: dict[int, list[WebhookEndpoint]] = field(default_factory=dict)
    shared: list[WebhookEndpoint] = field(default_factory=list)

    @classmethod
    def load(cls, session: Session, notice: Notice, user_ids: set[int]) -> _Audience:
        audience = cls()
        wants_webhook = set()
        for user_id, address, email, webhook in _users(session, notice, user_ids):
            if email is not False:
                audience.emails[user_id] = address
            if webhook is not False:
                wants_webhook.add(user_id)
        for endpoint in _endpoints(session, notice, owners=wants_webhook):
            if endpoint.user_id is not None:
                audience.owned.setdefault(endpoint.user_id, []).append(endpoint)
        audience.shared = _endpoints(session, notice, owners=None)
        return audience

    def rows(self, note: Note) -> list[dict[str, Any]]:
        users = list(dict.fromkeys(note.user_ids))
        found = [_email_row(u, self.emails[u]) for u in users if u in self.emails]
        for user_id in users:
            found += [_webhook_row(e, user_id=user_id) for e in self.owned.get(user_id, [])]
        found += [_webhook_row(e, user_id=None) for e in self.shared]
        now = clock.now()
        for row in found:
            row |= {"event": note.notice.value, "case_id": note.case_id, "next_attempt_at": now}
            row["payload"] = note.payload()
            row["dedup_key"] = None if note.key is None else _dedup_key(note.key, row)
        return found


def _users(session: Session, notice: Notice, user_ids: set[int]) -> list[Any]:
    """(id, email address, wants email, wants webhooks) of the active users; None for the
    choices of a user who never made one (the default: yes)."""
    if not user_ids:
        return []
    chosen = (NotificationPreference.user_id == User.id) & (
        NotificationPreference.event == notice.value
    )
    query = (
        select(User.id, User.email, NotificationPreference.email, NotificationPreference.webhook)
        .outerjoin(NotificationPreference, chosen)
        .where(User.id.in_(user_ids), User.is_active)
    )
    return list(session.execute(query).all())


def _endpoints(
    session: Session, notice: Notice, owners: Collection[int] | None
) -> list[WebhookEndpoint]:
    """Active endpoints listening to `notice`: those of `owners`, or the shared ones (None)."""
    if owners is not None and not owners:
        return []
    owned = (
        WebhookEndpoint.user_id.is_(None) if owners is None else WebhookEndpoint.user_id.in_(owners)
    )
    query = select(WebhookEndpoint).where(owned, WebhookEndpoint.is_active)
    found = session.scalars(query.order_by(WebhookEndpoint.id))
    return [e for e in found if notice.value in (e.events or _PERSONAL)]


_PERSONAL = frozenset(n.value for n in PERSONAL)


def _email_row(user_id: int, address: str) -> dict[str, Any]:
    return {"channel": "email", "user_id": user_id, "endpoint_id": None, "recipient": address}


def _webhook_row(endpoint: WebhookEndpoint, *, user_id: int | None) -> dict[str, Any]:
    return {
        "channel": "webhook",
        "user_id": user_id,
        "endpoint_id": endpoint.id,
        "recipient": endpoint.url,
    }


def _dedup_key(key: str, row: dict[str, Any]) -> str:
    if row["channel"] == "email":
        return f"{key}|email|user:{row['user_id']}"
    return f"{key}|webhook|endpoint:{row['endpoint_id']}"


def _insert(session: Session) -> Insert:
    """INSERT that skips rows whose dedup_key is taken (NULL keys never clash)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(Delivery).on_conflict_do_nothing(index_elements=["dedup_key"])
    return sqlite.insert(Delivery).on_conflict_do_nothing(index_elements=["dedup_key"])
