"""Why a case fell under its playbook: its riskiest item matched again, condition by
condition, beside what was stored when it was opened."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from amends.cases.explain import explain_case
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.lib import clock
from amends.store.tables import Case
from tests.playbooks.helpers import folder_with

PLAYBOOKS = """\
playbooks:
  - name: Low ratings
    match: {rating: {max: 1}}
    assign: {team: care}
    sla: {first_response: 2h, resolution: 1d}
  - name: Shop inbox
    match: {source: shop-inbox, keywords: [cold]}
    assign: {team: billing}
    sla: {first_response: 2h, resolution: 1d}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return folder_with(tmp_path, PLAYBOOKS)


@pytest.fixture
def routed(settings: Settings, folder: Path) -> Settings:
    return settings.model_copy(update={"playbooks_dir": folder})


def _case(session: Session, settings: Settings, text: str, **fields: object) -> Case:
    item = ItemIn(source="shop-inbox", channel="email", text=text, raw="{}", **fields)  # type: ignore[arg-type]
    outcome = pipeline.process(session, [item], settings)
    case = session.get(Case, outcome.case_ids[outcome.item_ids[0]])
    assert case is not None
    return case


def test_it_explains_each_condition_of_each_playbook_tried(
    session: Session, routed: Settings, folder: Path
) -> None:
    case = _case(session, routed, "The soup was COLD.", rating=2)
    found = explain_case(session=session, case=case, settings=routed)
    assert found.explanation is not None
    file = folder / "playbooks.yaml"
    assert found.explanation.lines() == [
        f"✗ Low ratings ({file}:2)",
        "    ✗ rating 2 > 1",
        f"✓ Shop inbox ({file}:6)",
        '    ✓ source "shop-inbox" is in shop-inbox',
        '    ✓ text contains "COLD"',
    ]
    assert (found.matches_now, found.changed) == ("Shop inbox", False)
    assert found.routed_where == "playbooks.yaml:6"
    assert found.item is not None
    assert found.routed is not None
    assert found.routed["item_id"] == found.item.id
    assert {"channel email", "source shop-inbox", "rating 2"} <= set(found.described)


def test_it_says_when_the_item_would_fall_elsewhere_today(
    session: Session, routed: Settings, folder: Path
) -> None:
    case = _case(session, routed, "The soup was cold.", rating=2)
    file = folder / "playbooks.yaml"
    file.write_text(PLAYBOOKS.replace("max: 1", "max: 2"), encoding="utf-8")
    stamp = file.stat().st_mtime_ns + 1_000_000_000
    os.utime(file, ns=(stamp, stamp))
    found = explain_case(session=session, case=case, settings=routed)
    assert (case.playbook, found.matches_now, found.changed) == ("Shop inbox", "Low ratings", True)


def test_a_case_without_items_has_nothing_to_match(session: Session, routed: Settings) -> None:
    now = clock.now()
    case = Case(title="Phoned in", channel="phone", opened_at=now, updated_at=now)
    session.add(case)
    session.flush()
    found = explain_case(session=session, case=case, settings=routed)
    assert (found.item, found.explanation, found.routed, found.changed) == (None, None, None, False)
