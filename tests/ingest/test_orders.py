"""`amends import --kind orders`: orders and visits land once, bad rows go to the rejected file
with their line and field, and `--map` reads other column names."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from amends.config import Settings
from amends.ingest.importer import ImportSummary
from amends.ingest.orders import run_orders_import
from amends.store.db import make_engine, make_sessionmaker
from amends.store.tables import Order, OrderKind
from tests.cli.inprocess import amends

ROWS = """\
order_id,email,handle,channel,ordered_at,amount,currency,kind,referred_by
A-1,Grace@Example.com,,,2026-03-20 10:00:00 +0000,"1,250.50",usd,,
A-2,,@Omar,twitter,2026-03-21T09:00:00Z,12,EUR,visit,Grace@Example.com
A-3,zoe@example.com,,,,10,USD,,
A-4,yan@example.com,,,2026-03-22,ten,USD,,
A-5,,omar,,2026-03-22,5,USD,,
A-6,kim@example.com,,,2026-03-22,5,USD,delivery,
,lee@example.com,,,2026-03-23,7,USD,,
"""


def _import(
    path: Path,
    factory: sessionmaker[Session],
    settings: Settings,
    overrides: dict[str, str] | None = None,
) -> ImportSummary:
    return run_orders_import(
        path, source="shop", factory=factory, settings=settings, overrides=overrides
    )


def test_good_rows_land_once_and_bad_ones_name_line_and_field(
    tmp_path: Path, session: Session, factory: sessionmaker[Session], settings: Settings
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(ROWS, encoding="utf-8")
    summary = _import(path, factory, settings)
    assert (summary.read, summary.imported, summary.duplicates, summary.rejected) == (7, 3, 0, 4)
    orders = {o.dedupe_key: o for o in session.scalars(select(Order))}
    grace = orders["A-1"]
    assert (grace.identity_kind, grace.identity_value) == ("email", "grace@example.com")
    assert (grace.amount, grace.currency, grace.kind) == (
        Decimal("1250.50"),
        "USD",
        OrderKind.ORDER,
    )
    assert grace.ordered_at == datetime(2026, 3, 20, 10, tzinfo=UTC)
    omar = orders["A-2"]
    assert (omar.identity_kind, omar.identity_value, omar.kind) == (
        "twitter",
        "omar",
        OrderKind.VISIT,
    )
    assert omar.referred_by == "grace@example.com"
    assert sum(1 for key in orders if key.startswith("sha256:")) == 1  # no order id: a hash

    text = Path(summary.rejected_file or "").read_text(encoding="utf-8")
    rejected = list(csv.DictReader(text.splitlines()))
    assert [(r["order_id"], r["_line"], r["_error"].split(":")[0]) for r in rejected] == [
        ("A-3", "4", "ordered_at"),
        ("A-4", "5", "amount"),
        ("A-5", "6", "channel"),
        ("A-6", "7", "kind"),
    ]
    again = _import(path, factory, settings)
    assert (again.imported, again.duplicates, again.rejected) == (0, 3, 4)
    assert len(session.scalars(select(Order)).all()) == 3


def test_map_names_other_columns_and_jsonl_reads_the_same(
    tmp_path: Path, session: Session, factory: sessionmaker[Session], settings: Settings
) -> None:
    path = tmp_path / "visits.jsonl"
    rows = [
        {"ref": "V-9", "mail": "ann@example.com", "when": "2026-04-01T12:00:00Z", "type": "visit"},
        {"ref": "V-9", "mail": "ann@example.com", "when": "2026-04-01T12:00:00Z", "type": "visit"},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    overrides = {"external_id": "ref", "email": "mail", "ordered_at": "when", "kind": "type"}
    summary = _import(path, factory, settings, overrides=overrides)
    assert (summary.imported, summary.duplicates, summary.rejected) == (1, 1, 0)
    [visit] = session.scalars(select(Order)).all()
    assert (visit.external_id, visit.kind, visit.identity_value) == (
        "V-9",
        OrderKind.VISIT,
        "ann@example.com",
    )


def test_the_command_line(fresh_db: str, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(ROWS, encoding="utf-8")
    result = amends(
        "import",
        str(path),
        "--source",
        "shop",
        "--kind",
        "orders",
        "--json",
        db=fresh_db,
        tmp_path=tmp_path,
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "read": 7,
        "imported": 3,
        "duplicates": 0,
        "rejected": 4,
        "rejected_file": str(tmp_path / "orders.rejected.csv"),
    }
    unknown = amends(
        "import",
        str(path),
        "--source",
        "s",
        "--kind",
        "orders",
        "--map",
        "text=x",
        db=fresh_db,
        tmp_path=tmp_path,
    )
    assert unknown.exit_code == 2
    assert "unknown field 'text'" in unknown.output
    engine = make_engine(fresh_db)
    try:
        with make_sessionmaker(engine)() as session:
            assert len(session.scalars(select(Order)).all()) == 3
    finally:
        engine.dispose()
