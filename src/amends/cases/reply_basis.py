"""What a reply on a case is written from and checked against, read from the database once:
the customer's words, the personal data the case holds, the replies already sent, and the
playbook's SLA and open remedy offer. `replies` never reads the database; this is its door."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.cases import offers, queries
from amends.cases.playbook_set import PlaybookSet
from amends.cases.reply_facts import calendar_span, timing_of
from amends.config import Settings
from amends.replies.channels import Channel, reply_channel
from amends.replies.facts import UNNAMED_BUSINESS, CaseFacts
from amends.replies.situation import ReplyContext
from amends.store.tables import Case, CustomerIdentity, FeedbackItem, OfferStatus, Reply

#: The customer's words a reply is read against: enough for several messages, bounded so a
#: pasted novel does not slow the checker down.
CUSTOMER_TEXT_LIMIT = 6000


@dataclass(frozen=True, slots=True)
class ReplyBasis:
    facts: CaseFacts
    context: ReplyContext
    items: tuple[FeedbackItem, ...]
    email: str | None  # where an email reply goes

    def on(self, channel: Channel) -> ReplyBasis:
        """The same case answered on another channel: same facts and tone, other shape."""
        return replace(self, facts=replace(self.facts, channel=channel))

    @property
    def last_email_item(self) -> FeedbackItem | None:
        return next((i for i in reversed(self.items) if i.channel == "email"), None)


def basis(
    session: Session,
    case: Case,
    *,
    playbooks: PlaybookSet,
    settings: Settings,
    agent_name: str | None = None,
    channel: Channel | None = None,
    seed: int = 0,
) -> ReplyBasis:
    """The basis of the next reply on `case`, on `channel` (default: where the case came in)."""
    items = tuple(queries.case_items(session, case.id))
    earlier = tuple(_earlier_replies(session, case.id))
    customer_text = _customer_text(items)
    name = _customer_name(session, case, items)
    sla = playbooks.sla_of(case.playbook)
    business = timing_of(sla).business_time
    choice = _open_offer(session, case.id, settings)
    facts = CaseFacts(
        channel=channel or reply_channel(case.channel),
        complaint_text=customer_text,
        customer_name=name,
        category=case.category or "other",
        emotion=case.emotion,
        remedies=choice[0],
        choice_link=choice[1],
        timing=timing_of(sla),
        agent_name=agent_name,
        business_name=settings.business_name or UNNAMED_BUSINESS,
        earlier_replies=earlier,
        seed=case.id * 1009 + len(earlier) * 31 + seed,
    )
    context = ReplyContext(
        customer_text=customer_text or None,
        complaint=True,
        first_reply=not earlier and case.first_responded_at is None,
        customer_name=name,
        earlier_replies=earlier,
        personal_values=tuple(_personal_values(session, case, items)),
        first_response_within=calendar_span(sla.first_response, business=business),
        resolution_within=calendar_span(sla.resolution, business=business),
    )
    return ReplyBasis(facts=facts, context=context, items=items, email=_email(session, case, items))


def _customer_text(items: tuple[FeedbackItem, ...]) -> str:
    """The customer's messages, latest last, cut from the front when too long: the latest
    words are what a reply answers."""
    text = "\n\n".join(item.text for item in items if item.text)
    return text[-CUSTOMER_TEXT_LIMIT:]


def _earlier_replies(session: Session, case_id: int) -> list[str]:
    query = select(Reply.text).where(Reply.case_id == case_id).order_by(Reply.id)
    return list(session.scalars(query))


def _customer_name(session: Session, case: Case, items: tuple[FeedbackItem, ...]) -> str | None:
    customer = queries.customer(session, case.customer_id) if case.customer_id else None
    if customer is not None and customer.name:
        return customer.name
    return next((item.author for item in reversed(items) if item.author), None)


def _identities(session: Session, case: Case) -> list[CustomerIdentity]:
    if case.customer_id is None:
        return []
    query = select(CustomerIdentity).where(CustomerIdentity.customer_id == case.customer_id)
    return list(session.scalars(query.order_by(CustomerIdentity.id)))


def _email(session: Session, case: Case, items: tuple[FeedbackItem, ...]) -> str | None:
    """The address the customer last wrote from, else the one on their record."""
    latest = next((item.email for item in reversed(items) if item.email), None)
    if latest:
        return latest
    known = (i.value for i in _identities(session, case) if i.kind == "email")
    return next(known, None)


def _personal_values(session: Session, case: Case, items: tuple[FeedbackItem, ...]) -> list[str]:
    """What must never appear in a public reply: the customer's email addresses and every
    piece of personal data triage found in their messages. Not their handle: a public reply
    names them by it."""
    values = [i.value for i in _identities(session, case) if i.kind == "email"]
    for item in items:
        values += [v for v in (item.email,) if v]
        for span in item.triage.pii if item.triage else ():
            values.append(item.text[span["start"] : span["end"]])
    return list(dict.fromkeys(v for v in values if len(v.strip()) >= 4))


def _open_offer(
    session: Session, case_id: int, settings: Settings
) -> tuple[tuple[str, ...], str | None]:
    """The remedy kinds of the case's open offer and the customer's link to choose one."""
    for offer in offers.for_case(session, case_id):
        if offers.status_of(offer) is OfferStatus.OPEN:
            kinds = tuple(str(option["kind"]) for option in offer.options)
            return kinds, offers.link(offer, settings)
    return (), None
