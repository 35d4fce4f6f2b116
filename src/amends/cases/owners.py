"""Give new cases an owner from their playbook's team: round robin or least loaded.

A team with no eligible member in the database leaves the case without an owner, waiting in
the team's queue. Round-robin cursors are kept per team in `team_cursors`, written in the
caller's transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from amends.accounts.teams import Member, members
from amends.cases.routing import Route
from amends.cases.states import OPEN
from amends.playbooks.assignment import Agent, choose_for
from amends.store.many import one_of
from amends.store.tables import Case, TeamCursor
from amends.store.upsert import lock_for_writing


def choose_owners(session: Session, routes: Sequence[Route]) -> list[int | None]:
    """An owner (a user id, or None) for each route, in order."""
    teams = {route.team for route in routes if route.team is not None}
    staff = members(session, teams)
    if not staff:
        return [None] * len(routes)
    # Concurrent imports and webhooks take turns, so each sees the cursors the last one left.
    lock_for_writing(session, "team_cursors")
    load = _open_cases(session, [member.id for member in staff])
    cursors = _cursors(session, {member.team for member in staff})
    before = dict(cursors)
    owners = [_choose(route, staff, load, cursors) for route in routes]
    _save_cursors(session, {team: at for team, at in cursors.items() if at != before.get(team)})
    return owners


def _choose(
    route: Route, staff: list[Member], load: Counter[int], cursors: dict[str, int | None]
) -> int | None:
    if route.assign is None:
        return None
    team = route.assign.team
    agents = [
        Agent(member.id, member.skills, member.languages, load[member.id])
        for member in staff
        if member.team == team
    ]
    if not agents:
        return None
    chosen = choose_for(route.assign, agents, cursors.get(team))
    if chosen.agent is None:
        return None
    load[chosen.agent.id] += 1
    cursors[team] = chosen.cursor
    return chosen.agent.id


def _open_cases(session: Session, user_ids: Collection[int]) -> Counter[int]:
    query = (
        select(Case.owner_id, func.count())
        .where(one_of(session, Case.owner_id, user_ids), Case.status.in_(OPEN))
        .group_by(Case.owner_id)
    )
    return Counter({owner: int(n) for owner, n in session.execute(query) if owner is not None})


def _cursors(session: Session, teams: Collection[str]) -> dict[str, int | None]:
    query = select(TeamCursor.team, TeamCursor.cursor).where(TeamCursor.team.in_(teams))
    found: dict[str, int | None] = dict.fromkeys(teams)
    for team, cursor in session.execute(query):
        found[team] = cursor
    return found


def _save_cursors(session: Session, changed: dict[str, int | None]) -> None:
    rows = [{"team": team, "cursor": at} for team, at in changed.items() if at is not None]
    if not rows:
        return
    dialect: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(TeamCursor).values(rows)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["team"], set_={"cursor": statement.excluded.cursor}
        )
    )
