from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, Table, delete, insert, inspect, select, update
from sqlalchemy.orm import Session

from amends.lib import clock
from amends.store import migrate
from amends.store.base import Base, ours
from amends.store.db import make_engine
from amends.store.tables import Case, CaseStatus, CaseTimer, Lesson, StaleCaseFact


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


def test_stories_kept_before_are_matched_to_the_survey_they_quote(fresh_db: str) -> None:
    """The upgrade that lets customers withdraw their leave finds, for each story already in
    the knowledge base, the survey on its case whose comment it begins with."""
    migrate.downgrade(fresh_db, "a8c0e2f4b6d8")
    engine = make_engine(fresh_db)
    now = clock.now()
    try:
        with Session(engine) as session, session.begin():
            case = Case(title="t", channel="email", opened_at=now, updated_at=now)
            session.add(case)
            session.flush()
            tables = MetaData()
            surveys, lessons, links = (
                Table(name, tables, autoload_with=session.connection())
                for name in ("surveys", "lessons", "lesson_cases")
            )
            answers = [("Kept quiet.", "none"), ("Fixed fast.", "named"), ("Kind.", "anonymous")]
            survey_ids = [
                session.execute(
                    insert(surveys).returning(surveys.c.id),
                    {"case_id": case.id, "round": round_, "sent_at": now, "expires_at": now,
                     "outcome": "satisfied", "comment": comment, "consent": consent,
                     "invited": "[]"},
                ).scalar_one()
                for round_, (comment, consent) in enumerate(answers, 1)
            ]  # fmt: skip
            bodies = [("story", "Fixed fast.\n\n— Ann Lee"), ("lesson", "Fixed fast.")]
            lesson_ids = [
                session.execute(
                    insert(lessons).returning(lessons.c.id),
                    {"kind": kind, "title": "t", "body": body, "author": "Bo",
                     "updated_at": now, "created_at": now},
                ).scalar_one()
                for kind, body in bodies
            ]  # fmt: skip
            session.execute(
                insert(links), [{"lesson_id": id_, "case_id": case.id} for id_ in lesson_ids]
            )
        migrate.upgrade(fresh_db)
        with Session(engine) as session:
            quoted = session.execute(select(Lesson.id, Lesson.survey_id).order_by(Lesson.id))
            assert quoted.all() == [(lesson_ids[0], survey_ids[1]), (lesson_ids[1], None)]
    finally:
        engine.dispose()
