"""Plan and cancel a case's timers: the moments the worker must act on (docs/worker.md).

Each SLA target gets two timers: a reminder when `REMIND_AT` of its window has passed on the
playbook's clock (so a business-hours reminder never falls on a Sunday), and the breach at
the due time. A timer already past when it is planned is left out: its moment is gone, and
the case's clocks show the target as breached all the same.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from amends.playbooks.clock import due, elapsed
from amends.playbooks.schema import Sla
from amends.store.many import one_of
from amends.store.tables import CaseTimer, TimerKind
from amends.store.upsert import insert_rows

#: The share of a target's window after which its owner is reminded.
REMIND_AT = 0.8

REMINDER = {
    TimerKind.FIRST_RESPONSE_BREACH: TimerKind.FIRST_RESPONSE_REMINDER,
    TimerKind.UPDATE_BREACH: TimerKind.UPDATE_REMINDER,
    TimerKind.RESOLUTION_BREACH: TimerKind.RESOLUTION_REMINDER,
}
FIRST_RESPONSE = (TimerKind.FIRST_RESPONSE_REMINDER, TimerKind.FIRST_RESPONSE_BREACH)
UPDATE = (TimerKind.UPDATE_REMINDER, TimerKind.UPDATE_BREACH)


@dataclass(frozen=True, slots=True)
class Timer:
    case_id: int
    kind: TimerKind
    due_at: datetime

    def row(self) -> dict[str, object]:
        return {"case_id": self.case_id, "kind": self.kind, "due_at": self.due_at}


def for_target(
    case_id: int, breach: TimerKind, *, start: datetime, due_at: datetime, sla: Sla
) -> list[Timer]:
    """The reminder and breach timers of one target whose window runs from `start` to
    `due_at` on the sla's clock."""
    calendar = sla.calendar
    window = elapsed(start, due_at, calendar)
    remind_at = due(start, window * REMIND_AT, calendar)
    return [Timer(case_id, REMINDER[breach], remind_at), Timer(case_id, breach, due_at)]


def for_new_case(
    case_id: int, *, opened_at: datetime, first_response: datetime, resolution: datetime, sla: Sla
) -> list[Timer]:
    return [
        *for_target(
            case_id,
            TimerKind.FIRST_RESPONSE_BREACH,
            start=opened_at,
            due_at=first_response,
            sla=sla,
        ),
        *for_target(
            case_id, TimerKind.RESOLUTION_BREACH, start=opened_at, due_at=resolution, sla=sla
        ),
    ]


def plan(session: Session, timers: Iterable[Timer], *, now: datetime) -> int:
    """Store the timers still ahead of `now`; return how many are new. Planning a timer that
    exists already adds nothing."""
    rows = [timer.row() for timer in timers if timer.due_at > now]
    table: Table = CaseTimer.__table__  # type: ignore[assignment]
    inserted = insert_rows(
        session, table, rows, conflict=["case_id", "kind", "due_at"], returning=["id"]
    )
    return len(inserted)


def plan_for_new_cases(session: Session, timers: Iterable[Timer], *, now: datetime) -> None:
    """`plan` for cases opened in this transaction: none of their timers can exist yet, so they
    are written straight in (COPY on PostgreSQL), with no look for ones already there."""
    rows = [timer.row() for timer in timers if timer.due_at > now]
    insert_rows(session, CaseTimer.__table__, rows)  # type: ignore[arg-type]


def wait_for_follow_up(session: Session, case_id: int, *, now: datetime) -> None:
    """Mark a case whose remedy was just done as waiting for its check-in. The timer is due at
    once: the worker then reads the playbook's follow-up and sets it to the check-in's time
    (`cases.follow_up`), so no case is looked at again before its moment."""
    table: Table = CaseTimer.__table__  # type: ignore[assignment]
    row = Timer(case_id, TimerKind.FOLLOW_UP, now).row()
    insert_rows(session, table, [row], conflict=["case_id", "kind", "due_at"])


def take_due(session: Session, kind: TimerKind, *, now: datetime, limit: int) -> list[CaseTimer]:
    """Pending timers of `kind` due at `now`, earliest first, at most `limit`, locked for the
    caller's transaction; timers another worker holds are skipped."""
    query = (
        select(CaseTimer)
        .where(
            CaseTimer.kind == kind,
            CaseTimer.fired_at.is_(None),
            CaseTimer.cancelled_at.is_(None),
            CaseTimer.due_at <= now,
        )
        .order_by(CaseTimer.due_at, CaseTimer.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query))


def cancel(
    session: Session, case_ids: Collection[int], *, now: datetime, kinds: Sequence[TimerKind] = ()
) -> None:
    """Cancel the pending timers of `case_ids`: those of `kinds`, or all when none given."""
    if not case_ids:
        return
    query = update(CaseTimer).where(
        one_of(session, CaseTimer.case_id, case_ids),
        CaseTimer.fired_at.is_(None),
        CaseTimer.cancelled_at.is_(None),
    )
    if kinds:
        query = query.where(CaseTimer.kind.in_(kinds))
    session.execute(query.values(cancelled_at=now).execution_options(synchronize_session=False))
