"""Change a case: status, owner, notes. Each change is a compare-and-set plus a timeline row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from amends.cases import states, timers
from amends.cases.actor import Actor
from amends.cases.events import EventKind
from amends.lib import clock
from amends.store.tables import Case, CaseStatus, TimelineEvent

_OUTCOMES = frozenset({CaseStatus.CLOSED})


class ConcurrentChange(RuntimeError):
    """Someone else changed the case between our read and our write; reload and try again."""


def record(
    session: Session, *, case_id: int, kind: EventKind, actor: Actor, data: dict[str, Any]
) -> None:
    session.execute(
        insert(TimelineEvent).values(
            case_id=case_id,
            kind=kind.value,
            actor_id=actor.user_id,
            actor=actor.name,
            at=clock.now(),
            data=data,
        )
    )


def transition(*, session: Session, case: Case, to: CaseStatus, actor: Actor) -> Case:
    """Move `case` to `to` if the state machine allows it and nobody moved it meanwhile."""
    current = case.status
    states.check(current, to)
    now = clock.now()
    values: dict[str, Any] = {"status": to, "updated_at": now}
    if to in _OUTCOMES:
        values["closed_at"] = now
    elif to is CaseStatus.REOPENED:
        values["closed_at"] = None
    # Acknowledging tells the customer we heard them: that is the first response.
    answered = to is CaseStatus.ACKNOWLEDGED and case.first_responded_at is None
    if answered:
        values |= {"first_responded_at": now, "last_contact_at": now}
    result = session.execute(
        update(Case)
        .where(Case.id == case.id, Case.status == current)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentChange(f"case {case.id} changed while you were working on it")
    data = {"from": current.value, "to": to.value}
    record(session, case_id=case.id, kind=EventKind.STATUS_CHANGED, actor=actor, data=data)
    if to not in states.OPEN:
        timers.cancel(session, [case.id], now=now)
    elif to is CaseStatus.REMEDY_DONE:
        timers.wait_for_follow_up(session, case.id, now=now)
    elif answered:
        timers.cancel(session, [case.id], now=now, kinds=timers.FIRST_RESPONSE)
    session.refresh(case)
    return case


def assign(*, session: Session, case: Case, owner_id: int | None, actor: Actor) -> Case:
    previous = case.owner_id
    if previous == owner_id:
        return case
    result = session.execute(
        update(Case)
        .where(Case.id == case.id, _same_owner(previous))
        .values(owner_id=owner_id, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentChange(f"case {case.id} was reassigned while you were working on it")
    data = {"from": previous, "to": owner_id}
    record(session, case_id=case.id, kind=EventKind.ASSIGNED, actor=actor, data=data)
    session.refresh(case)
    return case


def _same_owner(owner_id: int | None) -> Any:
    return Case.owner_id.is_(None) if owner_id is None else Case.owner_id == owner_id


def add_note(*, session: Session, case: Case, text: str, actor: Actor) -> None:
    body = text.strip()
    if not body:
        raise ValueError("a note needs some text")
    record(session, case_id=case.id, kind=EventKind.NOTE_ADDED, actor=actor, data={"text": body})
    session.execute(update(Case).where(Case.id == case.id).values(updated_at=clock.now()))
