"""The demo's history: cases played out in the past through the real capabilities, so the
figures have something true to show; played once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from amends.config import Settings
from amends.demo import ensure_users
from amends.demo.history import DAYS, play
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.insights.metrics import Filters, report
from amends.lib import clock
from amends.store.db import transaction
from amends.store.tables import (
    ApprovalRequest,
    ApprovalStatus,
    Case,
    Reply,
    Survey,
    TimelineEvent,
)

COMPLAINTS = [
    "I was charged twice for the same loan payment and nobody answers",
    "The bank closed my account without telling me",
    "My refund has not arrived after six weeks",
    "The agent on the phone was rude and hung up on me",
    "I cannot log in to my account since the update",
    "They reported a late payment that I made on time",
]


def _complaints(factory: sessionmaker[Session], settings: Settings, count: int) -> None:
    items = [
        ItemIn(
            source="demo", channel="web", text=f"{COMPLAINTS[n % 6]} ({n})", raw=str(n), rating=1
        )
        for n in range(count)
    ]
    with transaction(factory) as session:
        pipeline.process(session, items, settings)


def test_cases_are_worked_in_the_past_and_the_figures_show_it(
    factory: sessionmaker[Session], settings: Settings
) -> None:
    ensure_users(factory)
    _complaints(factory, settings, 40)
    played = play(factory, settings, seed=3)
    assert 10 <= played.cases <= 40
    assert played.surveys > 0
    assert played.recovered > 0
    now = clock.now()
    with factory() as session:
        oldest = session.scalar(select(func.min(Case.opened_at)))
        assert oldest is not None
        assert now - timedelta(days=DAYS + 1) <= oldest <= now - timedelta(days=2)
        replies = session.scalars(select(Reply)).all()
        assert replies
        assert all(reply.sent_at < now for reply in replies)
        [figures] = report(
            session, Filters(start=now - timedelta(days=DAYS + 1), end=now), currency="USD"
        )
    assert figures.recovered == played.recovered
    assert figures.recovery_rate is not None
    assert figures.csat is not None
    assert figures.reply_score is not None
    assert figures.reply_score > 80
    assert figures.retained_value > 0
    with factory() as session:
        marked = session.scalar(
            select(func.count(func.distinct(TimelineEvent.case_id))).where(
                TimelineEvent.kind == "case:demo:simulated"
            )
        )
        assert marked == played.cases
        approvals = session.scalars(select(ApprovalRequest)).all()
        assert all(a.status is not ApprovalStatus.PENDING for a in approvals)
    again = play(factory, settings, seed=3)
    assert again.cases == 0
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Survey)) == played.surveys
