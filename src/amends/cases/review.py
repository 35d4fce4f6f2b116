"""The senior-review queue: open cases an escalation sent for a senior person's look, riskiest
first, and marking one reviewed.

A case joins the queue when `senior_review_at` is set (cases.escalate) and leaves it when
`senior_reviewed_at` is, or when it closes.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.orm import Session

from amends.accounts.permissions import Action, can
from amends.cases.actor import Actor
from amends.cases.events import EventKind
from amends.cases.service import ConcurrentChange, record
from amends.cases.states import OPEN
from amends.lib import clock
from amends.playbooks.schema import EscalationTarget
from amends.store.tables import Case, Role, TimelineEvent

#: Who may work the queue: leads and above, who may change any case.
REVIEW = Action.CASE_WORK_ANY
MAX_QUEUE = 200
NOTE_LIMIT = 2_000


def may_review(role: Role) -> bool:
    return can(role, REVIEW)


class NotQueued(ValueError):
    """The case is not waiting for a senior review (never sent, or reviewed already)."""


def _waiting() -> ColumnElement[bool]:
    return and_(
        Case.senior_review_at.is_not(None),
        Case.senior_reviewed_at.is_(None),
        Case.status.in_(OPEN),
    )


def queue(session: Session, *, limit: int = MAX_QUEUE) -> list[Case]:
    """Open cases waiting for a senior review: riskiest first, then the longest waiting."""
    query = (
        select(Case)
        .where(_waiting())
        .order_by(Case.risk.desc(), Case.senior_review_at, Case.id)
        .limit(max(1, min(limit, MAX_QUEUE)))
    )
    return list(session.scalars(query))


def waiting(session: Session) -> int:
    """How many cases wait in the queue."""
    return int(session.scalar(select(func.count()).select_from(Case).where(_waiting())) or 0)


def reasons(session: Session, case_ids: Collection[int]) -> dict[int, str]:
    """Why each case was sent for review: the reason of its latest escalation to it."""
    if not case_ids:
        return {}
    query = (
        select(TimelineEvent.case_id, TimelineEvent.data)
        .where(
            TimelineEvent.case_id.in_(case_ids),
            TimelineEvent.kind == EventKind.ESCALATED.value,
        )
        .order_by(TimelineEvent.id)
    )
    found: dict[int, str] = {}
    for case_id, data in session.execute(query):
        if _to_review(data):
            found[case_id] = str(data.get("reason") or "")
    return found


def _to_review(data: Any) -> bool:
    return isinstance(data, dict) and data.get("to") == EscalationTarget.SENIOR_REVIEW.value


def mark_reviewed(*, session: Session, case: Case, actor: Actor, note: str = "") -> Case:
    """Take `case` out of the queue and say so on its timeline, with the reviewer's note.

    NotQueued when it is not waiting for a review; ConcurrentChange when someone else
    reviewed it since it was read.
    """
    if case.senior_review_at is None or case.senior_reviewed_at is not None:
        raise NotQueued(f"case {case.id} is not waiting for a senior review")
    now = clock.now()
    result = session.execute(
        update(Case)
        .where(
            Case.id == case.id,
            Case.senior_review_at.is_not(None),
            Case.senior_reviewed_at.is_(None),
        )
        .values(senior_reviewed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentChange(f"case {case.id} was reviewed while you were looking at it")
    data = {"queued_at": case.senior_review_at.isoformat(), "note": note.strip()[:NOTE_LIMIT]}
    record(session, case_id=case.id, kind=EventKind.SENIOR_REVIEWED, actor=actor, data=data)
    session.refresh(case)
    return case
