"""The knowledge base on the web: a lesson added on one case is offered on a similar new one,
found by search, and escaped like all text."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.store.tables import Lesson, User
from tests.web.conftest import MakeCase, log_in


def test_a_lesson_from_one_case_is_offered_on_a_similar_one(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    first = make_case("My suitcase was lost on the Denver connection")
    token = log_in(client, alice)
    form = {
        "title": "Denver transfers lose <b>bags</b>",
        "body": "Call the Denver baggage office; they trace suitcases within a day.",
        "csrf_token": token,
    }
    added = client.post(f"/cases/{first.id}/lessons", data=form)
    assert "Lesson added to the knowledge base." in added.text
    assert "added a lesson to the knowledge base" in added.text
    second = make_case("Suitcase missing after my Denver flight")
    page = client.get(f"/cases/{second.id}").text
    assert "From similar cases:" in page
    assert "Denver transfers lose &lt;b&gt;bags&lt;/b&gt;" in page
    found = client.get("/lessons?q=denver+baggage").text
    assert "Denver transfers lose &lt;b&gt;bags&lt;/b&gt;" in found
    assert f'href="/cases/{first.id}"' in found
    assert "No lesson holds every word" in client.get("/lessons?q=zanzibar").text


def test_an_empty_lesson_is_refused(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    refused = client.post(
        f"/cases/{case.id}/lessons", data={"title": " ", "body": "x", "csrf_token": token}
    )
    assert "Not added: a lesson needs a title." in refused.text
    assert session.query(Lesson).count() == 0
