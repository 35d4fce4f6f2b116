"""Where a new case goes: the playbook its riskiest item falls under, that playbook's team,
and its due times on the playbook's clock.

`item_facts` is the one way an item becomes what playbooks match on, for an arriving item
(ingest) and for a stored one (`amends playbooks explain`), so both see the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from amends.cases.playbook_set import PlaybookSet
from amends.playbooks.facts import ItemFacts
from amends.playbooks.match import Match
from amends.playbooks.schema import Acknowledge, Assign, EscalationRule, Sla
from amends.playbooks.sla import DueTimes, due_times
from amends.store.tables import Priority, Sentiment


class Triaged(Protocol):
    """What routing reads of an item's triage: a fresh result or a stored row."""

    @property
    def sentiment(self) -> Sentiment: ...
    @property
    def emotions(self) -> Mapping[str, float]: ...
    @property
    def category(self) -> str: ...
    @property
    def risk(self) -> int: ...
    @property
    def priority(self) -> Priority: ...
    @property
    def language(self) -> str: ...


NO_ACKNOWLEDGEMENT = Acknowledge(enabled=False)


@dataclass(frozen=True, slots=True)
class Profile:
    """What the store knows of a customer that playbooks match on."""

    segment: str | None = None
    lifetime_value: Decimal | None = None


def item_facts(
    *,
    text: str,
    channel: str | None,
    source: str | None,
    rating: int | None,
    triaged: Triaged | None,
    profile: Profile | None,
) -> ItemFacts:
    """An item as playbooks see it; facts triage or the customer did not give are unknown."""
    customer = profile or Profile()
    facts = ItemFacts(
        text=text,
        channel=channel,
        source=source,
        rating=rating,
        segment=customer.segment,
        lifetime_value=customer.lifetime_value,
    )
    if triaged is None:
        return facts
    return replace(
        facts,
        category=triaged.category,
        sentiment=triaged.sentiment,
        emotions=triaged.emotions,
        risk=triaged.risk,
        priority=triaged.priority,
        language=triaged.language,
    )


@dataclass(frozen=True, slots=True)
class Route:
    """A new case's playbook, team and due times (UTC). `assign` is the playbook's own
    section (None: no team); `origin` is `file:line` (the file's name in the playbook folder),
    None for the default playbook."""

    playbook: str
    origin: str | None
    assign: Assign | None
    first_response_due_at: datetime
    resolution_due_at: datetime
    sla: Sla
    escalate: tuple[EscalationRule, ...] = ()
    acknowledge: Acknowledge = NO_ACKNOWLEDGEMENT

    @property
    def team(self) -> str | None:
        return self.assign.team if self.assign else None

    def case_fields(self) -> dict[str, object]:
        return {
            "playbook": self.playbook,
            "team": self.team,
            "first_response_due_at": self.first_response_due_at,
            "resolution_due_at": self.resolution_due_at,
        }

    def event_data(self, item_id: int) -> dict[str, object]:
        """The `case:routed` event's data: JSON, so the times are ISO 8601 text."""
        return {
            "playbook": self.playbook,
            "origin": self.origin,
            "team": self.team,
            "item_id": item_id,
            "first_response_due_at": self.first_response_due_at.isoformat(),
            "resolution_due_at": self.resolution_due_at.isoformat(),
        }


def route_all(playbooks: PlaybookSet, cases: Sequence[tuple[ItemFacts, datetime]]) -> list[Route]:
    """A route for each (facts of the riskiest item, opened at) pair, in order.

    A batch's cases are opened at one instant, so each playbook's due times are worked out
    once per batch, not once per case (business hours take a walk over opening hours).
    """
    due: dict[tuple[int, datetime], DueTimes] = {}
    routes = []
    for facts, opened_at in cases:
        found = playbooks.match(facts)
        key = (id(found.sla), opened_at)
        if key not in due:
            due[key] = due_times(found.sla, opened_at)
        routes.append(_route(found, due[key]))
    return routes


def _route(found: Match, due: DueTimes) -> Route:
    return Route(
        playbook=found.playbook.name,
        # The file's name in the folder, not the server's path: it outlives moving the folder.
        origin=f"{Path(found.origin.file).name}:{found.origin.line}" if found.origin else None,
        assign=found.playbook.assign,
        # Due times come in the playbook's time zone; the store keeps UTC.
        first_response_due_at=due.first_response.astimezone(UTC),
        resolution_due_at=due.resolution.astimezone(UTC),
        sla=found.sla,
        escalate=found.playbook.escalate,
        acknowledge=found.playbook.acknowledge,
    )
