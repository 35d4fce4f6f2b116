"""Who may do what. Every check on the server goes through `can`; the table is the policy."""

from __future__ import annotations

import enum

from amends.store.tables import Role


class Action(enum.StrEnum):
    READ = "read"
    FEEDBACK_CREATE = "feedback:create"
    CASE_WORK = "case:work"
    CASE_WORK_ANY = "case:work:any"
    CASE_ASSIGN_OTHERS = "case:assign:others"
    USERS_MANAGE = "users:manage"
    TOKENS_MANAGE = "tokens:manage"
    SOURCES_MANAGE = "sources:manage"
    INSIGHTS_READ = "insights:read"  # the dashboard: every agent's figures side by side
    LESSONS_CURATE = "lessons:curate"  # change or remove anyone's lesson, take a story down


#: The least role that may take each action. Roles above it may too.
MINIMUM_ROLE: dict[Action, Role] = {
    Action.READ: Role.AGENT,
    Action.FEEDBACK_CREATE: Role.AGENT,
    Action.CASE_WORK: Role.AGENT,
    Action.CASE_WORK_ANY: Role.LEAD,
    Action.CASE_ASSIGN_OTHERS: Role.LEAD,
    Action.USERS_MANAGE: Role.ADMIN,
    Action.TOKENS_MANAGE: Role.ADMIN,
    Action.SOURCES_MANAGE: Role.ADMIN,
    Action.INSIGHTS_READ: Role.LEAD,
    Action.LESSONS_CURATE: Role.LEAD,
}


def can(role: Role, action: Action) -> bool:
    return role.rank >= MINIMUM_ROLE[action].rank


def may_work_case(*, role: Role, user_id: int, owner_id: int | None) -> bool:
    """Agents work unassigned cases and their own; leads and above work any case."""
    if can(role, Action.CASE_WORK_ANY):
        return True
    return can(role, Action.CASE_WORK) and owner_id in (None, user_id)
