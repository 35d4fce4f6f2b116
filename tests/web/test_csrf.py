from __future__ import annotations

from fastapi.testclient import TestClient

from amends.store.tables import User
from tests.conftest import PASSWORD
from tests.web.conftest import MakeCase, csrf_from, log_in


def test_it_refuses_a_post_without_csrf_token(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    log_in(client, alice)
    response = client.post(f"/cases/{case.id}/notes", data={"text": "hello"})
    assert response.status_code == 403
    assert "Reload the page" in response.text


def test_it_refuses_a_post_with_a_wrong_csrf_token(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    log_in(client, alice)
    form = {"text": "hello", "csrf_token": "not-the-token"}
    assert client.post(f"/cases/{case.id}/notes", data=form).status_code == 403


def test_it_accepts_the_token_as_an_htmx_header(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    response = client.post(
        f"/cases/{case.id}/notes",
        data={"text": "hello"},
        headers={"X-CSRF-Token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_it_refuses_a_login_without_csrf_token(client: TestClient, alice: User) -> None:
    client.get("/login")
    response = client.post("/login", data={"email": alice.email, "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/cases", follow_redirects=False).status_code == 303


def test_it_refuses_a_login_from_a_session_that_never_saw_the_form(
    client: TestClient, alice: User
) -> None:
    form = {"email": alice.email, "password": PASSWORD, "csrf_token": "guessed"}
    assert client.post("/login", data=form).status_code == 403


def test_it_refuses_a_logout_without_csrf_token(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    assert client.post("/logout").status_code == 403
    assert client.get("/cases").status_code == 200


def test_it_puts_the_token_in_every_form_and_on_the_body(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    html = client.get(f"/cases/{case.id}").text
    assert html.count('method="post"') == html.count(f'name="csrf_token" value="{token}"')
    assert f'hx-headers=\'{{"X-CSRF-Token": "{token}"}}\'' in html
    assert csrf_from(html) == token
