"""Send a reply to the customer: check it, keep it, send it by its route, and let the case's
clocks know (docs/replies.md#sending).

The checker decides what may go: a public reply with personal data never does; one with any
other severe finding goes only when its author confirms. Email and connector replies are
queued in the caller's transaction, so a reply that rolls back was never sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.cases import reply_basis
from amends.cases.actor import Actor
from amends.cases.contact import record_contact
from amends.cases.email_thread import new_message_id, thread_of
from amends.cases.events import EventKind
from amends.cases.playbook_set import PlaybookSet
from amends.cases.reply_basis import ReplyBasis
from amends.cases.service import record, transition
from amends.config import Settings
from amends.lib import clock
from amends.notify import customer
from amends.notify.customer import EmailReply
from amends.replies.channels import Channel, UnknownChannel
from amends.replies.channels import channel as channel_named
from amends.replies.checker import check
from amends.replies.findings import Report
from amends.store.tables import (
    Case,
    CaseStatus,
    Delivery,
    DeliveryStatus,
    FeedbackItem,
    Reply,
    ReplyRoute,
)

TEXT_LIMIT = 20_000


class ReplyRefused(ValueError):
    """A reply that cannot go as asked; `field` names what to change, as the API spells it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NeedsConfirmation(Exception):
    """The checker found something severe: send only if the author says so."""

    def __init__(self, report: Report) -> None:
        rules = ", ".join(sorted(f.rule for f in report.findings if f.severity == "severe"))
        super().__init__(f"the reply has severe findings ({rules}): confirm to send it anyway")
        self.report = report


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyRequest:
    text: str
    channel: str
    route: ReplyRoute
    confirmed: bool = False
    posted_url: str | None = None
    source: str = "agent"  # "built-in", "llm", "template:<name>" when sent as drafted


@dataclass(frozen=True, slots=True)
class Sent:
    reply: Reply
    report: Report
    delivery_ids: tuple[int, ...]


def send_reply(
    session: Session,
    *,
    case: Case,
    actor: Actor,
    request: ReplyRequest,
    playbooks: PlaybookSet,
    settings: Settings,
    now: datetime | None = None,
    automatic: bool = False,
) -> Sent:
    """`automatic`: sent by amends (the playbook's acknowledgement, a follow-up), kept and
    shown like any reply but no contact from a person: the case's clocks do not move."""
    now = now or clock.now()
    text = _text(request.text)
    channel = _channel(request.channel)
    _check_route(session, request, channel)
    basis = reply_basis.basis(
        session, case, playbooks=playbooks, settings=settings, channel=channel
    )
    report = check(text, channel, basis.context)
    if channel.public and "pii.public" in report.rules:
        raise ReplyRefused("text", "a public reply must not hold personal data: remove it")
    if report.severe and not request.confirmed:
        raise NeedsConfirmation(report)
    reply = _keep(session, case, actor, request, channel, text, report, now)
    deliveries = _dispatch(session, reply, basis, case, settings)
    _record(session, case, actor, reply, deliveries, playbooks, now, automatic=automatic)
    return Sent(reply=reply, report=report, delivery_ids=deliveries)


def _text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ReplyRefused("text", "the reply is empty")
    if len(text) > TEXT_LIMIT:
        raise ReplyRefused("text", f"a reply has at most {TEXT_LIMIT} characters")
    return text


def _channel(name: str) -> Channel:
    try:
        return channel_named(name)
    except UnknownChannel as error:
        raise ReplyRefused("channel", str(error)) from None


def _check_route(session: Session, request: ReplyRequest, channel: Channel) -> None:
    route = request.route
    if route is ReplyRoute.EMAIL and channel.name != "email":
        raise ReplyRefused("route", f"only an email reply goes by email, not a {channel.label}")
    if route is ReplyRoute.CONNECTOR and not customer.connectors(session):
        raise ReplyRefused(
            "route",
            "no connector is set up: add a shared webhook that lists the 'reply' event, or "
            "post the reply yourself and mark it posted",
        )
    if request.posted_url is not None:
        if route is not ReplyRoute.POSTED:
            raise ReplyRefused("posted_url", "only a reply posted by hand has a posted URL")
        _check_url(request.posted_url)


def _check_url(url: str) -> None:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 2000:
        raise ReplyRefused("posted_url", "the posted URL starts with http:// or https://")


def _keep(
    session: Session,
    case: Case,
    actor: Actor,
    request: ReplyRequest,
    channel: Channel,
    text: str,
    report: Report,
    now: datetime,
) -> Reply:
    reply = Reply(
        case_id=case.id,
        author_id=actor.user_id,
        author=actor.name,
        channel=channel.name,
        route=request.route,
        text=text,
        score=report.score,
        findings=[f.public() for f in report.findings],
        confirmed=report.severe,
        source=request.source[:100],
        posted_url=request.posted_url.strip() if request.posted_url else None,
        sent_at=now,
    )
    session.add(reply)
    session.flush()
    return reply


def _dispatch(
    session: Session, reply: Reply, basis: ReplyBasis, case: Case, settings: Settings
) -> tuple[int, ...]:
    if reply.route is ReplyRoute.EMAIL:
        return (_email(session, reply, basis, case, settings),)
    if reply.route is ReplyRoute.CONNECTOR:
        data = connector_payload(reply, basis)
        summary = f"Reply to case {case.id} on {reply.channel}"
        ids = customer.queue_connectors(
            session, reply_id=reply.id, case_id=case.id, summary=summary, data=data
        )
        reply.delivery_id = ids[0] if ids else None
        return tuple(ids)
    return ()


def _email(
    session: Session, reply: Reply, basis: ReplyBasis, case: Case, settings: Settings
) -> int:
    if not basis.email:
        raise ReplyRefused("route", "this customer has no email address on record")
    thread = thread_of(basis.last_email_item, fallback_subject=case.title)
    reply.recipient = basis.email
    reply.subject = thread.subject
    reply.message_id = new_message_id(reply.id, settings.reply_from or settings.mail_from)
    delivery_id = customer.queue_email(
        session,
        EmailReply(
            reply_id=reply.id,
            case_id=case.id,
            recipient=basis.email,
            subject=thread.subject,
            text=reply.text,
            message_id=reply.message_id,
            in_reply_to=thread.in_reply_to,
            references=thread.references,
        ),
    )
    reply.delivery_id = delivery_id
    return delivery_id


def connector_payload(reply: Reply, basis: ReplyBasis) -> dict[str, Any]:
    """The `data` of a `reply` webhook (docs/replies.md#connector-webhooks)."""
    answered = _answered_item(basis.items, reply.channel)
    return {
        "reply_id": reply.id,
        "channel": reply.channel,
        "text": reply.text,
        "author": reply.author,
        "score": reply.score,
        "customer": {
            "name": basis.facts.customer_name,
            "handle": answered.author_handle if answered else None,
        },
        "in_reply_to": None
        if answered is None
        else {
            "item_id": answered.id,
            "source": answered.source,
            "external_id": answered.external_id,
            "url": answered.url,
        },
    }


def _answered_item(items: tuple[FeedbackItem, ...], channel: str) -> FeedbackItem | None:
    """The customer's latest message on the reply's channel, else their latest at all."""
    same = [item for item in items if _same_channel(item.channel, channel)]
    found = same or list(items)
    return found[-1] if found else None


def _same_channel(item_channel: str, reply_channel: str) -> bool:
    try:
        return channel_named(item_channel).name == reply_channel
    except UnknownChannel:
        return False


def _record(
    session: Session,
    case: Case,
    actor: Actor,
    reply: Reply,
    deliveries: tuple[int, ...],
    playbooks: PlaybookSet,
    now: datetime,
    *,
    automatic: bool,
) -> None:
    data: dict[str, Any] = {
        "reply_id": reply.id,
        "channel": reply.channel,
        "route": reply.route.value,
        "author": reply.author,
        "score": reply.score,
        "rules": sorted({f["rule"] for f in reply.findings}),
        "confirmed": reply.confirmed,
    }
    if reply.posted_url:
        data["posted_url"] = reply.posted_url
    if deliveries:
        data["delivery_ids"] = list(deliveries)
    if automatic:
        data["automatic"] = True
        data["source"] = reply.source
    record(session, case_id=case.id, kind=EventKind.REPLY_SENT, actor=actor, data=data)
    if automatic:
        return
    was_new = case.status is CaseStatus.NEW
    record_contact(
        session, case=case, actor=actor, playbooks=playbooks, at=now, channel=reply.channel
    )
    if was_new:
        transition(session=session, case=case, to=CaseStatus.ACKNOWLEDGED, actor=actor)


@dataclass(frozen=True, slots=True)
class SentReply:
    """A reply as its case page shows it: with how its delivery stands, when it has one."""

    reply: Reply
    delivery: DeliveryStatus | None
    error: str | None = None


def replies_of(session: Session, case_id: int) -> list[SentReply]:
    """The case's replies, oldest first."""
    query = (
        select(Reply, Delivery.status, Delivery.last_error)
        .outerjoin(Delivery, Delivery.id == Reply.delivery_id)
        .where(Reply.case_id == case_id)
        .order_by(Reply.id)
    )
    return [SentReply(reply, status, error) for reply, status, error in session.execute(query)]
