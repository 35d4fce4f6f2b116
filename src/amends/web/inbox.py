"""The inbox's filters as they travel in the URL, so a filtered inbox can be bookmarked."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from amends.cases.queries import CaseFilter
from amends.cases.states import OPEN
from amends.store.tables import CaseStatus, Priority

PATH = "/cases"
OPEN_STATUSES = "open"
OWNERS = ("anyone", "me", "unassigned")
MAX_SEARCH = 200


@dataclass(frozen=True, slots=True)
class InboxQuery:
    """One value per filter; empty means "any". Unknown values are dropped, not refused."""

    status: str = ""
    priority: str = ""
    channel: str = ""
    owner: str = "anyone"
    q: str = ""
    cursor: int | None = None

    @classmethod
    def from_params(cls, params: QueryParams) -> InboxQuery:
        status = params.get("status", "")
        priority = params.get("priority", "")
        owner = params.get("owner", "")
        cursor = params.get("cursor", "")
        return cls(
            status=status if status in _STATUS_CHOICES else "",
            priority=priority if priority in _PRIORITY_CHOICES else "",
            channel=params.get("channel", "").strip()[:40],
            owner=owner if owner in OWNERS else "anyone",
            q=" ".join(params.get("q", "").split())[:MAX_SEARCH],
            cursor=int(cursor) if cursor.isdigit() else None,
        )

    def to_filter(self, user_id: int) -> CaseFilter:
        return CaseFilter(
            status=_statuses(self.status),
            priority=(Priority(self.priority),) if self.priority else (),
            channel=(self.channel,) if self.channel else (),
            owner_id=user_id if self.owner == "me" else None,
            unassigned=self.owner == "unassigned",
            q=self.q or None,
        )

    def link(self, **changes: Any) -> str:
        """This inbox's URL with some filters changed; defaults are left out of the URL."""
        query = replace(self, **changes)
        pairs = {
            "status": query.status,
            "priority": query.priority,
            "channel": query.channel,
            "owner": "" if query.owner == "anyone" else query.owner,
            "q": query.q,
            "cursor": "" if query.cursor is None else str(query.cursor),
        }
        encoded = urlencode({name: value for name, value in pairs.items() if value})
        return f"{PATH}?{encoded}" if encoded else PATH


_STATUS_CHOICES = frozenset({OPEN_STATUSES, *(status.value for status in CaseStatus)})
_PRIORITY_CHOICES = frozenset(priority.value for priority in Priority)


def _statuses(choice: str) -> tuple[CaseStatus, ...]:
    if choice == OPEN_STATUSES:
        return tuple(status for status in CaseStatus if status in OPEN)
    return (CaseStatus(choice),) if choice else ()
