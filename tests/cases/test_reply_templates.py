"""A playbook's reply templates: the file's, replaced by those edited in the web UI, saved with
the checker's verdict, and filled with a case's facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from amends.cases import playbook_set, reply_basis, reply_templates
from amends.cases.actor import Actor
from amends.cases.reply_templates import TemplateFailed, UnknownPlaybook
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.store.tables import Case, User
from tests.playbooks.helpers import TEAMS, folder_with

PLAYBOOKS = """\
playbooks:
  - name: Parcels
    match: {keywords: [parcel]}
    assign: {team: care}
    sla: {first_response: 2h, resolution: 2d}
    templates:
      - name: First email
        channel: email
        text: "{{ greeting }}, I'm sorry about {{ issue }}. We'll fix it within {{ resolution }}."
      - name: Public
        text: "So sorry! Please DM us. Thanks."
"""


@pytest.fixture
def settings_(db_url: str, tmp_path: Path) -> Settings:
    folder = folder_with(tmp_path, PLAYBOOKS, teams=TEAMS)
    return Settings(database_url=db_url, data_dir=tmp_path, env="dev", playbooks_dir=folder)


def test_the_files_templates_are_listed_and_an_edit_stands_in(
    session: Session, settings_: Settings, alice: User
) -> None:
    playbooks = playbook_set.current(settings_)
    found = reply_templates.templates_of(session, playbooks, "Parcels")
    assert [(t.name, t.channel, t.edited) for t in found] == [
        ("First email", "email", False),
        ("Public", None, False),
    ]
    saved = reply_templates.save(
        session,
        playbooks=playbooks,
        playbook="Parcels",
        name="Public",
        channel="x",
        text="Sorry if you feel upset. DM us.",
        actor=Actor(alice.id, alice.name),
    )
    assert "apology.conditional" in saved.report.rules
    assert saved.template.score == saved.report.score < 70
    found = reply_templates.templates_of(session, playbooks, "Parcels")
    public = next(t for t in found if t.name == "Public")
    assert (public.channel, public.edited, public.text) == (
        "twitter",
        True,
        "Sorry if you feel upset. DM us.",
    )
    assert {f["rule"] for f in public.findings} >= {"apology.conditional"}


def test_a_template_that_cannot_be_filled_is_not_saved(
    session: Session, settings_: Settings, alice: User
) -> None:
    playbooks = playbook_set.current(settings_)
    with pytest.raises(TemplateFailed, match="line 2"):
        reply_templates.save(
            session,
            playbooks=playbooks,
            playbook="Parcels",
            name="Broken",
            channel=None,
            text="Hi\n{{ coupon }}",
            actor=Actor(alice.id, alice.name),
        )
    with pytest.raises(UnknownPlaybook):
        reply_templates.save(
            session,
            playbooks=playbooks,
            playbook="Nope",
            name="X",
            channel=None,
            text="Hi",
            actor=Actor(alice.id, alice.name),
        )
    assert [t.name for t in reply_templates.templates_of(session, playbooks, "Parcels")] == [
        "First email",
        "Public",
    ]


def test_a_template_is_filled_with_the_cases_facts(
    session: Session, settings_: Settings, alice: User
) -> None:
    playbooks = playbook_set.current(settings_)
    item = ItemIn(
        source="t",
        channel="email",
        text="My parcel never came",
        raw="{}",
        author="Jo Rivers",
        rating=2,
    )
    outcome = pipeline.process(session, [item], settings_)
    case = session.get(Case, outcome.case_ids[outcome.item_ids[0]])
    assert case is not None
    template = reply_templates.find(session, playbooks, case.playbook, "First email")
    basis = reply_basis.basis(session, case, playbooks=playbooks, settings=settings_)
    text = reply_templates.fill(template, basis, case_id=case.id)
    assert text == "Hi Jo, I'm sorry about your parcel. We'll fix it within two days."
