"""Read files into Records, one reader per format. Readers interpret nothing; presets do.

Every reader takes a binary stream (so the importer can count bytes for its progress bar) and
yields Records with the line where each one starts.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from amends.ingest.model import EXTRA_KEY, FieldError, Record

_SURROGATE = re.compile(r"[\udc80-\udcff]")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
csv.field_size_limit(16 * 1024 * 1024)


def detect_encoding(stream: IO[bytes]) -> str:
    """UTF-8 unless a byte-order mark says otherwise (Google Play's reports are UTF-16)."""
    head = stream.read(4)
    stream.seek(0)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return "utf-8"


@contextmanager
def text_stream(stream: IO[bytes]) -> Iterator[IO[str]]:
    """Text over the binary stream, keeping undecodable bytes as surrogates to report them.

    Detached, not closed, at the end: the caller owns the binary stream.
    """
    encoding = detect_encoding(stream)
    wrapper = io.TextIOWrapper(stream, encoding=encoding, errors="surrogateescape", newline="")
    try:
        yield wrapper
    finally:
        wrapper.detach()


def undecodable(values: dict[str, Any]) -> FieldError | None:
    """Name the first column holding bytes that were not valid in the file's encoding."""
    for key, value in values.items():
        bad = _SURROGATE.search(value) if isinstance(value, str) and not value.isascii() else None
        if bad:
            byte = ord(bad.group()) - 0xDC00
            return FieldError(
                str(key), f"undecodable byte 0x{byte:02x} at character {bad.start() + 1}"
            )
    return None


def read_csv(stream: IO[bytes]) -> Iterator[Record]:
    with text_stream(stream) as text:
        yield from _csv_records(csv.reader(text))


def _csv_records(reader: Any) -> Iterator[Record]:
    header = next(reader, None)
    if header is None:
        return
    header = [name.strip() for name in header]
    start = reader.line_num + 1
    for row in reader:
        if not any(cell.strip() for cell in row):
            start = reader.line_num + 1
            continue
        data = _cells(header, row)
        error = undecodable(data)
        if error is None and len(row) != len(header):
            error = FieldError("row", f"has {len(row)} columns, the header has {len(header)}")
        raw = json.dumps(data, ensure_ascii=False) if error is None else ""
        yield Record(line=start, data=data, raw=raw, error=error)
        start = reader.line_num + 1


def _cells(header: list[str], row: list[str]) -> dict[str, Any]:
    """A row as {column: cell}; a short row gets empty cells, a long row's surplus cells go
    under EXTRA_KEY, so a rejected row is written back whole."""
    data: dict[str, Any] = dict(zip(header, row, strict=False))
    for name in header[len(row) :]:
        data[name] = ""
    if len(row) > len(header):
        data[EXTRA_KEY] = row[len(header) :]
    return data


def read_jsonl(stream: IO[bytes]) -> Iterator[Record]:
    with text_stream(stream) as text:
        for number, line in enumerate(text, start=1):
            stripped = line.strip()
            if stripped:
                yield _json_record(number, stripped)


def _json_record(number: int, text: str) -> Record:
    bad = _SURROGATE.search(text)
    if bad:
        byte = ord(bad.group()) - 0xDC00
        error = FieldError("line", f"undecodable byte 0x{byte:02x} at character {bad.start() + 1}")
        return Record(line=number, data={"_raw": text}, raw="", error=error)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        error = FieldError("json", f"{exc.msg} at column {exc.colno}")
        return Record(line=number, data={"_raw": text}, raw="", error=error)
    if not isinstance(data, dict):
        return Record(
            line=number, data={"_raw": text}, raw="", error=FieldError("json", "not an object")
        )
    return Record(line=number, data=data, raw=text)


def read_json(stream: IO[bytes], list_key: str | None = None) -> Iterator[Record]:
    """A JSON array of objects, or an object holding one (`list_key`, else its first list).

    Each element keeps its exact source text as `raw`, and the line where it starts.
    """
    with text_stream(stream) as wrapper:
        text = wrapper.read()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        error = FieldError("json", f"{exc.msg} at line {exc.lineno} column {exc.colno}")
        yield Record(line=exc.lineno, data={}, raw="", error=error)
        return
    elements, context = _split_document(document, list_key)
    positions = _element_positions(text, document, list_key)
    for index, element in enumerate(elements):
        start, end = positions[index] if index < len(positions) else (0, 0)
        line = text.count("\n", 0, start) + 1
        if not isinstance(element, dict):
            error = FieldError("json", "element is not an object")
            yield Record(line=line, data={"_raw": element}, raw="", error=error, context=context)
            continue
        yield Record(line=line, data=element, raw=text[start:end], context=context)


def _list_key(document: Any, list_key: str | None) -> str | None:
    if not isinstance(document, dict):
        return None
    if list_key is not None:
        return list_key
    return next((key for key, value in document.items() if isinstance(value, list)), None)


def _split_document(document: Any, list_key: str | None) -> tuple[list[Any], dict[str, Any]]:
    if isinstance(document, list):
        return document, {}
    key = _list_key(document, list_key)
    if key is None or not isinstance(document.get(key), list):
        return [], {}
    context = {name: value for name, value in document.items() if name != key}
    return document[key], context


def _element_positions(text: str, document: Any, list_key: str | None) -> list[tuple[int, int]]:
    """Where each element of the record list starts and ends in the source text."""
    decoder = json.JSONDecoder()
    if isinstance(document, list):
        return _array_positions(text, _skip_ws(text, 0), decoder)
    key = _list_key(document, list_key)
    position = _skip_ws(text, 0) + 1  # past "{"
    while key is not None and position < len(text):
        position = _skip_ws(text, position)
        name, position = decoder.raw_decode(text, position)
        position = _skip_ws(text, position) + 1  # past ":"
        position = _skip_ws(text, position)
        if name == key:
            return _array_positions(text, position, decoder)
        _, position = decoder.raw_decode(text, position)
        position = _skip_ws(text, position) + 1  # past ","
    return []


def _array_positions(text: str, position: int, decoder: json.JSONDecoder) -> list[tuple[int, int]]:
    positions: list[tuple[int, int]] = []
    position = _skip_ws(text, position + 1)  # past "["
    while position < len(text) and text[position] != "]":
        _, end = decoder.raw_decode(text, position)
        positions.append((position, end))
        position = _skip_ws(text, end)
        if position < len(text) and text[position] == ",":
            position = _skip_ws(text, position + 1)
    return positions


def _skip_ws(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position
