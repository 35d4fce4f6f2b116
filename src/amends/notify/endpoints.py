"""Outgoing webhook endpoints: a user's own, or shared ones (admins only) that hear every
notification of the events they list. The signing secret is generated here and shown once."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from urllib.parse import urlsplit

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from amends.notify.access import NotifyAction, can
from amends.notify.events import Notice
from amends.store.tables import User, WebhookEndpoint

URL_LIMIT = 2000


class EndpointError(ValueError):
    """A value the endpoint cannot have; `field` names it as the API spells it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class EndpointNotFound(LookupError):
    pass


class EndpointForbidden(PermissionError):
    pass


def create_endpoint(
    session: Session, *, url: str, events: Collection[str] | None, user_id: int | None
) -> WebhookEndpoint:
    """`events` None means every notice; `user_id` None makes a shared endpoint. The new
    endpoint's `secret` is for the caller to show, this once."""
    endpoint = WebhookEndpoint(
        url=check_url(url),
        secret="whsec_" + secrets.token_hex(24),
        events=check_events(events),
        user_id=user_id,
    )
    session.add(endpoint)
    session.flush()
    return endpoint


def check_url(url: str) -> str:
    url = url.strip()
    if len(url) > URL_LIMIT or any(char.isspace() for char in url):
        raise EndpointError("url", f"a webhook URL has no spaces, {URL_LIMIT} characters at most")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
    if host is None or parts.scheme not in ("http", "https"):
        raise EndpointError("url", "a webhook URL starts with http:// or https:// and a host")
    return url


def check_events(events: Collection[str] | None) -> list[str] | None:
    if events is None:
        return None
    known = {notice.value for notice in Notice}
    unknown = sorted(set(events) - known)
    if unknown:
        raise EndpointError("events", f"unknown event {unknown[0]!r}: events are {_names()}")
    if not events:
        raise EndpointError("events", "name at least one event, or leave events out for all")
    return [notice.value for notice in Notice if notice.value in events]


def _names() -> str:
    return ", ".join(notice.value for notice in Notice)


def visible_endpoints(session: Session, user: User) -> list[WebhookEndpoint]:
    """A user's own active endpoints, and the shared ones for those who manage them."""
    mine = WebhookEndpoint.user_id == user.id
    seen = or_(mine, WebhookEndpoint.user_id.is_(None)) if _manages_shared(user) else mine
    query = select(WebhookEndpoint).where(seen, WebhookEndpoint.is_active)
    return list(session.scalars(query.order_by(WebhookEndpoint.id)))


def list_endpoints(session: Session) -> list[WebhookEndpoint]:
    """Every active endpoint, for the command line."""
    query = select(WebhookEndpoint).where(WebhookEndpoint.is_active)
    return list(session.scalars(query.order_by(WebhookEndpoint.id)))


def endpoint_for_user(session: Session, user: User, endpoint_id: int) -> WebhookEndpoint:
    """The one way the API and web reach an endpoint: another user's is not found (its
    existence is nobody else's business); a shared one needs the right to manage those."""
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or not endpoint.is_active:
        raise EndpointNotFound(f"webhook {endpoint_id} not found")
    if endpoint.user_id is None and not _manages_shared(user):
        raise EndpointForbidden(f"only an admin may change shared webhook {endpoint_id}")
    if endpoint.user_id is not None and endpoint.user_id != user.id:
        raise EndpointNotFound(f"webhook {endpoint_id} not found")
    return endpoint


def deactivate(endpoint: WebhookEndpoint) -> None:
    """Kept, not deleted, so its deliveries keep saying where they went; its pending ones
    are dead-lettered when the worker reaches them."""
    endpoint.is_active = False


def _manages_shared(user: User) -> bool:
    return can(user.role, NotifyAction.SHARED_WEBHOOKS)
