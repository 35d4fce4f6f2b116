"""The playbook set in use, read-only."""

from __future__ import annotations

from fastapi import APIRouter

from amends.accounts.permissions import Action
from amends.api.errors import UNAUTHORIZED
from amends.api.schemas.playbooks import PlaybooksPublic
from amends.cases import playbook_set
from amends.deps import ApiUser, SettingsDep, require
from amends.playbooks.public import set_public

router = APIRouter(prefix="/playbooks", tags=["playbooks"], responses=UNAUTHORIZED)


@router.get("", summary="Read the playbooks in use")
def get_playbooks(user: ApiUser, settings: SettingsDep) -> PlaybooksPublic:
    """Every playbook in match order, the default playbook, the teams, and the folder's
    problems (with any, amends applies the last good set, which is what is listed)."""
    require(user, Action.READ)
    current = playbook_set.current(settings)
    shown = set_public(
        playbooks=current.playbooks,
        default=current.default,
        teams=current.teams,
        problems=current.problems,
        currency=settings.authority_currency,
    )
    return PlaybooksPublic.model_validate(shown)
