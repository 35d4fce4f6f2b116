"""The inbox's filters as they travel in the URL, so a filtered inbox can be bookmarked."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from amends.cases import clocks
from amends.cases.queries import CaseFilter, Order
from amends.cases.states import OPEN
from amends.store.tables import CaseStatus, Priority, Sentiment

PATH = "/cases"
OPEN_STATUSES = "open"
OWNERS = ("anyone", "me", "unassigned")
MAX_SEARCH = 200
MAX_RISK = 100
MAX_ID = 2**63 - 1
#: The steps offered in the "Risk at least" menu; the URL takes any whole number 0–100.
RISK_STEPS = (20, 30, 40, 50, 60, 70, 80, 90)
#: Each sort's URL value and its label in the menu; the first is the default.
SORTS = ((Order.NEWEST, "Newest"), (Order.RISK, "Riskiest first"))


@dataclass(frozen=True, slots=True)
class InboxQuery:
    """One value per filter; empty means "any". Unknown values are dropped, not refused."""

    status: str = ""
    priority: str = ""
    channel: str = ""
    owner: str = "anyone"
    q: str = ""
    category: str = ""
    sentiment: str = ""
    emotion: str = ""
    min_risk: int | None = None
    sla: str = ""
    sort: Order = Order.NEWEST
    cursor: int | None = None

    @classmethod
    def from_params(cls, params: QueryParams) -> InboxQuery:
        status = params.get("status", "")
        priority = params.get("priority", "")
        owner = params.get("owner", "")
        sentiment = params.get("sentiment", "")
        sort = params.get("sort", "")
        sla = params.get("sla", "")
        return cls(
            status=status if status in _STATUS_CHOICES else "",
            priority=priority if priority in _PRIORITY_CHOICES else "",
            channel=_word(params, "channel", 40),
            owner=owner if owner in OWNERS else "anyone",
            q=" ".join(params.get("q", "").split())[:MAX_SEARCH],
            category=_word(params, "category", 60),
            sentiment=sentiment if sentiment in _SENTIMENT_CHOICES else "",
            emotion=_word(params, "emotion", 40),
            min_risk=_number(params.get("min_risk", ""), upto=MAX_RISK) or None,
            sla=sla if sla in _SLA_CHOICES else "",
            sort=Order(sort) if sort in _SORT_CHOICES else Order.NEWEST,
            cursor=_number(params.get("cursor", ""), upto=MAX_ID),
        )

    def to_filter(self, user_id: int) -> CaseFilter:
        return CaseFilter(
            status=_statuses(self.status),
            priority=(Priority(self.priority),) if self.priority else (),
            channel=_one(self.channel),
            owner_id=user_id if self.owner == "me" else None,
            unassigned=self.owner == "unassigned",
            q=self.q or None,
            category=_one(self.category),
            sentiment=_one(self.sentiment),
            emotion=_one(self.emotion),
            min_risk=self.min_risk,
            sla=clocks.ClockState(self.sla) if self.sla else None,
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
            "category": query.category,
            "sentiment": query.sentiment,
            "emotion": query.emotion,
            "min_risk": str(query.min_risk or ""),
            "sla": query.sla,
            "sort": "" if query.sort is Order.NEWEST else query.sort.value,
            "cursor": "" if query.cursor is None else str(query.cursor),
        }
        encoded = urlencode({name: value for name, value in pairs.items() if value})
        return f"{PATH}?{encoded}" if encoded else PATH

    def risk_steps(self) -> list[int]:
        """The "Risk at least" menu, with this query's own value when the URL gave another."""
        return sorted({*RISK_STEPS, *([self.min_risk] if self.min_risk else [])})


_STATUS_CHOICES = frozenset({OPEN_STATUSES, *(status.value for status in CaseStatus)})
_PRIORITY_CHOICES = frozenset(priority.value for priority in Priority)
_SENTIMENT_CHOICES = frozenset(sentiment.value for sentiment in Sentiment)
_SORT_CHOICES = frozenset(order.value for order, _ in SORTS)
_SLA_CHOICES = frozenset(state.value for state in clocks.FILTERS)


def _word(params: QueryParams, name: str, length: int) -> str:
    """A free value (a channel, category or emotion): the data decides which exist."""
    return params.get(name, "").strip()[:length]


def _number(value: str, *, upto: int) -> int | None:
    """A whole number from 0 to `upto`; anything else (`-1`, `²`, `1e3`) is None."""
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= upto else None


def _one(value: str) -> tuple[str, ...]:
    return (value,) if value else ()


def _statuses(choice: str) -> tuple[CaseStatus, ...]:
    if choice == OPEN_STATUSES:
        return tuple(status for status in CaseStatus if status in OPEN)
    return (CaseStatus(choice),) if choice else ()
