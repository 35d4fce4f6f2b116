"""Reply templates in the web UI: listed per playbook, edited and checked on save, and used in
the composer with the case's facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.config import Settings
from amends.store.tables import User
from tests.playbooks.helpers import TEAMS, folder_with
from tests.web.conftest import MakeCase, log_in

HX = {"HX-Request": "true"}
PLAYBOOKS = """\
playbooks:
  - name: Parcels
    match: {keywords: [parcel]}
    assign: {team: care}
    sla: {first_response: 2h, resolution: 2d}
    templates:
      - name: First email
        channel: email
        text: >-
          {{ greeting }}, I'm so sorry about {{ issue }}. I'll fix it within
          {{ resolution }}. Thank you, {{ agent_name }}
"""


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    folder = folder_with(tmp_path, PLAYBOOKS, teams=TEAMS)
    return Settings(database_url=db_url, data_dir=tmp_path, env="dev", playbooks_dir=folder)


def test_the_page_lists_a_playbooks_templates(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    html = client.get("/templates?playbook=Parcels").text
    assert "First email" in html
    assert "from the playbook file" in html
    editing = client.get("/templates?playbook=Parcels&name=First%20email").text
    assert "{{ greeting }}, I&#39;m so sorry about {{ issue }}" in editing


def test_saving_checks_the_template_and_shows_the_findings(client: TestClient, alice: User) -> None:
    token = log_in(client, alice)
    form = {
        "playbook": "Parcels",
        "name": "Public <b>",
        "channel": "x",
        "text": "We are sorry if you feel upset, {{ first_name }}. DM us.",
        "csrf_token": token,
    }
    saved = client.post("/templates", data=form)
    assert saved.status_code == 200
    assert 'data-rule="apology.conditional"' in saved.text
    assert "We are sorry if you feel upset, Grace. DM us." in saved.text
    assert "Public &lt;b&gt;" in saved.text
    listed = client.get("/templates?playbook=Parcels").text
    assert "edited here" in listed


def test_a_broken_template_is_refused_with_its_line(client: TestClient, alice: User) -> None:
    token = log_in(client, alice)
    form = {"playbook": "Parcels", "name": "Bad", "text": "Hi\n{{ coupon }}", "csrf_token": token}
    refused = client.post("/templates", data=form)
    assert refused.status_code == 422
    assert "line 2: unknown variable &#39;coupon&#39;" in refused.text


def test_the_composer_fills_a_template_with_the_cases_facts(
    client: TestClient, session: Session, make_case: MakeCase, alice: User
) -> None:
    log_in(client, alice)
    case = make_case("My parcel never came", author="Jo <Rivers>", email="jo@example.net")
    composer = client.get(f"/cases/{case.id}/reply", headers=HX).text
    assert 'id="use-template"' in composer
    used = client.get(
        f"/cases/{case.id}/reply?template=First%20email&channel=email", headers=HX
    ).text
    assert "Hi Jo, I&#39;m so sorry about your parcel. I&#39;ll fix it within two days." in used
    assert 'value="template:First email"' in used
