"""What the numbers were measured on, printed with every benchmark."""

from __future__ import annotations

import os
import platform
import sqlite3

from sqlalchemy import text

from amends.store.db import make_engine


def describe(pg_url: str) -> dict[str, str]:
    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            postgres = str(conn.scalar(text("SHOW server_version")))
    finally:
        engine.dispose()
    return host() | {"sqlite": sqlite3.sqlite_version, "postgresql": postgres}


def host() -> dict[str, str]:
    """The machine and Python alone, for benchmarks that use no database."""
    return {
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def summary() -> str:
    """`host()` in one line: `Intel Xeon, 2 cores, Python 3.11.7`."""
    found = host()
    return f"{found['cpu']}, {found['cores']} cores, Python {found['python']}"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
