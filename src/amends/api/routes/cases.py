"""Cases: the inbox, one case with its items and timeline, and the changes agents make."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from sqlalchemy.orm import Session

from amends.accounts.permissions import Action
from amends.api.errors import (
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    UNAUTHORIZED,
    conflict,
    invalid,
    problem,
    unprocessable,
)
from amends.api.schemas.cases import (
    CaseAssign,
    CaseDetail,
    CasePublic,
    CasesPublic,
    CaseStatusChange,
    NoteCreate,
    RootCauseSet,
    TimelineEventPublic,
    TimelinePublic,
)
from amends.api.schemas.feedback import FeedbackPublic
from amends.cases import playbook_set, queries, root_cause, service, states
from amends.cases.clocks import ClockState
from amends.cases.root_cause import RootCauseMissing
from amends.deps import ApiUser, SessionDep, SettingsDep, actor_of, get_case_for_user, require
from amends.store.tables import Case, CaseStatus, Priority, Sentiment, User

router = APIRouter(prefix="/cases", tags=["cases"], responses=UNAUTHORIZED | NOT_FOUND)
_WRITE = FORBIDDEN | CONFLICT

OWNER_HELP = "A user id, `me`, or `none` for unassigned cases."
SLA_HELP = "Open cases with a clock `breached`, or `due_soon` and none breached."


def _owner_filter(owner: str | None, user: User) -> tuple[int | None, bool]:
    """The `owner` parameter as (owner_id, unassigned)."""
    if owner is None:
        return None, False
    if owner == "me":
        return user.id, False
    if owner == "none":
        return None, True
    if owner.isdigit():
        return int(owner), False
    raise unprocessable([problem(["owner"], OWNER_HELP, where="query")])


@router.get("", summary="List cases")
def list_cases(
    session: SessionDep,
    user: ApiUser,
    status: Annotated[list[CaseStatus] | None, Query()] = None,
    priority: Annotated[list[Priority] | None, Query()] = None,
    channel: Annotated[list[str] | None, Query()] = None,
    owner: Annotated[str | None, Query(description=OWNER_HELP)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in a title or item.")] = None,
    category: Annotated[list[str] | None, Query(description="Triage category.")] = None,
    sentiment: Annotated[list[Sentiment] | None, Query()] = None,
    emotion: Annotated[list[str] | None, Query(description="Main emotion, e.g. anger.")] = None,
    min_risk: Annotated[int | None, Query(ge=0, le=100, description="Risk at least.")] = None,
    sla: Annotated[Literal["breached", "due_soon"] | None, Query(description=SLA_HELP)] = None,
    sort: Annotated[
        queries.Order, Query(description="`newest` first, or `risk`: riskiest first.")
    ] = queries.Order.NEWEST,
    cursor: Annotated[
        int | None, Query(ge=1, description="`next_cursor` of the last page.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=queries.MAX_PAGE)] = 50,
) -> CasesPublic:
    """Newest or riskiest first. Repeat a filter (`status=new&status=reopened`) to match any."""
    require(user, Action.READ)
    owner_id, unassigned = _owner_filter(owner, user)
    filters = queries.CaseFilter(
        status=status or (),
        priority=priority or (),
        channel=channel or (),
        owner_id=owner_id,
        unassigned=unassigned,
        q=q.strip() if q and q.strip() else None,
        category=category or (),
        sentiment=[value.value for value in sentiment or ()],
        emotion=emotion or (),
        min_risk=min_risk,
        sla=ClockState(sla) if sla else None,
    )
    page = queries.list_cases(session, filters, cursor=cursor, limit=limit, order=sort)
    return CasesPublic.model_validate(page, from_attributes=True)


def _detail(session: Session, case: Case) -> CaseDetail:
    return CaseDetail(
        **CasePublic.model_validate(case).model_dump(),
        next_statuses=states.allowed(case.status),
        items=[FeedbackPublic.model_validate(i) for i in queries.case_items(session, case.id)],
        timeline=[
            TimelineEventPublic.model_validate(e) for e in queries.timeline(session, case.id)
        ],
    )


@router.get("/{case_id}", summary="Read a case with its items and timeline")
def get_case(case_id: int, session: SessionDep, user: ApiUser) -> CaseDetail:
    require(user, Action.READ)
    return _detail(session, get_case_for_user(session, user, case_id))


@router.get("/{case_id}/timeline", summary="Read a case's timeline")
def get_timeline(case_id: int, session: SessionDep, user: ApiUser) -> TimelinePublic:
    """Oldest first: the order things happened in."""
    require(user, Action.READ)
    case = get_case_for_user(session, user, case_id)
    events = queries.timeline(session, case.id)
    return TimelinePublic(events=[TimelineEventPublic.model_validate(e) for e in events])


@router.post("/{case_id}/status", summary="Move a case to another status", responses=_WRITE)
def change_status(
    case_id: int,
    change: CaseStatusChange,
    session: SessionDep,
    settings: SettingsDep,
    user: ApiUser,
) -> CaseDetail:
    """409 when the state machine does not allow the move (the message lists what it does), or
    when the case's playbook asks for its root cause before it is settled."""
    require(user, Action.CASE_WORK)
    case = get_case_for_user(session, user, case_id, write=True)
    playbooks = playbook_set.current(settings)
    try:
        root_cause.move(
            session, case=case, to=change.status, actor=actor_of(user), playbooks=playbooks
        )
    except (states.IllegalTransition, service.ConcurrentChange, RootCauseMissing) as exc:
        raise conflict(str(exc)) from exc
    return _detail(session, case)


@router.post("/{case_id}/assign", summary="Give a case an owner", responses=_WRITE)
def assign(case_id: int, change: CaseAssign, session: SessionDep, user: ApiUser) -> CaseDetail:
    """Agents may take a case or give it up; assigning someone else takes a lead."""
    require(user, Action.CASE_WORK)
    case = get_case_for_user(session, user, case_id, write=True)
    owner_id = change.owner_id
    if owner_id is not None and owner_id != user.id:
        require(user, Action.CASE_ASSIGN_OTHERS)
        _check_assignee(session, owner_id)
    try:
        service.assign(session=session, case=case, owner_id=owner_id, actor=actor_of(user))
    except service.ConcurrentChange as exc:
        raise conflict(str(exc)) from exc
    return _detail(session, case)


def _check_assignee(session: Session, user_id: int) -> None:
    assignee = session.get(User, user_id)
    if assignee is None or not assignee.is_active:
        raise invalid("owner_id", f"no active user with id {user_id}")


@router.put("/{case_id}/root-cause", summary="Set a case's root cause", responses=FORBIDDEN)
def put_root_cause(
    case_id: int, change: RootCauseSet, session: SessionDep, user: ApiUser
) -> CaseDetail:
    """Replaces the earlier one, if any; both are on the timeline."""
    require(user, Action.CASE_WORK)
    case = get_case_for_user(session, user, case_id, write=True)
    root_cause.set_root_cause(
        session, case=case, cause=change.cause, note=change.note, actor=actor_of(user)
    )
    return _detail(session, case)


@router.post(
    "/{case_id}/notes",
    status_code=status.HTTP_201_CREATED,
    summary="Add an internal note",
    responses=FORBIDDEN,
)
def add_note(
    case_id: int, note: NoteCreate, session: SessionDep, user: ApiUser
) -> TimelineEventPublic:
    """The note is a timeline event; it is never shown to the customer."""
    require(user, Action.CASE_WORK)
    case = get_case_for_user(session, user, case_id, write=True)
    try:
        service.add_note(session=session, case=case, text=note.text, actor=actor_of(user))
    except ValueError as exc:
        raise invalid("text", str(exc)) from exc
    return TimelineEventPublic.model_validate(queries.timeline(session, case.id)[-1])
