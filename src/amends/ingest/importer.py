"""Import a file: read, map, and push through the pipeline in batches, keeping rejected rows.

Each batch is one transaction, and the pipeline skips what is already stored, so an import
that is killed at any moment can simply be run again: every row ends up stored exactly once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session, sessionmaker

from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.formats import FORMATS, Format, guess_format
from amends.ingest.mapping import ItemBuilder
from amends.ingest.model import FieldError, ItemIn, Record
from amends.ingest.presets import Preset
from amends.ingest.read_ahead import read_in_order
from amends.ingest.registry import PRESETS, detect
from amends.ingest.rejects import RejectSink, rejected_path
from amends.lib.prefetch import ahead
from amends.store.db import transaction

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportRequest:
    path: Path
    source: str
    preset: str | None = None
    format: str | None = None
    overrides: Mapping[str, str] | None = None


@dataclass
class ImportSummary:
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    updated: int = 0  # of the duplicates, reviews that came back changed (not in public())
    rejected: int = 0
    rejected_file: str | None = None
    preset: str = ""
    format: str = ""

    def public(self) -> dict[str, object]:
        """The one-line summary `amends import --json` prints; keys are a public interface."""
        data = asdict(self)
        return {
            key: data[key]
            for key in ("read", "imported", "duplicates", "rejected", "rejected_file")
        }


class ImportRefused(ValueError):
    """The import cannot start (unknown preset or format, missing file); nothing was written."""


def resolve(request: ImportRequest) -> tuple[Preset, Format]:
    if not request.path.is_file():
        raise ImportRefused(f"{request.path}: no such file")
    preset = _named_preset(request.preset)
    format_name = request.format or (
        preset.format if preset and not guess_format(request.path) else None
    )
    format_name = format_name or guess_format(request.path) or (preset.format if preset else "csv")
    if format_name not in FORMATS:
        raise ImportRefused(f"unknown format {format_name!r}; formats: {', '.join(FORMATS)}")
    fmt = FORMATS[format_name]
    return preset or _detect(request.path, fmt), fmt


def _named_preset(name: str | None) -> Preset | None:
    if name is None or name == "auto":
        return None
    if name not in PRESETS:
        raise ImportRefused(f"unknown preset {name!r}; presets: {', '.join(PRESETS)}")
    return PRESETS[name]


def _detect(path: Path, fmt: Format) -> Preset:
    with path.open("rb") as stream:
        first = next(fmt.read(stream, PRESETS["generic"]), None)
    return detect(first)


def run_import(
    request: ImportRequest,
    *,
    factory: sessionmaker[Session],
    settings: Settings,
    progress: Progress | None = None,
) -> ImportSummary:
    preset, fmt = resolve(request)
    summary = ImportSummary(preset=preset.name, format=fmt.name)
    sink = fmt.rejects(rejected_path(request.path, fmt.rejected_suffix), preset)
    total = request.path.stat().st_size
    builder = ItemBuilder(preset, request.source, request.overrides or {})
    try:
        with request.path.open("rb") as stream:
            records = fmt.read(stream, preset)
            batches = _prepared(stream, records, builder, sink, summary, settings, total)
            with (
                ahead(batches) as prepared,
                closing(
                    read_in_order(
                        prepared,
                        _texts,
                        workers=settings.import_workers,
                        category_model=settings.category_model,
                    )
                ) as read,
            ):
                for (items, position), readings in read:
                    if items:
                        with transaction(factory) as session:
                            outcome = pipeline.process(session, items, settings, readings=readings)
                        summary.imported += outcome.imported
                        summary.duplicates += outcome.duplicates
                        summary.updated += outcome.updated
                    if progress is not None:
                        progress(position, total)
    finally:
        sink.close()
    if summary.rejected:
        summary.rejected_file = str(sink.path)
    return summary


def _prepared(
    stream: IO[bytes],
    records: Iterator[Record],
    builder: ItemBuilder,
    sink: RejectSink,
    summary: ImportSummary,
    settings: Settings,
    total: int,
) -> Iterator[tuple[list[ItemIn], int]]:
    """Batches of items ready for the pipeline, with how far into the file each one ends.

    Runs in the prefetch thread: it alone counts rows read and rejected, and writes rejects.
    """
    for batch in batches(records, settings.import_batch_size):
        items = _build(batch, builder, sink, summary)
        yield items, position(stream, total)


def _texts(prepared: tuple[list[ItemIn], int]) -> list[str]:
    return [item.text for item in prepared[0]]


def batches(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    """`records` in lists of `size` (the last one shorter)."""
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _build(
    batch: list[Record],
    builder: ItemBuilder,
    sink: RejectSink,
    summary: ImportSummary,
) -> list[ItemIn]:
    items: list[ItemIn] = []
    for record in batch:
        summary.read += 1
        try:
            items.append(builder.build(record))
        except FieldError as error:
            sink.add(record, error)
            summary.rejected += 1
    return items


def position(stream: IO[bytes], total: int) -> int:
    """How far into the file `stream` has read, for a progress bar; `total` when unknown."""
    try:
        return min(stream.tell(), total)
    except (OSError, ValueError):
        return total
