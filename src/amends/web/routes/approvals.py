"""The approvals queue: compensation above someone's authority, approved or refused by a
person whose authority covers it. amends.cases.approvals decides who may."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, HTTPException, Query, Request, Response, status
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from amends import deps
from amends.accounts import service as accounts
from amends.cases import approvals, queries
from amends.cases.approvals import AlreadyDecided, ReasonRequired
from amends.cases.compensation import AboveAuthority
from amends.store.tables import ApprovalRequest, ApprovalStatus, Case
from amends.web.auth import CurrentUser, WebSession
from amends.web.flash import flash
from amends.web.routes import web_router
from amends.web.templating import page

router = web_router()


@router.get("/approvals")
def queue_page(
    request: Request,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    state: Annotated[str, Query(alias="status")] = "pending",
) -> Response:
    shown = ApprovalStatus(state) if state in set(ApprovalStatus) else ApprovalStatus.PENDING
    found = approvals.requests(session, status=shown)
    context = {
        "user": user,
        "shown": shown,
        "statuses": list(ApprovalStatus),
        "requests": found,
        "cases": _cases(session, found),
        "why_not": {
            a.id: approvals.why_not(user=user, approval=a, settings=settings) for a in found
        },
        "users": {person.id: person for person in accounts.list_users(session)},
    }
    return page(request, "approvals/queue.html", context)


def _cases(session: Session, found: list[ApprovalRequest]) -> dict[int, Case]:
    cases = {}
    for case_id in {approval.case_id for approval in found}:
        case = queries.get_case(session, case_id)
        if case is not None:
            cases[case_id] = case
    return cases


@router.post("/approvals/{approval_id}/approve")
def approve(
    request: Request,
    approval_id: int,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    reason: Annotated[str, Form(max_length=approvals.REASON_LIMIT)] = "",
) -> Response:
    approval = _approval(session, approval_id)
    try:
        approvals.approve(
            session=session, approval=approval, user=user, settings=settings, reason=reason
        )
    except (AboveAuthority, AlreadyDecided, ReasonRequired) as exc:
        flash(request, "error", f"Not approved: {exc}.")
    else:
        what = approvals.grant_of(approval).describe()
        flash(request, "ok", f"Approved: {what} on case #{approval.case_id}.")
    return _back()


@router.post("/approvals/{approval_id}/refuse")
def refuse(
    request: Request,
    approval_id: int,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    reason: Annotated[str, Form(max_length=approvals.REASON_LIMIT)] = "",
) -> Response:
    approval = _approval(session, approval_id)
    try:
        approvals.refuse(
            session=session, approval=approval, user=user, reason=reason, settings=settings
        )
    except (AboveAuthority, AlreadyDecided, ReasonRequired) as exc:
        flash(request, "error", f"Not refused: {exc}.")
    else:
        flash(request, "ok", f"Refused request #{approval.id} on case #{approval.case_id}.")
    return _back()


def _approval(session: Session, approval_id: int) -> ApprovalRequest:
    found = approvals.get(session, approval_id)
    if found is None:
        detail = f"approval request {approval_id} not found"
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=detail)
    return found


def _back() -> Response:
    return RedirectResponse("/approvals", status_code=status.HTTP_303_SEE_OTHER)
