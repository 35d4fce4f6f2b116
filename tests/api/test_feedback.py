"""/api/v1/feedback: reading items, and sending them with a token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.store.tables import FeedbackItem, Source, User
from tests.api.helpers import item_count, open_case
from tests.conftest import token_for

URL = "/api/v1/feedback"


@pytest.fixture
def headers(session: Session, alice: User) -> dict[str, str]:
    return token_for(session, alice)


def test_it_stores_items_sent_with_a_token(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    payload = [
        {"external_id": 7, "text": "The app crashes every time I log in. So frustrating!"},
        {"text": "Love it", "rating": 5},
    ]
    response = client.post(URL, json=payload, headers=headers)
    assert response.status_code == 202
    receipt = response.json()
    assert (receipt["received"], receipt["imported"], len(receipt["cases"])) == (2, 2, 1)
    item = session.scalars(select(FeedbackItem).order_by(FeedbackItem.id)).first()
    assert item is not None
    assert (item.source, item.channel, item.external_id) == ("api", "other", "7")


def test_it_files_token_ingest_under_a_named_source(
    client: TestClient, session: Session, headers: dict[str, str], source: Source
) -> None:
    body = {"text": "Late again"}
    response = client.post(URL, params={"source": "shop"}, json=body, headers=headers)
    assert response.status_code == 202
    item = session.scalars(select(FeedbackItem)).one()
    assert (item.source, item.channel) == ("shop", "web")


def test_it_refuses_an_unknown_source_for_token_ingest(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    response = client.post(URL, params={"source": "nope"}, json={"text": "x"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "source"]
    assert item_count(session) == 0


def test_it_names_the_invalid_field_in_token_ingest(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(URL, json={"items": [{"text": "ok"}, {"text": ""}]}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "items[1].text"


def test_it_lists_items_newest_first_with_filters(
    client: TestClient, session: Session, settings: Settings, headers: dict[str, str]
) -> None:
    first = open_case(session, settings, "By mail", channel="email")
    second = open_case(session, settings, "By tweet", channel="x")

    def texts(**params: Any) -> list[str]:
        page = client.get(URL, params=params, headers=headers).json()
        return [item["text"] for item in page["items"]]

    assert texts() == ["By tweet", "By mail"]
    assert texts(channel="x") == ["By tweet"]
    assert texts(case_id=first) == ["By mail"]
    assert texts(source="test", case_id=second) == ["By tweet"]
    assert texts(source="elsewhere") == []


def test_it_pages_items_without_duplicates_or_gaps(
    client: TestClient, session: Session, settings: Settings, headers: dict[str, str]
) -> None:
    for n in range(5):
        open_case(session, settings, f"Complaint {n}")
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = client.get(URL, params=params, headers=headers).json()
        seen += [item["text"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == [f"Complaint {n}" for n in reversed(range(5))]


def test_it_shows_one_item_with_its_raw_payload(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    sent = {"text": "Rude driver", "author": "Ann", "posted_at": 1424806552}
    receipt = client.post(URL, json=sent, headers=headers).json()
    item = client.get(f"{URL}/{receipt['items'][0]}", headers=headers).json()
    assert json.loads(item["raw"]) == sent
    assert item["posted_at"] == "2015-02-24T19:35:52Z"
    assert item["case_id"] == receipt["cases"][0]


def test_it_answers_404_for_a_missing_item(client: TestClient, headers: dict[str, str]) -> None:
    assert client.get(f"{URL}/999999", headers=headers).status_code == 404
