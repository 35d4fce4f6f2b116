from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from amends.cases import service, states
from amends.cases.actor import Actor
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.tables import Case, CaseStatus, TimelineEvent, User


def _case(session: Session, settings: Settings) -> Case:
    item = ItemIn(source="t", channel="email", text="Where is my order?", raw="{}", rating=2)
    outcome = pipeline.process(session, [item], settings)
    case = session.get(Case, outcome.case_ids[outcome.item_ids[0]])
    assert case is not None
    return case


def _events(session: Session, case: Case) -> list[TimelineEvent]:
    query = select(TimelineEvent).where(TimelineEvent.case_id == case.id).order_by(TimelineEvent.id)
    return list(session.scalars(query))


def test_it_moves_a_case_and_records_who_did_it(
    session: Session, settings: Settings, alice: User
) -> None:
    case = _case(session, settings)
    actor = Actor(user_id=alice.id, name=alice.name)
    service.transition(session=session, case=case, to=CaseStatus.ACKNOWLEDGED, actor=actor)
    assert case.status is CaseStatus.ACKNOWLEDGED
    last = _events(session, case)[-1]
    assert (last.kind, last.actor_id, last.actor) == ("case:status:change", alice.id, "Alice")
    assert last.data == {"from": "new", "to": "acknowledged"}


def test_it_refuses_an_illegal_transition_with_what_is_allowed(
    session: Session, settings: Settings, alice: User
) -> None:
    case = _case(session, settings)
    actor = Actor(user_id=alice.id, name=alice.name)
    with pytest.raises(states.IllegalTransition) as caught:
        service.transition(session=session, case=case, to=CaseStatus.RECOVERED, actor=actor)
    assert "cannot go from 'new' to 'recovered'" in str(caught.value)
    assert "acknowledged" in str(caught.value)
    assert [event.kind for event in _events(session, case)] == ["case:opened", "case:routed"]


def test_it_refuses_a_change_made_on_a_stale_read(
    session: Session, settings: Settings, alice: User
) -> None:
    case = _case(session, settings)
    session.execute(
        update(Case)
        .where(Case.id == case.id)
        .values(status=CaseStatus.INVESTIGATING)
        .execution_options(synchronize_session=False)
    )
    actor = Actor(user_id=alice.id, name=alice.name)
    with pytest.raises(service.ConcurrentChange):
        service.transition(session=session, case=case, to=CaseStatus.ACKNOWLEDGED, actor=actor)


def test_it_sets_and_clears_closed_at(session: Session, settings: Settings, bob: User) -> None:
    case = _case(session, settings)
    actor = Actor(user_id=bob.id, name=bob.name)
    service.transition(session=session, case=case, to=CaseStatus.CLOSED, actor=actor)
    assert case.closed_at is not None
    service.transition(session=session, case=case, to=CaseStatus.REOPENED, actor=actor)
    assert case.closed_at is None


def test_it_assigns_and_notes_on_the_timeline(
    session: Session, settings: Settings, alice: User, bob: User
) -> None:
    case = _case(session, settings)
    lead = Actor(user_id=bob.id, name=bob.name)
    service.assign(session=session, case=case, owner_id=alice.id, actor=lead)
    service.add_note(session=session, case=case, text="  Called the courier.  ", actor=lead)
    kinds = [(event.kind, event.data) for event in _events(session, case)][2:]
    assert kinds == [
        ("case:assigned", {"from": None, "to": alice.id}),
        ("case:note:added", {"text": "Called the courier."}),
    ]
    assert case.owner_id == alice.id


def test_it_refuses_an_empty_note(session: Session, settings: Settings, bob: User) -> None:
    case = _case(session, settings)
    with pytest.raises(ValueError, match="needs some text"):
        service.add_note(session=session, case=case, text="   ", actor=Actor(bob.id, bob.name))


def test_every_status_can_be_left_or_is_final_by_design() -> None:
    for status in CaseStatus:
        assert states.TRANSITIONS[status], f"{status} is a dead end"
    reachable = {target for targets in states.TRANSITIONS.values() for target in targets}
    assert reachable | {CaseStatus.NEW} == set(CaseStatus)
