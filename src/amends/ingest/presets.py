"""What a channel preset is: how one platform's export maps onto our fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from amends.ingest.model import Record

Adapter = Callable[[Record], dict[str, Any]]


def _as_is(record: Record) -> dict[str, Any]:
    return dict(record.data)


@dataclass(frozen=True)
class Preset:
    """One platform's export format.

    `fields` maps our field names (see ITEM_FIELDS) to the platform's documented keys; a dotted
    key reaches into nested objects. `adapt` may reshape a record first (join X's includes, turn
    Google's "FIVE" into 5). `signature` is the set of keys that identify this export when the
    user does not name a preset.
    """

    name: str
    help: str
    format: str
    channel: str
    fields: Mapping[str, str]
    reference: str = ""
    list_key: str | None = None
    signature: frozenset[str] = field(default_factory=frozenset)
    adapt: Adapter = _as_is


def lookup(data: Mapping[str, Any], path: str) -> Any:
    """`a.b.c` into nested mappings; a key that itself holds dots is tried whole first."""
    if path in data:
        return data[path]
    if "." not in path:
        return None
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value
