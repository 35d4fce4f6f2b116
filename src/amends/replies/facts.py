"""What a draft is written from: the case's facts as plain values, so replies never reads
the database (cases builds this from a case)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from amends.replies.channels import Channel

#: How a draft names a business that has not said its name (AMENDS_BUSINESS_NAME).
UNNAMED_BUSINESS = "the team"


@dataclass(frozen=True, slots=True)
class Timing:
    """The playbook's SLA, as a reply can state it."""

    first_response: timedelta | None = None
    update_interval: timedelta | None = None
    resolution: timedelta | None = None
    business_time: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseFacts:
    channel: Channel
    complaint_text: str
    customer_name: str | None = None
    category: str = "other"
    emotion: str | None = None
    remedies: tuple[str, ...] = ()  # remedy kinds offered or fitting, most fitting first
    choice_link: str | None = None  # the customer's signed link to pick a remedy
    timing: Timing = field(default_factory=Timing)
    agent_name: str | None = None
    business_name: str = UNNAMED_BUSINESS
    earlier_replies: tuple[str, ...] = ()
    seed: int = 0  # same facts and seed, same draft; another seed, other wording

    @property
    def first_name(self) -> str | None:
        name = (self.customer_name or "").strip()
        first = name.split()[0] if name else ""
        return first.capitalize() if first.isalpha() and "@" not in name else None
