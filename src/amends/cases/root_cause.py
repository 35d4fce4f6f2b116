"""What caused a case's failure (docs/insights.md#root-causes): the kind and a note, set by the
people working it, and required before they settle the case when its playbook says so."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from amends.cases import service
from amends.cases.actor import Actor
from amends.cases.events import EventKind
from amends.cases.playbook_set import PlaybookSet
from amends.lib import clock
from amends.store.tables import Case, CaseStatus, RootCause

NOTE_LIMIT = 2000
#: The moves that settle a case: a person makes them only with a root cause, where required.
SETTLING = frozenset({CaseStatus.RECOVERED, CaseStatus.NOT_RECOVERED, CaseStatus.CLOSED})


class RootCauseMissing(ValueError):
    """The playbook asks for a root cause before the case is settled."""


def set_root_cause(
    session: Session, *, case: Case, cause: RootCause, note: str, actor: Actor
) -> Case:
    text = note.strip()
    if len(text) > NOTE_LIMIT:
        raise ValueError(f"a root-cause note has at most {NOTE_LIMIT} characters")
    session.execute(
        update(Case)
        .where(Case.id == case.id)
        .values(root_cause=cause, root_cause_note=text or None, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    data = {"cause": cause.value, "note": text or None, "was": _value(case.root_cause)}
    service.record(session, case_id=case.id, kind=EventKind.ROOT_CAUSE_SET, actor=actor, data=data)
    session.refresh(case)
    return case


def move(
    session: Session, *, case: Case, to: CaseStatus, actor: Actor, playbooks: PlaybookSet
) -> Case:
    """A person moves the case: as `service.transition`, but a settling move needs the root
    cause when the case's playbook requires it. Moves amends makes itself (a customer's survey
    answer, no response) are not held up: the case page then shows the root cause missing."""
    required = playbooks.named(case.playbook).root_cause_required
    if to in SETTLING and required and case.root_cause is None:
        raise RootCauseMissing(
            f"the playbook {case.playbook or 'default'!r} asks for the root cause before the "
            f"case is {to.value.replace('_', ' ')}: set it first"
        )
    return service.transition(session=session, case=case, to=to, actor=actor)


def _value(cause: RootCause | None) -> str | None:
    return None if cause is None else cause.value
