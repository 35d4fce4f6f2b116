from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.store.tables import User
from amends.web.auth import safe_next
from tests.conftest import PASSWORD
from tests.web.conftest import csrf_from, log_in


def test_it_redirects_to_login_when_logged_out(client: TestClient) -> None:
    response = client.get("/cases?status=new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fcases%3Fstatus%3Dnew"


def test_it_asks_htmx_to_load_the_login_page_when_logged_out(client: TestClient) -> None:
    response = client.get("/cases", headers={"HX-Request": "true"}, follow_redirects=False)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/login?next=")


def test_it_logs_in_and_goes_to_the_next_page(client: TestClient, alice: User) -> None:
    token = csrf_from(client.get("/login?next=/cases%3Fowner%3Dme").text)
    form = {
        "email": alice.email,
        "password": PASSWORD,
        "csrf_token": token,
        "next": "/cases?owner=me",
    }
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/cases?owner=me"
    page = client.get("/cases")
    assert page.status_code == 200
    assert "Alice" in page.text
    assert ">agent<" in page.text


def test_it_refuses_a_wrong_password(client: TestClient, alice: User) -> None:
    token = csrf_from(client.get("/login").text)
    form = {"email": alice.email, "password": "wrong-password", "csrf_token": token}
    response = client.post("/login", data=form)
    assert response.status_code == 400
    assert "do not match" in response.text
    assert client.get("/cases", follow_redirects=False).status_code == 303


def test_it_ignores_a_next_url_on_another_site(client: TestClient, alice: User) -> None:
    token = csrf_from(client.get("/login").text)
    form = {"email": alice.email, "password": PASSWORD, "csrf_token": token, "next": "//evil.test/"}
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.headers["location"] == "/cases"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/cases/3", "/cases/3"),
        ("/cases?status=new", "/cases?status=new"),
        ("", "/cases"),
        ("https://evil.test/", "/cases"),
        ("//evil.test/", "/cases"),
        ("/\\evil.test", "/cases"),
        ("javascript:alert(1)", "/cases"),
        ("/cases\r\nSet-Cookie: x=1", "/cases"),
    ],
)
def test_it_only_follows_local_next_paths(target: str, expected: str) -> None:
    assert safe_next(target) == expected


def test_it_gives_a_new_csrf_token_at_login(client: TestClient, alice: User) -> None:
    before = csrf_from(client.get("/login").text)
    after = log_in(client, alice)
    assert before != after


def test_it_logs_out(client: TestClient, alice: User) -> None:
    token = log_in(client, alice)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/cases", follow_redirects=False).status_code == 303
    assert "You are logged out." in client.get("/login").text


def test_it_sends_a_logged_in_user_from_login_to_the_inbox(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    response = client.get("/login", follow_redirects=False)
    assert response.headers["location"] == "/cases"


def test_it_logs_out_a_user_who_was_deactivated(
    client: TestClient, alice: User, session: Session
) -> None:
    log_in(client, alice)
    alice.is_active = False
    session.commit()
    assert client.get("/cases", follow_redirects=False).status_code == 303
