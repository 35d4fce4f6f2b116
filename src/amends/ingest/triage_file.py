"""`amends triage FILE`: triage the rows of a CSV, JSON Lines or JSON file without storing
them, one result per row in the file's order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from amends.ingest import fields
from amends.ingest.formats import FORMATS
from amends.ingest.model import FieldError, Record
from amends.ingest.registry import PRESETS
from amends.triage.service import TriageInput, triage

BATCH = 1000
#: Columns read when present, besides the text: they feed the risk score.
CONTEXT_COLUMNS = ("channel", "rating", "author_reach")
TRIAGE_FORMATS = ("csv", "jsonl", "json")


def sniff_format(head: bytes) -> str:
    """JSON Lines when the first non-blank byte opens an object, JSON for an array, else CSV."""
    start = head.lstrip()[:1]
    return {b"{": "jsonl", b"[": "json"}.get(start, "csv")


def triage_records(
    stream: IO[bytes], fmt: str, *, text_column: str, model: Path | None
) -> Iterator[dict[str, Any]]:
    """One dict per record: its `line` and the triage fields, or its `line` and an `error`
    naming the field when the row cannot be triaged (no text, a bad rating)."""
    if fmt not in TRIAGE_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(TRIAGE_FORMATS)}")
    records = FORMATS[fmt].read(stream, PRESETS["generic"])
    batch: list[tuple[Record, TriageInput | FieldError]] = []
    for record in records:
        batch.append((record, _input(record, text_column)))
        if len(batch) >= BATCH:
            yield from _triaged(batch, model)
            batch = []
    yield from _triaged(batch, model)


def _input(record: Record, text_column: str) -> TriageInput | FieldError:
    if record.error is not None:
        return record.error
    try:
        text = fields.clean_text(record.data.get(text_column), text_column)
        if not text:
            return FieldError(text_column, "missing or empty")
        channel = fields.clean_text(record.data.get("channel"), "channel")
        return TriageInput(
            text=text,
            channel=channel.lower() if channel else None,
            rating=fields.parse_rating(record.data.get("rating")),
            author_reach=fields.parse_count(record.data.get("author_reach"), "author_reach"),
        )
    except FieldError as error:
        return error


def _triaged(
    batch: list[tuple[Record, TriageInput | FieldError]], model: Path | None
) -> Iterator[dict[str, Any]]:
    good = [item for _, item in batch if isinstance(item, TriageInput)]
    results = iter(triage(good, category_model=model))
    for record, item in batch:
        if isinstance(item, FieldError):
            yield {"line": record.line, "error": str(item)}
        else:
            yield {"line": record.line, **next(results).public()}
