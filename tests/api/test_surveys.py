"""GET /api/v1/cases/{id}/surveys: a case's follow-up surveys with their links and answers."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.cases import follow_up, playbook_set, service
from amends.cases.actor import Actor
from amends.cases.follow_up import Answer
from amends.config import Settings
from amends.ingest import pipeline
from amends.ingest.model import ItemIn
from amends.lib import clock
from amends.store.tables import Case, CaseStatus, Survey, User
from tests.conftest import token_for


def test_a_case_lists_its_surveys_with_the_answer(
    client: TestClient, session: Session, settings: Settings, alice: User
) -> None:
    item = ItemIn(source="api", channel="email", text="Wrong size", raw="{}", rating=1)
    item.email = "kim@example.com"
    outcome = pipeline.process(session, [item], settings)
    case = session.get_one(Case, outcome.case_ids[outcome.item_ids[0]])
    for to in (CaseStatus.INVESTIGATING, CaseStatus.REMEDY_DONE):
        service.transition(session=session, case=case, to=to, actor=Actor(None, "test"))
    playbooks = playbook_set.current(settings)
    later = clock.now() + timedelta(days=1, minutes=1)
    follow_up.follow_up_due(session, playbooks=playbooks, settings=settings, now=later, limit=5)
    survey = session.scalars(select(Survey)).one()
    given = Answer(csat=2, nps=None, comment="Still too small")
    follow_up.answer(session, survey=survey, given=given, playbooks=playbooks, now=clock.now())
    session.commit()

    response = client.get(f"/api/v1/cases/{case.id}/surveys", headers=token_for(session, alice))
    assert response.status_code == 200, response.text
    [found] = response.json()
    assert found["round"] == 1
    assert found["emailed"] is True
    assert (found["outcome"], found["csat"], found["nps"]) == ("unsatisfied", 2, None)
    assert found["comment"] == "Still too small"
    assert found["link"] == follow_up.link(survey, settings)
    missing = client.get("/api/v1/cases/999999/surveys", headers=token_for(session, alice))
    assert missing.status_code == 404
