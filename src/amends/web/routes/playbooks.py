"""The playbook page: the set in use, read-only, for everyone who works cases."""

from __future__ import annotations

from collections import Counter

from fastapi import Request, Response

from amends import deps
from amends.accounts.teams import members
from amends.cases import playbook_set
from amends.playbooks.public import set_public
from amends.store.tables import Priority
from amends.web.auth import CurrentUser, WebSession
from amends.web.routes import web_router
from amends.web.templating import page

router = web_router()


@router.get("/playbooks")
def playbooks_page(
    request: Request, session: WebSession, user: CurrentUser, settings: deps.SettingsDep
) -> Response:
    current = playbook_set.current(settings)
    shown = set_public(
        playbooks=current.playbooks,
        default=current.default,
        teams=current.teams,
        problems=current.problems,
        currency=settings.authority_currency,
    )
    staff = Counter(member.team for member in members(session, list(current.teams)))
    context = {
        "user": user,
        "set": shown,
        "members": staff,
        "priorities": [priority.value for priority in Priority],
    }
    return page(request, "playbooks/index.html", context)
