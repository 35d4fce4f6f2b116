"""A new case goes to a member of its playbook's team: round robin or least loaded, among
those with the skills and languages asked for; without members it waits in the team queue."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from amends.accounts import teams
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.tables import Case, CaseStatus, TeamCursor, TimelineEvent, User
from tests.playbooks.helpers import folder_with

PLAYBOOKS = """\
playbooks:
  - name: Care
    match: {source: care}
    assign: {team: care, strategy: round_robin}
    sla: {first_response: 2h, resolution: 1d}
  - name: Claims
    match: {source: claims}
    assign: {team: care, strategy: least_loaded, skills: [claims], languages: [de, en]}
    sla: {first_response: 2h, resolution: 1d}
  - name: Billing
    match: {source: billing}
    assign: {team: billing}
    sla: {first_response: 2h, resolution: 1d}
"""
_serial = itertools.count()


@pytest.fixture
def routed(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"playbooks_dir": folder_with(tmp_path, PLAYBOOKS)})


def _owners(session: Session, settings: Settings, source: str, count: int) -> list[int | None]:
    items = [
        ItemIn(
            source=source, channel="email", text=f"Complaint {next(_serial)}", raw="{}", rating=1
        )
        for _ in range(count)
    ]
    outcome = pipeline.process(session, items, settings)
    cases = [session.get(Case, outcome.case_ids[item_id]) for item_id in outcome.item_ids]
    return [case.owner_id for case in cases if case is not None]


def _cursor(session: Session, team: str) -> int | None:
    return session.scalar(select(TeamCursor.cursor).where(TeamCursor.team == team))


def test_round_robin_takes_turns_across_batches(
    session: Session, routed: Settings, alice: User, bob: User
) -> None:
    teams.join(session, user=alice, team="care")
    teams.join(session, user=bob, team="care")
    assert _owners(session, routed, "care", 3) == [alice.id, bob.id, alice.id]
    assert _cursor(session, "care") == alice.id
    assert _owners(session, routed, "care", 1) == [bob.id]
    assert _cursor(session, "care") == bob.id


def test_least_loaded_gives_the_case_to_whoever_has_fewest_open_cases(
    session: Session, routed: Settings, alice: User, bob: User
) -> None:
    teams.join(session, user=alice, team="care", skills=["claims"], languages=["en"])
    teams.join(session, user=bob, team="care", skills=["claims"], languages=["de"])
    earlier = _owners(session, routed, "billing", 3)
    assert earlier == [None, None, None]  # the billing team has no members
    case_ids = session.scalars(select(Case.id).order_by(Case.id)).all()
    session.execute(update(Case).where(Case.id.in_(case_ids)).values(owner_id=alice.id))
    # A closed case is no load.
    session.execute(update(Case).where(Case.id == case_ids[0]).values(status=CaseStatus.CLOSED))
    # Alice has 2 open cases: Bob gets two, then the tie goes to the next after Bob.
    assert _owners(session, routed, "claims", 3) == [bob.id, bob.id, alice.id]


def test_only_members_with_the_skills_and_a_language_are_eligible(
    session: Session, routed: Settings, alice: User, bob: User, carol: User
) -> None:
    teams.join(session, user=alice, team="care", languages=["en"])  # no claims skill
    teams.join(session, user=bob, team="care", skills=["claims"], languages=["fr"])
    teams.join(session, user=carol, team="care", skills=["claims", "refunds"], languages=["de"])
    assert _owners(session, routed, "claims", 2) == [carol.id, carol.id]


def test_a_case_no_member_may_take_waits_in_the_team_queue(
    session: Session, routed: Settings, alice: User
) -> None:
    teams.join(session, user=alice, team="care", languages=["fr"])
    assert _owners(session, routed, "claims", 1) == [None]
    assert _owners(session, routed, "billing", 1) == [None]
    assert _cursor(session, "care") is None


def test_an_automatic_assignment_is_on_the_timeline(
    session: Session, routed: Settings, alice: User
) -> None:
    teams.join(session, user=alice, team="care")
    [owner] = _owners(session, routed, "care", 1)
    case_id = session.scalars(select(Case.id).where(Case.owner_id == owner)).one()
    events = session.execute(
        select(TimelineEvent.kind, TimelineEvent.actor_id, TimelineEvent.data)
        .where(TimelineEvent.case_id == case_id)
        .order_by(TimelineEvent.id)
    ).all()
    assert [kind for kind, _, _ in events] == ["case:opened", "case:routed", "case:assigned"]
    assert events[2][1:] == (None, {"from": None, "to": alice.id})
