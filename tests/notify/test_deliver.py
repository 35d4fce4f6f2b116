"""deliver_due: due deliveries sent once, failures retried with growing waits, then dead."""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy.orm import Session, sessionmaker

from amends.config import Settings
from amends.lib import clock
from amends.notify import deliver as deliver_module
from amends.notify import deliveries
from amends.notify.deliver import MAX_BACKOFF, DeliveryCounts, backoff, deliver_due
from amends.notify.message import Outgoing
from amends.notify.transports import TRANSPORTS, Transport
from amends.store.db import make_engine, make_sessionmaker
from amends.store.tables import DeliveryStatus, User
from tests.notify.helpers import add_endpoint, all_deliveries, notify
from tests.notify.servers import SMTP_USER, SmtpServer, WebhookReceiver, smtp_server


def deliver(
    factory: sessionmaker[Session],
    settings: Settings,
    now: datetime | None = None,
    limit: int = 100,
) -> dict[str, int]:
    return deliver_due(factory, settings=settings, now=now or clock.now(), limit=limit).as_dict()


def test_it_sends_due_emails_and_webhooks(
    factory: sessionmaker[Session],
    session: Session,
    mail_settings: Settings,
    smtp: SmtpServer,
    receiver: WebhookReceiver,
    alice: User,
) -> None:
    endpoint = add_endpoint(session, receiver.url, user_id=alice.id)
    notify(session, [alice.id], summary="Case 3 is yours")
    assert deliver(factory, mail_settings) == {"sent": 2, "retrying": 0, "dead": 0}
    email, webhook = sorted(all_deliveries(session), key=lambda d: d.channel)
    assert [email.status, webhook.status] == [DeliveryStatus.SENT] * 2
    assert email.sent_at is not None
    assert email.attempts == 1
    assert smtp.inbox.messages[0]["Subject"] == "[amends] Case 3 is yours"
    [got] = receiver.received
    assert got.verifies(endpoint.secret)
    assert got.headers["X-Amends-Delivery"] == str(webhook.id)
    assert json.loads(got.body)["id"] == webhook.id


def test_it_sends_each_delivery_once(
    factory: sessionmaker[Session],
    session: Session,
    mail_settings: Settings,
    smtp: SmtpServer,
    alice: User,
) -> None:
    notify(session, [alice.id])
    deliver(factory, mail_settings)
    assert deliver(factory, mail_settings) == {"sent": 0, "retrying": 0, "dead": 0}
    assert len(smtp.inbox.messages) == 1


def test_it_leaves_what_is_not_due_yet(
    factory: sessionmaker[Session], session: Session, mail_settings: Settings, alice: User
) -> None:
    notify(session, [alice.id])
    earlier = clock.now() - timedelta(minutes=1)
    assert deliver(factory, mail_settings, now=earlier)["sent"] == 0


def test_it_sends_at_most_limit(
    factory: sessionmaker[Session],
    session: Session,
    mail_settings: Settings,
    smtp: SmtpServer,
    alice: User,
) -> None:
    for _ in range(3):
        notify(session, [alice.id])
    assert deliver(factory, mail_settings, limit=2)["sent"] == 2
    assert deliver(factory, mail_settings, limit=2)["sent"] == 1


def test_a_failure_is_tried_again_after_longer_and_longer_waits(
    factory: sessionmaker[Session], session: Session, settings: Settings, receiver: WebhookReceiver
) -> None:
    add_endpoint(session, receiver.url, user_id=None)
    notify(session, [])
    receiver.fail_next(3)
    now, waits = clock.now(), []
    for _ in range(3):
        assert deliver(factory, settings, now=now) == {"sent": 0, "retrying": 1, "dead": 0}
        assert deliver(factory, settings, now=now)["retrying"] == 0  # not due again yet
        [delivery] = all_deliveries(session)
        assert delivery.status is DeliveryStatus.PENDING
        assert delivery.last_error == "the endpoint answered HTTP 503"
        waits.append(delivery.next_attempt_at - now)
        now = delivery.next_attempt_at
    assert waits == sorted(waits)
    assert len(set(waits)) == 3
    assert timedelta(seconds=30) <= waits[0] <= timedelta(seconds=60)
    assert deliver(factory, settings, now=now)["sent"] == 1
    assert all_deliveries(session)[0].attempts == 4
    assert len(receiver.received) == 4


def test_it_gives_up_after_the_last_try_and_a_retry_queues_it_again(
    factory: sessionmaker[Session], session: Session, settings: Settings, receiver: WebhookReceiver
) -> None:
    two_tries = settings.model_copy(update={"delivery_max_attempts": 2})
    add_endpoint(session, receiver.url, user_id=None)
    notify(session, [])
    receiver.fail_next(2, status=500)
    deliver(factory, two_tries)
    later = all_deliveries(session)[0].next_attempt_at
    assert deliver(factory, two_tries, now=later) == {"sent": 0, "retrying": 0, "dead": 1}
    [dead] = all_deliveries(session)
    assert (dead.status, dead.attempts) == (DeliveryStatus.DEAD, 2)
    assert dead.last_error == "the endpoint answered HTTP 500"
    assert deliver(factory, two_tries, now=later + timedelta(days=1))["sent"] == 0

    deliveries.retry(session, delivery_id=dead.id, now=later)
    session.commit()
    assert deliver(factory, two_tries, now=later)["sent"] == 1
    assert all_deliveries(session)[0].status is DeliveryStatus.SENT


def test_a_deactivated_endpoint_is_dead_lettered_without_a_call(
    factory: sessionmaker[Session], session: Session, settings: Settings, receiver: WebhookReceiver
) -> None:
    endpoint = add_endpoint(session, receiver.url, user_id=None)
    notify(session, [])
    endpoint.is_active = False
    session.commit()
    assert deliver(factory, settings)["dead"] == 1
    assert all_deliveries(session)[0].last_error == "the webhook endpoint was deactivated"
    assert receiver.received == []


def test_email_with_no_smtp_server_is_dead_lettered_at_once(
    factory: sessionmaker[Session], session: Session, settings: Settings, alice: User
) -> None:
    notify(session, [alice.id])
    assert deliver(factory, settings.model_copy(update={"smtp_host": ""}))["dead"] == 1
    [email] = all_deliveries(session)
    assert (email.attempts, email.last_error) == (1, "email is off: AMENDS_SMTP_HOST is empty")


def test_email_off_is_said_once_not_once_per_delivery(
    factory: sessionmaker[Session],
    session: Session,
    settings: Settings,
    alice: User,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(deliver_module, "_OFF_SAID", set())
    for _ in range(3):
        notify(session, [alice.id])
    with caplog.at_level(logging.INFO, logger="amends.notify.deliver"):
        assert deliver(factory, settings.model_copy(update={"smtp_host": ""}))["dead"] == 3
    said = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.getMessage() for record in said] == [
        "email deliveries are not sent (email is off: AMENDS_SMTP_HOST is empty); each is kept "
        "as a dead letter (`amends notifications dead`), and no more of them are logged"
    ]


def test_no_secret_reaches_last_error_or_the_log(
    factory: sessionmaker[Session],
    session: Session,
    settings: Settings,
    alice: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    password = "pa55-w0rd-that-must-not-leak"
    notify(session, [alice.id])
    with smtp_server(leaky=True) as server, caplog.at_level(logging.INFO):
        login = {"smtp_username": SMTP_USER, "smtp_password": SecretStr(password)}
        where = {"smtp_host": server.host, "smtp_port": server.port, "smtp_starttls": False}
        deliver(factory, settings.model_copy(update=login | where))
    [delivery] = all_deliveries(session)
    assert delivery.last_error == "SMTP 535: wrong password '[hidden]'"
    assert password not in caplog.text
    assert "alice@example.com" not in caplog.text
    assert f"delivery {delivery.id} (email, assigned)" in caplog.text


def test_an_unexpected_error_counts_as_a_failed_try(
    factory: sessionmaker[Session],
    session: Session,
    settings: Settings,
    alice: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(outgoing: Outgoing, settings: Settings) -> None:
        raise RuntimeError(f"bug while sending to {outgoing.recipient}")

    monkeypatch.setitem(TRANSPORTS, "email", Transport("email", broken, "A broken transport."))
    notify(session, [alice.id])
    assert deliver(factory, settings)["retrying"] == 1
    [delivery] = all_deliveries(session)
    assert delivery.last_error == "unexpected error: RuntimeError: bug while sending to [hidden]"


def test_the_wait_doubles_with_each_try_up_to_a_cap() -> None:
    def exact(attempts: int) -> timedelta:
        return backoff(attempts, base_seconds=60, jitter=lambda: 0.0)

    assert [exact(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert exact(30) == MAX_BACKOFF
    assert backoff(1, base_seconds=60, jitter=lambda: 0.999) > timedelta(seconds=30)


def test_the_counts_read_as_a_dict() -> None:
    assert DeliveryCounts(sent=1, dead=2).as_dict() == {"sent": 1, "retrying": 0, "dead": 2}


def test_two_workers_at_once_never_send_the_same_delivery_twice(
    fresh_db: str, tmp_path: Path, receiver: WebhookReceiver
) -> None:
    settings = Settings(database_url=fresh_db, data_dir=tmp_path, env="dev")
    engine = make_engine(fresh_db)
    factory = make_sessionmaker(engine)
    try:
        with factory() as session:
            add_endpoint(session, receiver.url, user_id=None)
            for _ in range(30):
                notify(session, [])
        receiver.delay = 0.01
        counts = _in_two_threads(factory, settings)
    finally:
        engine.dispose()
    ids = [got.headers["X-Amends-Delivery"] for got in receiver.received]
    assert len(ids) == len(set(ids)) == 30
    assert sum(c.sent for c in counts) == 30


def _in_two_threads(factory: sessionmaker[Session], settings: Settings) -> list[DeliveryCounts]:
    start = threading.Barrier(2)
    counts: list[DeliveryCounts] = []

    def work(name: str) -> None:
        start.wait()
        counts.append(deliver_due(factory, settings=settings, worker_name=name))

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(counts) == 2
    return counts
