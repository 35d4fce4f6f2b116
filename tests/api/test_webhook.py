"""POST /api/feedback: the signed webhook."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.api.routes.feedback import MAX_BODY_BYTES
from amends.config import Settings
from amends.lib import clock
from amends.store.tables import Case, FeedbackItem, Source
from tests.api.helpers import body_of, item_count, signed

URL = "/api/feedback"
ITEM = {"external_id": "r-1", "text": "Two hours late and no apology", "rating": 1}


def _post(client: TestClient, source: Source, payload: object) -> tuple[int, dict[str, object]]:
    body = body_of(payload)
    response = client.post(URL, content=body, headers=signed(source, body))
    return response.status_code, response.json()


def test_it_stores_a_signed_item_and_opens_a_case(
    client: TestClient, session: Session, source: Source
) -> None:
    status, receipt = _post(client, source, ITEM)
    assert status == 202
    assert receipt["received"] == receipt["imported"] == 1
    item = session.scalars(select(FeedbackItem)).one()
    assert (item.source, item.channel, item.external_id, item.rating) == ("shop", "web", "r-1", 1)
    assert receipt["items"] == [item.id]
    assert receipt["cases"] == [item.case_id]
    assert session.get(Case, item.case_id) is not None


def test_it_keeps_each_items_json_as_received(
    client: TestClient, session: Session, source: Source
) -> None:
    element = {"text": "Rude driver ✋", "posted_at": "2015-02-24 11:35:52 -0800", "rating": "2/5"}
    _post(client, source, {"items": [element]})
    item = session.scalars(select(FeedbackItem)).one()
    assert json.loads(item.raw) == element
    assert item.rating == 2
    assert item.posted_at is not None
    assert item.posted_at.isoformat() == "2015-02-24T19:35:52+00:00"


@pytest.mark.parametrize("shape", ["object", "array"])
def test_it_stores_a_batch(
    client: TestClient, session: Session, source: Source, shape: str
) -> None:
    items = [
        {"external_id": "a", "text": "Card charged twice", "email": "ann@example.com"},
        {"external_id": "b", "text": "Great staff", "rating": 5, "channel": "Google"},
        {"external_id": "c", "text": "Still charged twice", "email": "ann@example.com"},
    ]
    status, receipt = _post(client, source, {"items": items} if shape == "object" else items)
    assert status == 202
    assert (receipt["received"], receipt["imported"], receipt["duplicates"]) == (3, 3, 0)
    assert len(receipt["cases"]) == 1  # the praise opens none; ann's second joins her first
    stored = session.scalars(select(FeedbackItem).order_by(FeedbackItem.id)).all()
    assert [item.channel for item in stored] == ["web", "google", "web"]


def test_it_stores_the_same_item_once(client: TestClient, session: Session, source: Source) -> None:
    _post(client, source, ITEM)
    status, receipt = _post(client, source, ITEM)
    assert status == 202
    assert (receipt["imported"], receipt["duplicates"], receipt["items"]) == (0, 1, [])
    assert item_count(session) == 1


def test_it_refuses_an_unsigned_request_and_stores_nothing(
    client: TestClient, session: Session, source: Source
) -> None:
    response = client.post(URL, json=ITEM)
    assert response.status_code == 401
    assert "WWW-Authenticate" in response.headers
    assert item_count(session) == 0


def _refused(client: TestClient, session: Session, body: bytes, headers: dict[str, str]) -> None:
    response = client.post(URL, content=body, headers=headers)
    assert response.status_code == 401, response.text
    assert "signature" in response.json()["detail"]
    assert item_count(session) == 0


def test_it_refuses_a_bad_signature_and_stores_nothing(
    client: TestClient, session: Session, source: Source
) -> None:
    body = body_of(ITEM)
    _refused(client, session, body, signed(source, body, secret="whsec_not-the-secret"))


def test_it_refuses_a_tampered_body_and_stores_nothing(
    client: TestClient, session: Session, source: Source
) -> None:
    headers = signed(source, body_of(ITEM))
    _refused(client, session, body_of({**ITEM, "rating": 5}), headers)


def test_it_refuses_an_unknown_source_and_stores_nothing(
    client: TestClient, session: Session, source: Source
) -> None:
    body = body_of(ITEM)
    _refused(client, session, body, signed(source, body) | {"X-Amends-Source": "nobody"})


@pytest.mark.parametrize("offset", [-301, 301])
def test_it_refuses_a_timestamp_outside_the_tolerance_and_stores_nothing(
    client: TestClient, session: Session, source: Source, settings: Settings, offset: int
) -> None:
    assert settings.webhook_tolerance_seconds == 300
    body = body_of(ITEM)
    # The clock stands still: on a busy machine a second may pass before the server looks.
    moment = datetime.fromtimestamp(int(clock.now().timestamp()), UTC)
    with time_machine.travel(moment, tick=False):
        stamp = int(clock.now().timestamp()) + offset
        _refused(client, session, body, signed(source, body, timestamp=stamp))


@pytest.mark.parametrize("header", ["X-Amends-Timestamp", "X-Amends-Signature"])
def test_it_refuses_a_missing_header(
    client: TestClient, session: Session, source: Source, header: str
) -> None:
    body = body_of(ITEM)
    headers = signed(source, body)
    del headers[header]
    _refused(client, session, body, headers)


def test_it_refuses_a_non_ascii_signature_without_failing(
    client: TestClient, session: Session, source: Source
) -> None:
    body = body_of(ITEM)
    headers: dict[str, str | bytes] = {**signed(source, body)}
    headers["X-Amends-Signature"] = "sha256=café".encode("latin-1")
    response = client.post(URL, content=body, headers=headers)
    assert response.status_code == 401


def test_it_checks_the_signature_before_reading_the_body(
    client: TestClient, session: Session, source: Source
) -> None:
    response = client.post(URL, content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 401


def test_it_names_the_invalid_field_and_stores_nothing(
    client: TestClient, session: Session, source: Source
) -> None:
    items = [{"text": "fine"}, {"text": "fine too"}, {"text": "bad", "rating": 7}]
    status, answer = _post(client, source, {"items": items})
    assert status == 422
    [problem] = answer["detail"]  # type: ignore[misc]
    assert problem["field"] == "items[2].rating"
    assert problem["loc"] == ["body", "items", 2, "rating"]
    assert "1 to 5" in problem["msg"]
    assert item_count(session) == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"rating": 2}, "text"),
        ({"text": "   "}, "text"),
        ({"text": 42}, "text"),
        ({"text": "ok", "stars": 2}, "stars"),
        ({"text": "ok", "posted_at": "yesterday-ish"}, "posted_at"),
        ({"text": "ok", "author_reach": -3}, "author_reach"),
        ({"text": "ok\u0000"}, "text"),
        ({"items": [{"text": "ok"}, "just words"]}, "items[1]"),
        ({"items": []}, "items"),
        ({"items": {"text": "ok"}}, "items"),
        ({"items": [{"text": "ok"}], "source": "x"}, "source"),
        ("just words", "body"),
    ],
)
def test_it_refuses_an_invalid_body_naming_the_field(
    client: TestClient, session: Session, source: Source, payload: object, field: str
) -> None:
    status, answer = _post(client, source, payload)
    assert status == 422
    assert field in [problem["field"] for problem in answer["detail"]]  # type: ignore[attr-defined]
    assert item_count(session) == 0


def test_it_refuses_signed_json_that_does_not_parse(
    client: TestClient, session: Session, source: Source
) -> None:
    body = b'{"text": NaN}'
    response = client.post(URL, content=body, headers=signed(source, body))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "body"


def test_it_refuses_a_body_over_the_limit(client: TestClient, source: Source) -> None:
    body = b" " * (MAX_BODY_BYTES + 1)
    response = client.post(URL, content=body, headers=signed(source, body))
    assert response.status_code == 413


def test_it_never_logs_the_secret_or_the_signature(
    client: TestClient, source: Source, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = body_of(ITEM)
    headers = signed(source, body)
    client.post(URL, content=body, headers=headers)
    client.post(URL, content=body, headers=headers | {"X-Amends-Signature": "sha256=00"})
    signature = headers["X-Amends-Signature"].removeprefix("sha256=")
    assert source.webhook_secret not in caplog.text
    assert signature not in caplog.text
