"""Engines and sessions. SQLite runs in WAL mode with real transactions; PostgreSQL pools."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

#: PostgreSQL plans every statement for its parameters. psycopg prepares a statement after
#: five runs, and PostgreSQL may then reuse a generic plan made while a table was small: an
#: import's duplicate check went on scanning `feedback_items` whole as it grew, batch after
#: batch (tests/ingest/test_kill_and_rerun.py took minutes longer for it).
POSTGRES_OPTIONS = "-c plan_cache_mode=force_custom_plan"


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, **kwargs)
    connect_args = {"options": POSTGRES_OPTIONS, **kwargs.pop("connect_args", {})}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


#: Execution option: `conn.execution_options(**{READ_ONLY: True})` for a connection that only
#: reads, so on SQLite it does not take the write lock (other databases ignore it).
READ_ONLY = "amends_read_only"


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling breaks SAVEPOINT and defers locks; take it over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two writers wait instead of deadlocking.
        # A connection marked READ_ONLY only reads: in WAL mode it never waits for a writer.
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on any error."""
    with factory() as session, session.begin():
        yield session


#: Memory for each sort or hash of a report's aggregates: the default 4 MB sends the sorts of
#: a month of case facts to disk (docs/benchmarks.md#recovery-figures).
AGGREGATE_WORK_MEM = "64MB"


def for_aggregates(session: Session) -> None:
    """Set the rest of the session's transaction up for large read-only aggregates, on
    PostgreSQL: more memory per sort, and no JIT compilation, which costs more than it saves on
    these queries (over half a second for a year of case facts). Ends with the transaction."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text("SELECT set_config('jit', 'off', true), set_config('work_mem', :memory, true)"),
        {"memory": AGGREGATE_WORK_MEM},
    )
