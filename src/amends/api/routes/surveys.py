"""A case's follow-up surveys (docs/follow-up.md)."""

from __future__ import annotations

from fastapi import APIRouter

from amends.accounts.permissions import Action
from amends.api.errors import NOT_FOUND, UNAUTHORIZED
from amends.api.schemas.surveys import SurveyOut
from amends.cases import follow_up
from amends.deps import ApiUser, SessionDep, SettingsDep, get_case_for_user, require

router = APIRouter(tags=["follow-up"], responses=UNAUTHORIZED)


@router.get("/cases/{case_id}/surveys", summary="A case's follow-up surveys", responses=NOT_FOUND)
def list_surveys(
    case_id: int, session: SessionDep, settings: SettingsDep, user: ApiUser
) -> list[SurveyOut]:
    """Newest first, each with the customer's link and, once answered, the answer."""
    require(user, Action.READ)
    case = get_case_for_user(session, user, case_id)
    return [
        SurveyOut.of(survey, follow_up.link(survey, settings))
        for survey in follow_up.surveys_of(session, case.id)
    ]
