"""The senior-review queue (leads and above) and taking a case out of it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response, status
from fastapi.responses import RedirectResponse

from amends import deps
from amends.accounts import service as accounts
from amends.cases import review
from amends.cases.service import ConcurrentChange
from amends.web.auth import CurrentUser, WebSession, safe_next
from amends.web.flash import flash
from amends.web.routes import web_router
from amends.web.templating import page

router = web_router()


@router.get("/review")
def queue_page(request: Request, session: WebSession, user: CurrentUser) -> Response:
    deps.require(user, review.REVIEW)
    cases = review.queue(session)
    context = {
        "user": user,
        "cases": cases,
        "waiting": review.waiting(session),
        "reasons": review.reasons(session, [case.id for case in cases]),
        "users": {person.id: person for person in accounts.list_users(session)},
    }
    return page(request, "review/queue.html", context)


@router.post("/cases/{case_id}/review")
def mark_reviewed(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    note: Annotated[str, Form(max_length=review.NOTE_LIMIT)] = "",
    next_url: Annotated[str, Form(alias="next")] = "",
) -> Response:
    deps.require(user, review.REVIEW)
    case = deps.get_case_for_user(session, user, case_id, write=True)
    try:
        review.mark_reviewed(session=session, case=case, actor=deps.actor_of(user), note=note)
    except (review.NotQueued, ConcurrentChange) as exc:
        flash(request, "error", f"Not changed: {exc}.")
    else:
        flash(request, "ok", f"Case #{case.id} reviewed: it left the senior-review queue.")
    back = safe_next(next_url or f"/cases/{case_id}")
    return RedirectResponse(back, status_code=status.HTTP_303_SEE_OTHER)
