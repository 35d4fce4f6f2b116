"""Exporting a root cause's cases: as CSV that a spreadsheet cannot run, and as one signed
webhook delivery to the shared endpoints that asked for exports."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.insights import root_causes
from amends.insights.metrics import Dimension, Filters, report
from amends.notify.endpoints import create_endpoint
from amends.store.tables import Case, Delivery, RootCause

START = datetime(2026, 5, 1, tzinfo=UTC)
END = datetime(2026, 6, 1, tzinfo=UTC)


def _case(session: Session, day: int, cause: RootCause | None, title: str = "Late") -> Case:
    opened = datetime(2026, 5, day, 9, tzinfo=UTC)
    case = Case(
        title=title,
        channel="email",
        opened_at=opened,
        updated_at=opened,
        root_cause=cause,
        root_cause_note=f"note {day}" if cause else None,
    )
    session.add(case)
    session.flush()
    return case


@pytest.fixture
def cases(session: Session) -> list[Case]:
    made = [
        _case(session, 3, RootCause.LOGISTICS, '=HYPERLINK("http://evil")'),
        _case(session, 2, RootCause.LOGISTICS),
        _case(session, 4, RootCause.POLICY),
        _case(session, 5, None),
    ]
    session.commit()
    return made


def test_the_cases_of_a_cause_come_oldest_first(session: Session, cases: list[Case]) -> None:
    rows = root_causes.cases_with(session, RootCause.LOGISTICS, Filters(start=START, end=END))
    assert [row.case_id for row in rows] == [cases[1].id, cases[0].id]
    assert rows[0].root_cause_note == "note 2"


def test_csv_has_a_header_and_defuses_formulas(session: Session, cases: list[Case]) -> None:
    rows = root_causes.cases_with(session, RootCause.LOGISTICS, Filters(start=START, end=END))
    out = io.StringIO()
    root_causes.write_csv(rows, out)
    read = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(read[0]) == list(root_causes.COLUMNS)
    assert read[1]["title"] == '\'=HYPERLINK("http://evil")'
    assert read[0]["title"] == "Late"


def test_the_webhook_export_goes_only_to_endpoints_that_asked(
    session: Session, cases: list[Case]
) -> None:
    wanted = create_endpoint(
        session, url="https://product.example.com/hook", events=["root_cause_export"], user_id=None
    )
    create_endpoint(session, url="https://ops.example.com/hook", events=None, user_id=None)
    filters = Filters(start=START, end=END)
    rows = root_causes.cases_with(session, RootCause.POLICY, filters)
    assert root_causes.send(session, RootCause.POLICY, rows, filters) == 1
    [delivery] = session.scalars(select(Delivery)).all()
    assert (delivery.endpoint_id, delivery.event) == (wanted.id, "root_cause_export")
    data = delivery.payload["data"]
    assert data["root_cause"] == "policy"
    assert [c["case_id"] for c in data["cases"]] == [cases[2].id]


def test_metrics_by_root_cause(session: Session, cases: list[Case]) -> None:
    found = {
        m.group: m.cases
        for m in report(
            session, Filters(start=START, end=END), by=Dimension.ROOT_CAUSE, currency="USD"
        )
    }
    assert found == {"logistics": 2, "policy": 1, "(none)": 1}
