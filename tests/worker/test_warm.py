"""The worker keeps the dashboards of long periods warm, on either database, reading each in a
session of its own."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.insights import warm
from amends.lib import clock
from amends.store.db import make_engine, make_sessionmaker
from amends.store.tables import Case, DashboardView
from amends.worker.rounds import warm_dashboards


def test_the_worker_works_out_the_long_periods_when_due(fresh_db: str) -> None:
    engine = make_engine(fresh_db)
    try:
        factory = make_sessionmaker(engine)
        settings = Settings(database_url=fresh_db)
        now = clock.now()
        with Session(engine) as session, session.begin():
            opened = now - timedelta(days=40)
            session.add(Case(title="t", channel="email", opened_at=opened, updated_at=opened))
        with time_machine.travel(now, tick=False):
            assert warm_dashboards(factory, settings) == 2
            assert warm_dashboards(factory, settings) == 0
        with time_machine.travel(now + warm.FRESH, tick=False):
            assert warm_dashboards(factory, settings, limit=1) == 1
        with Session(engine) as session:
            rows = session.scalars(select(DashboardView).order_by(DashboardView.days)).all()
            assert [row.days for row in rows] == [90, 365]
            year = warm.dashboard(
                session, warm.View(days=365, currency=settings.authority_currency), now=now
            )
            assert year.summary.cases == 1
            assert year.filters.end == now + warm.FRESH  # the copy the second round made
    finally:
        engine.dispose()
