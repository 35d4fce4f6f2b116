"""Team membership, with the skills and languages playbooks assign by."""

from __future__ import annotations

from sqlalchemy.orm import Session

from amends.accounts import teams
from amends.store.tables import User


def test_it_puts_a_user_in_a_team_with_skills_and_languages(session: Session, alice: User) -> None:
    teams.join(
        session, user=alice, team=" care ", skills=["claims", " claims", ""], languages=["DE", "en"]
    )
    session.refresh(alice)
    assert (alice.team, alice.skills, alice.languages) == ("care", ["claims"], ["de", "en"])
    teams.join(session, user=alice, team=None)
    session.refresh(alice)
    assert (alice.team, alice.skills, alice.languages) == (None, None, None)


def test_it_lists_the_active_members_of_the_teams_asked_for(
    session: Session, alice: User, bob: User, carol: User, dave: User
) -> None:
    teams.join(session, user=alice, team="care", skills=["claims"], languages=["en"])
    teams.join(session, user=bob, team="care")
    teams.join(session, user=carol, team="billing")
    teams.join(session, user=dave, team="care")
    dave.is_active = False
    session.flush()
    assert teams.members(session, {"care"}) == [
        teams.Member(alice.id, "care", frozenset({"claims"}), frozenset({"en"})),
        teams.Member(bob.id, "care", frozenset(), frozenset()),
    ]
    assert teams.members(session, set()) == []
