"""A playbook set with a remedy catalogue, and cases opened under it, for the tests of
compensation, approvals and offers on every path (domain, API, web, CLI)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from amends.cases import compensation, offers
from amends.cases.offers import OptionIn
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.tables import Case, Priority, TimelineEvent, User
from tests.playbooks.helpers import folder_with

PLAYBOOK = "Parcels"
PLAYBOOKS = """\
playbooks:
  - name: Parcels
    match: {keywords: [parcel]}
    assign: {team: care}
    remedies:
      - kind: apology
      - kind: voucher
        cap: {normal: 30, high: 60}
      - kind: partial_credit
        cap: 20
      - kind: refund
        cap: 300
      - kind: senior_callback
"""
_serial = itertools.count(1)
TEAMS = """\
teams:
  - name: care
    lead: bob@example.com
"""


def playbooks_folder(tmp_path: Path) -> Path:
    return folder_with(tmp_path, PLAYBOOKS, teams=TEAMS)


def remedy_settings(db_url: str, tmp_path: Path, **values: Any) -> Settings:
    """Settings whose playbooks are the set above."""
    return Settings(
        database_url=db_url,
        data_dir=tmp_path,
        env="dev",
        playbooks_dir=playbooks_folder(tmp_path),
        **values,
    )


def open_case(
    session: Session, settings: Settings, *, priority: Priority = Priority.NORMAL, **values: Any
) -> Case:
    """A case under the `Parcels` playbook (team care, nobody's), at `priority`."""
    text = f"My parcel never came (order {next(_serial)})"
    item = ItemIn(source="test", channel="email", text=text, raw="{}", rating=2)
    outcome = pipeline.process(session, [item], settings)
    case_id = outcome.case_ids[outcome.item_ids[0]]
    session.execute(update(Case).where(Case.id == case_id).values(priority=priority, **values))
    session.commit()
    session.expire_all()
    case = session.get(Case, case_id)
    assert case is not None
    assert case.playbook == values.get("playbook", PLAYBOOK)
    return case


def event_kinds(session: Session, case_id: int) -> list[str]:
    query = select(TimelineEvent.kind).where(TimelineEvent.case_id == case_id)
    return list(session.scalars(query.order_by(TimelineEvent.id)))


def last_event(session: Session, case_id: int, kind: str) -> TimelineEvent:
    query = select(TimelineEvent).where(
        TimelineEvent.case_id == case_id, TimelineEvent.kind == kind
    )
    found = session.scalars(query.order_by(TimelineEvent.id.desc())).first()
    assert found is not None, f"no {kind} event on case {case_id}"
    return found


def remedy_world(session: Session, settings: Settings, case_id: int, agent: User) -> dict[str, int]:
    """An open offer and a pending approval request on the case, both by `agent`, for the
    API's permission table. The case loses its playbook, so any kind may be offered."""
    session.execute(update(Case).where(Case.id == case_id).values(playbook=None))
    case = session.get(Case, case_id)
    assert case is not None
    session.refresh(case)
    options = [OptionIn("apology"), OptionIn("voucher", "5")]
    offer = offers.make_offer(
        session=session, case=case, user=agent, options=options, settings=settings
    )
    outcome = compensation.grant(
        session=session, case=case, user=agent, kind="voucher", amount="30", settings=settings
    )
    assert outcome.approval is not None
    session.commit()
    return {"offer_id": offer.id, "approval_id": outcome.approval.id}
