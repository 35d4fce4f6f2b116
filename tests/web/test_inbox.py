from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.cases import service
from amends.deps import actor_of
from amends.store.tables import CaseStatus, Priority, Sentiment, User
from tests.web.conftest import MakeCase, TriagedCase, log_in


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


def test_it_filters_the_inbox_by_channel(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    make_case("By email")
    tweet = make_case("On X", channel="x")
    log_in(client, alice)
    assert _row_ids(client.get("/cases?channel=x").text) == [tweet.id]
    assert _row_ids(client.get("/cases?channel=fax").text) == []


def test_it_filters_the_inbox_by_priority(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    urgent = triaged_case("Smoke in the room", risk=82, priority=Priority.CRITICAL)
    usual = triaged_case("Slow reply", risk=25, priority=Priority.NORMAL, channel="x")
    log_in(client, alice)
    assert _row_ids(client.get("/cases?priority=critical").text) == [urgent.id]
    assert _row_ids(client.get("/cases?channel=x&priority=normal").text) == [usual.id]
    assert _row_ids(client.get("/cases?priority=high").text) == []


def test_it_filters_the_inbox_by_category_sentiment_and_emotion(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    billing = triaged_case("Charged twice", category="billing", emotion="anger")
    late = triaged_case("Still waiting", category="delay", emotion="sadness")
    happy = triaged_case("Thanks!", category="other", sentiment=Sentiment.POSITIVE, emotion=None)
    log_in(client, alice)
    assert _row_ids(client.get("/cases?category=billing").text) == [billing.id]
    assert _row_ids(client.get("/cases?emotion=sadness").text) == [late.id]
    assert _row_ids(client.get("/cases?sentiment=positive").text) == [happy.id]
    assert _row_ids(client.get("/cases?sentiment=negative").text) == [late.id, billing.id]
    assert _row_ids(client.get("/cases?sentiment=negative&category=other").text) == []


def test_it_filters_the_inbox_by_minimum_risk(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    low = triaged_case("Meh", risk=10, priority=Priority.LOW)
    edge = triaged_case("Angry", risk=45, priority=Priority.HIGH)
    top = triaged_case("Lawyer", risk=90, priority=Priority.CRITICAL)
    log_in(client, alice)
    assert _row_ids(client.get("/cases?min_risk=45").text) == [top.id, edge.id]
    assert _row_ids(client.get("/cases?min_risk=91").text) == []
    assert _row_ids(client.get("/cases?min_risk=0").text) == [top.id, edge.id, low.id]


def test_it_sorts_the_inbox_by_risk(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    mid = triaged_case("Mid", risk=40, priority=Priority.NORMAL)
    top = triaged_case("Top", risk=90, priority=Priority.CRITICAL)
    low = triaged_case("Low", risk=10, priority=Priority.LOW)
    tied = triaged_case("Tied with top, newer", risk=90, priority=Priority.CRITICAL)
    log_in(client, alice)
    assert _row_ids(client.get("/cases").text) == [tied.id, low.id, top.id, mid.id]
    html = client.get("/cases?sort=risk").text
    assert _row_ids(html) == [tied.id, top.id, mid.id, low.id]
    assert '<option value="risk" selected>Riskiest first</option>' in html
    assert "riskiest first." in html


def test_it_pages_by_risk(client: TestClient, alice: User, triaged_case: TriagedCase) -> None:
    cases = [
        triaged_case(f"Complaint {n}", risk=(n * 37) % 101, priority=Priority.NORMAL)
        for n in range(51)
    ]
    ranked = sorted(cases, key=lambda case: (-case.risk, -case.id))
    log_in(client, alice)
    first = client.get("/cases?sort=risk")
    assert _row_ids(first.text) == [case.id for case in ranked[:50]]
    after = f"/cases?sort=risk&amp;cursor={ranked[49].id}"
    assert after in first.text
    assert "Less risky »" in first.text
    second = client.get(after.replace("&amp;", "&"))
    assert _row_ids(second.text) == [ranked[50].id]
    assert "« Riskiest" in second.text


def test_it_shows_risk_category_and_emotion_in_each_row(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    triaged_case(
        "Burnt toaster", risk=82, priority=Priority.CRITICAL, category="damaged_or_defective"
    )
    log_in(client, alice)
    html = client.get("/cases").text
    badge = '<span class="badge risk prio-critical" title="Risk 82 of 100: critical priority">'
    assert f'<td class="risk">{badge}<b>82</b> critical</span></td>' in html
    assert '<td class="category">damaged or defective</td>' in html
    assert '<td class="emotion">annoyance</td>' in html


def test_it_shows_a_case_from_before_triage_by_priority_alone(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    triaged_case("From last year", triaged=False)
    log_in(client, alice)
    html = client.get("/cases").text
    assert '<td class="risk"><span class="badge prio-normal">normal</span></td>' in html
    assert '<td class="category"><span class="muted">—</span></td>' in html


def test_it_offers_the_categories_and_emotions_cases_have(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    triaged_case("Charged twice", category="billing_and_refunds", emotion="anger")
    triaged_case("Still waiting", category="delay", emotion=None)
    log_in(client, alice)
    html = client.get("/cases?category=delay").text
    assert '<option value="billing_and_refunds" >billing and refunds</option>' in html
    assert '<option value="delay" selected>delay</option>' in html
    assert '<option value="anger" >anger</option>' in html
    assert '<option value="sadness"' not in html
    assert '<option value="negative" >negative</option>' in html


def test_it_escapes_categories_and_emotions(
    client: TestClient, alice: User, triaged_case: TriagedCase
) -> None:
    triaged_case("Odd labels", category="<b>own</b>", emotion="<i>x</i>")
    log_in(client, alice)
    html = client.get("/cases").text
    assert "<b>own</b>" not in html
    assert "<i>x</i>" not in html
    assert '<td class="category">&lt;b&gt;own&lt;/b&gt;</td>' in html
    assert '<option value="&lt;i&gt;x&lt;/i&gt;" >&lt;i&gt;x&lt;/i&gt;</option>' in html


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
    response = client.get(
        "/cases?status=bogus&priority=x&owner=someone&cursor=abc&sentiment=mad&min_risk=x&sort=up"
    )
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
