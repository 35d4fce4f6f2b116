"""Open cases with timers already due, written straight to a database, for worker tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from amends.lib import clock
from amends.store.tables import Case, CaseTimer, TimerKind


def due_cases(session: Session, count: int, *, now: datetime | None = None) -> int:
    """`count` open cases under the default playbook, each with a first-response reminder
    and breach already due; returns how many timers that makes."""
    at = now or clock.now()
    opened = at - timedelta(hours=30)
    cases = [
        {
            "id": number,
            "title": f"Case {number}",
            "channel": "email",
            "risk": 40,
            "opened_at": opened,
            "updated_at": opened,
            "created_at": opened,
            "first_response_due_at": at - timedelta(hours=6),
            "resolution_due_at": at + timedelta(hours=42),
        }
        for number in range(1, count + 1)
    ]
    session.execute(insert(Case), cases)
    timers = [
        {"case_id": case["id"], "kind": kind, "due_at": due}
        for case in cases
        for kind, due in (
            (TimerKind.FIRST_RESPONSE_REMINDER, at - timedelta(hours=10)),
            (TimerKind.FIRST_RESPONSE_BREACH, at - timedelta(hours=6)),
        )
    ]
    session.execute(insert(CaseTimer), timers)
    return len(timers)
