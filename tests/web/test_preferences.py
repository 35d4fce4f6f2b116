"""/me/notifications: the preferences page and its form."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.notify import preferences
from amends.notify.events import PERSONAL, Notice
from amends.store.tables import User
from tests.notify.helpers import add_endpoint
from tests.web.conftest import csrf_from, log_in


def _stored(session: Session, user: User) -> dict[Notice, tuple[bool, bool]]:
    session.expire_all()
    return {p.event: (p.email, p.webhook) for p in preferences.preferences_for(session, user.id)}


def test_it_shows_every_notification_ticked_by_default(
    client: TestClient, session: Session, alice: User
) -> None:
    log_in(client, alice)
    response = client.get("/me/notifications")
    assert response.status_code == 200
    assert response.text.count('type="checkbox"') == 2 * len(PERSONAL)
    assert response.text.count("checked") == 2 * len(PERSONAL)
    assert "A case was escalated to you." in response.text
    assert 'href="/me/notifications"' in response.text  # the link in the top bar


def test_it_saves_the_ticked_boxes(client: TestClient, session: Session, alice: User) -> None:
    token = log_in(client, alice)
    form = {"email": ["assigned", "breached"], "webhook": ["escalated"], "csrf_token": token}
    response = client.post("/me/notifications", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/me/notifications"
    stored = _stored(session, alice)
    assert stored[Notice.ASSIGNED] == (True, False)
    assert stored[Notice.ESCALATED] == (False, True)
    assert stored[Notice.BREACH_SOON] == (False, False)
    page = client.get("/me/notifications").text
    assert "Notification preferences saved." in page
    assert page.count("checked") == 3


def test_it_refuses_a_post_without_csrf_token(
    client: TestClient, session: Session, alice: User
) -> None:
    log_in(client, alice)
    response = client.post("/me/notifications", data={"email": ["assigned"]})
    assert response.status_code == 403
    assert _stored(session, alice)[Notice.BREACHED] == (True, True)


def test_it_needs_a_login(client: TestClient) -> None:
    response = client.get("/me/notifications", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_it_lists_only_the_users_own_webhooks(
    client: TestClient, session: Session, alice: User, bob: User
) -> None:
    add_endpoint(session, "https://alice.example/hook", user_id=alice.id)
    add_endpoint(session, "https://bob.example/hook", user_id=bob.id)
    log_in(client, alice)
    page = client.get("/me/notifications").text
    assert "https://alice.example/hook" in page
    assert "bob.example" not in page
    assert csrf_from(page)
