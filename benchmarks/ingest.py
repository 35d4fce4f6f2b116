"""Import throughput: `amends import` of 100,000 rows, against a plain bulk insert of the same
rows into a bare table (the database's own ceiling, measured in the same run)."""

from __future__ import annotations

import csv
import os
import sqlite3
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from amends.config import Settings
from amends.ingest.importer import ImportRequest, run_import
from amends.store.db import make_engine, make_sessionmaker
from benchmarks import databases
from benchmarks.datasets import HEADER

#: The texts imported: real CFPB narratives whole (complaint letters, 1,165 characters on
#: average), and cut at a word to about 280 characters (the length of a review or a post).
TEXTS = (
    ("real CFPB narratives, whole", None),
    ("the same narratives cut to 280 characters", 280),
)


def amends_import(url: str, path: Path, rows: int) -> dict[str, float]:
    engine = make_engine(url)
    try:
        started, busy = time.perf_counter(), machine_busy_seconds()
        summary = run_import(
            ImportRequest(path=path, source="bench"),
            factory=make_sessionmaker(engine),
            settings=Settings(database_url=url, data_dir=path.parent),
        )
        seconds, cpu = time.perf_counter() - started, machine_busy_seconds() - busy
    finally:
        engine.dispose()
    assert summary.imported == rows, summary
    return {
        "seconds": seconds,
        "items_per_second": rows / seconds,
        "cpu_us_per_item": 1e6 * cpu / rows,
        "cores_busy": cpu / seconds,
    }


def machine_busy_seconds() -> float:
    """Processor time every process on the machine has used (Linux's /proc/stat): the
    importer, its reading workers and the database server alike."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")


def bare_insert(url: str, path: Path, rows: int) -> dict[str, float]:
    """The same rows into a table with no indexes beyond its key: no parsing, no pipeline."""
    started = time.perf_counter()
    if make_url(url).get_backend_name() == "sqlite":
        _sqlite_bare(make_url(url).database or "", path)
    else:
        _postgres_bare(url, path)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "items_per_second": rows / seconds}


def _sqlite_bare(database: str, path: Path) -> None:
    columns = ", ".join(f"{name} TEXT" for name in HEADER)
    with sqlite3.connect(database) as conn, path.open(encoding="utf-8", newline="") as handle:
        conn.execute(f"CREATE TABLE bare (id INTEGER PRIMARY KEY, {columns})")
        reader = csv.reader(handle)
        next(reader)
        marks = ", ".join("?" for _ in HEADER)
        conn.executemany(f"INSERT INTO bare ({', '.join(HEADER)}) VALUES ({marks})", reader)


def _postgres_bare(url: str, path: Path) -> None:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    columns = ", ".join(f"{name} text" for name in HEADER)
    with psycopg.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bare (id bigserial PRIMARY KEY, {columns})")
        statement = f"COPY bare ({', '.join(HEADER)}) FROM STDIN WITH (FORMAT csv, HEADER true)"
        with cursor.copy(statement) as copy, path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)


def run(folder: Path, path: Path, rows: int) -> list[dict[str, object]]:
    results: list[dict[str, object]] = []
    for backend in ("sqlite", "postgresql"):
        with databases.fresh(backend, folder) as url:
            results.append(
                {"backend": backend, "what": "amends import", **amends_import(url, path, rows)}
            )
        with databases.fresh(backend, folder) as url:
            results.append(
                {
                    "backend": backend,
                    "what": "bare bulk insert (peer)",
                    **bare_insert(url, path, rows),
                }
            )
    return results
