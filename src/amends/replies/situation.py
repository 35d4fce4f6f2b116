"""What the checker knows about the moment a reply answers: the channel, the customer's
message, where the reply stands in the conversation, and what the case promises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from amends.replies.channels import Channel


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyContext:
    """Facts the caller knows; every one may be missing. `complaint=None` lets the checker
    decide from `customer_text` (and assume a complaint when there is none)."""

    customer_text: str | None = None
    complaint: bool | None = None
    first_reply: bool = True
    customer_name: str | None = None
    earlier_replies: tuple[str, ...] = ()
    personal_values: tuple[str, ...] = ()  # the customer's email, phone, order numbers…
    first_response_within: timedelta | None = None
    resolution_within: timedelta | None = None


@dataclass(frozen=True, slots=True)
class Situation:
    channel: Channel
    complaint: bool
    context: ReplyContext

    @property
    def first_reply(self) -> bool:
        return self.context.first_reply

    @property
    def first_reply_to_complaint(self) -> bool:
        return self.complaint and self.context.first_reply
