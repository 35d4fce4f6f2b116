"""Cases opened through the ingest pipeline fall under a playbook: its team, its due times on
its clock, and a `case:routed` event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.playbooks.examples import EXAMPLES_DIR
from amends.store.tables import Case, Customer, CustomerIdentity, TimelineEvent
from tests.playbooks.helpers import folder_with

LATE = "My parcel is a week late. The delivery was delayed again and again, still not here."
THREAT = "I will sue you over this. My lawyer will hear about it."
# 18:00 on a Friday in London, in summer time (UTC+1).
FRIDAY_EVENING = datetime(2026, 7, 3, 17, 0, tzinfo=UTC)

SHOP = """\
playbooks:
  - name: Shop inbox
    match: {source: shop-inbox}
    assign: {team: care}
    sla: {first_response: 2h, resolution: 1d}
  - name: Gold customers
    match: {segment: gold, lifetime_value: {min: 1000}}
    assign: {team: billing}
    sla: {first_response: 30m, resolution: 4h}
"""


def _item(text: str, **fields: object) -> ItemIn:
    fields.setdefault("rating", 2)  # opens a case whatever triage makes of the text
    source = str(fields.pop("source", "test"))
    channel = str(fields.pop("channel", "email"))
    return ItemIn(source=source, channel=channel, text=text, raw="{}", **fields)  # type: ignore[arg-type]


def _open(session: Session, settings: Settings, *items: ItemIn) -> list[Case]:
    outcome = pipeline.process(session, list(items), settings)
    cases = []
    for item_id in outcome.item_ids:
        case = session.get(Case, outcome.case_ids[item_id])
        assert case is not None
        cases.append(case)
    return cases


def _routed(session: Session, case: Case) -> dict[str, object]:
    query = select(TimelineEvent.data).where(
        TimelineEvent.case_id == case.id, TimelineEvent.kind == "case:routed"
    )
    data: dict[str, object] = session.scalars(query).one()
    return data


def _line_of(file: Path, name: str = "Late delivery") -> int:
    lines = file.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip() == f"- name: {name}")


@pytest.fixture
def shop(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"playbooks_dir": folder_with(tmp_path, SHOP)})


def test_a_late_delivery_gets_its_playbook_team_and_business_hours_due_times(
    session: Session, settings: Settings
) -> None:
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        [case] = _open(session, settings, _item(LATE))
    assert (case.category, case.playbook, case.team) == ("delay", "Late delivery", "delivery")
    # 4h of London office hours: Friday 18:00–20:00, then Saturday from 09:00 (BST).
    assert case.first_response_due_at == datetime(2026, 7, 4, 10, 0, tzinfo=UTC)
    # 24h: Friday 2h, Saturday 8h, closed Sunday, Monday 12h, Tuesday 08:00–10:00 (BST).
    assert case.resolution_due_at == datetime(2026, 7, 7, 9, 0, tzinfo=UTC)
    assert case.owner_id is None  # the delivery team has no members yet


def test_the_routed_event_says_which_playbook_where_and_by_when(
    session: Session, settings: Settings
) -> None:
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        [case] = _open(session, settings, _item(LATE))
    data = _routed(session, case)
    assert data == {
        "playbook": "Late delivery",
        "origin": f"30-orders.yaml:{_line_of(EXAMPLES_DIR / 'ecommerce' / '30-orders.yaml')}",
        "team": "delivery",
        "item_id": data["item_id"],
        "first_response_due_at": "2026-07-04T10:00:00+00:00",
        "resolution_due_at": "2026-07-07T09:00:00+00:00",
    }


def test_a_legal_threat_goes_to_the_senior_playbook(session: Session, settings: Settings) -> None:
    [case] = _open(session, settings, _item(THREAT))
    assert (case.playbook, case.team) == ("Safety, legal or press threat", "priority-care")
    # Calendar time: one hour and three days from opening.
    assert case.first_response_due_at == case.opened_at + timedelta(hours=1)
    assert case.resolution_due_at == case.opened_at + timedelta(days=3)


def test_an_item_no_playbook_matches_gets_the_default(session: Session, shop: Settings) -> None:
    matched, unmatched = _open(
        session, shop, _item("Cold food", source="shop-inbox"), _item("Cold food again")
    )
    assert (matched.playbook, matched.team) == ("Shop inbox", "care")
    assert matched.first_response_due_at == matched.opened_at + timedelta(hours=2)
    assert (unmatched.playbook, unmatched.team) == ("default", None)
    assert unmatched.first_response_due_at == unmatched.opened_at + timedelta(hours=24)
    assert unmatched.resolution_due_at == unmatched.opened_at + timedelta(hours=72)
    assert _routed(session, unmatched)["origin"] is None


def test_it_matches_on_the_customers_segment_and_lifetime_value(
    session: Session, shop: Settings
) -> None:
    customer = Customer(name="Ann", segment="gold", lifetime_value=Decimal("5000"))
    session.add(customer)
    session.flush()
    session.add(CustomerIdentity(customer_id=customer.id, kind="email", value="ann@example.com"))
    session.flush()
    gold, unknown = _open(
        session,
        shop,
        _item("Charged twice", email="Ann@example.com"),
        _item("Charged twice", email="bo@example.com"),
    )
    assert (gold.playbook, gold.team) == ("Gold customers", "billing")
    assert unknown.playbook == "default"


def test_a_joining_item_leaves_the_playbook_and_due_times_alone(
    session: Session, shop: Settings
) -> None:
    [first] = _open(session, shop, _item("Cold food", email="cy@example.com"))
    due = first.first_response_due_at
    outcome = pipeline.process(
        session, [_item("Still cold", email="cy@example.com", source="shop-inbox")], shop
    )
    assert outcome.case_ids[outcome.item_ids[0]] == first.id
    session.refresh(first)
    assert (first.playbook, first.team, first.first_response_due_at) == ("default", None, due)
