"""Build an ItemIn from a Record through a preset and the user's `--map` overrides."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from amends.ingest import fields as f
from amends.ingest.model import ITEM_FIELDS, FieldError, ItemIn, Record
from amends.ingest.presets import Preset, lookup
from amends.store.tables import FeedbackItem

_CONVERTERS: dict[str, Callable[[Any, str], Any]] = {
    "rating": f.parse_rating,
    "posted_at": f.parse_datetime,
    "author_reach": f.parse_count,
}


def _column_limits() -> dict[str, int]:
    """The longest value each field's column holds, so a file row is refused, not truncated
    (SQLite would store it whole, PostgreSQL would stop the import)."""
    columns = FeedbackItem.__table__.c
    return {
        name: length
        for name in ITEM_FIELDS
        if name in columns and (length := getattr(columns[name].type, "length", None))
    }


_LIMITS = _column_limits()


def parse_map(pairs: list[str], known: Collection[str] = ITEM_FIELDS) -> dict[str, str]:
    """`["text=Review", "rating=Stars"]` to a dict, refusing fields not in `known`."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        name = name.strip()
        if not sep or not column.strip():
            raise ValueError(f"--map {pair!r}: expected FIELD=COLUMN")
        if name not in known:
            raise ValueError(f"--map {pair!r}: unknown field {name!r}; fields: {', '.join(known)}")
        mapping[name] = column.strip()
    return mapping


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    path: str
    convert: Callable[[Any, str], Any] | None
    limit: int | None


class ItemBuilder:
    """Builds ItemIn from the records of one import: the preset and `--map` are resolved once,
    so each record costs only the lookups of the fields that have a source."""

    def __init__(self, preset: Preset, source: str, overrides: Mapping[str, str]) -> None:
        self.preset = preset
        self.source = source
        self.fields = [
            _Field(name, path, _CONVERTERS.get(name), _LIMITS.get(name))
            for name in ITEM_FIELDS
            if (path := overrides.get(name) or preset.fields.get(name))
        ]

    def build(self, record: Record) -> ItemIn:
        if record.error is not None:
            raise record.error
        data = self.preset.adapt(record)
        values: dict[str, Any] = dict.fromkeys(ITEM_FIELDS)
        for spec in self.fields:
            values[spec.name] = _field_value(data, spec)
        text = values.pop("text")
        if not text:
            raise FieldError("text", "missing or empty")
        channel = values.pop("channel") or self.preset.channel
        return ItemIn(
            source=self.source, channel=str(channel).lower(), text=text, raw=record.raw, **values
        )


def _field_value(data: Mapping[str, Any], spec: _Field) -> Any:
    value = lookup(data, spec.path)
    if value is None or value == "":
        return None
    if spec.convert is not None:
        return spec.convert(value, spec.name)
    text = f.clean_text(value, spec.name)
    if text is not None and spec.limit is not None and len(text) > spec.limit:
        raise FieldError(spec.name, f"longer than {spec.limit} characters")
    return text


def dedupe_key(item: ItemIn) -> str:
    if item.external_id:
        return item.external_id
    posted = item.posted_at.isoformat() if item.posted_at else None
    who = item.email or item.author_handle or item.author
    return f.content_hash(item.channel, who, posted, item.text)
