"""One aggregate query grouped several ways at once: by GROUPING SETS on PostgreSQL, in one
pass over the rows, and as one statement per grouping where there are none (SQLite). The rows
come out alike either way: `set`, which grouping the row belongs to, and `grp`, its value."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, func, literal, tuple_


class Groupings:
    """`keys[i]` is the value a row is grouped by in grouping `i`, or None for grouping `i`
    being the whole population. `native`: the database has GROUPING SETS."""

    def __init__(self, keys: Sequence[ColumnElement[Any] | None], *, native: bool) -> None:
        self._keys = list(keys)
        self._native = native
        named = [key for key in self._keys if key is not None]
        everything = (1 << len(named)) - 1  # grouping() sets the bit of each key left out
        self._by_mask: dict[int, int] = {}
        position = 0
        for index, key in enumerate(self._keys):
            if key is None:
                self._by_mask[everything] = index
            else:
                self._by_mask[everything ^ (1 << (len(named) - 1 - position))] = index
                position += 1

    def statements(
        self, query: Select[Any], *, also: Sequence[ColumnElement[Any]] = ()
    ) -> list[Select[Any]]:
        """`query` (its aggregates, FROM and WHERE, no GROUP BY) grouped each way, and by
        `also` within each grouping."""
        if self._native:
            return [self._in_one(query, also)]
        return [self._alone(query, index, also) for index in range(len(self._keys))]

    def index(self, value: int) -> int:
        """The grouping a row belongs to, from its `set`."""
        return self._by_mask[value] if self._native else value

    def _in_one(self, query: Select[Any], also: Sequence[ColumnElement[Any]]) -> Select[Any]:
        named = [key for key in self._keys if key is not None]
        mask = func.grouping(*named) if named else literal(0)
        group = func.coalesce(*named) if named else cast(literal(None), String)
        sets = [tuple_(*([] if key is None else [key]), *also) for key in self._keys]
        return query.add_columns(mask.label("set"), group.label("grp")).group_by(
            func.grouping_sets(*sets)
        )

    def _alone(
        self, query: Select[Any], index: int, also: Sequence[ColumnElement[Any]]
    ) -> Select[Any]:
        key = self._keys[index]
        group = cast(literal(None), String) if key is None else key
        grouped = query.add_columns(literal(index).label("set"), group.label("grp"))
        by = [*([] if key is None else [key]), *also]
        return grouped.group_by(*by) if by else grouped
