"""Why a case fell under its playbook: the facts of its riskiest item matched again against
the playbooks in use, condition by condition, beside what was stored when it was opened.

Used by `amends playbooks explain CASE` and the case page. Customer text reaches the
explanation (keywords found), so whoever shows it must escape it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.cases import playbook_set
from amends.cases.events import EventKind
from amends.cases.routing import Profile, item_facts
from amends.config import Settings
from amends.playbooks.facts import ItemFacts
from amends.playbooks.match import Explanation
from amends.playbooks.problems import Origin, Problem
from amends.store.tables import Case, Customer, FeedbackItem, ItemTriage, TimelineEvent


@dataclass(frozen=True, slots=True)
class CaseExplanation:
    """`case` as stored (playbook, team, due times), the data of its `case:routed` event
    (None for a case opened before playbooks), and the explanation of its riskiest item
    against the playbooks in use now (None when the case has no item)."""

    case: Case
    routed: dict[str, Any] | None
    item: FeedbackItem | None
    facts: ItemFacts | None
    explanation: Explanation | None
    problems: tuple[Problem, ...]

    @property
    def matches_now(self) -> str | None:
        """The playbook the item falls under today."""
        return self.explanation.match.playbook.name if self.explanation else None

    @property
    def changed(self) -> bool:
        """Whether the item would fall under another playbook today than when it was opened
        (the playbooks, the item's triage or the customer changed since)."""
        now = self.matches_now
        return self.case.playbook is not None and now is not None and now != self.case.playbook

    @property
    def described(self) -> list[str]:
        return describe(self.facts) if self.facts is not None else []

    @property
    def routed_where(self) -> str | None:
        """Where the playbook the case was opened under was written, as `file:line`."""
        origin = (self.routed or {}).get("origin")
        return str(origin) if origin else None

    @staticmethod
    def where(origin: Origin | None) -> str:
        """`30-orders.yaml:18`: a playbook's file name and line, without the server's path."""
        return f"{Path(origin.file).name}:{origin.line}" if origin else "built in"


def explain_case(*, session: Session, case: Case, settings: Settings) -> CaseExplanation:
    item, triaged = _riskiest(session, case.id)
    current = playbook_set.current(settings)
    facts = None
    if item is not None:
        facts = item_facts(
            text=item.text,
            channel=item.channel,
            source=item.source,
            rating=item.rating,
            triaged=triaged,
            profile=_profile(session, item.customer_id),
        )
    return CaseExplanation(
        case=case,
        routed=_routed(session, case.id),
        item=item,
        facts=facts,
        explanation=current.explain(facts) if facts is not None else None,
        problems=current.problems,
    )


def describe(facts: ItemFacts) -> list[str]:
    """The facts matching knows, as `name value` pairs; unknown facts are left out."""
    known: list[tuple[str, object]] = [
        ("channel", facts.channel),
        ("source", facts.source),
        ("category", facts.category),
        ("sentiment", facts.sentiment.value if facts.sentiment else None),
        ("risk", facts.risk),
        ("priority", facts.priority.value if facts.priority else None),
        ("rating", facts.rating),
        ("language", facts.language),
        ("segment", facts.segment),
        ("lifetime value", facts.lifetime_value),
    ]
    parts = [f"{name} {value}" for name, value in known if value is not None]
    if facts.emotions:
        name = max(facts.emotions, key=lambda emotion: facts.emotions[emotion])
        parts.append(f"strongest emotion {name} {facts.emotions[name]:.2f}")
    return parts


def _riskiest(session: Session, case_id: int) -> tuple[FeedbackItem | None, ItemTriage | None]:
    """The item the case shows: the riskiest triaged one (the earliest among equals), else
    its first item."""
    query = (
        select(FeedbackItem, ItemTriage)
        .outerjoin(ItemTriage, ItemTriage.item_id == FeedbackItem.id)
        .where(FeedbackItem.case_id == case_id)
        .order_by(ItemTriage.risk.is_(None), ItemTriage.risk.desc(), FeedbackItem.id)
        .limit(1)
    )
    row = session.execute(query).first()
    return (row[0], row[1]) if row is not None else (None, None)


def _profile(session: Session, customer_id: int | None) -> Profile | None:
    if customer_id is None:
        return None
    customer = session.get(Customer, customer_id)
    return Profile(customer.segment, customer.lifetime_value) if customer else None


def _routed(session: Session, case_id: int) -> dict[str, Any] | None:
    query = (
        select(TimelineEvent.data)
        .where(TimelineEvent.case_id == case_id, TimelineEvent.kind == EventKind.ROUTED.value)
        .order_by(TimelineEvent.id.desc())
        .limit(1)
    )
    return session.scalar(query)
