"""What moves a case's clocks by hand: a message to the customer, and an escalation."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, status

from amends.accounts.permissions import Action
from amends.api.errors import FORBIDDEN, NOT_FOUND, UNAUTHORIZED, invalid
from amends.api.schemas.cases import TimelineEventPublic
from amends.api.schemas.timekeeping import ContactCreate, EscalationCreate
from amends.cases import playbook_set, queries
from amends.cases.contact import record_contact
from amends.cases.escalate import by_hand
from amends.deps import ApiUser, SessionDep, SettingsDep, actor_of, get_case_for_user, require
from amends.lib import clock

router = APIRouter(prefix="/cases", tags=["cases"], responses=UNAUTHORIZED | NOT_FOUND)

#: How far ahead of the server's clock a contact time may be, for clocks a little apart.
SKEW = timedelta(minutes=2)


@router.post(
    "/{case_id}/contacts",
    status_code=status.HTTP_201_CREATED,
    summary="Record a message to the customer",
    responses=FORBIDDEN,
)
def add_contact(
    case_id: int, contact: ContactCreate, session: SessionDep, settings: SettingsDep, user: ApiUser
) -> TimelineEventPublic:
    """The first one stops the first-response clock; each restarts the interim-update clock
    when the case's playbook sets an update interval (docs/worker.md)."""
    require(user, Action.CASE_WORK)
    case = get_case_for_user(session, user, case_id, write=True)
    now = clock.now()
    at = contact.at or now
    if at > now + SKEW:
        raise invalid("at", "a message cannot have been sent in the future")
    record_contact(
        session,
        case=case,
        actor=actor_of(user),
        playbooks=playbook_set.current(settings),
        at=at,
        channel=contact.channel,
    )
    return TimelineEventPublic.model_validate(queries.timeline(session, case.id)[-1])


@router.post(
    "/{case_id}/escalations",
    status_code=status.HTTP_201_CREATED,
    summary="Escalate a case",
    responses=FORBIDDEN,
)
def add_escalation(
    case_id: int,
    escalation: EscalationCreate,
    session: SessionDep,
    settings: SettingsDep,
    user: ApiUser,
) -> TimelineEventPublic:
    """To the senior-review queue, the team's lead or the managers, who are notified."""
    require(user, Action.CASE_WORK)
    case = get_case_for_user(session, user, case_id, write=True)
    try:
        by_hand(
            session,
            case=case,
            to=escalation.to,
            reason=escalation.reason,
            actor=actor_of(user),
            teams=playbook_set.current(settings).teams,
            now=clock.now(),
        )
    except ValueError as error:
        raise invalid("reason", str(error)) from error
    return TimelineEventPublic.model_validate(queries.timeline(session, case.id)[-1])
