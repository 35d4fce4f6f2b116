"""Who belongs to which team, with the skills and languages playbooks assign by.

Teams themselves are named in the playbook folder's teams.yaml; a user joins one by name.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.store.tables import User


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    team: str
    skills: frozenset[str]
    languages: frozenset[str]


def members(session: Session, teams: Collection[str]) -> list[Member]:
    """The active users of `teams`, by id."""
    if not teams:
        return []
    query = (
        select(User.id, User.team, User.skills, User.languages)
        .where(User.team.in_(teams), User.is_active)
        .order_by(User.id)
    )
    return [
        Member(user_id, str(team), _names(skills), _names(languages))
        for user_id, team, skills, languages in session.execute(query)
    ]


def join(
    session: Session,
    *,
    user: User,
    team: str | None,
    skills: Iterable[str] = (),
    languages: Iterable[str] = (),
) -> User:
    """Put `user` in `team` (None: in no team) with these skills and languages."""
    user.team = (team or "").strip() or None
    user.skills = sorted({s.strip() for s in skills if s.strip()}) or None
    user.languages = sorted({lang.strip().lower() for lang in languages if lang.strip()}) or None
    session.flush()
    return user


def _names(values: list[str] | None) -> frozenset[str]:
    return frozenset(str(value) for value in values or ())
