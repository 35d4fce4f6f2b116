"""Write many rows at once, skipping those already there, on whichever database is in use.

Every name put into SQL text here comes from our own Table metadata, never from input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg.types.json import Jsonb
from sqlalchemy import JSON, Row, Table, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session


def insert_rows(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    conflict: list[str] | None = None,
    returning: list[str] | None = None,
) -> list[Row[Any]]:
    """Insert `rows` (all with the same keys); with `conflict`, skip rows that clash on those
    columns. Return the `returning` columns of the rows actually inserted, in no set order.

    PostgreSQL takes the rows by COPY, what it is fastest at: straight into the table when
    nothing can clash, else into a temporary table and then one INSERT … SELECT … ON CONFLICT
    (psycopg would otherwise re-parse a statement with thousands of parameters every batch).
    SQLite takes one multi-row INSERT per batch.
    """
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return _postgres(session, table, rows, conflict, returning)
    return _sqlite(session, table, rows, conflict, returning)


def _sqlite(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    conflict: list[str] | None,
    returning: list[str] | None,
) -> list[Row[Any]]:
    statement = sqlite.insert(table)
    if conflict:
        statement = statement.on_conflict_do_nothing(index_elements=conflict)
    if not returning:
        session.execute(statement, list(rows))
        return []
    returned = statement.returning(*(table.c[name] for name in returning))
    return list(session.execute(returned, list(rows)))


def _postgres(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    conflict: list[str] | None,
    returning: list[str] | None,
) -> list[Row[Any]]:
    rows = _with_python_defaults(table, rows)
    names = list(rows[0])
    if not conflict and not returning:
        _copy(session, table, table.name, names, rows)
        return []
    columns = ", ".join(f'"{name}"' for name in names)
    staging = _stage(session, table, names, rows)
    insert = f'INSERT INTO "{table.name}" ({columns}) SELECT {columns} FROM "{staging}"'
    if conflict:
        insert += " ON CONFLICT ({}) DO NOTHING".format(", ".join(f'"{c}"' for c in conflict))
    if returning:
        insert += " RETURNING " + ", ".join(f'"{name}"' for name in returning)
    result = session.execute(text(insert))
    found = list(result) if returning else []
    session.execute(text(f'TRUNCATE "{staging}"'))
    return found


def insert_returning_ids(
    session: Session, table: Table, rows: Sequence[dict[str, Any]]
) -> list[int]:
    """Insert `rows` and return their new ids in the order of `rows`."""
    ids = allocate_ids(session, table, len(rows))
    insert_rows(session, table, [{**row, "id": new} for row, new in zip(rows, ids, strict=True)])
    return ids


def allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """Reserve `count` ids for rows about to be inserted into `table`.

    PostgreSQL draws them from the table's sequence. SQLite has none, but every amends write
    transaction holds SQLite's write lock from its first statement (BEGIN IMMEDIATE), so the
    ids after the current maximum are ours until we commit.
    """
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        query = text("SELECT nextval(CAST(:seq AS regclass)) FROM generate_series(1, :n)")
        return list(session.scalars(query, {"seq": f"{table.name}_id_seq", "n": count}))
    top = session.scalar(text(f'SELECT coalesce(max(id), 0) FROM "{table.name}"')) or 0
    return list(range(top + 1, top + 1 + count))


def lock_for_writing(session: Session, name: str) -> None:
    """Serialise writers of `name` until the transaction ends (PostgreSQL advisory lock; SQLite
    transactions are already serialised by BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


def _stage(session: Session, table: Table, names: list[str], rows: Sequence[dict[str, Any]]) -> str:
    """COPY `rows` into a session-private table shaped like `names` of `table`; return its name.

    The table lives for the connection and empties at each commit, so it costs one CREATE per
    connection, not per batch.
    """
    columns = ", ".join(f'"{name}"' for name in names)
    staging = f"_staging_{table.name}_" + "_".join(names)[:40]
    session.execute(
        text(
            f'CREATE TEMP TABLE IF NOT EXISTS "{staging}" ON COMMIT DELETE ROWS AS '
            f'SELECT {columns} FROM "{table.name}" WITH NO DATA'
        )
    )
    _copy(session, table, staging, names, rows)
    return staging


def _copy(
    session: Session, table: Table, target: str, names: list[str], rows: Sequence[dict[str, Any]]
) -> None:
    """COPY `rows` into `target`, whose columns `names` are shaped like those of `table`."""
    columns = ", ".join(f'"{name}"' for name in names)
    json_columns = {name for name in names if isinstance(table.c[name].type, JSON)}
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f'COPY "{target}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([Jsonb(row[n]) if n in json_columns else row[n] for n in names])


def _with_python_defaults(table: Table, rows: Sequence[dict[str, Any]]) -> Sequence[dict[str, Any]]:
    """Fill the columns whose default SQLAlchemy computes in Python, as its INSERT would."""
    missing = {}
    for column in table.c:
        default = column.default
        if column.name in rows[0] or default is None or not hasattr(default, "arg"):
            continue
        arg = default.arg
        missing[column.name] = arg(None) if callable(arg) else arg
    if not missing:
        return rows
    return [{**missing, **row} for row in rows]
