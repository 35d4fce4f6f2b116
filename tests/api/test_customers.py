"""/api/v1/customers/{id}: one customer's whole history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.tables import FeedbackItem, User
from tests.conftest import token_for


def _item(text: str, posted: str | None = None, **fields: Any) -> ItemIn:
    channel = str(fields.pop("channel", "email"))
    posted_at = datetime.fromisoformat(posted).replace(tzinfo=UTC) if posted else None
    return ItemIn(
        source="test", channel=channel, text=text, raw="{}", posted_at=posted_at, **fields
    )


def _customer_of(session: Session, settings: Settings, items: list[ItemIn]) -> int:
    """Ingest `items` and return the customer of the first."""
    outcome = pipeline.process(session, items, settings)
    session.commit()
    item = session.get(FeedbackItem, outcome.item_ids[0])
    assert item is not None
    assert item.customer_id is not None
    return item.customer_id


def test_it_shows_a_customers_identities_items_and_cases(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    customer_id = _customer_of(
        session,
        settings,
        [
            _item("Card charged twice", "2024-03-01", email="Ann@Example.com", product="card"),
            _item(
                "App crashes",
                "2024-03-02",
                email="ann@example.com",
                author_handle="@Ann",
                channel="x",
            ),
            _item("Someone else entirely", "2024-03-03", email="bo@example.com"),
        ],
    )
    response = client.get(f"/api/v1/customers/{customer_id}", headers=token_for(session, alice))
    assert response.status_code == 200
    customer = response.json()
    identities = {(i["kind"], i["value"]) for i in customer["identities"]}
    assert identities == {("email", "ann@example.com"), ("x", "ann")}
    assert [item["text"] for item in customer["items"]] == ["App crashes", "Card charged twice"]
    assert [case["title"] for case in customer["cases"]] == ["App crashes", "Card charged twice"]


def test_it_orders_history_by_when_it_was_posted_not_imported(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    customer_id = _customer_of(
        session,
        settings,
        [
            _item("Said in 2021", "2021-05-01", email="cy@example.com"),
            _item("Backfilled from 2019", "2019-05-01", email="cy@example.com"),
        ],
    )
    response = client.get(f"/api/v1/customers/{customer_id}", headers=token_for(session, alice))
    texts = [item["text"] for item in response.json()["items"]]
    assert texts == ["Said in 2021", "Backfilled from 2019"]


def test_it_answers_404_for_a_missing_customer(
    client: TestClient, session: Session, alice: User
) -> None:
    response = client.get("/api/v1/customers/999999", headers=token_for(session, alice))
    assert response.status_code == 404
