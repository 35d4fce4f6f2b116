from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from amends.config import Settings
from amends.ingest.importer import ImportRefused, ImportRequest
from amends.ingest.replay import Counts, replay

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
HEADER = ("external_id", "channel", "author", "email", "author_handle", "text", "rating",
          "posted_at", "product")  # fmt: skip
ROWS = [
    ("1", "email", "Ann", "ann@example.com", "", "Charged twice", "1", "2026-01-01T09:00:00Z", ""),
    ("2", "x", "Ann", "ANN@example.com", "@ann", "Still charged twice", "1", "", "card"),
    ("3", "x", "", "", "@Ann", "Nobody answers on X", "2", "2026-01-03T09:00:00Z", ""),
    ("4", "google", "Bo", "", "", "", "2", "", ""),
    ("1", "email", "Ann", "ann@example.com", "", "Charged twice", "1", "2026-01-01T09:00:00Z", ""),
    ("5", "google", "Cy", "", "", "Great shop", "5", "", ""),
]  # fmt: skip


def write(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def test_it_reads_the_file_as_an_import_would_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "items.csv")
    counts = Counts()
    settings = Settings(data_dir=tmp_path / "var", import_batch_size=2)
    progress: list[tuple[int, int]] = []
    with time_machine.travel(NOW, tick=False):
        batches = list(
            replay(
                ImportRequest(path=path, source="shop"),
                settings=settings,
                counts=counts,
                progress=lambda done, total: progress.append((done, total)),
            )
        )
    arrivals = [arrival for batch in batches for arrival in batch]
    assert (counts.read, counts.rejected, counts.duplicates) == (6, 1, 1)
    assert (counts.preset, counts.format) == ("generic", "csv")
    assert [a.item_id for a in arrivals] == [1, 2, 3, 4]
    assert [a.text for a in arrivals] == [
        "Charged twice",
        "Still charged twice",
        "Nobody answers on X",
        "Great shop",
    ]
    # One customer by email, then by handle on X; the last item names nobody.
    assert [a.customer_id for a in arrivals] == [1, 1, 1, None]
    assert [a.topic for a in arrivals] == [None, "card", None, None]
    assert arrivals[0].at == datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    assert arrivals[1].at == NOW
    assert all(a.signals is not None and a.facts is not None for a in arrivals)
    assert arrivals[0].facts is not None
    assert arrivals[0].facts.source == "shop"
    assert progress[-1][0] == progress[-1][1] == path.stat().st_size
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.csv"]


def _risks(path: Path, batch_size: int) -> dict[str, int]:
    settings = Settings(data_dir=path.parent / "var", import_batch_size=batch_size)
    batches = replay(ImportRequest(path=path, source="shop"), settings=settings, counts=Counts())
    return {a.text: a.signals.risk for batch in batches for a in batch if a.signals is not None}


@pytest.mark.parametrize("batch_size", [1, 5000])
def test_triage_counts_the_customers_earlier_complaints(tmp_path: Path, batch_size: int) -> None:
    """In the same batch or an earlier one, as the pipeline counts stored complaints."""
    alone = tmp_path / "alone.csv"
    with alone.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, ROWS[1]])
    after = _risks(write(tmp_path / "items.csv"), batch_size)["Still charged twice"]
    assert after > _risks(alone, batch_size)["Still charged twice"]


def test_it_refuses_a_file_it_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="no such file"):
        list(
            replay(
                ImportRequest(path=tmp_path / "none.csv", source="s"),
                settings=Settings(data_dir=tmp_path),
                counts=Counts(),
            )
        )
