"""SQLite engines: writers take the lock up front; a connection marked read-only never waits."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from amends.store.db import AGGREGATE_WORK_MEM, READ_ONLY, for_aggregates, make_engine


def test_a_read_only_connection_reads_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'locks.db'}")
    try:
        with engine.begin() as setup:
            setup.execute(text("CREATE TABLE t (x INTEGER)"))
            setup.execute(text("INSERT INTO t VALUES (1)"))
        with engine.connect() as writer, engine.connect() as reader:
            writer.execute(text("INSERT INTO t VALUES (2)"))  # BEGIN IMMEDIATE: holds the lock
            reading = reader.execution_options(**{READ_ONLY: True})
            assert reading.scalar(text("SELECT count(*) FROM t")) == 1  # the committed row only
            writer.commit()
            reading.rollback()
            assert reading.scalar(text("SELECT count(*) FROM t")) == 2
    finally:
        engine.dispose()


def test_a_write_lock_is_taken_when_the_transaction_begins(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'locks.db'}")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            raw = conn.connection.dbapi_connection
            assert raw is not None
            assert raw.in_transaction
            with engine.connect() as other:
                other_raw = other.connection.dbapi_connection
                assert other_raw is not None
                other_raw.execute("PRAGMA busy_timeout=0")
                with pytest.raises(OperationalError, match="locked"):
                    other.execute(text("SELECT 1"))
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_aggregate_settings_last_until_the_transaction_ends(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:

            def settings() -> tuple[str, str]:
                query = text("SELECT current_setting('jit'), current_setting('work_mem')")
                jit, memory = session.execute(query).one()
                return jit, memory

            before = settings()
            for_aggregates(session)
            assert settings() == ("off", AGGREGATE_WORK_MEM)
            session.commit()
            assert settings() == before
    finally:
        engine.dispose()
