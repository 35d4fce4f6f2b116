"""Webhook endpoints: checked on the way in, reached only through the scoped getter."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from amends.notify import endpoints
from amends.notify.endpoints import EndpointError, EndpointForbidden, EndpointNotFound
from amends.store.tables import User
from tests.notify.helpers import add_endpoint

URL = "https://hooks.example.com/amends"


def test_it_creates_an_endpoint_with_a_fresh_secret(session: Session, alice: User) -> None:
    one = endpoints.create_endpoint(session, url=URL, events=None, user_id=alice.id)
    two = endpoints.create_endpoint(session, url=URL, events=None, user_id=alice.id)
    assert one.secret.startswith("whsec_")
    assert one.secret != two.secret
    assert (one.is_active, one.events, one.user_id) == (True, None, alice.id)


def test_it_keeps_the_events_in_their_usual_order(session: Session, alice: User) -> None:
    made = endpoints.create_endpoint(
        session, url=URL, events=["escalated", "assigned", "assigned"], user_id=alice.id
    )
    assert made.events == ["assigned", "escalated"]


@pytest.mark.parametrize(
    ("url", "events", "field"),
    [
        ("ftp://example.com/x", None, "url"),
        ("https://", None, "url"),
        ("https://exa mple.com", None, "url"),
        ("http://[::1", None, "url"),
        ("https://example.com/" + "x" * 2000, None, "url"),
        (URL, ["assigned", "nonsense"], "events"),
        (URL, [], "events"),
    ],
)
def test_it_refuses_what_cannot_be_an_endpoint(
    session: Session, alice: User, url: str, events: list[str] | None, field: str
) -> None:
    with pytest.raises(EndpointError) as refused:
        endpoints.create_endpoint(session, url=url, events=events, user_id=alice.id)
    assert refused.value.field == field


def test_it_validates_ownership(session: Session, alice: User, bob: User, dave: User) -> None:
    hers = add_endpoint(session, URL, user_id=alice.id)
    shared = add_endpoint(session, URL, user_id=None)
    assert endpoints.endpoint_for_user(session, alice, hers.id) is hers
    with pytest.raises(EndpointNotFound):
        endpoints.endpoint_for_user(session, bob, hers.id)
    with pytest.raises(EndpointNotFound):
        endpoints.endpoint_for_user(session, dave, hers.id)
    with pytest.raises(EndpointForbidden):
        endpoints.endpoint_for_user(session, bob, shared.id)
    assert endpoints.endpoint_for_user(session, dave, shared.id) is shared


def test_each_user_sees_their_own_and_admins_the_shared_ones(
    session: Session, alice: User, dave: User
) -> None:
    hers = add_endpoint(session, URL, user_id=alice.id)
    shared = add_endpoint(session, URL, user_id=None)
    gone = add_endpoint(session, URL, user_id=alice.id)
    endpoints.deactivate(gone)
    assert endpoints.visible_endpoints(session, alice) == [hers]
    assert endpoints.visible_endpoints(session, dave) == [shared]
    assert endpoints.list_endpoints(session) == [hers, shared]
    with pytest.raises(EndpointNotFound):
        endpoints.endpoint_for_user(session, alice, gone.id)
