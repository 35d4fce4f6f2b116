"""Rejected rows, written in the shape they came in so the user can fix them and import again.

Each rejected record carries `_line` (where it was in the original file) and `_error` (field and
reason). Importing the fixed file ignores those two keys.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any, Protocol

from amends.ingest.model import EXTRA_KEY, FieldError, Record

LINE_KEY = "_line"
ERROR_KEY = "_error"


class RejectSink(Protocol):
    path: Path

    def add(self, record: Record, error: FieldError) -> None: ...

    def close(self) -> None: ...


def rejected_path(source: Path, suffix: str) -> Path:
    return source.with_name(f"{source.stem}.rejected{suffix}")


class _LazyFile:
    """Opens its file on the first reject, so a clean import leaves no empty file behind."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None
        self.count = 0

    def handle(self) -> IO[str]:
        if self._handle is None:
            self._handle = self.path.open(
                "w", encoding="utf-8", errors="surrogateescape", newline=""
            )
        return self._handle

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


class CsvRejects(_LazyFile):
    """Rejected rows under the file's own header, then `_line` and `_error`; cells beyond the
    header (a row with more columns than its header) follow in their own `_extra` columns."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._writer: Any = None

    def add(self, record: Record, error: FieldError) -> None:
        row = {
            key: value
            for key, value in record.data.items()
            if key not in (LINE_KEY, ERROR_KEY, EXTRA_KEY)
        }
        if self._writer is None:
            self._writer = csv.writer(self.handle())
            self._columns = list(row)
            self._writer.writerow([*self._columns, LINE_KEY, ERROR_KEY, EXTRA_KEY])
        extra = record.data.get(EXTRA_KEY) or [""]
        cells = [row.get(name, "") for name in self._columns]
        self._writer.writerow([*cells, record.line, str(error), *extra])
        self.count += 1


class JsonlRejects(_LazyFile):
    def add(self, record: Record, error: FieldError) -> None:
        data = {**record.data, LINE_KEY: record.line, ERROR_KEY: str(error)}
        self.handle().write(json.dumps(data, ensure_ascii=False) + "\n")
        self.count += 1


class JsonRejects(_LazyFile):
    """Rejected elements back in their document, under the same list key, with its context."""

    def __init__(self, path: Path, list_key: str | None) -> None:
        super().__init__(path)
        self.list_key = list_key
        self._elements: list[Any] = []
        self._context: dict[str, Any] = {}

    def add(self, record: Record, error: FieldError) -> None:
        self._elements.append({**record.data, LINE_KEY: record.line, ERROR_KEY: str(error)})
        self._context = dict(record.context)
        self.count += 1

    def close(self) -> None:
        if self._elements:
            key = self.list_key or "items"
            document: Any = (
                {**self._context, key: self._elements} if self.list_key else self._elements
            )
            json.dump(document, self.handle(), ensure_ascii=False, indent=2)
        super().close()
