"""One delivery as a transport sees it, and the one way a try fails."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ERROR_LIMIT = 500
HIDDEN = "[hidden]"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A delivery read from its row before any network call, so no transaction waits on one."""

    id: int
    event: str
    channel: str
    case_id: int | None
    recipient: str
    summary: str
    data: dict[str, Any]
    attempted_at: datetime
    secret: str | None = field(default=None, repr=False)  # the endpoint's, for webhooks

    def body(self) -> dict[str, Any]:
        """What a webhook receives as JSON."""
        return {
            "id": self.id,
            "event": self.event,
            "case_id": self.case_id,
            "summary": self.summary,
            "data": self.data,
            "sent_at": self.attempted_at.isoformat().replace("+00:00", "Z"),
        }


class DeliveryFailed(Exception):
    """A try that did not deliver. Its message is logged and kept in `last_error`, so a
    transport words it without passwords, signing secrets or the recipient's URL."""


class NotConfigured(DeliveryFailed):
    """A try that cannot work until someone changes the configuration (email with no SMTP
    server): the delivery goes to the dead letters at once, not after every retry."""


def scrub(text: str, *secrets: str | None) -> str:
    """`text` with every non-empty secret replaced and its length bounded: the last guard
    before an error is stored or logged."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, HIDDEN)
    return text if len(text) <= ERROR_LIMIT else text[: ERROR_LIMIT - 1] + "…"
