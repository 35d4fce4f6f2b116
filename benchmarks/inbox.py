"""Inbox API latency over real HTTP, with 100,000 cases in the database.

The peer is the same query run in-process through `amends.cases.queries` with no HTTP, no
authentication and no JSON: the floor that the API layer adds to.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

from amends.accounts import service as accounts
from amends.cases.queries import CaseFilter, list_cases
from amends.config import Settings
from amends.ingest.importer import ImportRequest, run_import
from amends.store.db import make_engine, make_sessionmaker, transaction
from amends.store.tables import CaseStatus, Priority, Role
from benchmarks import databases

QUERIES = {
    "first page": "/api/v1/cases?limit=50",
    "status=new": "/api/v1/cases?status=new&limit=50",
    "priority=normal": "/api/v1/cases?priority=normal&limit=50",
    "channel=x": "/api/v1/cases?channel=x&limit=50",
    "owner=none": "/api/v1/cases?owner=none&limit=50",
    "q=refund": "/api/v1/cases?q=refund&limit=50",
}


FILTERS = {
    "first page": CaseFilter(),
    "status=new": CaseFilter(status=(CaseStatus.NEW,)),
    "priority=normal": CaseFilter(priority=(Priority.NORMAL,)),
    "channel=x": CaseFilter(channel=("x",)),
    "owner=none": CaseFilter(unassigned=True),
    "q=refund": CaseFilter(q="refund"),
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare(url: str, path: Path) -> str:
    engine = make_engine(url)
    try:
        factory = make_sessionmaker(engine)
        settings = Settings(database_url=url, data_dir=path.parent)
        run_import(ImportRequest(path=path, source="bench"), factory=factory, settings=settings)
        with transaction(factory) as session:
            user = accounts.create_user(
                session, email="bench@example.com", name="Bench", role=Role.AGENT
            )
            _, token = accounts.create_token(session, user=user, name="bench")
    finally:
        engine.dispose()
    return token


def _server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AMENDS_DATABASE_URL": url}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "amends.app:create_app",
        "--factory",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return subprocess.Popen(command, env=env)


def _wait_ready(client: httpx.Client) -> None:
    for _ in range(200):
        try:
            client.get("/api/openapi.json")
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


BUDGET_SECONDS = 20.0
"""A slow query stops after this long, with at least 20 timings, so one cannot stall the run."""


def _enough(timings: list[float], repeat: int, started: float) -> bool:
    spent = time.perf_counter() - started
    return len(timings) >= repeat or (len(timings) >= 20 and spent > BUDGET_SECONDS)


def _latencies(client: httpx.Client, path: str, repeat: int) -> list[float]:
    client.get(path).raise_for_status()
    timings: list[float] = []
    begun = time.perf_counter()
    while not _enough(timings, repeat, begun):
        started = time.perf_counter()
        client.get(path).raise_for_status()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _deep_page(client: httpx.Client) -> str:
    cursor = None
    for _ in range(20):
        suffix = f"&cursor={cursor}" if cursor else ""
        cursor = client.get(f"/api/v1/cases?limit=200{suffix}").json()["next_cursor"]
    return f"/api/v1/cases?limit=50&cursor={cursor}"


def _in_process(url: str, name: str, cursor: int | None, repeat: int) -> list[float]:
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    timings: list[float] = []
    begun = time.perf_counter()
    try:
        with factory() as session:
            list_cases(session, FILTERS.get(name, CaseFilter()), cursor=cursor, limit=50)
        while not _enough(timings, repeat, begun):
            started = time.perf_counter()
            with factory() as session:
                list_cases(session, FILTERS.get(name, CaseFilter()), cursor=cursor, limit=50)
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        engine.dispose()
    return sorted(timings)


def _row(backend: str, name: str, what: str, timings: list[float]) -> dict[str, object]:
    return {
        "backend": backend,
        "query": name,
        "what": what,
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "requests": len(timings),
    }


def run(folder: Path, path: Path, repeat: int = 200) -> list[dict[str, object]]:
    results: list[dict[str, object]] = []
    for backend in ("sqlite", "postgresql"):
        with databases.fresh(backend, folder) as url:
            token = _prepare(url, path)
            databases.analyze(url)
            port = _free_port()
            server = _server(url, port)
            headers = {"Authorization": f"Bearer {token}"}
            try:
                with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers) as client:
                    _wait_ready(client)
                    deep = _deep_page(client)
                    queries = {**QUERIES, "page 4,000 deep": deep}
                    for name, query in queries.items():
                        timings = sorted(_latencies(client, query, repeat))
                        results.append(_row(backend, name, "GET /api/v1/cases", timings))
                        cursor = int(deep.rsplit("=", 1)[1]) if name.startswith("page") else None
                        floor = _in_process(url, name, cursor, repeat)
                        results.append(_row(backend, name, "in-process query (peer)", floor))
            finally:
                server.terminate()
                server.wait()
    return results
