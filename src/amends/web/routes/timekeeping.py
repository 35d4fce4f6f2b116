"""From the case page: record a message to the customer, escalate the case. Each answers
with a redirect back to the case and a message saying what happened or why not."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response, status
from fastapi.responses import RedirectResponse

from amends import deps
from amends.cases import playbook_set
from amends.cases.contact import record_contact
from amends.cases.escalate import by_hand
from amends.lib import clock
from amends.playbooks.schema import EscalationTarget
from amends.web.auth import CurrentUser, WebSession
from amends.web.flash import flash
from amends.web.routes import web_router

router = web_router()

CHANNELS = frozenset({"email", "phone", "chat", "social", "letter"})


@router.post("/cases/{case_id}/contacts")
def add_contact(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    channel: Annotated[str, Form()] = "email",
) -> Response:
    case = deps.get_case_for_user(session, user, case_id, write=True)
    if channel not in CHANNELS:
        flash(request, "error", "Not recorded: pick how the customer was contacted.")
        return _back(case_id)
    first = case.first_responded_at is None
    record_contact(
        session,
        case=case,
        actor=deps.actor_of(user),
        playbooks=playbook_set.current(settings),
        at=clock.now(),
        channel=channel,
    )
    said = "First response recorded." if first else "Contact recorded."
    flash(request, "ok", said + " The update clock starts again.")
    return _back(case_id)


@router.post("/cases/{case_id}/escalations")
def escalate(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    to: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    case = deps.get_case_for_user(session, user, case_id, write=True)
    try:
        target = EscalationTarget(to)
        by_hand(
            session,
            case=case,
            to=target,
            reason=reason,
            actor=deps.actor_of(user),
            teams=playbook_set.current(settings).teams,
            now=clock.now(),
        )
    except ValueError as error:
        flash(request, "error", f"Not escalated: {_why(error, to)}.")
    else:
        flash(request, "ok", f"Escalated to {target.value.replace('_', ' ')}; they are notified.")
    return _back(case_id)


def _why(error: ValueError, to: str) -> str:
    if to not in {target.value for target in EscalationTarget}:
        return "pick the senior-review queue, the team lead or a manager"
    return str(error)


def _back(case_id: int) -> Response:
    return RedirectResponse(f"/cases/{case_id}", status_code=status.HTTP_303_SEE_OTHER)
