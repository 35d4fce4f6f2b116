"""`amends compensation`, `amends approvals`, `amends offers`: the same authority as the API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner, Result

from amends.accounts import service as accounts
from amends.cli import context
from amends.cli.main import app
from amends.config import get_settings
from amends.store.db import make_engine, make_sessionmaker
from amends.store.tables import Case, CaseStatus, Compensation, Role
from tests.cases.remedy_helpers import open_case, playbooks_folder, remedy_settings
from tests.conftest import PASSWORD

AGENT, LEAD = "alice@example.com", "bob@example.com"


@pytest.fixture(autouse=True)
def fresh_context() -> Iterator[None]:
    get_settings.cache_clear()
    context.factory.cache_clear()
    yield
    if context.factory.cache_info().currsize:
        context.factory().kw["bind"].dispose()
    context.factory.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def case_id(fresh_db: str, tmp_path: Path) -> int:
    """A case under the Parcels playbook, an agent (alice) and a lead (bob), committed."""
    engine = make_engine(fresh_db)
    try:
        with make_sessionmaker(engine)() as session:
            for email, role in ((AGENT, Role.AGENT), (LEAD, Role.LEAD)):
                accounts.create_user(session, email=email, name=email, role=role, password=PASSWORD)
            session.commit()
            return open_case(session, remedy_settings(fresh_db, tmp_path)).id
    finally:
        engine.dispose()


def amends(fresh_db: str, tmp_path: Path, *args: str) -> Result:
    env = {
        "AMENDS_DATABASE_URL": fresh_db,
        "AMENDS_PLAYBOOKS_DIR": str(playbooks_folder(tmp_path)),
        "AMENDS_PUBLIC_URL": "https://care.example.com",
    }
    return CliRunner().invoke(app, list(args), env=env)


def _stored(fresh_db: str) -> tuple[CaseStatus, list[str]]:
    engine = make_engine(fresh_db)
    try:
        with make_sessionmaker(engine)() as session:
            case = session.scalars(select(Case)).one()
            rows = session.scalars(select(Compensation).order_by(Compensation.id))
            return case.status, [f"{row.kind} {row.amount} {row.approval_id}" for row in rows]
    finally:
        engine.dispose()


def test_grants_follow_authority_and_go_through_approval(
    fresh_db: str, tmp_path: Path, case_id: int
) -> None:
    def cli(*args: str) -> Result:
        return amends(fresh_db, tmp_path, *args)

    case = str(case_id)
    granted = cli(
        "compensation", "grant", case, "--kind", "voucher", "--amount", "20", "--as", AGENT
    )
    assert granted.exit_code == 0, granted.output
    assert "Granted: voucher of 20.00 USD" in granted.stderr
    asked = cli("compensation", "grant", case, "--kind", "refund", "--amount", "15", "--as", AGENT)
    assert "sent to a lead for approval (request 1)" in asked.stderr
    capped = cli("compensation", "grant", case, "--kind", "voucher", "--amount", "99", "--as", LEAD)
    assert capped.exit_code == 2
    assert "above the playbook's cap" in capped.stderr
    listed = cli("approvals", "list", "--json")
    assert [json.loads(line)["amount"] for line in listed.stdout.splitlines()] == ["15.00"]
    by_agent = cli("approvals", "approve", "1", "--as", AGENT)
    assert by_agent.exit_code == 2
    assert "someone else must decide" in by_agent.stderr
    assert cli("approvals", "refuse", "1", "--reason", " ", "--as", LEAD).exit_code == 2
    approved = cli("approvals", "approve", "1", "--reason", "Fair", "--as", LEAD)
    assert approved.exit_code == 0, approved.output
    assert cli("approvals", "list").stdout == ""
    assert _stored(fresh_db)[1] == ["voucher 20.00 None", "refund 15.00 1"]


def test_an_offer_prints_the_link_and_takes_one_choice(
    fresh_db: str, tmp_path: Path, case_id: int
) -> None:
    def cli(*args: str) -> Result:
        return amends(fresh_db, tmp_path, *args)

    case = str(case_id)
    too_much = cli(
        "offers", "create", case, "--option", "refund:10", "--option", "apology", "--as", AGENT
    )
    assert too_much.exit_code == 2
    assert "above your authority" in too_much.stderr
    made = cli(
        "offers", "create", case, "--option", "voucher:20", "--option", "apology", "--as", AGENT
    )
    assert made.exit_code == 0, made.output
    assert made.stdout.startswith("https://care.example.com/r/")
    assert _stored(fresh_db)[0] is CaseStatus.REMEDY_OFFERED
    chosen = cli("offers", "choose", "1", "1", "--as", AGENT)
    assert "the customer chose voucher of 20.00 USD" in chosen.stderr
    again = cli("offers", "choose", "1", "2", "--as", AGENT)
    assert again.exit_code == 2
    assert "is chosen" in again.stderr
    assert _stored(fresh_db) == (CaseStatus.REMEDY_ACCEPTED, ["voucher 20.00 None"])


def test_it_refuses_an_unknown_user_and_someone_elses_case(
    fresh_db: str, tmp_path: Path, case_id: int
) -> None:
    unknown = amends(
        fresh_db,
        tmp_path,
        "compensation",
        "grant",
        str(case_id),
        "--kind",
        "apology",
        "--as",
        "x@y.z",
    )
    assert unknown.exit_code == 2
    assert "no active user with email x@y.z" in unknown.stderr
    missing = amends(
        fresh_db, tmp_path, "compensation", "grant", "999", "--kind", "apology", "--as", AGENT
    )
    assert "case 999 not found" in missing.stderr
    engine = make_engine(fresh_db)
    try:
        with make_sessionmaker(engine)() as session:
            lead = accounts.authenticate(session, email=LEAD, password=PASSWORD)
            assert lead is not None
            session.get(Case, case_id).owner_id = lead.id  # type: ignore[union-attr]
            session.commit()
    finally:
        engine.dispose()
    theirs = amends(
        fresh_db,
        tmp_path,
        "compensation",
        "grant",
        str(case_id),
        "--kind",
        "apology",
        "--as",
        AGENT,
    )
    assert theirs.exit_code == 2
    assert "belongs to someone else" in theirs.stderr
