"""Fire the timers that are due: reminders before a target is missed, breaches when it is,
and the escalations a breach sets off (docs/worker.md).

Any number of workers may call `fire_due` at once. Each takes a batch of due timers with
FOR UPDATE SKIP LOCKED, so no two take the same one, and marks them fired in the same
transaction as everything firing does: a worker killed half-way rolls back, its timers are
pending again, and the next sweep fires them. So each timer fires exactly once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from amends.cases.actor import SYSTEM
from amends.cases.escalate import Recipients, escalate
from amends.cases.events import EventKind
from amends.cases.playbook_set import PlaybookSet
from amends.cases.states import OPEN
from amends.notify.events import Notice
from amends.notify.outbox import Note, enqueue_all
from amends.playbooks.escalation import Escalation, Situation, escalations
from amends.playbooks.schema import EscalationTarget, SlaTarget
from amends.store.many import one_of
from amends.store.tables import Case, CaseTimer, TimelineEvent, TimerKind
from amends.store.upsert import insert_rows

TARGET = {
    TimerKind.FIRST_RESPONSE_REMINDER: SlaTarget.FIRST_RESPONSE,
    TimerKind.FIRST_RESPONSE_BREACH: SlaTarget.FIRST_RESPONSE,
    TimerKind.UPDATE_REMINDER: SlaTarget.UPDATE_INTERVAL,
    TimerKind.UPDATE_BREACH: SlaTarget.UPDATE_INTERVAL,
    TimerKind.RESOLUTION_REMINDER: SlaTarget.RESOLUTION,
    TimerKind.RESOLUTION_BREACH: SlaTarget.RESOLUTION,
}
BREACHES = frozenset(
    {TimerKind.FIRST_RESPONSE_BREACH, TimerKind.UPDATE_BREACH, TimerKind.RESOLUTION_BREACH}
)
_WORDS = {
    SlaTarget.FIRST_RESPONSE: "first-response",
    SlaTarget.UPDATE_INTERVAL: "interim-update",
    SlaTarget.RESOLUTION: "resolution",
}


@dataclass(slots=True)
class Fired:
    """What one sweep did."""

    reminders: int = 0
    breaches: int = 0
    escalations: int = 0
    cancelled: int = 0
    acknowledged: int = 0  # automatic first replies (cases/acknowledge.py)
    followed_up: int = 0  # check-ins, survey reminders and closings (cases/follow_up.py)

    @property
    def total(self) -> int:
        return (
            self.reminders + self.breaches + self.cancelled + self.acknowledged + self.followed_up
        )

    def __iadd__(self, other: Fired) -> Fired:
        self.reminders += other.reminders
        self.breaches += other.breaches
        self.escalations += other.escalations
        self.cancelled += other.cancelled
        self.acknowledged += other.acknowledged
        self.followed_up += other.followed_up
        return self


def fire_due(
    session: Session, *, playbooks: PlaybookSet, now: datetime, limit: int, worker: str
) -> Fired:
    """Fire up to `limit` timers due at `now`, in the caller's transaction, which the caller
    commits. Timers another worker holds are skipped, not waited for."""
    timers = _take_due(session, now, limit)
    fired = Fired()
    if not timers:
        return fired
    cases = _cases(session, {timer.case_id for timer in timers})
    live: list[CaseTimer] = []
    moot: list[CaseTimer] = []
    for timer in timers:
        (moot if _moot(timer, cases[timer.case_id]) else live).append(timer)
    fired.cancelled = len(moot)
    recipients = Recipients(session, playbooks.teams)
    events, notes = [], []
    breached: dict[int, set[SlaTarget]] = defaultdict(set)
    for timer in live:
        case = cases[timer.case_id]
        event, note = _fire(timer, case, recipients, now)
        events.append(event)
        notes.append(note)
        if timer.kind in BREACHES:
            fired.breaches += 1
            breached[case.id].add(TARGET[timer.kind])
        else:
            fired.reminders += 1
    insert_rows(session, cast(Table, TimelineEvent.__table__), events)
    raised = _escalations(cases, breached, playbooks, now)
    fired.escalations = sum(len(found) for _, found in raised)
    notes.extend(escalate(session, raised=raised, actor=SYSTEM, recipients=recipients, now=now))
    enqueue_all(session, notes)
    _settle(session, [t.id for t in live], {"fired_at": now, "fired_by": worker})
    _settle(session, [t.id for t in moot], {"cancelled_at": now})
    return fired


def _take_due(session: Session, now: datetime, limit: int) -> list[CaseTimer]:
    return list(
        session.scalars(
            select(CaseTimer)
            .where(
                CaseTimer.fired_at.is_(None),
                CaseTimer.cancelled_at.is_(None),
                CaseTimer.due_at <= now,
                # cases/acknowledge.py and cases/follow_up.py take those.
                CaseTimer.kind.not_in((TimerKind.ACKNOWLEDGE, TimerKind.FOLLOW_UP)),
            )
            .order_by(CaseTimer.due_at, CaseTimer.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


def _cases(session: Session, ids: set[int]) -> Mapping[int, Case]:
    found = session.scalars(select(Case).where(one_of(session, Case.id, ids)))
    return {case.id: case for case in found}


def _moot(timer: CaseTimer, case: Case) -> bool:
    """Whether the target was met, or the case moved on, before the timer came due."""
    if case.status not in OPEN:
        return True
    target = TARGET[timer.kind]
    if target is SlaTarget.FIRST_RESPONSE:
        return case.first_responded_at is not None
    if target is SlaTarget.UPDATE_INTERVAL:
        return case.next_update_due_at is None or case.next_update_due_at > timer.due_at
    return False


def _fire(
    timer: CaseTimer, case: Case, recipients: Recipients, now: datetime
) -> tuple[dict[str, object], Note]:
    target = TARGET[timer.kind]
    breach = timer.kind in BREACHES
    data = {"target": target.value, "due_at": timer.due_at.isoformat(), "timer": timer.id}
    event = {
        "case_id": case.id,
        "kind": (EventKind.SLA_BREACHED if breach else EventKind.SLA_REMINDER).value,
        "actor_id": SYSTEM.user_id,
        "actor": SYSTEM.name,
        "at": now,
        "data": data,
    }
    summary = (
        f"Case {case.id} missed its {_WORDS[target]} target"
        if breach
        else f"Case {case.id} is close to its {_WORDS[target]} target"
    )
    owner = [case.owner_id] if case.owner_id is not None else None
    note = Note(
        notice=Notice.BREACHED if breach else Notice.BREACH_SOON,
        case_id=case.id,
        user_ids=owner or recipients.of(EscalationTarget.TEAM_LEAD, case.team),
        summary=summary,
        data=data,
        key=f"timer:{timer.id}",
    )
    return event, note


def _escalations(
    cases: Mapping[int, Case],
    breached: Mapping[int, set[SlaTarget]],
    playbooks: PlaybookSet,
    now: datetime,
) -> list[tuple[Case, Sequence[Escalation]]]:
    """Each breached case's SLA escalation rules that fire for the targets it missed."""
    raised: list[tuple[Case, Sequence[Escalation]]] = []
    for case_id, targets in breached.items():
        case = cases[case_id]
        rules = [r for r in playbooks.named(case.playbook).escalate if r.when.sla_breached]
        situation = Situation(now=now, risk=case.risk, breached=frozenset(targets))
        found = escalations(rules, situation)
        if found:
            raised.append((case, found))
    return raised


def _settle(session: Session, ids: list[int], values: dict[str, object]) -> None:
    if ids:
        session.execute(
            update(CaseTimer)
            .where(one_of(session, CaseTimer.id, ids))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
