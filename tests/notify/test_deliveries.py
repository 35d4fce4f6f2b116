"""The dead letters, and queueing one again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from amends.lib import clock
from amends.notify import deliveries
from amends.notify.deliveries import DeliveryNotFound, NotDead
from amends.store.tables import Delivery, DeliveryStatus, User
from tests.notify.helpers import all_deliveries, notify


def _kill(session: Session, delivery_id: int) -> None:
    values = {"status": DeliveryStatus.DEAD, "attempts": 6, "last_error": "HTTP 500"}
    session.execute(update(Delivery).where(Delivery.id == delivery_id).values(**values))
    session.commit()


def test_it_lists_by_status_newest_first(session: Session, alice: User, bob: User) -> None:
    notify(session, [alice.id])
    notify(session, [bob.id])
    first, second = all_deliveries(session)
    _kill(session, first.id)
    assert deliveries.list_deliveries(session, status=DeliveryStatus.DEAD) == [first]
    assert deliveries.list_deliveries(session) == [second, first]
    assert deliveries.list_deliveries(session, limit=1) == [second]


def test_a_retry_queues_a_dead_delivery_with_all_its_tries(session: Session, alice: User) -> None:
    notify(session, [alice.id])
    [dead] = all_deliveries(session)
    _kill(session, dead.id)
    later = clock.now() + timedelta(hours=1)
    again = deliveries.retry(session, delivery_id=dead.id, now=later)
    assert (again.status, again.attempts, again.next_attempt_at) == (
        DeliveryStatus.PENDING,
        0,
        later,
    )
    assert again.last_error == "HTTP 500"


def test_only_a_dead_delivery_can_be_retried(session: Session, alice: User) -> None:
    notify(session, [alice.id])
    [pending] = all_deliveries(session)
    with pytest.raises(NotDead, match="is pending, not dead"):
        deliveries.retry(session, delivery_id=pending.id, now=clock.now())
    with pytest.raises(DeliveryNotFound):
        deliveries.retry(session, delivery_id=pending.id + 1000, now=clock.now())
