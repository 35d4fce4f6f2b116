"""Fresh, migrated databases for a benchmark run, dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from amends.store import migrate
from amends.store.db import make_engine

PG_URL = os.environ.get("AMENDS_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg(statement: str) -> None:
    engine = make_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


@contextmanager
def fresh(backend: str, folder: Path) -> Iterator[str]:
    name = f"amends_bench_{uuid.uuid4().hex[:8]}"
    if backend == "sqlite":
        url = f"sqlite:///{folder / (name + '.db')}"
    else:
        _pg(f'CREATE DATABASE "{name}"')
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    try:
        yield url
    finally:
        if backend == "postgresql":
            _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def analyze(url: str) -> None:
    """Vacuum and refresh the planner's statistics, as autovacuum would soon after a bulk
    load (on PostgreSQL, vacuuming also marks pages all-visible, which index-only scans and
    the visibility checks of every scan rely on)."""
    postgresql = make_url(url).get_backend_name() == "postgresql"
    engine = make_engine(
        url, poolclass=NullPool, **({"isolation_level": "AUTOCOMMIT"} if postgresql else {})
    )
    try:
        with engine.begin() as conn:
            conn.execute(text("VACUUM ANALYZE" if postgresql else "ANALYZE"))
    finally:
        engine.dispose()
