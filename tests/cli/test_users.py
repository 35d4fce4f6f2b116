"""`amends users team`: the team, skills and languages playbooks assign cases by."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.store.db import make_engine
from amends.store.tables import User
from tests.cli.inprocess import amends


def _user(db: str, email: str) -> User:
    engine = make_engine(db)
    try:
        with Session(engine) as session:
            found = session.scalar(select(User).where(User.email == email))
            assert found is not None
            return found
    finally:
        engine.dispose()


def test_it_puts_a_user_in_a_team_and_lists_it(fresh_db: str, tmp_path: Path) -> None:
    created = amends(
        "users",
        "create",
        "ann@example.com",
        "--password",
        "correct-horse-9",
        db=fresh_db,
        tmp_path=tmp_path,
    )
    assert created.exit_code == 0, created.output
    joined = amends(
        "users",
        "team",
        "ann@example.com",
        "--team",
        "social",
        "--skill",
        "refunds",
        "--language",
        "EN",
        db=fresh_db,
        tmp_path=tmp_path,
    )
    assert joined.exit_code == 0, joined.output
    user = _user(fresh_db, "ann@example.com")
    assert (user.team, user.skills, user.languages) == ("social", ["refunds"], ["en"])
    listed = amends("users", "list", db=fresh_db, tmp_path=tmp_path)
    assert listed.output.rstrip().endswith("social")


def test_an_unknown_user_is_refused(fresh_db: str, tmp_path: Path) -> None:
    result = amends(
        "users", "team", "nobody@example.com", "--team", "social", db=fresh_db, tmp_path=tmp_path
    )
    assert result.exit_code == 2
    assert "no user with email nobody@example.com" in result.output
