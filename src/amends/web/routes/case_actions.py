"""Change a case from its page: status, owner, internal notes. Each answers with a redirect
back to the case (POST-redirect-GET) and a message saying what happened or why not."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response, status
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from amends import deps
from amends.accounts import service as accounts
from amends.accounts.permissions import Action
from amends.cases import playbook_set, root_cause, service
from amends.cases.root_cause import RootCauseMissing
from amends.cases.service import ConcurrentChange
from amends.cases.states import IllegalTransition
from amends.store.tables import CaseStatus, RootCause, User
from amends.web.auth import CurrentUser, WebSession
from amends.web.flash import flash
from amends.web.formatting import label
from amends.web.routes import web_router

router = web_router()

NOTE_LIMIT = 10_000
RELOADED = "The page now shows the case as it is; check it and try again."


class Refused(Exception):
    """A change the user asked for and may not make, or that no longer makes sense."""


@router.post("/cases/{case_id}/status")
def change_status(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    to: Annotated[str, Form()],
    seen: Annotated[str, Form(alias="from")] = "",
) -> Response:
    case = deps.get_case_for_user(session, user, case_id, write=True)
    try:
        target = _status(to)
        if seen and seen != case.status.value:
            moved = label(case.status)
            raise Refused(f"Not changed: the case moved to {moved} meanwhile. {RELOADED}")
        playbooks = playbook_set.current(settings)
        actor = deps.actor_of(user)
        root_cause.move(session, case=case, to=target, actor=actor, playbooks=playbooks)
    except (IllegalTransition, ConcurrentChange, RootCauseMissing, Refused) as exc:
        flash(request, "error", _not_changed(exc))
    else:
        flash(request, "ok", f"Case #{case.id} is now {label(target)}.")
    return _back(case_id)


def _status(value: str) -> CaseStatus:
    try:
        return CaseStatus(value)
    except ValueError:
        raise Refused(f"Not changed: {value!r} is not a case status.") from None


def _not_changed(exc: Exception) -> str:
    """IllegalTransition names where the case may go; ConcurrentChange means a stale page."""
    if isinstance(exc, ConcurrentChange):
        return f"Not changed: {exc}. {RELOADED}"
    if isinstance(exc, IllegalTransition | RootCauseMissing):
        return f"Not changed: {exc}."
    return str(exc)


@router.post("/cases/{case_id}/assign")
def assign(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    owner: Annotated[str, Form()],
) -> Response:
    case = deps.get_case_for_user(session, user, case_id, write=True)
    try:
        owner_id = _owner_choice(session, user, owner)
        service.assign(session=session, case=case, owner_id=owner_id, actor=deps.actor_of(user))
    except Refused as exc:
        flash(request, "error", str(exc))
    except ConcurrentChange as exc:
        flash(request, "error", _not_changed(exc))
    else:
        flash(request, "ok", _assigned_message(session, user, owner_id))
    return _back(case_id)


def _owner_choice(session: Session, user: User, owner: str) -> int | None:
    """`me`, `none` (let the case go), or the id of an active user: leads and above only."""
    if owner == "me":
        return user.id
    if owner == "none":
        return None
    deps.require(user, Action.CASE_ASSIGN_OTHERS)
    active = {person.id for person in accounts.list_users(session) if person.is_active}
    if not owner.isdigit() or int(owner) not in active:
        raise Refused("Not assigned: pick an active user from the list.")
    return int(owner)


def _assigned_message(session: Session, user: User, owner_id: int | None) -> str:
    if owner_id is None:
        return "Case unassigned."
    if owner_id == user.id:
        return "Assigned to you."
    names = {person.id: person.name for person in accounts.list_users(session)}
    return f"Assigned to {names.get(owner_id, f'user #{owner_id}')}."


@router.post("/cases/{case_id}/notes")
def add_note(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    text: Annotated[str, Form()] = "",
) -> Response:
    case = deps.get_case_for_user(session, user, case_id, write=True)
    if len(text) > NOTE_LIMIT:
        flash(request, "error", f"Not added: a note may have at most {NOTE_LIMIT:,} characters.")
        return _back(case_id)
    try:
        service.add_note(session=session, case=case, text=text, actor=deps.actor_of(user))
    except ValueError as exc:
        flash(request, "error", f"Not added: {exc}.")
    else:
        flash(request, "ok", "Note added.")
    return _back(case_id, anchor="timeline")


@router.post("/cases/{case_id}/root-cause")
def set_root_cause(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    cause: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    case = deps.get_case_for_user(session, user, case_id, write=True)
    if cause not in set(RootCause):
        flash(request, "error", "Not saved: choose what kind of cause it was.")
        return _back(case_id, anchor="root-cause")
    try:
        root_cause.set_root_cause(
            session, case=case, cause=RootCause(cause), note=note, actor=deps.actor_of(user)
        )
    except ValueError as exc:
        flash(request, "error", f"Not saved: {exc}.")
    else:
        flash(request, "ok", f"Root cause set: {label(cause)}.")
    return _back(case_id, anchor="root-cause")


def _back(case_id: int, anchor: str = "") -> Response:
    url = f"/cases/{case_id}" + (f"#{anchor}" if anchor else "")
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)
