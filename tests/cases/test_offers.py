"""Remedy offers: two or three options within authority, a signed expiring link, one choice."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.cases import offers, service
from amends.cases.actor import Actor
from amends.cases.compensation import AboveAuthority, RemedyRefused
from amends.cases.offers import LinkInvalid, OfferClosed, OfferExpired, OptionIn
from amends.config import Settings
from amends.lib import clock
from amends.store.tables import Case, CaseStatus, Compensation, OfferStatus, RemedyOffer, User
from tests.cases.remedy_helpers import event_kinds, last_event, open_case, remedy_settings

TWO = [OptionIn("voucher", "20", "For your next order"), OptionIn("partial_credit", "15")]


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return remedy_settings(db_url, tmp_path, public_url="https://care.example.com/")


def _offer(session: Session, settings: Settings, user: User) -> RemedyOffer:
    case = open_case(session, settings)
    return offers.make_offer(session=session, case=case, user=user, options=TWO, settings=settings)


def _actor(user: User) -> Actor:
    return Actor(user_id=user.id, name=user.name)


def _status(session: Session, case_id: int) -> CaseStatus:
    session.expire_all()
    case = session.get(Case, case_id)
    assert case is not None
    return case.status


def test_it_offers_remedies_and_moves_the_case(
    session: Session, settings: Settings, alice: User
) -> None:
    offer = _offer(session, settings, alice)
    assert offer.status is OfferStatus.OPEN
    assert offer.options == [
        {"kind": "voucher", "amount": "20.00", "currency": "USD", "note": "For your next order"},
        {"kind": "partial_credit", "amount": "15.00", "currency": "USD", "note": None},
    ]
    assert offer.expires_at - clock.now() > timedelta(days=6)
    assert _status(session, offer.case_id) is CaseStatus.REMEDY_OFFERED
    event = last_event(session, offer.case_id, "case:remedy:offered")
    assert (event.actor_id, event.data["offer_id"]) == (alice.id, offer.id)


def test_each_option_must_be_within_the_offerers_authority(
    session: Session, settings: Settings, alice: User
) -> None:
    case = open_case(session, settings)
    options = [OptionIn("voucher", "20"), OptionIn("refund", "10")]
    with pytest.raises(AboveAuthority, match=r"refund of 10\.00 USD is above your authority"):
        offers.make_offer(
            session=session, case=case, user=alice, options=options, settings=settings
        )
    assert _status(session, case.id) is CaseStatus.NEW


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([OptionIn("voucher", "20")], "offer 2 or 3 remedies, not 1"),
        ([OptionIn("voucher", "20"), OptionIn("voucher", "10")], "each kind of remedy once"),
        ([OptionIn("voucher", "40"), OptionIn("apology")], "above the playbook's cap"),
        ([OptionIn("replacement", "5"), OptionIn("apology")], "not a remedy of the playbook"),
    ],
)
def test_it_refuses_an_offer_the_playbook_does_not_allow(
    session: Session, settings: Settings, carol: User, options: list[OptionIn], message: str
) -> None:
    case = open_case(session, settings)
    with pytest.raises(RemedyRefused, match=message):
        offers.make_offer(
            session=session, case=case, user=carol, options=options, settings=settings
        )


def test_the_customer_chooses_through_the_link_once(
    session: Session, settings: Settings, alice: User
) -> None:
    offer = _offer(session, settings, alice)
    url = offers.link(offer, settings)
    assert url.startswith("https://care.example.com/r/")
    found = offers.by_token(session, token=url.rsplit("/", 1)[1], settings=settings)
    offers.choose(session=session, offer=found, index=0, via="link", actor=offers.CUSTOMER)
    assert (offer.status, offer.chosen_option, offer.chosen_via) == (OfferStatus.CHOSEN, 0, "link")
    row = session.scalars(select(Compensation)).one()
    assert (row.kind, row.amount, row.granted_by_id, row.offer_id) == (
        "voucher",
        Decimal("20.00"),
        alice.id,
        offer.id,
    )
    assert _status(session, offer.case_id) is CaseStatus.REMEDY_ACCEPTED
    assert event_kinds(session, offer.case_id)[-3:] == [
        "case:remedy:chosen",
        "case:compensation:granted",
        "case:status:change",
    ]
    with pytest.raises(OfferClosed, match="chosen"):
        offers.choose(session=session, offer=found, index=1, via="link", actor=offers.CUSTOMER)


def test_the_agent_records_the_customers_choice(
    session: Session, settings: Settings, alice: User
) -> None:
    case = open_case(session, settings)
    options = [OptionIn("apology"), OptionIn("voucher", "10")]
    offer = offers.make_offer(
        session=session, case=case, user=alice, options=options, settings=settings
    )
    offers.choose(session=session, offer=offer, index=0, via="agent", actor=_actor(alice))
    chosen = last_event(session, case.id, "case:remedy:chosen")
    assert (chosen.actor_id, chosen.data["kind"], chosen.data["via"]) == (
        alice.id,
        "apology",
        "agent",
    )
    # An apology costs nothing: it is recorded on the offer, not as compensation.
    assert session.scalars(select(Compensation)).all() == []
    assert _status(session, case.id) is CaseStatus.REMEDY_ACCEPTED


def test_a_tampered_link_is_refused(session: Session, settings: Settings, alice: User) -> None:
    offer = _offer(session, settings, alice)
    good = offers.token(offer, settings)
    other = Settings(database_url=settings.database_url, secret_key="another-secret-entirely")
    forged = offers.token(offer, other)
    for bad in (good[:-2] + ("AA" if not good.endswith("AA") else "BB"), forged, "x", ""):
        with pytest.raises(LinkInvalid):
            offers.by_token(session, token=bad, settings=settings)


def test_an_expired_offer_takes_no_choice(
    session: Session, settings: Settings, alice: User
) -> None:
    offer = _offer(session, settings, alice)
    token = offers.token(offer, settings)
    found = offers.by_token(session, token=token, settings=settings)
    with time_machine.travel(offer.expires_at + timedelta(seconds=1), tick=False):
        assert offers.status_of(found) is OfferStatus.EXPIRED
        with pytest.raises(OfferExpired):
            offers.choose(session=session, offer=found, index=0, via="link", actor=offers.CUSTOMER)
    assert offer.status is OfferStatus.OPEN
    assert _status(session, offer.case_id) is CaseStatus.REMEDY_OFFERED


def test_a_new_offer_withdraws_the_open_one(
    session: Session, settings: Settings, alice: User
) -> None:
    first = _offer(session, settings, alice)
    case = session.get(Case, first.case_id)
    assert case is not None
    options = [OptionIn("apology"), OptionIn("voucher", "25")]
    second = offers.make_offer(
        session=session, case=case, user=alice, options=options, settings=settings
    )
    assert (first.status, second.status) == (OfferStatus.WITHDRAWN, OfferStatus.OPEN)
    assert "case:remedy:withdrawn" in event_kinds(session, case.id)
    assert offers.for_case(session, case.id) == [second, first]
    with pytest.raises(OfferClosed, match="withdrawn"):
        offers.choose(session=session, offer=first, index=0, via="link", actor=offers.CUSTOMER)


def test_an_offer_whose_case_moved_on_takes_no_choice(
    session: Session, settings: Settings, alice: User
) -> None:
    offer = _offer(session, settings, alice)
    case = session.get(Case, offer.case_id)
    assert case is not None
    service.transition(session=session, case=case, to=CaseStatus.INVESTIGATING, actor=_actor(alice))
    with pytest.raises(OfferClosed, match="moved on"):
        offers.choose(session=session, offer=offer, index=0, via="link", actor=offers.CUSTOMER)
