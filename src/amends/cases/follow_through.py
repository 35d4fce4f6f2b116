"""What follows the opening of new cases, in the same transaction: their SLA timers, word to
their owners, and the escalations their playbook calls for at once (high risk, a customer
complaining again)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amends.cases import timers
from amends.cases.actor import SYSTEM
from amends.cases.escalate import Recipients, escalate, on_opening
from amends.cases.routing import Route
from amends.notify.events import Notice
from amends.notify.outbox import Note, enqueue_all
from amends.playbooks.escalation import Escalation, Situation, escalations
from amends.playbooks.schema import Team
from amends.store.many import one_of
from amends.store.tables import Case, FeedbackItem, Priority, TimerKind


@dataclass(frozen=True, slots=True)
class Opened:
    """A case just opened: its route, owner and risk, and its customer's complaints that
    arrived with it (their times)."""

    case_id: int
    route: Route
    owner_id: int | None
    risk: int
    customer_id: int | None
    opened_at: datetime
    arriving: Sequence[datetime] = ()
    priority: Priority = Priority.NORMAL


def follow_through(
    session: Session, opened: Sequence[Opened], *, teams: Mapping[str, Team], now: datetime
) -> None:
    """Plan timers, tell owners, and escalate where the playbook says so at opening."""
    if not opened:
        return
    timers.plan_for_new_cases(session, _timers(opened), now=now)
    notes = [
        Note(
            notice=Notice.ASSIGNED,
            case_id=case.case_id,
            user_ids=[case.owner_id],
            summary=f"Case {case.case_id} was assigned to you",
            data={"playbook": case.route.playbook, "team": case.route.team},
        )
        for case in opened
        if case.owner_id is not None
    ]
    notes.extend(_escalate(session, opened, teams, now))
    enqueue_all(session, notes)


def _timers(opened: Sequence[Opened]) -> list[timers.Timer]:
    planned = [
        timer
        for case in opened
        for timer in timers.for_new_case(
            case.case_id,
            opened_at=case.opened_at,
            first_response=case.route.first_response_due_at,
            resolution=case.route.resolution_due_at,
            sla=case.route.sla,
        )
    ]
    for case in opened:
        delay = case.route.acknowledge.delay_for(case.priority)
        if delay is not None:
            planned.append(
                timers.Timer(case.case_id, TimerKind.ACKNOWLEDGE, case.opened_at + delay)
            )
    return planned


def _escalate(
    session: Session, opened: Sequence[Opened], teams: Mapping[str, Team], now: datetime
) -> list[Note]:
    history = _complaints(session, opened)
    found: dict[int, tuple[Escalation, ...]] = {}
    for case in opened:
        rules = on_opening(case.route.escalate)
        if not rules:
            continue
        complaints = [*history.get(case.customer_id, ()), *case.arriving]
        situation = Situation(now=max(now, case.opened_at), risk=case.risk, complaints=complaints)
        fired = escalations(rules, situation)
        if fired:
            found[case.case_id] = fired
    if not found:
        return []
    rows = session.scalars(select(Case).where(one_of(session, Case.id, found)).order_by(Case.id))
    raised = [(case, found[case.id]) for case in rows]
    recipients = Recipients(session, teams)
    return escalate(session, raised=raised, actor=SYSTEM, recipients=recipients, now=now)


def _complaints(session: Session, opened: Sequence[Opened]) -> dict[int | None, list[datetime]]:
    """When the new cases' customers complained before, within the longest window any of
    their playbooks' repeat rules looks back over; nothing when none has such a rule."""
    window = _longest_window(opened)
    customers = {c.customer_id for c in opened if c.customer_id is not None}
    if window is None or not customers:
        return {}
    arrived = func.coalesce(FeedbackItem.posted_at, FeedbackItem.received_at)
    rows = session.execute(
        select(FeedbackItem.customer_id, arrived).where(
            one_of(session, FeedbackItem.customer_id, customers),
            FeedbackItem.case_id.is_not(None),
            arrived >= min(c.opened_at for c in opened) - window,
            arrived <= max(c.opened_at for c in opened),
        )
    )
    found: dict[int | None, list[datetime]] = defaultdict(list)
    for customer_id, at in rows:
        found[customer_id].append(at)
    return found


def _longest_window(opened: Sequence[Opened]) -> timedelta | None:
    days = [
        rule.when.repeat_within_days
        for case in opened
        for rule in case.route.escalate
        if rule.when.repeat_within_days is not None
    ]
    return timedelta(days=max(days)) if days else None
