"""Who may do what with notifications beyond their own preferences and webhooks: the same
least-role table as accounts.permissions, for the actions this capability adds."""

from __future__ import annotations

import enum

from amends.store.tables import Role


class NotifyAction(enum.StrEnum):
    SHARED_WEBHOOKS = "webhooks:shared"  # endpoints that belong to no user
    DELIVERIES = "deliveries:manage"  # read the dead letters, send them again


MINIMUM_ROLE: dict[NotifyAction, Role] = {
    NotifyAction.SHARED_WEBHOOKS: Role.ADMIN,
    NotifyAction.DELIVERIES: Role.MANAGER,
}


def can(role: Role, action: NotifyAction) -> bool:
    return role.rank >= MINIMUM_ROLE[action].rank
