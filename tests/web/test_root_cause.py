"""The root-cause panel of the case page, and closing a case whose playbook requires one."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.store.tables import Case, CaseStatus, RootCause, User
from tests.playbooks.helpers import folder_with
from tests.web.conftest import MakeCase, log_in

STRICT = "playbooks:\n  - name: Strict\n    root_cause_required: true\n"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    folder = folder_with(tmp_path, STRICT)
    return Settings(database_url=db_url, data_dir=tmp_path, env="dev", playbooks_dir=folder)


def _case(session: Session, case: Case) -> Case:
    session.expire_all()
    return session.get_one(Case, case.id)


def test_closing_waits_for_the_root_cause_set_on_the_page(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    page = client.get(f"/cases/{case.id}").text
    assert "Required before this case is settled." in page
    closing = {"to": "closed", "from": "new", "csrf_token": token}
    refused = client.post(f"/cases/{case.id}/status", data=closing)
    assert "Not changed: the playbook &#39;Strict&#39; asks for the root cause" in refused.text
    assert _case(session, case).status is CaseStatus.NEW

    form = {"cause": "logistics", "note": "<b>Courier</b> lost it", "csrf_token": token}
    saved = client.post(f"/cases/{case.id}/root-cause", data=form)
    assert "Root cause set: logistics." in saved.text
    assert "&lt;b&gt;Courier&lt;/b&gt; lost it" in saved.text
    assert _case(session, case).root_cause is RootCause.LOGISTICS
    client.post(f"/cases/{case.id}/status", data=closing)
    assert _case(session, case).status is CaseStatus.CLOSED


def test_an_unknown_cause_is_refused(
    client: TestClient, session: Session, alice: User, make_case: MakeCase
) -> None:
    case = make_case()
    token = log_in(client, alice)
    refused = client.post(
        f"/cases/{case.id}/root-cause", data={"cause": "gremlins", "csrf_token": token}
    )
    assert "Not saved: choose what kind of cause it was." in refused.text
    assert _case(session, case).root_cause is None
