from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from amends.config import Settings
from amends.ingest.importer import ImportRefused, ImportRequest, run_import
from amends.store.tables import Case, Customer, FeedbackItem

HEADER = "external_id,author,email,text,rating,posted_at\n"


def _import(path: Path, factory: sessionmaker[Session], settings: Settings, **options: object):  # type: ignore[no-untyped-def]
    request = ImportRequest(path=path, source="shop", **options)  # type: ignore[arg-type]
    return run_import(request, factory=factory, settings=settings)


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_it_imports_a_file_once_however_often_it_is_run(
    tmp_path: Path, factory: sessionmaker[Session], settings: Settings, session: Session
) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(
        HEADER
        + "r1,Ann,ann@example.com,Parcel arrived crushed,1,2024-05-01T10:00:00Z\n"
        + "r2,Ben,ben@example.com,Great service,5,2024-05-02T10:00:00Z\n"
        + ",Cy,cy@example.com,No id here so the content identifies it,2,2024-05-03\n"
    )
    first = _import(path, factory, settings)
    second = _import(path, factory, settings)
    assert first.public() == {
        "read": 3,
        "imported": 3,
        "duplicates": 0,
        "rejected": 0,
        "rejected_file": None,
    }
    assert (second.imported, second.duplicates) == (0, 3)
    assert _count(session, FeedbackItem) == 3
    assert _count(session, Case) == 2


def test_it_keeps_good_rows_and_writes_bad_ones_with_line_and_reason(
    tmp_path: Path, factory: sessionmaker[Session], settings: Settings, session: Session
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        HEADER.encode()
        + b"a1,Ann,ann@example.com,Fine row,2,2024-05-01\n"
        + b"a2,Ben,ben@example.com,,2,2024-05-01\n"
        + b'a3,Cy,cy@example.com,"Bad date,\nover two lines",2,someday\n'
        + b"a4,Di,di@example.com,Bad rating,7,2024-05-01\n"
        + b"a5,Ed,ed@example.com,Caf\xe9 closed,2,2024-05-01\n"
        + b"a6,Flo,flo@example.com,Another fine row,1,2024-05-02\n"
    )
    summary = _import(path, factory, settings)
    assert (summary.read, summary.imported, summary.rejected) == (6, 2, 4)
    assert summary.rejected_file == str(tmp_path / "mixed.rejected.csv")
    with open(summary.rejected_file, encoding="utf-8", errors="surrogateescape", newline="") as f:
        rejected = list(csv.DictReader(f))
    assert [(row["external_id"], row["_line"]) for row in rejected] == [
        ("a2", "3"),
        ("a3", "4"),
        ("a4", "6"),
        ("a5", "7"),
    ]
    reasons = [row["_error"] for row in rejected]
    assert reasons[0] == "text: missing or empty"
    assert reasons[1].startswith("posted_at: not a date")
    assert reasons[2].startswith("rating: must be a whole number from 1 to 5")
    assert reasons[3].startswith("text: undecodable byte 0xe9")
    assert _count(session, FeedbackItem) == 2


def test_it_imports_the_rejected_file_once_fixed(
    tmp_path: Path, factory: sessionmaker[Session], settings: Settings, session: Session
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(HEADER + "b1,Ann,ann@example.com,Late,9,2024-05-01\nb2,Bo,,Fine,2,2024-05-01\n")
    summary = _import(path, factory, settings)
    assert summary.rejected_file is not None
    rejected = Path(summary.rejected_file)
    rejected.write_text(rejected.read_text().replace(",9,", ",2,"))
    fixed = _import(rejected, factory, settings)
    assert (fixed.imported, fixed.rejected) == (1, 0)
    assert _count(session, FeedbackItem) == 2


def test_it_maps_columns_named_otherwise(
    tmp_path: Path, factory: sessionmaker[Session], settings: Settings, session: Session
) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Ref,Who,Said,Stars,When\nx9,Gus,Cold food,2,2015-02-24 11:35:52 -0800\n")
    overrides = {
        "external_id": "Ref",
        "author": "Who",
        "text": "Said",
        "rating": "Stars",
        "posted_at": "When",
    }
    _import(path, factory, settings, overrides=overrides)
    item = session.scalars(select(FeedbackItem)).one()
    assert (item.external_id, item.author, item.text, item.rating) == ("x9", "Gus", "Cold food", 2)
    assert item.posted_at is not None
    assert item.posted_at.isoformat() == "2015-02-24T19:35:52+00:00"


def test_it_keeps_the_raw_row_verbatim(
    tmp_path: Path, factory: sessionmaker[Session], settings: Settings, session: Session
) -> None:
    path = tmp_path / "raw.jsonl"
    line = '{"external_id": "j1", "text": "Broken zip", "rating": 2, "sku": "ZX-1"}'
    path.write_text(line + "\n")
    _import(path, factory, settings)
    item = session.scalars(select(FeedbackItem)).one()
    assert item.raw == line
    assert json.loads(item.raw)["sku"] == "ZX-1"


def test_it_rejects_a_jsonl_line_that_is_not_json(
    tmp_path: Path, factory: sessionmaker[Session], settings: Settings
) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "ok"}\n{"text": "cut off\n{"text": "also ok"}\n')
    summary = _import(path, factory, settings)
    assert (summary.imported, summary.rejected) == (2, 1)
    assert summary.rejected_file is not None
    rejected = [json.loads(line) for line in Path(summary.rejected_file).read_text().splitlines()]
    assert rejected[0]["_line"] == 2
    assert rejected[0]["_error"].startswith("json:")


def test_it_links_the_same_customer_across_files(
    tmp_path: Path, factory: sessionmaker[Session], settings: Settings, session: Session
) -> None:
    first = tmp_path / "email.csv"
    first.write_text("external_id,email,author,text\ne1,Ann@Example.com,Ann,Refund missing\n")
    second = tmp_path / "x.csv"
    second.write_text(
        "external_id,email,author_handle,channel,text\nt1,ann@example.com,@ann,x,Still no refund\n"
    )
    _import(first, factory, settings)
    _import(second, factory, settings)
    assert _count(session, Customer) == 1


def test_it_refuses_an_unknown_preset_before_writing(
    tmp_path: Path, factory: sessionmaker[Session], settings: Settings
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(HEADER)
    with pytest.raises(ImportRefused, match="unknown preset 'yelp'"):
        _import(path, factory, settings, preset="yelp")


def test_a_rejected_row_is_written_back_whole_however_many_cells_it_has(
    tmp_path: Path, factory: sessionmaker[Session], settings: Settings
) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(
        HEADER
        + "c1,Ann\n"
        + "c2,Ben,ben@example.com,Lost parcel, again,1,2024-05-01,surplus\n"
        + "c3,Cy,cy@example.com,Fine,2,2024-05-01\n"
    )
    summary = _import(path, factory, settings)
    assert summary.rejected_file is not None
    with open(summary.rejected_file, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [*HEADER.strip().split(","), "_line", "_error", "_extra"]
    assert rows[1][:6] == ["c1", "Ann", "", "", "", ""]
    assert rows[2][:6] == ["c2", "Ben", "ben@example.com", "Lost parcel", " again", "1"]
    assert rows[2][-2:] == ["2024-05-01", "surplus"]
    assert all(row[7].startswith("row: has") for row in rows[1:])


def test_it_refuses_a_value_too_long_for_its_column(
    tmp_path: Path, factory: sessionmaker[Session], settings: Settings
) -> None:
    path = tmp_path / "long.csv"
    path.write_text("external_id,text,language\nd1,Late again,english-united-kingdom\n")
    summary = _import(path, factory, settings)
    assert (summary.imported, summary.rejected) == (0, 1)
    assert summary.rejected_file is not None
    assert "language: longer than 8 characters" in Path(summary.rejected_file).read_text()
