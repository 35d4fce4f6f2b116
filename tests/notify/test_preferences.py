"""Preferences: every notice with the choice in force, and one choice changed at a time."""

from __future__ import annotations

from sqlalchemy.orm import Session

from amends.notify import preferences
from amends.notify.events import MEANING, PERSONAL, Notice
from amends.store.tables import User


def _choices(session: Session, user: User) -> dict[str, tuple[bool, bool]]:
    return {
        p.event.value: (p.email, p.webhook) for p in preferences.preferences_for(session, user.id)
    }


def test_every_notice_defaults_to_email_and_webhooks(session: Session, alice: User) -> None:
    found = preferences.preferences_for(session, alice.id)
    assert [p.event for p in found] == list(PERSONAL)
    assert Notice.REPLY not in PERSONAL  # for connectors, not people
    assert all(p.email and p.webhook for p in found)
    assert found[0].meaning == MEANING[Notice.ASSIGNED]


def test_it_stores_a_choice_and_changes_it_again(session: Session, alice: User) -> None:
    preferences.set_preference(
        session, user_id=alice.id, notice=Notice.BREACH_SOON, email=False, webhook=True
    )
    assert _choices(session, alice)["breach_soon"] == (False, True)
    preferences.set_preference(
        session, user_id=alice.id, notice=Notice.BREACH_SOON, email=True, webhook=False
    )
    assert _choices(session, alice)["breach_soon"] == (True, False)
    assert _choices(session, alice)["breached"] == (True, True)


def test_one_users_choice_is_not_anothers(session: Session, alice: User, bob: User) -> None:
    preferences.set_preference(
        session, user_id=alice.id, notice=Notice.ASSIGNED, email=False, webhook=False
    )
    assert _choices(session, bob)["assigned"] == (True, True)
