"""The email and webhook transports, against a real SMTP server and a real HTTP receiver."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from amends.config import Settings
from amends.lib import signing
from amends.notify.message import DeliveryFailed, Outgoing, scrub
from amends.notify.transports import TRANSPORTS, webhook
from amends.notify.transports import smtp as mail
from tests.notify.servers import (
    SMTP_PASSWORD,
    SMTP_USER,
    SmtpServer,
    WebhookReceiver,
    free_port,
    smtp_server,
)

SECRET = "whsec_test-secret"
AT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """No database here: these tests run once, not once per backend."""
    return Settings(data_dir=tmp_path, env="dev")


def outgoing(recipient: str, **fields: object) -> Outgoing:
    values: dict[str, object] = {
        "id": 17,
        "event": "breached",
        "channel": "email",
        "case_id": 42,
        "recipient": recipient,
        "summary": "Case 42 missed its first-response target",
        "data": {"target": "first_response", "late_minutes": 12},
        "attempted_at": AT,
        "secret": None,
    }
    return Outgoing(**(values | fields))  # type: ignore[arg-type]


def test_the_registry_names_both_channels() -> None:
    assert sorted(TRANSPORTS) == ["customer_email", "email", "webhook"]
    assert all(transport.help for transport in TRANSPORTS.values())


def test_an_email_arrives_with_subject_link_and_data(
    smtp: SmtpServer, mail_settings: Settings
) -> None:
    TRANSPORTS["email"].send(outgoing("alice@example.com"), mail_settings)
    [message] = smtp.inbox.messages
    assert message["Subject"] == "[amends] Case 42 missed its first-response target"
    assert message["From"] == "amends@example.com"
    assert message["To"] == "alice@example.com"
    assert message["Auto-Submitted"] == "auto-generated"
    body = message.get_content().replace("\r\n", "\n")
    assert body.startswith("Case 42 missed its first-response target\n")
    assert "http://amends.example:8000/cases/42\n" in body
    assert "  target: first_response\n  late_minutes: 12\n" in body
    assert "http://amends.example:8000/me/notifications" in body
    assert smtp.inbox.envelopes == [("amends@example.com", ["alice@example.com"])]


def test_a_summary_with_line_breaks_makes_a_one_line_subject(
    smtp: SmtpServer, mail_settings: Settings
) -> None:
    sneaky = outgoing("alice@example.com", summary="Line one\r\nBcc: eve@example.com")
    TRANSPORTS["email"].send(sneaky, mail_settings)
    [message] = smtp.inbox.messages
    assert message["Subject"] == "[amends] Line one Bcc: eve@example.com"
    assert message["Bcc"] is None


def test_an_email_without_a_case_has_no_link(smtp: SmtpServer, mail_settings: Settings) -> None:
    TRANSPORTS["email"].send(outgoing("alice@example.com", case_id=None), mail_settings)
    assert "/cases/" not in smtp.inbox.messages[0].get_content()


def test_it_logs_in_when_given_a_username(settings: Settings) -> None:
    with smtp_server(with_login=True) as server:
        good = _smtp(settings, server, password=SMTP_PASSWORD)
        mail.send(outgoing("alice@example.com"), good)
        assert len(server.inbox.messages) == 1


def test_a_refused_login_fails_without_the_password(settings: Settings) -> None:
    wrong = "not-the-right-password-123"
    with smtp_server(with_login=True) as server, pytest.raises(DeliveryFailed) as failed:
        mail.send(outgoing("alice@example.com"), _smtp(settings, server, password=wrong))
    assert str(failed.value).startswith("SMTP 535")
    assert wrong not in str(failed.value)


def _smtp(settings: Settings, server: SmtpServer, *, password: str) -> Settings:
    return settings.model_copy(
        update={
            "smtp_host": server.host,
            "smtp_port": server.port,
            "smtp_starttls": False,
            "smtp_username": SMTP_USER,
            "smtp_password": SecretStr(password),
        }
    )


def test_a_refused_recipient_is_a_failure_that_says_why(
    smtp: SmtpServer, mail_settings: Settings
) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        mail.send(outgoing("nobody@example.com"), mail_settings)
    assert str(failed.value) == "the SMTP server refused the recipient: 550 mailbox unavailable"
    assert smtp.inbox.messages == []


def test_it_fails_when_email_is_not_configured(settings: Settings) -> None:
    with pytest.raises(DeliveryFailed, match="AMENDS_SMTP_HOST is empty"):
        mail.send(outgoing("alice@example.com"), settings)


def test_it_fails_when_the_smtp_server_is_unreachable(settings: Settings) -> None:
    nowhere = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": free_port()})
    with pytest.raises(DeliveryFailed, match="SMTP: ConnectionRefusedError"):
        mail.send(outgoing("alice@example.com"), nowhere)


def test_a_webhook_arrives_signed_and_verifiable(
    receiver: WebhookReceiver, settings: Settings
) -> None:
    webhook.send(outgoing(receiver.url, channel="webhook", secret=SECRET), settings)
    [got] = receiver.received
    assert got.path == "/hook"
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["X-Amends-Event"] == "breached"
    assert got.headers["X-Amends-Delivery"] == "17"
    assert got.headers["X-Amends-Timestamp"] == str(int(AT.timestamp()))
    assert got.verifies(SECRET)
    assert json.loads(got.body) == {
        "id": 17,
        "event": "breached",
        "case_id": 42,
        "summary": "Case 42 missed its first-response target",
        "data": {"target": "first_response", "late_minutes": 12},
        "sent_at": "2026-11-23T09:30:00Z",
    }


def test_a_tampered_body_or_another_secret_does_not_verify(
    receiver: WebhookReceiver, settings: Settings
) -> None:
    webhook.send(outgoing(receiver.url, channel="webhook", secret=SECRET), settings)
    [got] = receiver.received
    stamp, signature = got.headers["X-Amends-Timestamp"], got.headers["X-Amends-Signature"]
    tampered = got.body.replace(b"12", b"99")
    assert not signing.verify(SECRET, stamp, tampered, signature)
    assert not signing.verify(SECRET, str(int(stamp) + 1), got.body, signature)
    assert not got.verifies("whsec_another")


@pytest.mark.parametrize("status", [500, 404, 301])
def test_an_answer_other_than_2xx_is_a_failure(
    receiver: WebhookReceiver, settings: Settings, status: int
) -> None:
    receiver.fail_next(1, status=status)
    with pytest.raises(DeliveryFailed, match=f"answered HTTP {status}"):
        webhook.send(outgoing(receiver.url, channel="webhook", secret=SECRET), settings)
    assert len(receiver.received) == 1  # a redirect is not followed


def test_an_unreachable_endpoint_fails_without_its_url(settings: Settings) -> None:
    url = f"http://127.0.0.1:{free_port()}/hooks/T000/B000/sl4ck-t0ken"
    with pytest.raises(DeliveryFailed) as failed:
        webhook.send(outgoing(url, channel="webhook", secret=SECRET), settings)
    assert "could not reach the endpoint" in str(failed.value)
    assert "sl4ck-t0ken" not in str(failed.value)


def test_scrub_hides_each_secret_and_bounds_the_length() -> None:
    assert scrub("pw=hunter2 and hunter2", "hunter2", None, "") == "pw=[hidden] and [hidden]"
    assert len(scrub("x" * 2000)) == 500
