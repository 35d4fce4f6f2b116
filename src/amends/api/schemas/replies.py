from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from amends.cases.replying import TEXT_LIMIT, SentReply
from amends.replies.findings import Report
from amends.store.tables import DeliveryStatus, ReplyRoute

CHANNEL = Field(
    description="email, chat, phone, review, twitter (or x), facebook, instagram, youtube, "
    "appstore, or an alias such as google, trustpilot, yelp.",
    min_length=1,
    max_length=40,
)


class FindingOut(BaseModel):
    rule: str = Field(description="The rule's id in docs/reply-rules.md, e.g. `apology.missing`.")
    severity: str = Field(description="`severe`, `warning` or `info`.")
    span: list[int] | None = Field(
        description="[start, end) character offsets in the reply; null for something missing."
    )
    message: str
    fix: str


class ReportOut(BaseModel):
    score: int = Field(ge=0, le=100)
    findings: list[FindingOut]
    language: str = Field(description="The reply's language (ISO 639-1); `en` when unsure.")

    @classmethod
    def of(cls, report: Report) -> ReportOut:
        return cls.model_validate(report.public())


class CheckIn(BaseModel):
    text: str = Field(max_length=TEXT_LIMIT)
    channel: str = CHANNEL
    case_id: int | None = Field(
        None,
        description="Read the reply as the next answer on this case (its customer's "
        "words, earlier replies, personal data and SLA).",
    )


class DraftIn(BaseModel):
    channel: str | None = Field(None, max_length=40, description="Default: the case's channel.")
    seed: int = Field(0, ge=0, description="Another number gives other wording.")


class DraftOut(BaseModel):
    text: str
    channel: str
    source: str = Field(description="`built-in`, or `llm` when a language model wrote it.")
    check: ReportOut


class ReplyIn(BaseModel):
    text: str = Field(min_length=1, max_length=TEXT_LIMIT)
    channel: str = CHANNEL
    route: ReplyRoute = Field(
        description="`email`: into the customer's email thread; `connector`: to the shared "
        "webhooks that list the `reply` event; `posted`: the agent posted it by hand."
    )
    confirm: bool = Field(False, description="Send although the checker found something severe.")
    posted_url: str | None = Field(None, max_length=2000, description="Where it was posted.")
    source: str = Field("agent", max_length=100, description="`agent`, or the draft's source.")


class ReplyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    case_id: int
    author: str
    channel: str
    route: ReplyRoute
    text: str
    score: int
    findings: list[dict[str, Any]]
    confirmed: bool = Field(description="Sent although it had severe findings.")
    source: str
    recipient: str | None
    subject: str | None
    message_id: str | None
    posted_url: str | None
    sent_at: datetime
    delivery: DeliveryStatus | None = Field(
        None, description="How the email or webhook stands: pending, sent or dead."
    )

    @classmethod
    def of(cls, sent: SentReply) -> ReplyOut:
        return cls.model_validate(sent.reply).model_copy(update={"delivery": sent.delivery})


class NeedsConfirmationOut(BaseModel):
    detail: str
    check: ReportOut
