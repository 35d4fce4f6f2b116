"""`amends triage FILE`: triage the rows of a CSV, JSON Lines or JSON file without storing
them, one result per row in the file's order."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from amends.ingest import fields
from amends.ingest.formats import FORMATS
from amends.ingest.model import FieldError, Record
from amends.ingest.read_ahead import read_in_order
from amends.ingest.registry import PRESETS
from amends.triage.service import Reading, TriageInput, triage

BATCH = 1000
#: Columns read when present, besides the text: they feed the risk score.
CONTEXT_COLUMNS = ("channel", "rating", "author_reach")
TRIAGE_FORMATS = ("csv", "jsonl", "json")


def sniff_format(head: bytes) -> str:
    """JSON Lines when the first non-blank byte opens an object, JSON for an array, else CSV."""
    start = head.lstrip()[:1]
    return {b"{": "jsonl", b"[": "json"}.get(start, "csv")


Batch = list[tuple[Record, TriageInput | FieldError]]


def triage_records(
    stream: IO[bytes],
    fmt: str,
    *,
    text_column: str,
    model: Path | None,
    workers: int = 1,
) -> Iterator[dict[str, Any]]:
    """One dict per record: its `line` and the triage fields, or its `line` and an `error`
    naming the field when the row cannot be triaged (no text, a bad rating). With `workers`
    above 1, worker processes read the texts of the batches ahead (ingest.read_ahead)."""
    if fmt not in TRIAGE_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(TRIAGE_FORMATS)}")
    records = FORMATS[fmt].read(stream, PRESETS["generic"])
    batches = _batches(records, text_column)
    for batch, readings in read_in_order(batches, _texts, workers=workers, category_model=model):
        yield from _triaged(batch, model, readings)


def _batches(records: Iterator[Record], text_column: str) -> Iterator[Batch]:
    batch: Batch = []
    for record in records:
        batch.append((record, _input(record, text_column)))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _texts(batch: Batch) -> list[str]:
    return [item.text for _, item in batch if isinstance(item, TriageInput)]


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
    batch: Batch, model: Path | None, readings: Mapping[str, Reading] | None
) -> Iterator[dict[str, Any]]:
    good = [item for _, item in batch if isinstance(item, TriageInput)]
    results = iter(triage(good, category_model=model, readings=readings))
    for record, item in batch:
        if isinstance(item, FieldError):
            yield {"line": record.line, "error": str(item)}
        else:
            yield {"line": record.line, **next(results).public()}
