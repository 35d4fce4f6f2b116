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


def test_a_lesson_is_linked_changed_and_removed_from_the_pages(
    client: TestClient, session: Session, alice: User, bob: User, make_case: MakeCase
) -> None:
    first = make_case("My suitcase was lost on the Denver connection")
    second = make_case("Suitcase missing after my Denver flight")
    token = log_in(client, alice)
    form = {
        "title": "Denver transfers",
        "body": "Call the Denver baggage office.",
        "csrf_token": token,
    }
    client.post(f"/cases/{first.id}/lessons", data=form)
    lesson = session.query(Lesson).one()

    assert "It applies here too" in client.get(f"/cases/{second.id}").text
    linked = client.post(f"/cases/{second.id}/lessons/{lesson.id}/link", data={"csrf_token": token})
    assert "now also comes from this case" in linked.text
    listed = client.get("/lessons").text
    assert f'href="/cases/{second.id}"' in listed
    assert f'action="/lessons/{lesson.id}/edit"' in listed  # alice wrote it

    client.post("/logout", data={"csrf_token": token})
    token = log_in(client, bob)
    changed = client.post(
        f"/lessons/{lesson.id}/edit",
        data={"title": "Denver <transfers>", "body": "Call the office.", "csrf_token": token},
    )
    assert "Lesson changed." in changed.text
    assert "Denver &lt;transfers&gt;" in changed.text
    without_token = client.post(f"/lessons/{lesson.id}/remove", data={})
    assert without_token.status_code == 403
    removed = client.post(f"/lessons/{lesson.id}/remove", data={"csrf_token": token})
    assert "is out of the knowledge base" in removed.text
    assert session.query(Lesson).count() == 0
    timeline = client.get(f"/cases/{first.id}").text
    assert "removed the lesson “Denver &lt;transfers&gt;” from the knowledge base" in timeline
    assert "marked the lesson" in client.get(f"/cases/{second.id}").text


def test_an_agent_may_not_change_someone_elses_lesson(
    client: TestClient, session: Session, alice: User, bob: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, bob)
    form = {"title": "Refunds", "body": "Say five days.", "csrf_token": token}
    client.post(f"/cases/{case.id}/lessons", data=form)
    lesson = session.query(Lesson).one()
    client.post("/logout", data={"csrf_token": token})
    token = log_in(client, alice)
    assert f'action="/lessons/{lesson.id}/edit"' not in client.get("/lessons").text
    refused = client.post(
        f"/lessons/{lesson.id}/edit",
        data={"title": "Refunds", "body": "Say a day.", "csrf_token": token},
    )
    assert refused.status_code == 403
    assert (
        client.post(f"/lessons/{lesson.id}/remove", data={"csrf_token": token}).status_code == 403
    )
    session.refresh(lesson)
    assert lesson.body == "Say five days."
