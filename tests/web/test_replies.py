"""The reply composer: a draft, findings as the agent types, sending with confirmation on
severe findings, and customer text escaped wherever the composer shows it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amends.store.tables import Reply, User
from tests.web.conftest import MakeCase, log_in

HX = {"HX-Request": "true"}


def test_the_composer_drafts_a_reply_for_the_case(
    client: TestClient, make_case: MakeCase, alice: User
) -> None:
    log_in(client, alice)
    case = make_case("My parcel PP-1234 never came", author="Jo Rivers", email="jo@example.net")
    empty = client.get(f"/cases/{case.id}/reply", headers=HX)
    assert empty.status_code == 200
    assert 'id="reply-text"' in empty.text
    assert "by email to jo@example.net" in empty.text
    drafted = client.get(f"/cases/{case.id}/reply?draft=true&seed=1", headers=HX)
    assert "Jo," in drafted.text
    assert 'id="reply-score"' in drafted.text
    assert "Another draft" in drafted.text


def test_findings_follow_the_text(client: TestClient, make_case: MakeCase, alice: User) -> None:
    token = log_in(client, alice)
    case = make_case("My parcel never came", channel="twitter")
    url = f"/cases/{case.id}/reply/check"
    headers = HX | {"X-CSRF-Token": token}
    bad = client.post(
        url, data={"text": "Sorry if you feel that way.", "channel": "x"}, headers=headers
    )
    assert 'data-rule="apology.conditional"' in bad.text
    assert "<q>Sorry if</q>" in bad.text  # the words the finding points at
    fixed = client.post(
        url,
        data={
            "text": "So sorry your parcel is late, DM us and we'll fix it today. Thanks!",
            "channel": "x",
        },
        headers=headers,
    )
    assert 'data-rule="apology.conditional"' not in fixed.text


def test_a_severe_reply_asks_for_confirmation_and_keeps_the_text(
    client: TestClient, session: Session, make_case: MakeCase, alice: User
) -> None:
    token = log_in(client, alice)
    case = make_case("My parcel never came", channel="twitter")
    text = "Sorry if you feel upset <b>really</b>. DM us."
    form = {"text": text, "channel": "x", "route": "posted", "csrf_token": token}
    asked = client.post(f"/cases/{case.id}/replies", data=form, follow_redirects=False)
    assert asked.status_code == 200
    assert 'id="reply-confirm"' in asked.text
    assert "Sorry if you feel upset &lt;b&gt;really&lt;/b&gt;. DM us." in asked.text
    assert session.scalar(select(func.count()).select_from(Reply)) == 0
    sent = client.post(
        f"/cases/{case.id}/replies", data=form | {"confirm": "true"}, follow_redirects=False
    )
    assert sent.status_code == 303
    page = client.get(f"/cases/{case.id}").text
    assert "Reply recorded as posted" in page
    assert "sent despite severe findings" in page
    composer = client.get(f"/cases/{case.id}/reply", headers=HX).text
    assert "&lt;b&gt;really&lt;/b&gt;" in composer
    assert "<b>really</b>" not in composer


def test_a_refused_reply_says_why(
    client: TestClient, session: Session, make_case: MakeCase, alice: User
) -> None:
    token = log_in(client, alice)
    case = make_case("My parcel never came, call me on 202-456-1414", channel="twitter")
    form = {
        "text": "Sorry! We'll ring you on 202-456-1414.",
        "channel": "x",
        "route": "posted",
        "confirm": "true",
        "csrf_token": token,
    }
    refused = client.post(f"/cases/{case.id}/replies", data=form, headers=HX)
    assert 'id="reply-error"' in refused.text
    assert "personal data" in refused.text
    assert session.scalar(select(func.count()).select_from(Reply)) == 0


def test_sending_needs_the_csrf_token(client: TestClient, make_case: MakeCase, alice: User) -> None:
    log_in(client, alice)
    case = make_case("My parcel never came", channel="twitter")
    form = {"text": "Sorry, DM us.", "channel": "x", "route": "posted"}
    assert client.post(f"/cases/{case.id}/replies", data=form).status_code == 403
