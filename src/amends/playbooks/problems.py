"""A problem found in a playbook set, said where it is: `file:line:column: field: message`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Where a value sits in a YAML document: mapping keys and list indexes from the root.
FieldPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One problem. `line` and `column` count from 1; `field_path` is dotted, with list
    indexes in brackets (`remedies[1].cap`), relative to the playbook it is in."""

    file: str
    line: int
    column: int
    field_path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        if not self.field_path:
            return f"{where}: {self.message}"
        return f"{where}: {self.field_path}: {self.message}"

    def public(self) -> dict[str, Any]:
        """The form `amends playbooks check --json` prints."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field_path,
            "message": self.message,
        }


def dotted(path: FieldPath) -> str:
    """`("remedies", 1, "cap")` → `remedies[1].cap`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a playbook starts in its file; `str()` gives `file:line`."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"
