"""The read-only playbook page."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from amends.accounts import teams
from amends.cases import playbook_set
from amends.config import Settings
from amends.store.tables import User
from tests.playbooks.helpers import folder_with, write
from tests.web.conftest import log_in

SCRIPT = "<script>alert(1)</script>"
PLAYBOOKS = f"""\
playbooks:
  - name: "Threats {SCRIPT}"
    description: "Anyone who writes {SCRIPT}"
    match:
      keywords: [lawyer, "{SCRIPT}"]
      risk: {{min: 30, max: 90}}
    assign: {{team: care, strategy: round_robin}}
    sla: {{first_response: 1h, update_interval: 1d, resolution: 3d}}
    remedies:
      - kind: apology
      - kind: refund
        cap: {{normal: 20, critical: 90}}
        note: "{SCRIPT}"
    acknowledge: {{within: 10m}}
    escalate:
      - when: {{risk_at_least: 80}}
        to: senior_review
  - name: Office hours
    sla:
      clock: business_hours
      timezone: Europe/London
      first_response: 4h
      resolution: 16h
"""


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    folder = folder_with(tmp_path, PLAYBOOKS)
    playbook_set.forget()
    return Settings(database_url=db_url, data_dir=tmp_path, env="dev", playbooks_dir=folder)


def test_it_shows_every_playbook_in_match_order_then_the_default(
    client: TestClient, session: Session, alice: User, bob: User
) -> None:
    teams.join(session, user=bob, team="care")
    session.commit()
    log_in(client, alice)
    page = client.get("/playbooks")
    assert page.status_code == 200
    html = page.text
    first, second, default = (
        html.index("Threats"),
        html.index("Office hours"),
        html.index("> default</h2>"),
    )
    assert first < second < default
    assert "<code>playbooks.yaml:2</code>" in html
    assert "first response 1h · update every 1d · resolution 3d" in html
    assert "mon 09:00-17:00" in html
    assert "sun closed" in html
    assert "care · round robin" in html
    assert "automatic reply within 10m, not for high or critical" in html
    assert "risk 80 or more → <strong>senior review</strong>" in html
    assert "<code>risk</code> min 30, max 90" in html
    assert '<td class="amount">90 USD</td>' in html
    assert '<td class="amount">20 USD</td>' in html
    assert '<td>care</td><td>lead@example.com</td><td class="num">1</td>' in html


def test_it_escapes_everything_the_files_say(client: TestClient, alice: User) -> None:
    log_in(client, alice)
    html = client.get("/playbooks").text
    assert SCRIPT not in html
    assert "Threats &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_shows_the_problems_of_a_broken_folder(
    client: TestClient, alice: User, settings: Settings
) -> None:
    assert settings.playbooks_dir is not None
    write(settings.playbooks_dir, "zz-broken.yaml", "playbooks:\n  - name: Bad\n    sla: 4h\n")
    log_in(client, alice)
    html = client.get("/playbooks").text
    assert "has 1 problem and is not in use" in html
    assert "<code>zz-broken.yaml:3:10</code>" in html
    assert str(settings.playbooks_dir) not in html


def test_it_sends_logged_out_visitors_to_the_login(client: TestClient) -> None:
    response = client.get("/playbooks", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fplaybooks"
