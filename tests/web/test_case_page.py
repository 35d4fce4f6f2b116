from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.cases import service
from amends.deps import actor_of
from amends.store.tables import CaseStatus, User
from tests.web.conftest import AddItem, MakeCase, log_in


def test_it_escapes_script_in_customer_text(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case("<script>alert(1)</script>")
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_it_keeps_the_customers_line_breaks(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case("First line.\nSecond line.")
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert '<p class="said">First line.\nSecond line.</p>' in html


def test_it_shows_the_item_details(client: TestClient, alice: User, make_case: MakeCase) -> None:
    case = make_case(
        "Room was cold",
        rating=2,
        author="Ann Example",
        channel="google",
        url="https://maps.example.com/review/1",
    )
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert "Ann Example" in html
    assert "★★☆☆☆" in html
    assert '<a href="https://maps.example.com/review/1" rel="noopener noreferrer nofollow"' in html


def test_it_links_only_to_http_urls(client: TestClient, alice: User, make_case: MakeCase) -> None:
    case = make_case("Bad link", url="javascript:alert(1)")
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert "javascript:alert" not in html
    assert "Original" not in html


def test_it_shows_the_customers_other_items_and_cases(
    client: TestClient, alice: User, make_case: MakeCase, add_item: AddItem
) -> None:
    earlier = make_case("Card charged twice", email="ann@example.com", product="card")
    add_item("Lovely staff otherwise", email="ann@example.com", rating=5)
    case = make_case("App crashes", email="ann@example.com", product="app")
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert f'<a href="/cases/{earlier.id}">#{earlier.id} Card charged twice</a>' in html
    assert "Lovely staff otherwise" in html


def test_it_shows_the_timeline_with_actor_and_change(
    client: TestClient, session: Session, bob: User, make_case: MakeCase
) -> None:
    case = make_case()
    actor = actor_of(bob)
    service.transition(session=session, case=case, to=CaseStatus.INVESTIGATING, actor=actor)
    service.assign(session=session, case=case, owner_id=bob.id, actor=actor)
    service.add_note(session=session, case=case, text="Asked <logistics>", actor=actor)
    session.commit()
    log_in(client, bob)
    html = client.get(f"/cases/{case.id}").text
    assert "opened the case" in html
    assert "changed the status from new to <strong>investigating</strong>" in html
    assert "assigned the case to <strong>Bob</strong>" in html
    assert "Asked &lt;logistics&gt;" in html


def test_it_offers_only_the_allowed_transitions(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    offered = {part.split('"', 1)[0] for part in html.split('name="to" value="')[1:]}
    assert offered == {"acknowledged", "investigating", "remedy_offered", "closed"}


def test_it_shows_an_agent_someone_elses_case_without_actions(
    client: TestClient, session: Session, alice: User, bob: User, make_case: MakeCase
) -> None:
    case = make_case()
    service.assign(session=session, case=case, owner_id=bob.id, actor=actor_of(bob))
    session.commit()
    log_in(client, alice)
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 200
    assert "Only its owner or a lead can change it" in response.text
    assert 'name="to"' not in response.text


def test_it_offers_assigning_others_to_leads_only(
    client: TestClient, alice: User, bob: User, make_case: MakeCase
) -> None:
    case = make_case()
    log_in(client, alice)
    assert 'id="owner-select"' not in client.get(f"/cases/{case.id}").text
    client.cookies.clear()
    log_in(client, bob)
    html = client.get(f"/cases/{case.id}").text
    assert 'id="owner-select"' in html
    assert f'<option value="{alice.id}"' in html


def test_it_answers_a_missing_case_with_a_404_page(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    response = client.get("/cases/999999")
    assert response.status_code == 404
    assert "case 999999 not found" in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_it_answers_a_malformed_case_id_with_a_page(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    response = client.get("/cases/abc")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
