"""Helpers for the web tests: log a persona in, make cases from feedback as ingest would."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.tables import Case, User
from tests.conftest import PASSWORD

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

MakeCase = Callable[..., Case]
AddItem = Callable[..., pipeline.Outcome]


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
        outcome = add_item(text, **fields)
        case = session.get(Case, outcome.case_ids[outcome.item_ids[0]])
        assert case is not None
        return case

    return make
