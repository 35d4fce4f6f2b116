"""One aggregate query grouped several ways at once: by GROUPING SETS on PostgreSQL, in one
pass over the rows, and as one statement per grouping where there are none (SQLite). Rows come
out alike either way, and `Groupings.group` says which grouping a row belongs to and its group.

Keys are grouped on as they are stored (an owner's id, a category or NULL): cheaper than
grouping on text made for display, which `group` makes instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, literal, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

#: The group of cases with no value for the key.
NONE = "(none)"


class Groupings:
    """`keys[i]` is what rows are grouped by in grouping `i`, or None for grouping `i` being
    the whole population. `native`: the database has GROUPING SETS."""

    def __init__(self, keys: Sequence[ColumnElement[Any] | None], *, native: bool) -> None:
        self._keys = list(keys)
        self._native = native
        self._named = [key for key in self._keys if key is not None]
        # Grouping i's key is labelled k<position among the named keys>.
        self._label: list[str | None] = []
        everything = (1 << len(self._named)) - 1  # grouping() sets the bit of each key left out
        self._by_mask: dict[int, int] = {}
        for index, key in enumerate(self._keys):
            if key is None:
                self._label.append(None)
                self._by_mask[everything] = index
            else:
                position = sum(1 for k in self._keys[:index] if k is not None)
                self._label.append(f"k{position}")
                self._by_mask[everything ^ (1 << (len(self._named) - 1 - position))] = index

    @classmethod
    def on(cls, session: Session, keys: Sequence[ColumnElement[Any] | None]) -> Groupings:
        """`keys` grouped the best way the session's database offers."""
        return cls(keys, native=session.get_bind().dialect.name == "postgresql")

    @property
    def native(self) -> bool:
        return self._native

    def statements(
        self, query: Select[Any], *, also: Sequence[ColumnElement[Any]] = ()
    ) -> list[Select[Any]]:
        """`query` (its aggregates, FROM and WHERE, no GROUP BY) grouped each way, and by
        `also` within each grouping."""
        if self._native:
            return [self._in_one(query, also)]
        return [self._alone(query, index, also) for index in range(len(self._keys))]

    def statements_of_sums(self, query: Select[Any]) -> list[Select[Any]]:
        """`statements` for a query whose every column is a count or a sum, so that a group's
        figures add up from any split of its rows. With GROUPING SETS, the query first runs per
        cell (one group per combination of every key's value) and each grouping adds up its
        cells: one hash per row instead of one per row and grouping, several times faster."""
        if not self._native:
            return self.statements(query)
        named = list({key.name: key for key in self._named}.values())
        cells = query.add_columns(*named).group_by(*named).subquery("cells")
        added = select(*(_added_up(cells, column) for column in query.selected_columns))
        keys = [None if key is None else cells.c[key.name] for key in self._keys]
        return Groupings(keys, native=True).statements(added.select_from(cells))

    def group(self, row: Row[Any] | Any) -> tuple[int, str | None]:
        """The grouping `row` belongs to, and its group: the key's value as text, NONE where
        the key is NULL, None for the whole population."""
        values = row._mapping
        index = self._by_mask[values["set"]] if self._native else values["set"]
        label = self._label[index]
        if label is None:
            return index, None
        value = values[label]
        return index, NONE if value is None else str(value)

    def columns(self, selectable: Any) -> list[Any]:
        """The columns of a subquery of one of `statements` that tell its groups apart."""
        return [c for c in selectable.c if c.name == "set" or c.name in self._label]

    def _in_one(self, query: Select[Any], also: Sequence[ColumnElement[Any]]) -> Select[Any]:
        mask = func.grouping(*self._named) if self._named else literal(0)
        labelled = [
            key.label(label)
            for key, label in zip(self._keys, self._label, strict=True)
            if key is not None and label is not None
        ]
        sets = [tuple_(*([] if key is None else [key]), *also) for key in self._keys]
        return query.add_columns(mask.label("set"), *labelled).group_by(func.grouping_sets(*sets))

    def _alone(
        self, query: Select[Any], index: int, also: Sequence[ColumnElement[Any]]
    ) -> Select[Any]:
        key, label = self._keys[index], self._label[index]
        grouped = query.add_columns(literal(index).label("set"))
        if key is not None and label is not None:
            grouped = grouped.add_columns(key.label(label))
        by = [*([] if key is None else [key]), *also]
        return grouped.group_by(*by) if by else grouped


def _added_up(cells: Any, column: Any) -> ColumnElement[Any]:
    """A column of the cells added up. Over no cells (nothing in scope) a sum is NULL, where
    the query's own count(*) or coalesce(…, 0) would be 0: those stay 0."""
    summed: ColumnElement[Any] = func.sum(cells.c[column.name])
    inner = getattr(column, "element", column)
    if isinstance(inner, FunctionElement) and inner.name in ("count", "coalesce"):
        summed = func.coalesce(summed, 0)
    return summed.label(column.name)
