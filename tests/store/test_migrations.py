from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from amends.store import migrate
from amends.store.base import Base, ours
from amends.store.db import make_engine


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
