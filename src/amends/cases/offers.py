"""Remedy offers: two or three remedies put to the customer, who picks one through a signed,
expiring link or tells the agent, who records it.

Every option is checked when the offer is made: allowed by the case's playbook and within the
offering person's own authority. So the customer's pick needs no approval, and the
compensation it grants is recorded as granted by the person who made the offer.

The link's token signs the offer's id and expiry with AMENDS_SECRET_KEY (itsdangerous,
HMAC-SHA256, salted for this use): it is the customer's only credential, so a token that
fails the signature, or names an offer or expiry other than the stored one, is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from amends.cases import compensation, service, states
from amends.cases.actor import Actor
from amends.cases.compensation import AboveAuthority, Grant, RemedyRefused
from amends.cases.events import EventKind
from amends.config import Settings
from amends.lib import clock, customer_links
from amends.lib.customer_links import LinkInvalid as LinkInvalid
from amends.playbooks.authority import AuthorityLimits
from amends.store.tables import Case, CaseStatus, OfferStatus, RemedyOffer, User

MIN_OPTIONS, MAX_OPTIONS = 2, 3
VALID_FOR = timedelta(days=7)
LINK_SALT = "amends.remedy-offer.link"
#: The actor of a choice made through the link: the customer has no user.
CUSTOMER = Actor(user_id=None, name="customer (offer link)")


class OfferExpired(ValueError):
    """The offer's time ran out before the customer chose."""


class OfferClosed(ValueError):
    """The offer was chosen, withdrawn, or its case moved on: it takes no choice now."""


@dataclass(frozen=True, slots=True)
class OptionIn:
    """One option as the agent asks for it; checked by `make_offer`."""

    kind: str
    amount: Decimal | str | int = 0
    note: str | None = None


def options_of(offer: RemedyOffer) -> list[Grant]:
    return [Grant.from_data(option) for option in offer.options]


def status_of(offer: RemedyOffer, now: datetime | None = None) -> OfferStatus:
    """The stored status, with an open offer past its expiry shown as expired."""
    moment = now or clock.now()
    if offer.status is OfferStatus.OPEN and moment >= offer.expires_at:
        return OfferStatus.EXPIRED
    return offer.status


def make_offer(
    *,
    session: Session,
    case: Case,
    user: User,
    options: Sequence[OptionIn],
    settings: Settings,
    valid_for: timedelta = VALID_FOR,
) -> RemedyOffer:
    """Offer `options` on `case` as `user`, withdrawing the open offer, and move the case to
    remedy_offered. RemedyRefused or AboveAuthority when an option may not be offered."""
    grants = _checked_options(case, user, options, settings)
    moving = case.status is not CaseStatus.REMEDY_OFFERED
    if moving:
        states.check(case.status, CaseStatus.REMEDY_OFFERED)
    actor = Actor(user_id=user.id, name=user.name)
    now = clock.now()
    _close_open(session, case.id, actor, now)
    offer = RemedyOffer(
        case_id=case.id,
        offered_by_id=user.id,
        options=[grant.as_data() for grant in grants],
        status=OfferStatus.OPEN,
        # Whole seconds: the link signs the expiry as a Unix time.
        expires_at=(now + valid_for).replace(microsecond=0),
    )
    session.add(offer)
    session.flush()
    data = {"offer_id": offer.id, "options": offer.options, "expires_at": _iso(offer.expires_at)}
    service.record(session, case_id=case.id, kind=EventKind.REMEDY_OFFERED, actor=actor, data=data)
    if moving:
        service.transition(session=session, case=case, to=CaseStatus.REMEDY_OFFERED, actor=actor)
    return offer


def _checked_options(
    case: Case, user: User, options: Sequence[OptionIn], settings: Settings
) -> list[Grant]:
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        message = f"offer {MIN_OPTIONS} or {MAX_OPTIONS} remedies, not {len(options)}"
        raise RemedyRefused(message, "options")
    grants = [_checked(case, index, option, settings) for index, option in enumerate(options)]
    if len({grant.kind for grant in grants}) != len(grants):
        raise RemedyRefused("offer each kind of remedy once", "options")
    authority = AuthorityLimits.from_settings(settings)
    for grant in grants:
        if not authority.may_grant(user.role, grant.amount, grant.kind):
            raise AboveAuthority(
                f"{grant.describe()} is above your authority ({user.role.value}); grant it "
                "on its own to ask for approval, or ask someone who may to make the offer"
            )
    return grants


def _checked(case: Case, index: int, option: OptionIn, settings: Settings) -> Grant:
    try:
        return compensation.checked(
            case=case, kind=option.kind, amount=option.amount, note=option.note, settings=settings
        )
    except RemedyRefused as exc:
        raise RemedyRefused(f"option {index + 1}: {exc}", f"options[{index}].{exc.field}") from exc


def _close_open(session: Session, case_id: int, actor: Actor, now: datetime) -> None:
    """Withdraw the case's open offer before a new one; one past its time becomes expired."""
    query = select(RemedyOffer).where(
        RemedyOffer.case_id == case_id, RemedyOffer.status == OfferStatus.OPEN
    )
    for offer in list(session.scalars(query)):
        ended = status_of(offer, now)
        closing = ended if ended is OfferStatus.EXPIRED else OfferStatus.WITHDRAWN
        if _set_status(session, offer, closing) and closing is OfferStatus.WITHDRAWN:
            data = {"offer_id": offer.id}
            kind = EventKind.REMEDY_WITHDRAWN
            service.record(session, case_id=case_id, kind=kind, actor=actor, data=data)


def _set_status(
    session: Session, offer: RemedyOffer, status: OfferStatus, **values: object
) -> bool:
    """Compare-and-set from open; False when someone else changed the offer first."""
    result = session.execute(
        update(RemedyOffer)
        .where(RemedyOffer.id == offer.id, RemedyOffer.status == OfferStatus.OPEN)
        .values(status=status, **values)
        .execution_options(synchronize_session=False)
    )
    session.refresh(offer)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def choose(
    *, session: Session, offer: RemedyOffer, index: int, via: str, actor: Actor
) -> RemedyOffer:
    """Record option `index` (from 0) as the customer's choice, once: compensation for a
    remedy with money, and the case moves to remedy_accepted."""
    options = options_of(offer)
    if not 0 <= index < len(options):
        raise RemedyRefused(f"the offer has options 1 to {len(options)}", "option")
    case = _open_case(session, offer)
    now = clock.now()
    if now >= offer.expires_at:
        raise OfferExpired(f"offer {offer.id} expired on {_iso(offer.expires_at)}")
    chosen = {"chosen_option": index, "chosen_at": now, "chosen_via": via}
    if not _set_status(session, offer, OfferStatus.CHOSEN, **chosen):
        raise OfferClosed(f"offer {offer.id} is {offer.status.value}: it takes no choice now")
    grant = options[index]
    data = {"offer_id": offer.id, "option": index, **grant.as_data(), "via": via}
    service.record(session, case_id=case.id, kind=EventKind.REMEDY_CHOSEN, actor=actor, data=data)
    if grant.costs_money:
        compensation.record(
            session,
            case_id=case.id,
            grant=grant,
            actor=actor,
            granted_by_id=offer.offered_by_id,
            offer_id=offer.id,
        )
    service.transition(session=session, case=case, to=CaseStatus.REMEDY_ACCEPTED, actor=actor)
    return offer


def _open_case(session: Session, offer: RemedyOffer) -> Case:
    if offer.status is not OfferStatus.OPEN:
        raise OfferClosed(f"offer {offer.id} is {offer.status.value}: it takes no choice now")
    case = session.get(Case, offer.case_id)
    if case is None or case.status is not CaseStatus.REMEDY_OFFERED:
        raise OfferClosed(f"offer {offer.id} is no longer open: its case has moved on")
    return case


def for_case(session: Session, case_id: int) -> list[RemedyOffer]:
    """The case's offers, newest first."""
    query = select(RemedyOffer).where(RemedyOffer.case_id == case_id)
    return list(session.scalars(query.order_by(RemedyOffer.id.desc())))


def token(offer: RemedyOffer, settings: Settings) -> str:
    """The capability the customer's link carries: the offer's id and expiry, signed."""
    secret = settings.secret_key.get_secret_value()
    return customer_links.token(secret, LINK_SALT, offer.id, offer.expires_at)


def link(offer: RemedyOffer, settings: Settings) -> str:
    """The customer's link, under AMENDS_PUBLIC_URL."""
    return f"{settings.public_url.rstrip('/')}/r/{token(offer, settings)}"


def by_token(session: Session, *, token: str, settings: Settings) -> RemedyOffer:
    """The offer a link names: LinkInvalid when the token was tampered with or is unknown.
    Expiry is for the caller to show (`status_of`); `choose` refuses it."""
    secret = settings.secret_key.get_secret_value()
    return customer_links.find(session, RemedyOffer, secret=secret, salt=LINK_SALT, token=token)


def _iso(moment: datetime) -> str:
    return moment.isoformat()
