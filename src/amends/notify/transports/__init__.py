"""How a notification leaves amends: one transport per delivery channel, in one table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from amends.config import Settings
from amends.notify.message import Outgoing
from amends.notify.transports import smtp, webhook


@dataclass(frozen=True, slots=True)
class Transport:
    """`send` returns when the message is accepted and raises DeliveryFailed otherwise."""

    name: str
    send: Callable[[Outgoing, Settings], None]
    help: str


TRANSPORTS: dict[str, Transport] = {
    t.name: t
    for t in (
        Transport("email", smtp.send, "A plain-text email through AMENDS_SMTP_HOST."),
        Transport("webhook", webhook.send, "A signed JSON POST to a webhook endpoint."),
        Transport(
            "customer_email",
            smtp.send_reply,
            "A reply to a customer through AMENDS_SMTP_HOST, in their email thread.",
        ),
    )
}
