"""Open cases for arriving items, or join them to the customer's open case on the same topic.

Works a batch at a time so that an import of 100,000 rows costs a handful of statements per
batch, not per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, case, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from amends.cases.actor import SYSTEM
from amends.cases.events import EventKind
from amends.cases.follow_through import Opened, follow_through
from amends.cases.owners import choose_owners
from amends.cases.playbook_set import PlaybookSet
from amends.cases.routing import Route, route_all
from amends.cases.states import OPEN
from amends.lib import clock
from amends.playbooks.facts import ItemFacts
from amends.store.many import each_row, one_of
from amends.store.tables import Case, Priority, TimelineEvent
from amends.store.upsert import insert_returning_ids, insert_rows
from amends.triage.pii import find_pii, redact

TITLE_LENGTH = 120


PRIORITY_RANK = {priority: rank for rank, priority in enumerate(Priority)}
URGENT = frozenset({Priority.HIGH, Priority.CRITICAL})


@dataclass(frozen=True, slots=True)
class Signals:
    """What triage found in an item, as far as its case needs: whether to open one, and what
    the inbox filters and sorts on."""

    negative: bool
    risk: int
    priority: Priority
    category: str | None = None
    sentiment: str | None = None
    emotion: str | None = None

    def case_fields(self) -> dict[str, object]:
        return {
            "risk": self.risk,
            "priority": self.priority,
            "category": self.category,
            "sentiment": self.sentiment,
            "emotion": self.emotion,
        }


@dataclass(frozen=True, slots=True)
class Arrival:
    """What case opening needs to know of an item being stored (its id is already reserved).
    `facts` are what playbooks match on (routing.item_facts); None for an item not triaged."""

    item_id: int
    customer_id: int | None
    topic: str | None
    channel: str
    rating: int | None
    title: str | None
    text: str
    at: datetime
    signals: Signals | None = None
    facts: ItemFacts | None = None

    def playbook_facts(self) -> ItemFacts:
        return self.facts or ItemFacts(text=self.text, channel=self.channel, rating=self.rating)


def opens_case(arrival: Arrival) -> bool:
    """A rating of 1–3, or what triage calls negative or high risk (priority high or critical).

    An item that was not triaged opens a case when it has no rating either.
    """
    if arrival.rating is not None and arrival.rating <= 3:
        return True
    signals = arrival.signals
    if signals is None:
        return arrival.rating is None
    return signals.negative or signals.priority in URGENT


_NONE = Signals(negative=False, risk=-1, priority=Priority.LOW)


def _risk(arrival: Arrival) -> int:
    return arrival.signals.risk if arrival.signals else -1


def open_or_join(
    session: Session, arrivals: Sequence[Arrival], playbooks: PlaybookSet
) -> dict[int, int]:
    """Give each arrival that warrants one a case; return {item_id: case_id}.

    A new case falls under the playbook its riskiest item matches in `playbooks`, which sets
    its team, due times and, among the team's members, its owner. The caller stores the
    items with these case ids, in the same transaction.
    """
    wanted = [arrival for arrival in arrivals if opens_case(arrival)]
    if not wanted:
        return {}
    existing = _open_cases_by_customer_topic(session, wanted)
    joined: dict[int, int] = {}
    new: dict[tuple[int | None, str | None] | int, list[Arrival]] = {}
    for arrival in wanted:
        key = (arrival.customer_id, arrival.topic)
        if arrival.customer_id is not None and key in existing:
            joined[arrival.item_id] = existing[key]
            continue
        group = key if arrival.customer_id is not None else arrival.item_id
        new.setdefault(group, []).append(arrival)
    opened = _create_cases(session, list(new.values()), playbooks)
    _record_joins(session, joined, {a.item_id: a for a in wanted})
    return joined | opened


def _open_cases_by_customer_topic(
    session: Session, arrivals: Sequence[Arrival]
) -> dict[tuple[int | None, str | None], int]:
    customers = {a.customer_id for a in arrivals if a.customer_id is not None}
    if not customers:
        return {}
    rows = session.execute(
        select(Case.customer_id, Case.topic, Case.id)
        .where(one_of(session, Case.customer_id, customers), Case.status.in_(OPEN))
        .order_by(Case.id)
    )
    return {(customer, topic): case_id for customer, topic, case_id in rows}


def _create_cases(
    session: Session, groups: list[list[Arrival]], playbooks: PlaybookSet
) -> dict[int, int]:
    if not groups:
        return {}
    riskiest = [max(group, key=_risk) for group in groups]
    routes = route_all(
        playbooks,
        [(top.playbook_facts(), group[0].at) for top, group in zip(riskiest, groups, strict=True)],
    )
    owners = choose_owners(session, routes)
    rows = [
        _case_row(group[0], top, route, owner)
        for group, top, route, owner in zip(groups, riskiest, routes, owners, strict=True)
    ]
    case_ids = insert_returning_ids(session, cast(Table, Case.__table__), rows)
    events = []
    links: dict[int, int] = {}
    for case_id, group, top, route, owner in zip(
        case_ids, groups, riskiest, routes, owners, strict=True
    ):
        events.extend(_opening_events(case_id, group, top, route, owner))
        for arrival in group:
            links[arrival.item_id] = case_id
    insert_rows(session, cast(Table, TimelineEvent.__table__), events)
    opened = [
        Opened(
            case_id=case_id,
            route=route,
            owner_id=owner,
            risk=_risk(top),
            customer_id=group[0].customer_id,
            opened_at=group[0].at,
            arriving=[arrival.at for arrival in group],
            priority=top.signals.priority if top.signals else Priority.NORMAL,
        )
        for case_id, group, top, route, owner in zip(
            case_ids, groups, riskiest, routes, owners, strict=True
        )
    ]
    follow_through(session, opened, teams=playbooks.teams, now=clock.now())
    return links


def _opening_events(
    case_id: int, group: list[Arrival], riskiest: Arrival, route: Route, owner: int | None
) -> list[dict[str, object]]:
    """Opened by the first item, routed on the riskiest, assigned, then the others added."""
    at = group[0].at
    events = [
        _event(case_id, EventKind.OPENED, at, {"item_id": group[0].item_id}),
        _event(case_id, EventKind.ROUTED, at, route.event_data(riskiest.item_id)),
    ]
    if owner is not None:
        events.append(_event(case_id, EventKind.ASSIGNED, at, {"from": None, "to": owner}))
    events.extend(
        _event(case_id, EventKind.ITEM_ADDED, a.at, {"item_id": a.item_id}) for a in group[1:]
    )
    return events


def _case_row(
    arrival: Arrival, riskiest: Arrival, route: Route, owner: int | None
) -> dict[str, object]:
    signals = riskiest.signals.case_fields() if riskiest.signals else {}
    return {
        **signals,
        **route.case_fields(),
        "owner_id": owner,
        "title": summarise(arrival.title or arrival.text),
        "channel": arrival.channel,
        "topic": arrival.topic,
        "customer_id": arrival.customer_id,
        "opened_at": arrival.at,
        "updated_at": arrival.at,
        "created_at": arrival.at,
    }


def summarise(text: str) -> str:
    """The text on one line, its personal data replaced by `[kind]`, cut to TITLE_LENGTH with
    an ellipsis. A title goes where the text does not (inbox lists, notifications, exports), so
    it carries no card number or email address. Narratives run to pages, so only their head is
    read unless white space in it leaves too little for a title."""
    head = text[: TITLE_LENGTH * 4]
    line = _one_line(head)
    if len(line) <= TITLE_LENGTH and len(head) < len(text):
        line = _one_line(text)
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1].rstrip() + "…"


def _one_line(text: str) -> str:
    return " ".join(redact(text, find_pii(text)).split())


def _record_joins(session: Session, joined: dict[int, int], arrivals: dict[int, Arrival]) -> None:
    if not joined:
        return
    events = [
        _event(case_id, EventKind.ITEM_ADDED, arrivals[item_id].at, {"item_id": item_id})
        for item_id, case_id in joined.items()
    ]
    insert_rows(session, cast(Table, TimelineEvent.__table__), events)
    latest: dict[int, datetime] = {}
    riskiest: dict[int, Signals] = {}
    for item_id, case_id in joined.items():
        arrival = arrivals[item_id]
        latest[case_id] = max(arrival.at, latest.get(case_id, arrival.at))
        if arrival.signals is not None and arrival.signals.risk > riskiest.get(case_id, _NONE).risk:
            riskiest[case_id] = arrival.signals
    show_signals(session, riskiest, only_riskier=True, updated=latest)


_SIGNAL_TYPES = {name: Case.__table__.c[name].type for name in _NONE.case_fields()}


def show_signals(
    session: Session,
    by_case: Mapping[int, Signals],
    *,
    only_riskier: bool,
    updated: Mapping[int, datetime] | None = None,
) -> None:
    """Set each case's risk, priority, category, sentiment and emotion from `by_case`, in one
    statement; with `only_riskier`, only where that is riskier than what the case shows now
    (a case shows its riskiest item). `updated` sets `updated_at` of the cases in it; a case
    there and not in `by_case` gets only that, which needs `only_riskier`."""
    updated = updated or {}
    if not by_case and not updated:
        return
    if updated.keys() - by_case.keys() and not only_riskier:
        raise ValueError("a case updated without signals needs only_riskier")
    table = cast(Table, Case.__table__)
    types: dict[str, TypeEngine[Any]] = {"case_id": table.c.id.type, **_SIGNAL_TYPES}
    if updated:
        types["updated_at"] = table.c.updated_at.type
    rows = [
        {
            "case_id": case_id,
            **by_case.get(case_id, _NONE).case_fields(),
            "updated_at": updated.get(case_id),
        }
        for case_id in sorted(by_case.keys() | updated.keys())
    ]
    source = each_row(session, types, rows)
    new = source.columns
    riskier = new["risk"] > table.c.risk
    values = {
        name: case((riskier, new[name]), else_=table.c[name]) if only_riskier else new[name]
        for name in _SIGNAL_TYPES
    }
    if updated:
        values["updated_at"] = func.coalesce(new["updated_at"], table.c.updated_at)
    statement = update(table).where(table.c.id == new["case_id"]).values(values)
    session.connection().execute(statement, source.parameters)


def _event(
    case_id: int, kind: EventKind, at: datetime, data: dict[str, object]
) -> dict[str, object]:
    return {
        "case_id": case_id,
        "kind": kind.value,
        "actor_id": SYSTEM.user_id,
        "actor": SYSTEM.name,
        "at": at,
        "data": data,
    }
