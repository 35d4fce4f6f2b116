"""Record that the customer heard from us: the first response, then each interim update.

The first contact stops the first-response clock. Each contact restarts the interim-update
clock, when the playbook sets an update interval, counted on the playbook's own clock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from amends.cases import timers
from amends.cases.actor import Actor
from amends.cases.events import EventKind
from amends.cases.playbook_set import PlaybookSet
from amends.cases.service import record
from amends.playbooks.sla import next_update_due
from amends.store.tables import Case, TimerKind


def record_contact(
    session: Session,
    *,
    case: Case,
    actor: Actor,
    playbooks: PlaybookSet,
    at: datetime,
    channel: str | None = None,
) -> Case:
    """Note a message sent to the customer at `at` (by `channel`, when known)."""
    first = case.first_responded_at is None
    sla = playbooks.sla_of(case.playbook)
    next_due = next_update_due(sla, at)
    values: dict[str, object] = {"last_contact_at": at, "next_update_due_at": next_due}
    if first:
        values["first_responded_at"] = at
    session.execute(
        update(Case)
        .where(Case.id == case.id)
        .values(**values, updated_at=at)
        .execution_options(synchronize_session=False)
    )
    stopped = (*timers.UPDATE, *(timers.FIRST_RESPONSE if first else ()))
    timers.cancel(session, [case.id], now=at, kinds=stopped)
    if next_due is not None:
        planned = timers.for_target(
            case.id, TimerKind.UPDATE_BREACH, start=at, due_at=next_due, sla=sla
        )
        timers.plan(session, planned, now=at)
    data: dict[str, object] = {"first": first, "channel": channel}
    if next_due is not None:
        data["next_update_due_at"] = next_due.isoformat()
    record(session, case_id=case.id, kind=EventKind.CONTACTED, actor=actor, data=data)
    session.refresh(case)
    return case
