from __future__ import annotations

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.pool import NullPool

from amends.config import get_settings
from amends.store import tables  # noqa: F401 - registers every table on the metadata
from amends.store.base import Base, ours
from amends.store.db import make_engine


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=lambda obj, name, type_, reflected, _compare: ours(
            obj, name, type_, reflected, connection.dialect.name
        ),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or get_settings().resolved_database_url
    engine = make_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            _run_without_foreign_keys(conn)
        else:
            _run(conn)
    engine.dispose()


def _run_without_foreign_keys(conn: Connection) -> None:
    """SQLite changes a table by copying it and dropping the old one, and with foreign keys
    on, that drop deletes every row referencing it ON DELETE CASCADE. So the migration runs
    with them off (set outside any transaction, where SQLite honours it), and fails if it
    left a reference dangling."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        _run(conn)
        dangling = raw.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            raise RuntimeError(f"the migration left references dangling: {dangling[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


run_online()
