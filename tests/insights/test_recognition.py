"""Agent recognition ranks by recovery quality, never by speed, and lists without ranking the
agents with too few settled cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from amends.insights.metrics import Dimension, Filters, Metrics, report
from amends.insights.recognition import quality, standings
from amends.store.tables import Case, CaseStatus, TimelineEvent, User

START = datetime(2026, 3, 1, tzinfo=UTC)


def _cases(session: Session, owner: User, statuses: list[CaseStatus], answer_minutes: int) -> None:
    for index, status in enumerate(statuses):
        opened = START + timedelta(days=1, hours=index)
        case = Case(
            title="t",
            channel="email",
            status=status,
            owner_id=owner.id,
            opened_at=opened,
            updated_at=opened,
            first_responded_at=opened + timedelta(minutes=answer_minutes),
        )
        session.add(case)
        session.flush()
        session.add(
            TimelineEvent(
                case_id=case.id,
                kind="case:status:change",
                actor="test",
                at=opened + timedelta(days=2),
                data={"from": "remedy_done", "to": status.value},
            )
        )


def test_quality_is_the_mean_of_what_is_known() -> None:
    m = Metrics(group="1", recovery_rate=0.8, csat=None, reply_score=90.0, reopen_rate=0.1)
    assert quality(m) == pytest.approx(round(100 * (0.8 + 0.9 + 0.9) / 3, 1))
    assert quality(Metrics(group="1")) is None


def test_the_careful_agent_ranks_above_the_fast_one(
    session: Session, alice: User, bob: User, carol: User
) -> None:
    recovered, lost = CaseStatus.RECOVERED, CaseStatus.NOT_RECOVERED
    _cases(session, alice, [recovered, recovered, recovered, lost], answer_minutes=90)
    _cases(session, bob, [recovered, lost, lost, lost], answer_minutes=5)
    _cases(session, carol, [recovered], answer_minutes=1)
    session.commit()
    filters = Filters(start=START, end=START + timedelta(days=30))
    found = standings(session, report(session, filters, by=Dimension.AGENT, currency="USD"))
    assert [(s.name, s.rank) for s in found] == [("Alice", 1), ("Bob", 2), ("Carol", None)]
    alice_row = found[0]
    assert alice_row.metrics.recovery_rate == 0.75
    assert alice_row.metrics.median_first_response_minutes == pytest.approx(90, abs=0.01)
    assert found[1].metrics.median_first_response_minutes == pytest.approx(5, abs=0.01)
