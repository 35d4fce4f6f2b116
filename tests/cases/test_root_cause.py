"""Root causes: set by people, on the timeline, and required before a person settles a case when
the playbook says so; amends' own moves are not held up."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.cases import playbook_set, root_cause, service
from amends.cases.actor import Actor
from amends.cases.root_cause import RootCauseMissing
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.tables import Case, CaseStatus, RootCause, TimelineEvent
from tests.playbooks.helpers import folder_with

STRICT = """\
playbooks:
  - name: Strict
    match: {source: strict}
    root_cause_required: true
"""
ANN = Actor(user_id=None, name="Ann")


@pytest.fixture
def strict(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"playbooks_dir": folder_with(tmp_path, STRICT)})


def _open(session: Session, settings: Settings, source: str = "strict") -> Case:
    item = ItemIn(source=source, channel="email", text="Parcel lost again", raw="{}", rating=1)
    outcome = pipeline.process(session, [item], settings)
    return session.get_one(Case, outcome.case_ids[outcome.item_ids[0]])


def test_a_person_cannot_close_without_the_root_cause_where_required(
    session: Session, strict: Settings
) -> None:
    case = _open(session, strict)
    playbooks = playbook_set.current(strict)
    with pytest.raises(RootCauseMissing, match="asks for the root cause"):
        root_cause.move(session, case=case, to=CaseStatus.CLOSED, actor=ANN, playbooks=playbooks)
    assert case.status is CaseStatus.NEW
    # Moves that do not settle the case need none.
    root_cause.move(session, case=case, to=CaseStatus.INVESTIGATING, actor=ANN, playbooks=playbooks)
    root_cause.set_root_cause(
        session, case=case, cause=RootCause.LOGISTICS, note=" Courier lost it ", actor=ANN
    )
    root_cause.move(session, case=case, to=CaseStatus.CLOSED, actor=ANN, playbooks=playbooks)
    assert (case.status, case.root_cause, case.root_cause_note) == (
        CaseStatus.CLOSED,
        RootCause.LOGISTICS,
        "Courier lost it",
    )


def test_other_playbooks_and_amends_itself_are_not_held_up(
    session: Session, strict: Settings
) -> None:
    playbooks = playbook_set.current(strict)
    free = _open(session, strict, source="elsewhere")
    root_cause.move(session, case=free, to=CaseStatus.CLOSED, actor=ANN, playbooks=playbooks)
    assert free.status is CaseStatus.CLOSED
    held = _open(session, strict)
    service.transition(session=session, case=held, to=CaseStatus.CLOSED, actor=ANN)
    assert held.status is CaseStatus.CLOSED


def test_each_change_is_on_the_timeline_with_what_it_replaced(
    session: Session, strict: Settings
) -> None:
    case = _open(session, strict)
    root_cause.set_root_cause(session, case=case, cause=RootCause.PROCESS, note="", actor=ANN)
    root_cause.set_root_cause(session, case=case, cause=RootCause.PARTNER, note="DHL", actor=ANN)
    events = session.scalars(
        select(TimelineEvent).where(
            TimelineEvent.case_id == case.id, TimelineEvent.kind == "case:root_cause:set"
        )
    ).all()
    assert [e.data for e in events] == [
        {"cause": "process", "note": None, "was": None},
        {"cause": "partner", "note": "DHL", "was": "process"},
    ]
    with pytest.raises(ValueError, match="at most 2000"):
        root_cause.set_root_cause(
            session, case=case, cause=RootCause.OTHER, note="x" * 2001, actor=ANN
        )
