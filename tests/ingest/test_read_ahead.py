"""An import reads its texts in worker processes and stores exactly what it would have stored
reading them itself; a worker that dies costs speed, never items."""

from __future__ import annotations

import csv
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from amends.config import Settings
from amends.ingest.importer import ImportRequest, run_import
from amends.ingest.read_ahead import Pending, ReadAhead, read_ahead, read_in_order
from amends.ingest.triage_file import BATCH, triage_records
from amends.store.tables import FeedbackItem, ItemTriage
from amends.triage import service

_COMPARED = (
    "sentiment",
    "sentiment_score",
    "emotions",
    "emotion",
    "category",
    "category_score",
    "language",
    "language_score",
    "pii",
    "risk",
    "risk_factors",
    "priority",
)


def _complaints(count: int) -> list[str]:
    with (files("amends.demo") / "cfpb_complaints.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    return [row["Consumer complaint narrative"] for row in rows[:count]]


def _write(path: Path, texts: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(("external_id", "channel", "text", "rating", "posted_at"))
        for number, text in enumerate(texts):
            channel = ("email", "x", "cfpb")[number % 3]
            rating = ("1", "3", "", "5")[number % 4]
            writer.writerow((f"row-{number}", channel, text, rating, "2024-05-01T10:00:00Z"))
    return path


def _stored(session: Session, source: str) -> dict[str, dict[str, Any]]:
    query = (
        select(FeedbackItem.external_id, ItemTriage)
        .join(ItemTriage, ItemTriage.item_id == FeedbackItem.id)
        .where(FeedbackItem.source == source)
    )
    return {
        str(external_id): {name: getattr(row, name) for name in _COMPARED}
        for external_id, row in session.execute(query)
    }


def test_an_import_read_by_workers_stores_what_one_read_in_process_stores(
    tmp_path: Path, factory: sessionmaker[Session], settings: Settings, session: Session
) -> None:
    """Four batches (the first read in-process, three by workers), a text repeated within a
    batch, customers' facts that only the importer knows: the same triage for every row."""
    texts = _complaints(110)
    texts[5] = texts[4]
    path = _write(tmp_path / "complaints.csv", texts)
    for source, workers in (("alone", 1), ("workers", 2)):
        chosen = settings.model_copy(update={"import_batch_size": 30, "import_workers": workers})
        summary = run_import(
            ImportRequest(path=path, source=source), factory=factory, settings=chosen
        )
        assert summary.imported == len(texts)
    alone, by_workers = _stored(session, "alone"), _stored(session, "workers")
    assert len(alone) == len(texts)
    assert by_workers == alone


def test_workers_read_as_the_process_does() -> None:
    texts = _complaints(12)
    with read_ahead(2, None) as reader:
        assert reader is not None
        pending = reader.submit([*texts, texts[0]])
        assert pending is not None
        readings = pending.readings()
    assert readings == dict(zip(texts, service.read(texts), strict=True))


def test_one_worker_means_reading_in_process() -> None:
    with read_ahead(1, None) as reader:
        assert reader is None


def test_a_dead_worker_leaves_the_reading_to_the_importer() -> None:
    died: Future[list[service.Reading]] = Future()
    died.set_exception(BrokenProcessPool("killed"))
    assert Pending(["text"], died).readings() is None


def test_a_broken_pool_takes_no_more_batches() -> None:
    """Killed as they start (loading the models takes them a second or more)."""
    reader = ReadAhead(2, None)
    try:
        first = reader.submit(["a first text"])
        assert first is not None
        assert reader.pool is not None
        for process in list(reader.pool._processes.values()):
            process.kill()
        assert first.readings() is None
        assert reader.submit(["a later text"]) is None
    finally:
        reader.close()


def test_amends_triage_reads_a_long_file_in_workers_and_answers_in_order(tmp_path: Path) -> None:
    """Three batches of `amends triage FILE`, a row with no text among them: the same lines,
    in the same order, with the same fields as read in-process."""
    complaints = _complaints(400)
    texts = [f"{complaints[n % 400]} Row {n}." for n in range(2 * BATCH + 50)]
    texts[BATCH + 3] = ""
    path = _write(tmp_path / "complaints.csv", texts)

    def triaged(workers: int) -> list[dict[str, Any]]:
        with path.open("rb") as stream:
            records = triage_records(stream, "csv", text_column="text", model=None, workers=workers)
            return list(records)

    alone, by_workers = triaged(1), triaged(2)
    lines = [row["line"] for row in alone]
    assert len(lines) == len(texts)
    assert lines == sorted(set(lines))
    assert "error" in alone[BATCH + 3]
    assert by_workers == alone


def test_batches_come_back_in_order_however_many_workers_read_them() -> None:
    batches = [[f"complaint number {n} about a late parcel"] for n in range(9)]
    answered = list(read_in_order(batches, list, workers=2, category_model=None))
    assert [batch for batch, _ in answered] == batches
    assert answered[0][1] is None
    assert all(
        readings is not None and set(readings) == set(batch) for batch, readings in answered[1:]
    )
