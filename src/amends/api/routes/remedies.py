"""Compensation, approvals and remedy offers. Authority is checked by the cases capability,
as on the web pages and the command line; this only maps its refusals to status codes."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response, status
from sqlalchemy.orm import Session

from amends.accounts.permissions import Action
from amends.api.errors import (
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    UNAUTHORIZED,
    conflict,
    invalid,
    not_found,
)
from amends.api.schemas.remedies import (
    ApprovalApprove,
    ApprovalDecided,
    ApprovalPublic,
    ApprovalRefuse,
    ApprovalsPublic,
    ChoiceCreate,
    CompensationCreate,
    CompensationPublic,
    CompensationsPublic,
    GrantResult,
    OfferCreate,
    OfferPublic,
    OffersPublic,
    OptionPublic,
)
from amends.cases import approvals, compensation, offers, service, states
from amends.cases.approvals import AlreadyDecided, ReasonRequired
from amends.cases.compensation import AboveAuthority, RemedyRefused
from amends.cases.offers import OfferClosed, OfferExpired, OptionIn
from amends.config import Settings
from amends.deps import ApiUser, SessionDep, SettingsDep, actor_of, get_case_for_user, require
from amends.store.tables import ApprovalRequest, ApprovalStatus, OfferStatus, RemedyOffer

router = APIRouter(tags=["remedies"], responses=UNAUTHORIZED | NOT_FOUND)
_WRITE = FORBIDDEN | CONFLICT
_ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"model": GrantResult, "description": "Above your authority: sent for approval."}
}


def _forbidden(exc: AboveAuthority) -> HTTPException:
    return HTTPException(status.HTTP_403_FORBIDDEN, detail=str(exc))


@router.post(
    "/cases/{case_id}/compensation",
    status_code=status.HTTP_201_CREATED,
    summary="Grant compensation, or ask for approval above your authority",
    responses=FORBIDDEN | _ACCEPTED,
)
def grant(
    case_id: int,
    body: CompensationCreate,
    session: SessionDep,
    user: ApiUser,
    settings: SettingsDep,
    response: Response,
) -> GrantResult:
    """201 when within your authority; 202 with the approval request when not. 422 when the
    case's playbook does not offer the kind, or the amount is above its cap."""
    require(user, Action.CASE_WORK)
    case = get_case_for_user(session, user, case_id, write=True)
    try:
        outcome = compensation.grant(
            session=session,
            case=case,
            user=user,
            kind=body.kind.value,
            amount=body.amount,
            note=body.note,
            settings=settings,
        )
    except RemedyRefused as exc:
        raise invalid(exc.field, str(exc)) from exc
    if outcome.compensation is not None:
        row = CompensationPublic.model_validate(outcome.compensation)
        return GrantResult(outcome="granted", compensation=row, approval=None)
    response.status_code = status.HTTP_202_ACCEPTED
    approval = ApprovalPublic.model_validate(outcome.approval)
    return GrantResult(outcome="approval_requested", compensation=None, approval=approval)


@router.get("/cases/{case_id}/compensation", summary="Compensation granted on a case")
def list_compensation(case_id: int, session: SessionDep, user: ApiUser) -> CompensationsPublic:
    """Oldest first, with what it cost per currency."""
    require(user, Action.READ)
    case = get_case_for_user(session, user, case_id)
    rows = compensation.for_case(session, case.id)
    return CompensationsPublic(
        compensation=[CompensationPublic.model_validate(row) for row in rows],
        totals=compensation.totals(rows),
    )


def _offer_public(offer: RemedyOffer, settings: Settings) -> OfferPublic:
    current = offers.status_of(offer)
    return OfferPublic(
        id=offer.id,
        case_id=offer.case_id,
        offered_by_id=offer.offered_by_id,
        options=[OptionPublic(**grant.as_data()) for grant in offers.options_of(offer)],
        status=current,
        expires_at=offer.expires_at,
        chosen_option=offer.chosen_option,
        chosen_at=offer.chosen_at,
        chosen_via=offer.chosen_via,
        created_at=offer.created_at,
        link=offers.link(offer, settings) if current is OfferStatus.OPEN else None,
    )


@router.post(
    "/cases/{case_id}/offers",
    status_code=status.HTTP_201_CREATED,
    summary="Offer two or three remedies for the customer to choose from",
    responses=_WRITE,
)
def make_offer(
    case_id: int, body: OfferCreate, session: SessionDep, user: ApiUser, settings: SettingsDep
) -> OfferPublic:
    """Every option must be in the case's playbook, within its cap and within your own
    authority (403 otherwise). Withdraws the case's open offer and moves the case to
    `remedy_offered` (409 when its status does not allow it). The answer holds the link."""
    require(user, Action.CASE_WORK)
    case = get_case_for_user(session, user, case_id, write=True)
    options = [OptionIn(o.kind.value, o.amount, o.note) for o in body.options]
    try:
        offer = offers.make_offer(
            session=session,
            case=case,
            user=user,
            options=options,
            settings=settings,
            valid_for=timedelta(hours=body.valid_for_hours),
        )
    except AboveAuthority as exc:
        raise _forbidden(exc) from exc
    except RemedyRefused as exc:
        raise invalid(exc.field, str(exc)) from exc
    except (states.IllegalTransition, service.ConcurrentChange) as exc:
        raise conflict(str(exc)) from exc
    return _offer_public(offer, settings)


@router.get("/cases/{case_id}/offers", summary="A case's remedy offers, newest first")
def list_offers(
    case_id: int, session: SessionDep, user: ApiUser, settings: SettingsDep
) -> OffersPublic:
    require(user, Action.READ)
    case = get_case_for_user(session, user, case_id)
    found = offers.for_case(session, case.id)
    return OffersPublic(offers=[_offer_public(offer, settings) for offer in found])


@router.post(
    "/cases/{case_id}/offers/{offer_id}/choice",
    summary="Record the option the customer chose",
    responses=_WRITE,
)
def choose(
    case_id: int,
    offer_id: int,
    body: ChoiceCreate,
    session: SessionDep,
    user: ApiUser,
    settings: SettingsDep,
) -> OfferPublic:
    """For a customer who told you rather than use the link. 409 when the offer was already
    chosen, was withdrawn or has expired."""
    require(user, Action.CASE_WORK)
    case = get_case_for_user(session, user, case_id, write=True)
    offer = _offer_of(session, case.id, offer_id)
    try:
        offers.choose(
            session=session, offer=offer, index=body.option, via="agent", actor=actor_of(user)
        )
    except RemedyRefused as exc:
        raise invalid(exc.field, str(exc)) from exc
    except (OfferClosed, OfferExpired, service.ConcurrentChange) as exc:
        raise conflict(str(exc)) from exc
    return _offer_public(offer, settings)


def _offer_of(session: Session, case_id: int, offer_id: int) -> RemedyOffer:
    offer = session.get(RemedyOffer, offer_id)
    if offer is None or offer.case_id != case_id:
        raise not_found(f"offer {offer_id} not found on case {case_id}")
    return offer


@router.get("/approvals", tags=["approvals"], summary="List approval requests")
def list_approvals(
    session: SessionDep,
    user: ApiUser,
    status: Annotated[ApprovalStatus, Query(description="Default: the pending queue.")] = (
        ApprovalStatus.PENDING
    ),
    case_id: Annotated[int | None, Query(description="Only this case's requests.")] = None,
) -> ApprovalsPublic:
    """Oldest first: the order to decide them in."""
    require(user, Action.READ)
    found = approvals.requests(session, status=status, case_id=case_id)
    return ApprovalsPublic(approvals=[ApprovalPublic.model_validate(a) for a in found])


def _approval(session: Session, approval_id: int) -> ApprovalRequest:
    found = approvals.get(session, approval_id)
    if found is None:
        raise not_found(f"approval request {approval_id} not found")
    return found


@router.post(
    "/approvals/{approval_id}/approve",
    tags=["approvals"],
    summary="Approve a request and record the compensation",
    responses=_WRITE,
)
def approve(
    approval_id: int,
    body: ApprovalApprove,
    session: SessionDep,
    user: ApiUser,
    settings: SettingsDep,
) -> ApprovalDecided:
    """403 unless your authority covers the request and you did not make it; 409 when it
    was already decided."""
    require(user, Action.CASE_WORK)
    approval = _approval(session, approval_id)
    try:
        row = approvals.approve(
            session=session, approval=approval, user=user, settings=settings, reason=body.reason
        )
    except AboveAuthority as exc:
        raise _forbidden(exc) from exc
    except AlreadyDecided as exc:
        raise conflict(str(exc)) from exc
    except ReasonRequired as exc:
        raise invalid("reason", str(exc)) from exc
    return ApprovalDecided(
        approval=ApprovalPublic.model_validate(approval),
        compensation=CompensationPublic.model_validate(row),
    )


@router.post(
    "/approvals/{approval_id}/refuse",
    tags=["approvals"],
    summary="Refuse a request, saying why",
    responses=_WRITE,
)
def refuse(
    approval_id: int,
    body: ApprovalRefuse,
    session: SessionDep,
    user: ApiUser,
    settings: SettingsDep,
) -> ApprovalDecided:
    """`reason` is required. 403 and 409 as for approving."""
    require(user, Action.CASE_WORK)
    approval = _approval(session, approval_id)
    try:
        approvals.refuse(
            session=session, approval=approval, user=user, reason=body.reason, settings=settings
        )
    except AboveAuthority as exc:
        raise _forbidden(exc) from exc
    except AlreadyDecided as exc:
        raise conflict(str(exc)) from exc
    except ReasonRequired as exc:
        raise invalid("reason", str(exc)) from exc
    return ApprovalDecided(approval=ApprovalPublic.model_validate(approval), compensation=None)
