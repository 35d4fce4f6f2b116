"""Approval requests: compensation above the requester's authority, approved or refused by
someone whose authority covers it. Each decision is a compare-and-set plus a timeline row."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from amends.cases import service
from amends.cases.actor import Actor
from amends.cases.compensation import AboveAuthority, Grant, record
from amends.cases.events import EventKind
from amends.config import Settings
from amends.lib import clock
from amends.playbooks.authority import AuthorityLimits
from amends.store.tables import ApprovalRequest, ApprovalStatus, Compensation, User

REASON_LIMIT = 2000


class AlreadyDecided(RuntimeError):
    """Someone approved or refused the request first."""


class ReasonRequired(ValueError):
    """A refusal must say why."""


def grant_of(approval: ApprovalRequest) -> Grant:
    return Grant.of(approval)


def why_not(*, user: User, approval: ApprovalRequest, settings: Settings) -> str | None:
    """Why `user` may not decide `approval`, or None when they may."""
    if approval.requested_by_id == user.id:
        return "you asked for this approval; someone else must decide it"
    authority = AuthorityLimits.from_settings(settings)
    wanted = grant_of(approval)
    if not authority.may_grant(user.role, wanted.amount, wanted.kind):
        return (
            f"your role ({user.role.value}) may not grant this {wanted.describe()}; "
            f"it needs a {approval.required_role} or above"
        )
    return None


def approve(
    *,
    session: Session,
    approval: ApprovalRequest,
    user: User,
    settings: Settings,
    reason: str | None = None,
) -> Compensation:
    """Approve as `user` and record the compensation, granted by the requester."""
    _may_decide(user, approval, settings)
    text = _reason(reason)
    _decide(session, approval, user, ApprovalStatus.APPROVED, text)
    actor = Actor(user_id=user.id, name=user.name)
    _event(session, approval, EventKind.APPROVAL_APPROVED, actor, text)
    return record(
        session,
        case_id=approval.case_id,
        grant=grant_of(approval),
        actor=actor,
        granted_by_id=approval.requested_by_id,
        approval_id=approval.id,
    )


def refuse(
    *, session: Session, approval: ApprovalRequest, user: User, reason: str, settings: Settings
) -> ApprovalRequest:
    """Refuse as `user`, saying why: ReasonRequired without a reason."""
    _may_decide(user, approval, settings)
    text = _reason(reason)
    if text is None:
        raise ReasonRequired("a refusal needs a reason")
    _decide(session, approval, user, ApprovalStatus.REFUSED, text)
    actor = Actor(user_id=user.id, name=user.name)
    _event(session, approval, EventKind.APPROVAL_REFUSED, actor, text)
    return approval


def _may_decide(user: User, approval: ApprovalRequest, settings: Settings) -> None:
    if approval.status is not ApprovalStatus.PENDING:
        raise AlreadyDecided(f"approval request {approval.id} is already {approval.status.value}")
    problem = why_not(user=user, approval=approval, settings=settings)
    if problem:
        raise AboveAuthority(problem)


def _reason(reason: str | None) -> str | None:
    text = (reason or "").strip()
    if len(text) > REASON_LIMIT:
        raise ReasonRequired(f"a reason may have at most {REASON_LIMIT} characters")
    return text or None


def _decide(
    session: Session,
    approval: ApprovalRequest,
    user: User,
    status: ApprovalStatus,
    reason: str | None,
) -> None:
    result = session.execute(
        update(ApprovalRequest)
        .where(ApprovalRequest.id == approval.id, ApprovalRequest.status == ApprovalStatus.PENDING)
        .values(
            status=status, decided_by_id=user.id, decided_at=clock.now(), decision_reason=reason
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyDecided(f"approval request {approval.id} was decided by someone else")
    session.refresh(approval)


def _event(
    session: Session, approval: ApprovalRequest, kind: EventKind, actor: Actor, reason: str | None
) -> None:
    data = {"approval_id": approval.id, **grant_of(approval).as_data(), "reason": reason}
    service.record(session, case_id=approval.case_id, kind=kind, actor=actor, data=data)


def get(session: Session, approval_id: int) -> ApprovalRequest | None:
    return session.get(ApprovalRequest, approval_id)


def requests(
    session: Session,
    *,
    status: ApprovalStatus | None = ApprovalStatus.PENDING,
    case_id: int | None = None,
    limit: int = 200,
) -> list[ApprovalRequest]:
    """Approval requests, oldest first (the queue's order): pending ones by default, any
    status when `status` is None."""
    query = select(ApprovalRequest).order_by(ApprovalRequest.id).limit(limit)
    if status is not None:
        query = query.where(ApprovalRequest.status == status)
    if case_id is not None:
        query = query.where(ApprovalRequest.case_id == case_id)
    return list(session.scalars(query))
