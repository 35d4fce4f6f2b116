"""The cases of one root cause, for the product team that can fix it: as CSV, or as one signed
webhook delivery to the endpoints that asked for root-cause exports."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.insights.metrics import Filters
from amends.insights.tables import cell
from amends.notify.exports import queue_export
from amends.store.tables import Case, RootCause

COLUMNS = (
    "case_id",
    "opened_at",
    "status",
    "channel",
    "category",
    "playbook",
    "team",
    "title",
    "root_cause",
    "root_cause_note",
)


@dataclass(frozen=True, slots=True)
class CauseCase:
    case_id: int
    opened_at: datetime
    status: str
    channel: str
    category: str | None
    playbook: str | None
    team: str | None
    title: str
    root_cause: str
    root_cause_note: str | None

    def public(self) -> dict[str, Any]:
        return asdict(self) | {"opened_at": self.opened_at.isoformat()}


def cases_with(session: Session, cause: RootCause, filters: Filters) -> list[CauseCase]:
    """The cases opened in the period with this root cause, oldest first."""
    query = (
        select(Case)
        .where(
            Case.root_cause == cause,
            Case.opened_at >= filters.start,
            Case.opened_at < filters.end,
        )
        .order_by(Case.opened_at, Case.id)
    )
    for column, value in ((Case.channel, filters.channel), (Case.category, filters.category)):
        if value is not None:
            query = query.where(column == value)
    if filters.team is not None:
        query = query.where(Case.team == filters.team)
    return [
        CauseCase(
            case_id=case.id,
            opened_at=case.opened_at,
            status=case.status.value,
            channel=case.channel,
            category=case.category,
            playbook=case.playbook,
            team=case.team,
            title=case.title,
            root_cause=cause.value,
            root_cause_note=case.root_cause_note,
        )
        for case in session.scalars(query)
    ]


def write_csv(rows: Sequence[CauseCase], out: TextIO) -> None:
    """A header and one row per case; text that a spreadsheet would run is quoted with `'`."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        values = row.public()
        writer.writerow([cell(values[column]) for column in COLUMNS])


def send(session: Session, cause: RootCause, rows: Sequence[CauseCase], filters: Filters) -> int:
    """Queue the export to every endpoint that lists `root_cause_export`; how many."""
    data = {
        "root_cause": cause.value,
        "from": filters.start.isoformat(),
        "to": filters.end.isoformat(),
        "cases": [row.public() for row in rows],
    }
    summary = f"{len(rows)} cases with the root cause {cause.value}"
    return len(queue_export(session, summary=summary, data=data))
