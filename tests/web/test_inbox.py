from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.cases import service
from amends.deps import actor_of
from amends.store.tables import CaseStatus, User
from tests.web.conftest import MakeCase, log_in


def _row_ids(html: str) -> list[int]:
    return [int(part.split('"', 1)[0]) for part in html.split('data-case="')[1:]]


def test_it_lists_cases_newest_first(client: TestClient, alice: User, make_case: MakeCase) -> None:
    first, second = make_case("Parcel never came"), make_case("Charged twice")
    log_in(client, alice)
    page = client.get("/cases")
    assert page.status_code == 200
    assert _row_ids(page.text) == [second.id, first.id]
    assert "Charged twice" in page.text


def test_it_sends_the_home_page_to_the_open_cases(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    response = client.get("/", follow_redirects=False)
    assert response.headers["location"] == "/cases?status=open"


def test_it_filters_the_inbox_by_status(
    client: TestClient, session: Session, bob: User, make_case: MakeCase
) -> None:
    fresh, answered = make_case("Still waiting"), make_case("Answered already")
    service.transition(
        session=session, case=answered, to=CaseStatus.ACKNOWLEDGED, actor=actor_of(bob)
    )
    session.commit()
    log_in(client, bob)
    assert _row_ids(client.get("/cases?status=acknowledged").text) == [answered.id]
    assert _row_ids(client.get("/cases?status=new").text) == [fresh.id]


def test_it_filters_the_inbox_by_open_statuses(
    client: TestClient, session: Session, bob: User, make_case: MakeCase
) -> None:
    open_case, closed = make_case("Open one"), make_case("Closed one")
    service.transition(session=session, case=closed, to=CaseStatus.CLOSED, actor=actor_of(bob))
    session.commit()
    log_in(client, bob)
    assert _row_ids(client.get("/cases?status=open").text) == [open_case.id]


def test_it_filters_the_inbox_by_text(client: TestClient, alice: User, make_case: MakeCase) -> None:
    make_case("Parcel never came")
    refund = make_case("Where is my refund?\nI asked twice.")
    log_in(client, alice)
    assert _row_ids(client.get("/cases?q=asked+TWICE").text) == [refund.id]


def test_it_filters_the_inbox_by_channel_and_priority(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    make_case("By email")
    tweet = make_case("On X", channel="x")
    log_in(client, alice)
    assert _row_ids(client.get("/cases?channel=x").text) == [tweet.id]
    assert _row_ids(client.get("/cases?channel=x&priority=normal").text) == [tweet.id]
    assert _row_ids(client.get("/cases?priority=critical").text) == []


def test_it_filters_the_inbox_by_owner(
    client: TestClient, session: Session, alice: User, bob: User, make_case: MakeCase
) -> None:
    mine, bobs, nobodys = make_case("Mine"), make_case("Bob's"), make_case("Nobody's")
    service.assign(session=session, case=mine, owner_id=alice.id, actor=actor_of(alice))
    service.assign(session=session, case=bobs, owner_id=bob.id, actor=actor_of(bob))
    session.commit()
    log_in(client, alice)
    assert _row_ids(client.get("/cases?owner=me").text) == [mine.id]
    assert _row_ids(client.get("/cases?owner=unassigned").text) == [nobodys.id]
    assert _row_ids(client.get("/cases?owner=anyone").text) == [nobodys.id, bobs.id, mine.id]


def test_it_ignores_unknown_filter_values(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    log_in(client, alice)
    response = client.get("/cases?status=bogus&priority=x&owner=someone&cursor=abc")
    assert response.status_code == 200
    assert _row_ids(response.text) == [case.id]


def test_it_answers_htmx_with_the_list_only(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    make_case()
    log_in(client, alice)
    response = client.get("/cases?status=new", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "<table" in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_it_answers_a_history_restore_with_the_whole_page(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get("/cases", headers=headers).text


def test_it_pages_to_older_cases(client: TestClient, alice: User, make_case: MakeCase) -> None:
    cases = [make_case(f"Complaint number {n}") for n in range(52)]
    log_in(client, alice)
    first = client.get("/cases?q=Complaint")
    ids = _row_ids(first.text)
    assert ids == [case.id for case in reversed(cases)][:50]
    older = f"/cases?q=Complaint&amp;cursor={ids[-1]}"
    assert older in first.text
    second = client.get(older.replace("&amp;", "&"))
    assert _row_ids(second.text) == [cases[1].id, cases[0].id]
    assert "Older" not in second.text


def test_it_counts_cases_per_status(
    client: TestClient, session: Session, bob: User, make_case: MakeCase
) -> None:
    make_case("One")
    make_case("Two")
    closed = make_case("Three")
    service.transition(session=session, case=closed, to=CaseStatus.CLOSED, actor=actor_of(bob))
    session.commit()
    log_in(client, bob)
    html = client.get("/cases").text
    assert 'data-status="new"' in html
    assert "new <b>2</b>" in html
    assert "closed <b>1</b>" in html
    assert "open <b>2</b>" in html
    assert "all <b>3</b>" in html


def test_it_shows_the_customer_and_owner(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case("Late", author="Ann Example", email="ann@example.com")
    service.assign(session=session, case=case, owner_id=alice.id, actor=actor_of(alice))
    session.commit()
    log_in(client, alice)
    html = client.get("/cases").text
    assert "Ann Example" in html
    assert '<td class="owner">Alice</td>' in html


def test_it_escapes_titles_in_the_inbox(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    make_case("<img src=x onerror=alert(1)>")
    log_in(client, alice)
    html = client.get("/cases").text
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_it_sends_security_headers(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    headers = client.get("/cases").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"
