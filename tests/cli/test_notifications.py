"""`amends notifications …` and `amends webhooks …` on a real database, with real SMTP and
HTTP servers on the other end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from amends.accounts import service as accounts
from amends.store.db import make_engine, make_sessionmaker
from amends.store.tables import Role
from tests.cli.inprocess import amends
from tests.notify.helpers import add_endpoint, notify
from tests.notify.servers import SmtpServer, WebhookReceiver, smtp_server, webhook_receiver


@pytest.fixture
def seeded(fresh_db: str) -> Iterator[Session]:
    """A session on the fresh database, whose commits are for real; Alice is an agent."""
    engine = make_engine(fresh_db)
    with make_sessionmaker(engine)() as session:
        accounts.create_user(session, email="alice@example.com", name="Alice", role=Role.AGENT)
        session.commit()
        yield session
    engine.dispose()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with webhook_receiver() as server:
        yield server


def test_it_adds_and_lists_webhooks(fresh_db: str, tmp_path: Path, seeded: Session) -> None:
    shared = amends(
        "webhooks", "add", "https://hooks.example.com/a", "--event", "breached",
        "--event", "escalated", db=fresh_db, tmp_path=tmp_path,
    )  # fmt: skip
    assert shared.exit_code == 0, shared.stderr
    assert shared.stdout.startswith("whsec_")
    own = amends(
        "webhooks", "add", "https://hooks.example.com/b", "--user", "Alice@example.com",
        db=fresh_db, tmp_path=tmp_path,
    )  # fmt: skip
    assert own.exit_code == 0, own.stderr
    listed = amends("webhooks", "list", db=fresh_db, tmp_path=tmp_path)
    lines = [line.split("\t")[1:] for line in listed.stdout.splitlines()]
    assert lines == [
        ["shared", "breached,escalated", "https://hooks.example.com/a"],
        ["alice@example.com", "*", "https://hooks.example.com/b"],
    ]
    assert shared.stdout.strip() not in listed.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ftp://example.com"], "http:// or https://"),
        (["https://example.com", "--user", "nobody@example.com"], "no user with email"),
        (["https://example.com", "--event", "lunch"], "lunch"),
    ],
)
def test_it_refuses_a_bad_webhook_and_exits_2(
    fresh_db: str, tmp_path: Path, args: list[str], message: str
) -> None:
    result = amends("webhooks", "add", *args, db=fresh_db, tmp_path=tmp_path)
    assert result.exit_code == 2
    assert message in result.stderr


def test_it_delivers_lists_the_dead_and_retries_them(
    fresh_db: str,
    tmp_path: Path,
    seeded: Session,
    smtp: SmtpServer,
    receiver: WebhookReceiver,
) -> None:
    add_endpoint(seeded, receiver.url, user_id=None)
    notify(seeded, [1], summary="Case 5 is yours")
    receiver.fail_next(1, status=500)
    env = {
        "AMENDS_SMTP_HOST": smtp.host,
        "AMENDS_SMTP_PORT": str(smtp.port),
        "AMENDS_SMTP_STARTTLS": "false",
        "AMENDS_DELIVERY_MAX_ATTEMPTS": "1",
    }
    sent = amends("notifications", "deliver", "--json", db=fresh_db, tmp_path=tmp_path, env=env)
    assert sent.exit_code == 0, sent.stderr
    assert json.loads(sent.stdout) == {"sent": 1, "retrying": 0, "dead": 1}
    assert smtp.inbox.messages[0]["Subject"] == "[amends] Case 5 is yours"

    dead = amends("notifications", "dead", "--json", db=fresh_db, tmp_path=tmp_path)
    [row] = json.loads(dead.stdout)
    assert (row["channel"], row["recipient"]) == ("webhook", receiver.url.rsplit("/", 1)[0])
    assert row["last_error"] == "the endpoint answered HTTP 500"
    as_text = amends("notifications", "dead", db=fresh_db, tmp_path=tmp_path)
    assert as_text.stdout.startswith(f"{row['id']}\tassigned\twebhook\t")

    again = amends("notifications", "retry", str(row["id"]), db=fresh_db, tmp_path=tmp_path)
    assert again.exit_code == 0, again.stderr
    twice = amends("notifications", "retry", str(row["id"]), db=fresh_db, tmp_path=tmp_path)
    assert twice.exit_code == 2
    assert "is pending, not dead" in twice.stderr
    resent = amends("notifications", "deliver", db=fresh_db, tmp_path=tmp_path, env=env)
    assert "sent 1, failed and will retry 0, dead 0" in resent.stderr
    assert len(receiver.received) == 2
