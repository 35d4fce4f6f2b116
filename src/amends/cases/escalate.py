"""Carry out escalations: put a case in the senior-review queue or before a team lead or a
manager, record why on its timeline, and tell the people it now concerns.

Which rules fire is the playbook's business (playbooks.escalation); this module acts on
them. Risk and repeat-complaint rules are weighed when a case opens, SLA rules when a
target is missed, so no rule fires twice for the same reason. Works a batch of cases at a
time: the worker escalates thousands at once when a backlog of breaches comes due.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Table, bindparam, select, update
from sqlalchemy.orm import Session

from amends.cases.actor import Actor
from amends.cases.events import EventKind
from amends.notify.events import Notice
from amends.notify.outbox import Note, enqueue_all
from amends.playbooks.escalation import Escalation
from amends.playbooks.schema import EscalationRule, EscalationTarget, Team
from amends.store.tables import Case, Role, TimelineEvent, User
from amends.store.upsert import insert_rows

#: How senior each target is: a case's `escalated_to` keeps the most senior reached.
SENIORITY = {
    EscalationTarget.SENIOR_REVIEW: 1,
    EscalationTarget.TEAM_LEAD: 2,
    EscalationTarget.MANAGER: 3,
}


def on_opening(rules: Sequence[EscalationRule]) -> tuple[EscalationRule, ...]:
    """The rules weighed when a case opens: all but those about missed SLA targets and the
    customer's follow-up answer."""
    return tuple(
        rule for rule in rules if rule.when.sla_breached is None and not rule.when.unsatisfied
    )


@dataclass(slots=True)
class Recipients:
    """Who each escalation target concerns, looked up once per team within a batch.

    A team's lead is the user teams.yaml names for it, else the leads who are members of the
    team, else every lead; the senior-review queue is watched by the same people; a manager
    escalation goes to every manager."""

    session: Session
    teams: Mapping[str, Team]
    _found: dict[tuple[EscalationTarget, str | None], list[int]] = field(default_factory=dict)

    def of(self, target: EscalationTarget, team: str | None) -> list[int]:
        key = (target, None if target is EscalationTarget.MANAGER else team)
        if key not in self._found:
            self._found[key] = self._look_up(target, team)
        return self._found[key]

    def _look_up(self, target: EscalationTarget, team: str | None) -> list[int]:
        if target is EscalationTarget.MANAGER:
            return self._active(User.role == Role.MANAGER)
        named = self.teams[team].lead if team is not None and team in self.teams else None
        if named:
            found = self._active(User.email == named)
            if found:
                return found
        if team is not None:
            found = self._active(User.role == Role.LEAD, User.team == team)
            if found:
                return found
        return self._active(User.role == Role.LEAD)

    def _active(self, *conditions: ColumnElement[bool]) -> list[int]:
        query = select(User.id).where(User.is_active, *conditions).order_by(User.id)
        return list(self.session.scalars(query))


def escalate(
    session: Session,
    *,
    raised: Sequence[tuple[Case, Sequence[Escalation]]],
    actor: Actor,
    recipients: Recipients,
    now: datetime,
) -> list[Note]:
    """Escalate each case for each of its escalations, in order; return the notifications to
    queue (the caller queues them with the batch's others)."""
    changes, events, notes = [], [], []
    for case, escalations in raised:
        if not escalations:
            continue
        changes.append(_change(case, escalations, now))
        for escalation in escalations:
            data: dict[str, object] = {
                "to": escalation.to.value,
                "reason": escalation.reason,
                "rule": escalation.rule,
            }
            events.append(_event(case.id, actor, now, data))
            notes.append(_note(case, escalation, data, recipients))
    if changes:
        _apply(session, changes)
        insert_rows(session, cast(Table, TimelineEvent.__table__), events)
        for case, escalations in raised:
            if escalations:
                session.expire(case)
    return notes


def _change(case: Case, escalations: Sequence[Escalation], now: datetime) -> dict[str, object]:
    most = max((e.to for e in escalations), key=SENIORITY.__getitem__)
    current = EscalationTarget(case.escalated_to) if case.escalated_to else None
    higher = current is None or SENIORITY[most] > SENIORITY[current]
    review = case.senior_review_at is None and any(
        e.to is EscalationTarget.SENIOR_REVIEW for e in escalations
    )
    return {
        "case_id": case.id,
        "new_to": most.value if higher else case.escalated_to,
        "new_at": now if higher else case.escalated_at,
        "new_review": now if review else case.senior_review_at,
        "new_reviewed": None if review else case.senior_reviewed_at,
        "now": now,
    }


def _apply(session: Session, changes: list[dict[str, object]]) -> None:
    table = cast(Table, Case.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("case_id"))
        .values(
            escalated_to=bindparam("new_to"),
            escalated_at=bindparam("new_at"),
            senior_review_at=bindparam("new_review"),
            senior_reviewed_at=bindparam("new_reviewed"),
            updated_at=bindparam("now"),
        )
    )
    session.connection().execute(statement, changes)


def _event(case_id: int, actor: Actor, now: datetime, data: dict[str, object]) -> dict[str, object]:
    return {
        "case_id": case_id,
        "kind": EventKind.ESCALATED.value,
        "actor_id": actor.user_id,
        "actor": actor.name,
        "at": now,
        "data": data,
    }


def _note(
    case: Case, escalation: Escalation, data: dict[str, object], recipients: Recipients
) -> Note:
    target = escalation.to
    return Note(
        notice=Notice.ESCALATED,
        case_id=case.id,
        user_ids=recipients.of(target, case.team),
        summary=f"Case {case.id} escalated to {target.value.replace('_', ' ')}: "
        f"{escalation.reason}",
        data=data,
    )


def escalate_now(
    session: Session,
    *,
    case: Case,
    escalations: Sequence[Escalation],
    actor: Actor,
    teams: Mapping[str, Team],
    now: datetime,
) -> None:
    """Escalate one case and queue its notifications, in the caller's transaction."""
    recipients = Recipients(session, teams)
    notes = escalate(
        session, raised=[(case, escalations)], actor=actor, recipients=recipients, now=now
    )
    enqueue_all(session, notes)
    session.refresh(case)


def by_hand(
    session: Session,
    *,
    case: Case,
    to: EscalationTarget,
    reason: str,
    actor: Actor,
    teams: Mapping[str, Team],
    now: datetime,
) -> None:
    """A person escalates `case` to `to`, saying why."""
    said = " ".join(reason.split())
    if not said:
        raise ValueError("say why the case needs escalating")
    escalation = Escalation(to, said, rule=None)
    escalate_now(session, case=case, escalations=[escalation], actor=actor, teams=teams, now=now)
