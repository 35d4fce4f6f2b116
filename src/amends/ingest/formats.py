"""File formats: how to read records and how to write rejected ones back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from amends.ingest import email_reader, readers, rejects
from amends.ingest.model import Record
from amends.ingest.presets import Preset

Reader = Callable[[IO[bytes], Preset], Iterator[Record]]
SinkFactory = Callable[[Path, Preset], rejects.RejectSink]


@dataclass(frozen=True)
class Format:
    name: str
    help: str
    suffixes: tuple[str, ...]
    read: Reader
    rejects: SinkFactory
    rejected_suffix: str


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


register(
    Format(
        name="csv",
        help="Comma-separated values with a header row (UTF-8, or UTF-16 with a byte-order mark).",
        suffixes=(".csv",),
        read=lambda stream, _preset: readers.read_csv(stream),
        rejects=lambda path, _preset: rejects.CsvRejects(path),
        rejected_suffix=".csv",
    )
)
register(
    Format(
        name="jsonl",
        help="One JSON object per line.",
        suffixes=(".jsonl", ".ndjson"),
        read=lambda stream, _preset: readers.read_jsonl(stream),
        rejects=lambda path, _preset: rejects.JsonlRejects(path),
        rejected_suffix=".jsonl",
    )
)
register(
    Format(
        name="json",
        help="A JSON array of objects, or an API response holding one (e.g. `reviews`, `data`).",
        suffixes=(".json",),
        read=lambda stream, preset: readers.read_json(stream, preset.list_key),
        rejects=lambda path, preset: rejects.JsonRejects(path, preset.list_key),
        rejected_suffix=".json",
    )
)
register(
    Format(
        name="eml",
        help="One email message per file (RFC 5322); rejected messages are written as an mbox.",
        suffixes=(".eml",),
        read=lambda stream, _preset: email_reader.read_eml(stream),
        rejects=lambda path, _preset: email_reader.MboxRejects(path),
        rejected_suffix=".mbox",
    )
)
register(
    Format(
        name="mbox",
        help="Many email messages in one mbox file, each after a `From ` line (mboxrd or mboxo).",
        suffixes=(".mbox", ".mbx"),
        read=lambda stream, _preset: email_reader.read_mbox(stream),
        rejects=lambda path, _preset: email_reader.MboxRejects(path),
        rejected_suffix=".mbox",
    )
)


def guess_format(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return next((fmt.name for fmt in FORMATS.values() if suffix in fmt.suffixes), None)
