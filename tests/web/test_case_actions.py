from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.cases import service
from amends.cases.service import ConcurrentChange
from amends.deps import actor_of
from amends.store.tables import Case, CaseStatus, TimelineEvent, User
from tests.web.conftest import MakeCase, log_in


def _events(session: Session, case: Case) -> list[TimelineEvent]:
    session.expire_all()
    return list(session.query(TimelineEvent).filter_by(case_id=case.id).order_by(TimelineEvent.id))


def _status_of(session: Session, case: Case) -> CaseStatus:
    session.expire_all()
    found = session.get(Case, case.id)
    assert found is not None
    return found.status


def test_it_changes_the_status_and_records_who(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    form = {"to": "acknowledged", "from": "new", "csrf_token": token}
    response = client.post(f"/cases/{case.id}/status", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{case.id}"
    assert _status_of(session, case) is CaseStatus.ACKNOWLEDGED
    last = _events(session, case)[-1]
    assert (last.kind, last.actor_id, last.data) == (
        "case:status:change",
        alice.id,
        {"from": "new", "to": "acknowledged"},
    )
    assert f"Case #{case.id} is now acknowledged." in client.get(response.headers["location"]).text


def test_it_refuses_an_illegal_transition_with_a_message(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    response = client.post(
        f"/cases/{case.id}/status", data={"to": "recovered", "csrf_token": token}
    )
    assert response.status_code == 200
    assert (
        "Not changed: a case cannot go from &#39;new&#39; to &#39;recovered&#39;" in response.text
    )
    assert _status_of(session, case) is CaseStatus.NEW


def test_it_refuses_an_unknown_status_with_a_message(
    client: TestClient, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    response = client.post(f"/cases/{case.id}/status", data={"to": "gone", "csrf_token": token})
    assert "&#39;gone&#39; is not a case status" in response.text


def test_it_refuses_a_change_made_from_a_stale_page(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    service.transition(
        session=session, case=case, to=CaseStatus.INVESTIGATING, actor=actor_of(alice)
    )
    session.commit()
    token = log_in(client, alice)
    form = {"to": "closed", "from": "new", "csrf_token": token}
    response = client.post(f"/cases/{case.id}/status", data=form)
    assert "moved to investigating meanwhile" in response.text
    assert _status_of(session, case) is CaseStatus.INVESTIGATING


def test_it_explains_a_concurrent_change(
    client: TestClient, alice: User, make_case: MakeCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    def lose_the_race(**_: object) -> Case:
        raise ConcurrentChange("case 1 changed while you were working on it")

    case = make_case()
    token = log_in(client, alice)
    monkeypatch.setattr(service, "transition", lose_the_race)
    response = client.post(f"/cases/{case.id}/status", data={"to": "closed", "csrf_token": token})
    assert response.status_code == 200
    assert "changed while you were working on it" in response.text
    assert "check it and try again" in response.text


def test_it_forbids_an_agent_changing_someone_elses_case(
    client: TestClient, session: Session, alice: User, bob: User, make_case: MakeCase
) -> None:
    case = make_case()
    service.assign(session=session, case=case, owner_id=bob.id, actor=actor_of(bob))
    session.commit()
    token = log_in(client, alice)
    for path, form in [
        ("status", {"to": "acknowledged"}),
        ("assign", {"owner": "me"}),
        ("notes", {"text": "mine now"}),
    ]:
        response = client.post(f"/cases/{case.id}/{path}", data={**form, "csrf_token": token})
        assert response.status_code == 403, path
        assert "belongs to someone else" in response.text
    assert _status_of(session, case) is CaseStatus.NEW


def test_it_lets_a_lead_change_someone_elses_case(
    client: TestClient, session: Session, alice: User, bob: User, make_case: MakeCase
) -> None:
    case = make_case()
    service.assign(session=session, case=case, owner_id=alice.id, actor=actor_of(alice))
    session.commit()
    token = log_in(client, bob)
    form = {"to": "investigating", "csrf_token": token}
    client.post(f"/cases/{case.id}/status", data=form)
    assert _status_of(session, case) is CaseStatus.INVESTIGATING


def test_it_assigns_the_case_to_me(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    response = client.post(f"/cases/{case.id}/assign", data={"owner": "me", "csrf_token": token})
    assert "Assigned to you." in response.text
    session.refresh(case)
    assert case.owner_id == alice.id
    assert _events(session, case)[-1].kind == "case:assigned"


def test_it_lets_an_agent_let_go_of_their_case(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    service.assign(session=session, case=case, owner_id=alice.id, actor=actor_of(alice))
    session.commit()
    token = log_in(client, alice)
    client.post(f"/cases/{case.id}/assign", data={"owner": "none", "csrf_token": token})
    session.refresh(case)
    assert case.owner_id is None


def test_it_forbids_an_agent_assigning_someone_else(
    client: TestClient, session: Session, alice: User, bob: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    form = {"owner": str(bob.id), "csrf_token": token}
    assert client.post(f"/cases/{case.id}/assign", data=form).status_code == 403
    session.refresh(case)
    assert case.owner_id is None


def test_it_lets_a_lead_assign_someone_else(
    client: TestClient, session: Session, alice: User, bob: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, bob)
    form = {"owner": str(alice.id), "csrf_token": token}
    assert "Assigned to Alice." in client.post(f"/cases/{case.id}/assign", data=form).text
    session.refresh(case)
    assert case.owner_id == alice.id


def test_it_refuses_to_assign_an_unknown_user(
    client: TestClient, bob: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, bob)
    form = {"owner": "999999", "csrf_token": token}
    assert "pick an active user" in client.post(f"/cases/{case.id}/assign", data=form).text


def test_it_adds_an_internal_note(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    form = {"text": "Called logistics.\nParcel found.", "csrf_token": token}
    response = client.post(f"/cases/{case.id}/notes", data=form, follow_redirects=False)
    assert response.headers["location"] == f"/cases/{case.id}#timeline"
    note = _events(session, case)[-1]
    assert (note.kind, note.data) == (
        "case:note:added",
        {"text": "Called logistics.\nParcel found."},
    )


def test_it_refuses_an_empty_note(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    response = client.post(f"/cases/{case.id}/notes", data={"text": "  ", "csrf_token": token})
    assert "Not added: a note needs some text." in response.text
    assert _events(session, case)[-1].kind == "case:routed"
