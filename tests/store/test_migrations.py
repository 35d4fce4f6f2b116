from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, inspect, select, update
from sqlalchemy.orm import Session

from amends.lib import clock
from amends.store import migrate
from amends.store.base import Base, ours
from amends.store.db import make_engine
from amends.store.tables import Case, CaseStatus, CaseTimer, StaleCaseFact


def test_it_upgrades_downgrades_and_upgrades_again(fresh_db: str) -> None:
    migrate.downgrade(fresh_db, "base")
    engine = make_engine(fresh_db)
    try:
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(fresh_db)
        with engine.connect() as conn:
            assert "feedback_items" in inspect(conn).get_table_names()
    finally:
        engine.dispose()


def test_it_has_no_drift_between_models_and_migrations(fresh_db: str) -> None:
    engine = make_engine(fresh_db)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "render_as_batch": conn.dialect.name == "sqlite",
                    "include_object": lambda obj, name, type_, reflected, _: ours(
                        obj, name, type_, reflected, conn.dialect.name
                    ),
                },
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_alembic_check_agrees(fresh_db: str) -> None:
    command.check(migrate.alembic_config(fresh_db))


def test_cases_waiting_for_follow_up_get_their_timer(fresh_db: str) -> None:
    """The upgrade that brings follow-up timers gives one to every case already in remedy done,
    and the case facts still hear of timer changes (SQLite copies the table to change it)."""
    migrate.downgrade(fresh_db, "c3f1a2b4d5e6")
    engine = make_engine(fresh_db)
    try:
        with Session(engine) as session, session.begin():
            now = clock.now()
            for status in (CaseStatus.REMEDY_DONE, CaseStatus.INVESTIGATING):
                session.add(
                    Case(
                        title=status.value,
                        channel="email",
                        status=status,
                        opened_at=now,
                        updated_at=now,
                    )
                )
        migrate.upgrade(fresh_db)
        with Session(engine) as session, session.begin():
            waiting = session.execute(select(CaseTimer.case_id, Case.status).join(Case)).all()
            assert [status for _, status in waiting] == [CaseStatus.REMEDY_DONE]
            session.execute(delete(StaleCaseFact))
            session.execute(update(CaseTimer).values(cancelled_at=clock.now()))
            noted = session.scalars(select(StaleCaseFact.case_id)).all()
            assert noted == [waiting[0].case_id]
    finally:
        engine.dispose()
