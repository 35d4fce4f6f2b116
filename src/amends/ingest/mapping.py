"""Build an ItemIn from a Record through a preset and the user's `--map` overrides."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from amends.ingest import fields as f
from amends.ingest.model import ITEM_FIELDS, FieldError, ItemIn, Record
from amends.ingest.presets import Preset, lookup

_CONVERTERS: dict[str, Callable[[Any, str], Any]] = {
    "rating": f.parse_rating,
    "posted_at": f.parse_datetime,
    "author_reach": f.parse_count,
}
_LIMITS = {"title": 500, "author": 300, "author_handle": 300, "url": 2000, "external_id": 200}


def parse_map(pairs: list[str]) -> dict[str, str]:
    """`["text=Review", "rating=Stars"]` to a dict, refusing fields we do not have."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        name = name.strip()
        if not sep or not column.strip():
            raise ValueError(f"--map {pair!r}: expected FIELD=COLUMN")
        if name not in ITEM_FIELDS:
            raise ValueError(
                f"--map {pair!r}: unknown field {name!r}; fields: {', '.join(ITEM_FIELDS)}"
            )
        mapping[name] = column.strip()
    return mapping


def build_item(
    record: Record, *, preset: Preset, source: str, overrides: Mapping[str, str]
) -> ItemIn:
    if record.error is not None:
        raise record.error
    data = preset.adapt(record)
    values = {
        name: _field_value(data, name, overrides.get(name) or preset.fields.get(name))
        for name in ITEM_FIELDS
    }
    text = values.pop("text")
    if not text:
        raise FieldError("text", "missing or empty")
    channel = values.pop("channel") or preset.channel
    return ItemIn(source=source, channel=str(channel).lower(), text=text, raw=record.raw, **values)


def _field_value(data: Mapping[str, Any], name: str, path: str | None) -> Any:
    if path is None:
        return None
    value = lookup(data, path)
    if value is None or value == "":
        return None
    convert = _CONVERTERS.get(name)
    if convert is not None:
        return convert(value, name)
    text = f.clean_text(value, name)
    limit = _LIMITS.get(name)
    if text is not None and limit is not None and len(text) > limit:
        raise FieldError(name, f"longer than {limit} characters")
    return text


def dedupe_key(item: ItemIn) -> str:
    if item.external_id:
        return item.external_id
    posted = item.posted_at.isoformat() if item.posted_at else None
    who = item.email or item.author_handle or item.author
    return f.content_hash(item.channel, who, posted, item.text)
