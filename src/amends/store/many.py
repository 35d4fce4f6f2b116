"""`column IN (...)`, and rows for one UPDATE, for the thousands of values a batch brings."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, any_, bindparam, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.types import TypeEngine


def one_of(
    session: Session, column: InstrumentedAttribute[Any], values: Collection[Any]
) -> ColumnElement[bool]:
    """On PostgreSQL, `column = ANY(:array)`: one parameter, where IN would send one per value
    and have psycopg rewrite a statement with thousands of placeholders each batch."""
    if session.get_bind().dialect.name == "postgresql":
        array = bindparam(None, list(values), type_=ARRAY(column.type))
        return column == any_(array)
    return column.in_(values)


@dataclass(frozen=True, slots=True)
class EachRow:
    """Rows for one statement to read, a value per column: `columns` say where the statement
    finds each value, and the statement runs with `parameters`."""

    columns: Mapping[str, ColumnElement[Any]]
    parameters: list[dict[str, Any]] | dict[str, Any]


def each_row(
    session: Session, types: Mapping[str, TypeEngine[Any]], rows: Sequence[Mapping[str, Any]]
) -> EachRow:
    """`rows` as a source for one UPDATE … WHERE key = columns["key"].

    On PostgreSQL, a table made by unnest of one array per column: one statement for every row
    (an executemany of thousands of UPDATEs costs a round of the executor per row). On SQLite,
    one bound parameter per column and an executemany, which runs in-process and is fast.
    """
    if session.get_bind().dialect.name == "postgresql":
        arrays = [
            bindparam(None, [row[name] for row in rows], type_=ARRAY(kind))
            for name, kind in types.items()
        ]
        table = func.unnest(*arrays).table_valued(*types).render_derived(name="each_row")
        return EachRow({name: table.c[name] for name in types}, {})
    columns = {name: bindparam(f"each_{name}", type_=kind) for name, kind in types.items()}
    return EachRow(columns, [{f"each_{name}": row[name] for name in types} for row in rows])
