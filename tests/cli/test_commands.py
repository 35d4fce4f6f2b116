"""The `amends` command as users run it: a real process against a real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, or_, select
from typer.main import get_command
from typer.testing import CliRunner

from amends.cli.main import app
from amends.store.db import make_engine
from amends.store.tables import Case, FeedbackItem, ItemTriage, Priority, Sentiment, User


def amends(
    *args: str, db: str, tmp_path: Path, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    variables = {
        **os.environ,
        "AMENDS_DATABASE_URL": db,
        "AMENDS_DATA_DIR": str(tmp_path),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "amends", *args],
        env=variables,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _count(db: str, model: type) -> int:
    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        engine.dispose()


def test_it_prints_a_one_line_json_summary(fresh_db: str, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("external_id,text,rating\n1,Cold soup,2\n2,,3\n3,Lovely,5\n")
    result = amends(
        "import", str(path), "--source", "web", "--json", db=fresh_db, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    assert json.loads(result.stdout) == {
        "read": 3,
        "imported": 2,
        "duplicates": 0,
        "rejected": 1,
        "rejected_file": str(tmp_path / "in.rejected.csv"),
    }


def test_it_explains_a_bad_map_and_exits_2(fresh_db: str, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("a\nb\n")
    result = amends(
        "import", str(path), "--source", "s", "--map", "words=a", db=fresh_db, tmp_path=tmp_path
    )
    assert result.returncode == 2
    assert "unknown field 'words'" in result.stderr


def test_it_creates_users_and_tokens(fresh_db: str, tmp_path: Path) -> None:
    created = amends(
        "users",
        "create",
        "lee@example.com",
        "--role",
        "lead",
        "--password",
        "long-enough-pw",
        db=fresh_db,
        tmp_path=tmp_path,
    )
    assert created.returncode == 0, created.stderr
    token = amends("tokens", "create", "lee@example.com", db=fresh_db, tmp_path=tmp_path)
    assert token.returncode == 0, token.stderr
    assert token.stdout.strip().startswith("amd_")
    assert _count(fresh_db, User) == 1


def _urgent_or_negative(db: str) -> int:
    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            query = select(func.count()).where(
                or_(
                    ItemTriage.sentiment == Sentiment.NEGATIVE,
                    ItemTriage.priority.in_([Priority.HIGH, Priority.CRITICAL]),
                )
            )
            return int(conn.scalar(query) or 0)
    finally:
        engine.dispose()


def test_it_loads_the_demo_without_serving(fresh_db: str, tmp_path: Path) -> None:
    # The history has a test of its own (tests/demo/test_history.py), on a few cases.
    result = amends("demo", "--no-serve", "--no-history", db=fresh_db, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "lead@demo.amends" in result.stderr
    again = amends("demo", "--no-serve", "--no-history", db=fresh_db, tmp_path=tmp_path)
    assert again.returncode == 0, again.stderr
    assert _count(fresh_db, FeedbackItem) == 849
    # A complaint without a rating opens a case when triage calls it negative or urgent.
    assert _count(fresh_db, ItemTriage) == 849
    assert _count(fresh_db, Case) == _urgent_or_negative(fresh_db) > 700
    engine = make_engine(fresh_db)
    try:
        with engine.connect() as conn:
            companies = conn.scalar(select(func.count(func.distinct(FeedbackItem.business))))
            oldest = conn.scalar(select(func.min(FeedbackItem.posted_at)))
    finally:
        engine.dispose()
    assert companies is not None
    assert companies > 50
    assert oldest is not None
    assert str(oldest).startswith("201")


def _commands() -> dict[str, Any]:
    """Every command and subcommand, by the words a user types (Typer's own click objects)."""
    found: dict[str, Any] = {}
    for name, command in get_command(app).commands.items():  # type: ignore[attr-defined]
        for sub, subcommand in getattr(command, "commands", {}).items():
            found[f"{name} {sub}"] = subcommand
        found[name] = command
    return found


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_says_what_it_does(name: str) -> None:
    command = _commands()[name]
    help_text = (command.help or "").strip()
    assert help_text, f"`amends {name}` has no help text"
    result = CliRunner().invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert help_text.splitlines()[0] in " ".join(result.output.split())
