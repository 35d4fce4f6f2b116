"""Approving and refusing compensation above the requester's authority."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.cases import approvals, compensation
from amends.cases.approvals import AlreadyDecided, ReasonRequired
from amends.cases.compensation import AboveAuthority
from amends.config import Settings
from amends.store.tables import ApprovalRequest, ApprovalStatus, Compensation, User
from tests.cases.remedy_helpers import event_kinds, last_event, open_case, remedy_settings


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return remedy_settings(db_url, tmp_path)


def _requested(
    session: Session, settings: Settings, user: User, kind: str = "voucher", amount: str = "30"
) -> ApprovalRequest:
    case = open_case(session, settings)
    outcome = compensation.grant(
        session=session, case=case, user=user, kind=kind, amount=amount, settings=settings
    )
    assert outcome.approval is not None
    return outcome.approval


def test_a_lead_approves_and_the_compensation_is_recorded(
    session: Session, settings: Settings, alice: User, bob: User
) -> None:
    request = _requested(session, settings, alice)
    row = approvals.approve(
        session=session, approval=request, user=bob, settings=settings, reason="Loyal customer"
    )
    assert (row.approval_id, row.granted_by_id, row.amount, row.kind) == (
        request.id,
        alice.id,
        Decimal("30.00"),
        "voucher",
    )
    assert (request.status, request.decided_by_id, request.decision_reason) == (
        ApprovalStatus.APPROVED,
        bob.id,
        "Loyal customer",
    )
    assert event_kinds(session, request.case_id)[-3:] == [
        "case:approval:requested",
        "case:approval:approved",
        "case:compensation:granted",
    ]
    approved = last_event(session, request.case_id, "case:approval:approved")
    assert (approved.actor_id, approved.data["reason"]) == (bob.id, "Loyal customer")


def test_a_refusal_needs_a_reason_and_is_recorded(
    session: Session, settings: Settings, alice: User, bob: User
) -> None:
    request = _requested(session, settings, alice)
    with pytest.raises(ReasonRequired):
        approvals.refuse(
            session=session, approval=request, user=bob, reason="  ", settings=settings
        )
    assert request.status is ApprovalStatus.PENDING
    approvals.refuse(
        session=session,
        approval=request,
        user=bob,
        reason="Voucher sent last week",
        settings=settings,
    )
    assert (request.status, request.decision_reason) == (
        ApprovalStatus.REFUSED,
        "Voucher sent last week",
    )
    refused = last_event(session, request.case_id, "case:approval:refused")
    assert (refused.actor_id, refused.data["reason"]) == (bob.id, "Voucher sent last week")
    assert session.scalars(select(Compensation)).all() == []


def test_an_agent_cannot_approve(
    session: Session, settings: Settings, alice: User, bob: User
) -> None:
    request = _requested(session, settings, bob, kind="refund", amount="150")
    with pytest.raises(AboveAuthority, match=r"your role \(agent\) may not grant"):
        approvals.approve(session=session, approval=request, user=alice, settings=settings)


def test_a_lead_cannot_approve_above_their_own_limit(
    session: Session, settings: Settings, alice: User, bob: User, carol: User
) -> None:
    request = _requested(session, settings, alice, kind="refund", amount="150")
    assert request.required_role == "manager"
    with pytest.raises(AboveAuthority, match="needs a manager or above"):
        approvals.approve(session=session, approval=request, user=bob, settings=settings)
    approvals.approve(session=session, approval=request, user=carol, settings=settings)
    assert request.status is ApprovalStatus.APPROVED


def test_nobody_approves_their_own_request(
    session: Session, settings: Settings, db_url: str, tmp_path: Path, bob: User
) -> None:
    request = _requested(session, settings, bob, kind="refund", amount="150")
    raised = remedy_settings(db_url, tmp_path, authority_limits={"lead": 200, "manager": 500})
    with pytest.raises(AboveAuthority, match="someone else must decide"):
        approvals.approve(session=session, approval=request, user=bob, settings=raised)


def test_a_request_is_decided_once(
    session: Session, settings: Settings, alice: User, bob: User, carol: User
) -> None:
    request = _requested(session, settings, alice)
    approvals.approve(session=session, approval=request, user=bob, settings=settings)
    with pytest.raises(AlreadyDecided):
        approvals.refuse(
            session=session, approval=request, user=carol, reason="No", settings=settings
        )
    assert len(session.scalars(select(Compensation)).all()) == 1


def test_the_queue_holds_pending_requests_oldest_first(
    session: Session, settings: Settings, alice: User, bob: User
) -> None:
    first, second = _requested(session, settings, alice), _requested(session, settings, alice)
    assert approvals.requests(session) == [first, second]
    approvals.refuse(session=session, approval=first, user=bob, reason="No", settings=settings)
    assert approvals.requests(session) == [second]
    assert approvals.requests(session, status=ApprovalStatus.REFUSED) == [first]
    assert approvals.requests(session, status=None, case_id=second.case_id) == [second]
