"""Helpers for the web tests: log a persona in, make cases from feedback as ingest would, or
with the triage a test needs."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.lib import clock
from amends.store.tables import Case, FeedbackItem, User
from tests.conftest import PASSWORD
from tests.web.triage_rows import triage_row

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

MakeCase = Callable[..., Case]
AddItem = Callable[..., pipeline.Outcome]
TriagedCase = Callable[..., Case]
_serial = itertools.count()


def csrf_from(html: str) -> str:
    found = _TOKEN.search(html)
    assert found is not None, "the page has no CSRF field"
    return found.group(1)


def log_in(client: TestClient, user: User) -> str:
    """Log `user` in through the form; return the session's CSRF token."""
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_from(client.get("/cases").text)


def _item(text: str, fields: dict[str, object]) -> ItemIn:
    item = ItemIn(source="test", channel=str(fields.pop("channel", "email")), text=text, raw="{}")
    for name, value in fields.items():
        setattr(item, name, value)
    return item


@pytest.fixture
def add_item(session: Session, settings: Settings) -> AddItem:
    """Store one feedback item through the ingest pipeline, as an import would."""

    def add(text: str = "Parcel never came", **fields: object) -> pipeline.Outcome:
        outcome = pipeline.process(session, [_item(text, fields)], settings)
        session.commit()
        return outcome

    return add


@pytest.fixture
def make_case(session: Session, add_item: AddItem) -> MakeCase:
    """Store one feedback item that warrants a case and return the case it opened."""

    def make(text: str = "Parcel never came", **fields: object) -> Case:
        # A rating of 3 opens a case whatever triage makes of the text, and adds no risk.
        fields.setdefault("rating", 3)
        outcome = add_item(text, **fields)
        case = session.get(Case, outcome.case_ids[outcome.item_ids[0]])
        assert case is not None
        return case

    return make


@pytest.fixture
def triaged_case(session: Session) -> TriagedCase:
    """Store a case with one item whose triage is exactly what the test says (not what the
    models would find), in the rows and columns the pipeline writes; `triaged=False` stores the
    item as it was before triage existed."""

    def make(
        text: str = "Parcel never came",
        *,
        triaged: bool = True,
        channel: str = "email",
        **triage: Any,
    ) -> Case:
        now = clock.now()
        case = Case(title=text[:120], channel=channel, opened_at=now, updated_at=now)
        session.add(case)
        session.flush()
        item = FeedbackItem(
            source="test",
            dedupe_key=f"triaged-{next(_serial)}",
            channel=channel,
            text=text,
            raw="{}",
            case_id=case.id,
        )
        session.add(item)
        session.flush()
        if triaged:
            row = triage_row(item.id, **triage)
            session.add(row)
            case.risk, case.priority, case.category = row.risk, row.priority, row.category
            case.sentiment, case.emotion = row.sentiment.value, row.emotion
        session.commit()
        return case

    return make
