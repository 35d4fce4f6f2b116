"""outbox.enqueue: deliveries written in the caller's transaction, by preference."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from amends.notify import outbox, preferences
from amends.notify.events import Notice
from amends.store.tables import DeliveryStatus, User
from tests.notify.helpers import add_endpoint, all_deliveries, notify

HOOK = "http://127.0.0.1:9/hook"


def _where(session: Session) -> list[tuple[str, int | None, str]]:
    return [(d.channel, d.user_id, d.recipient) for d in all_deliveries(session)]


def test_it_queues_an_email_and_the_users_own_webhooks(
    session: Session, alice: User, bob: User
) -> None:
    add_endpoint(session, HOOK, user_id=alice.id)
    add_endpoint(session, HOOK + "/bob", user_id=bob.id)
    assert notify(session, [alice.id], summary="Case 7 is yours", data={"case": 7}) == 2
    assert sorted(_where(session)) == [
        ("email", alice.id, "alice@example.com"),
        ("webhook", alice.id, HOOK),
    ]
    delivery = all_deliveries(session)[0]
    assert delivery.status is DeliveryStatus.PENDING
    assert delivery.attempts == 0
    assert delivery.payload == {
        "event": "assigned",
        "case_id": None,
        "summary": "Case 7 is yours",
        "data": {"case": 7},
    }


def test_it_sends_no_email_to_a_user_who_turned_it_off(
    session: Session, alice: User, bob: User
) -> None:
    preferences.set_preference(
        session, user_id=alice.id, notice=Notice.BREACHED, email=False, webhook=True
    )
    notify(session, [alice.id, bob.id], notice=Notice.BREACHED)
    assert _where(session) == [("email", bob.id, "bob@example.com")]


def test_a_choice_for_one_notice_leaves_the_others_alone(session: Session, alice: User) -> None:
    preferences.set_preference(
        session, user_id=alice.id, notice=Notice.BREACHED, email=False, webhook=False
    )
    notify(session, [alice.id], notice=Notice.ASSIGNED)
    assert _where(session) == [("email", alice.id, "alice@example.com")]


def test_it_skips_the_users_webhooks_when_they_turned_them_off(
    session: Session, alice: User
) -> None:
    add_endpoint(session, HOOK, user_id=alice.id)
    preferences.set_preference(
        session, user_id=alice.id, notice=Notice.ESCALATED, email=True, webhook=False
    )
    notify(session, [alice.id], notice=Notice.ESCALATED)
    assert _where(session) == [("email", alice.id, "alice@example.com")]


def test_it_never_uses_another_users_webhook(session: Session, alice: User, bob: User) -> None:
    add_endpoint(session, HOOK, user_id=bob.id)
    notify(session, [alice.id])
    assert _where(session) == [("email", alice.id, "alice@example.com")]


def test_a_shared_endpoint_hears_only_the_events_it_lists(session: Session, alice: User) -> None:
    add_endpoint(session, HOOK, user_id=None, events=["breached"])
    notify(session, [], notice=Notice.ASSIGNED)
    assert _where(session) == []
    notify(session, [], notice=Notice.BREACHED)
    assert _where(session) == [("webhook", None, HOOK)]


def test_a_shared_endpoint_without_a_list_hears_everything(session: Session, alice: User) -> None:
    add_endpoint(session, HOOK, user_id=None)
    notify(session, [alice.id], notice=Notice.APPROVAL_NEEDED)
    assert sorted(_where(session), key=str) == [
        ("email", alice.id, "alice@example.com"),
        ("webhook", None, HOOK),
    ]


def test_it_skips_inactive_users_and_endpoints(session: Session, alice: User) -> None:
    endpoint = add_endpoint(session, HOOK, user_id=None)
    endpoint.is_active = False
    alice.is_active = False
    session.commit()
    assert notify(session, [alice.id]) == 0


def test_it_leaves_nothing_when_the_transaction_rolls_back(
    factory: sessionmaker[Session], session: Session, alice: User
) -> None:
    with factory() as other:
        other.begin()
        outbox.enqueue(
            other, notice=Notice.ASSIGNED, case_id=None, user_ids=[alice.id], summary="x"
        )
        other.rollback()
    assert all_deliveries(session) == []


def test_a_keyed_notice_is_queued_once(session: Session, alice: User) -> None:
    add_endpoint(session, HOOK, user_id=alice.id)
    assert notify(session, [alice.id], key="breached:timer:41") == 2
    assert notify(session, [alice.id], key="breached:timer:41") == 0
    assert notify(session, [alice.id], key="breached:timer:42") == 2
    keys = sorted(str(d.dedup_key) for d in all_deliveries(session))
    assert keys[0] == "breached:timer:41|email|user:" + str(alice.id)
    assert len(keys) == 4


def test_it_refuses_a_key_too_long_to_store(session: Session, alice: User) -> None:
    with pytest.raises(ValueError, match="at most 150"):
        notify(session, [alice.id], key="k" * 151)


def test_it_queues_a_batch_of_notes_at_once(session: Session, alice: User, bob: User) -> None:
    add_endpoint(session, HOOK, user_id=bob.id)
    add_endpoint(session, HOOK + "/shared", user_id=None, events=["escalated"])
    preferences.set_preference(
        session, user_id=alice.id, notice=Notice.ESCALATED, email=False, webhook=True
    )
    notes = [
        outbox.Note(Notice.ESCALATED, None, [alice.id, bob.id], "Case 1 escalated"),
        outbox.Note(Notice.ASSIGNED, None, [alice.id, alice.id], "Case 2 is yours"),
        outbox.Note(Notice.ESCALATED, None, [bob.id], "Case 3 escalated", key="esc:3"),
        outbox.Note(Notice.ESCALATED, None, [bob.id], "Case 3 escalated", key="esc:3"),
    ]
    assert outbox.enqueue_all(session, notes) == 7
    session.commit()
    sent = [(d.payload["summary"], d.channel, d.recipient) for d in all_deliveries(session)]
    assert sorted(sent) == [
        ("Case 1 escalated", "email", "bob@example.com"),
        ("Case 1 escalated", "webhook", HOOK),
        ("Case 1 escalated", "webhook", HOOK + "/shared"),
        ("Case 2 is yours", "email", "alice@example.com"),
        ("Case 3 escalated", "email", "bob@example.com"),
        ("Case 3 escalated", "webhook", HOOK),
        ("Case 3 escalated", "webhook", HOOK + "/shared"),
    ]
