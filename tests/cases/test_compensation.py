"""Granting compensation: the playbook's catalogue and caps, then the granter's authority."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.cases import compensation
from amends.cases.compensation import RemedyRefused
from amends.config import Settings
from amends.store.tables import ApprovalRequest, Compensation, Delivery, Priority, User
from tests.cases.remedy_helpers import event_kinds, last_event, open_case, remedy_settings


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return remedy_settings(db_url, tmp_path)


def _grant(
    session: Session, settings: Settings, user: User, kind: str, amount: str, **case: Any
) -> compensation.Outcome:
    opened = open_case(session, settings, **case)
    return compensation.grant(
        session=session, case=opened, user=user, kind=kind, amount=amount, settings=settings
    )


def test_it_grants_within_the_agents_authority(
    session: Session, settings: Settings, alice: User
) -> None:
    outcome = _grant(session, settings, alice, "voucher", "20")
    row = outcome.compensation
    assert outcome.approval is None
    assert row is not None
    assert (row.kind, row.amount, row.currency, row.granted_by_id, row.approval_id) == (
        "voucher",
        Decimal("20.00"),
        "USD",
        alice.id,
        None,
    )
    event = last_event(session, row.case_id, "case:compensation:granted")
    assert (event.actor_id, event.data["amount"], event.data["kind"]) == (
        alice.id,
        "20.00",
        "voucher",
    )


def test_above_the_agents_limit_it_asks_the_team_lead_to_approve(
    session: Session, settings: Settings, alice: User, bob: User, carol: User
) -> None:
    outcome = _grant(session, settings, alice, "voucher", "30")
    approval = outcome.approval
    assert not outcome.granted
    assert approval is not None
    assert (approval.required_role, approval.requested_by_id, approval.status.value) == (
        "lead",
        alice.id,
        "pending",
    )
    assert session.scalars(select(Compensation)).all() == []
    event = last_event(session, approval.case_id, "case:approval:requested")
    assert event.data["approval_id"] == approval.id
    asked = session.scalars(select(Delivery.user_id).where(Delivery.event == "approval_needed"))
    assert set(asked) == {bob.id}  # the care team's lead, not the manager


def test_without_a_team_lead_it_asks_everyone_of_the_lowest_role_that_may(
    session: Session, settings: Settings, alice: User, carol: User
) -> None:
    outcome = _grant(session, settings, alice, "voucher", "30")
    assert outcome.approval is not None
    asked = session.scalars(select(Delivery.user_id).where(Delivery.event == "approval_needed"))
    assert set(asked) == {carol.id}


def test_a_kind_the_role_may_not_grant_goes_for_approval(
    session: Session, settings: Settings, alice: User
) -> None:
    outcome = _grant(session, settings, alice, "refund", "10")
    assert outcome.approval is not None
    assert outcome.approval.required_role == "lead"


def test_a_lead_grants_a_refund_but_a_large_one_needs_a_manager(
    session: Session, settings: Settings, bob: User
) -> None:
    assert _grant(session, settings, bob, "refund", "100").granted
    outcome = _grant(session, settings, bob, "refund", "150")
    assert outcome.approval is not None
    assert outcome.approval.required_role == "manager"


def test_it_refuses_above_the_playbook_cap_whoever_asks(
    session: Session, settings: Settings, carol: User
) -> None:
    with pytest.raises(RemedyRefused, match="above the playbook's cap of 30 USD for normal"):
        _grant(session, settings, carol, "voucher", "31")
    assert session.scalars(select(ApprovalRequest)).all() == []


def test_the_cap_follows_the_cases_priority(
    session: Session, settings: Settings, carol: User
) -> None:
    assert _grant(session, settings, carol, "voucher", "60", priority=Priority.HIGH).granted


def test_it_refuses_a_kind_the_playbook_does_not_offer(
    session: Session, settings: Settings, carol: User
) -> None:
    with pytest.raises(RemedyRefused, match="replacement is not a remedy of the playbook"):
        _grant(session, settings, carol, "replacement", "10")


def test_the_default_playbook_offers_modest_remedies_only(
    session: Session, settings: Settings, carol: User
) -> None:
    with pytest.raises(RemedyRefused, match="not a remedy of the playbook 'default'"):
        _grant(session, settings, carol, "upgrade", "5", playbook="default")
    assert _grant(session, settings, carol, "voucher", "5", playbook="default").granted
    assert _grant(session, settings, carol, "apology", "0", playbook="default").granted


def test_without_a_playbook_any_kind_goes_up_to_authority(
    session: Session, settings: Settings, alice: User
) -> None:
    assert _grant(session, settings, alice, "replacement", "25", playbook=None).granted


@pytest.mark.parametrize(
    ("kind", "amount", "message"),
    [
        ("voucher", "0", "needs an amount above 0"),
        ("voucher", "-5", "0 or more"),
        ("voucher", "1.234", "at most two decimals"),
        ("voucher", "ten", "not an amount"),
        ("apology", "5", "costs no money"),
        ("hug", "0", "not a kind of remedy"),
    ],
)
def test_it_refuses_what_is_not_a_remedy(
    session: Session, settings: Settings, alice: User, kind: str, amount: str, message: str
) -> None:
    with pytest.raises(RemedyRefused, match=message):
        _grant(session, settings, alice, kind, amount)


def test_an_apology_is_recorded_without_money(
    session: Session, settings: Settings, alice: User
) -> None:
    row = _grant(session, settings, alice, "apology", "0").compensation
    assert row is not None
    assert row.amount == Decimal(0)


def test_a_senior_callback_needs_a_manager(session: Session, settings: Settings, bob: User) -> None:
    outcome = _grant(session, settings, bob, "senior_callback", "0")
    assert outcome.approval is not None
    assert outcome.approval.required_role == "manager"


def test_it_totals_the_cost_per_currency(session: Session, settings: Settings, alice: User) -> None:
    case = open_case(session, settings)
    for amount in ("10", "12.50"):
        compensation.grant(
            session=session, case=case, user=alice, kind="voucher", amount=amount, settings=settings
        )
    rows = compensation.for_case(session, case.id)
    assert compensation.totals(rows) == {"USD": Decimal("22.50")}
    assert event_kinds(session, case.id).count("case:compensation:granted") == 2
