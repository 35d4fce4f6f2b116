"""Reply templates of a playbook: read them, write new ones and edit them, with the checker's
verdict on each save (docs/replies.md#templates). Every role that works cases may edit them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request, Response
from sqlalchemy.orm import Session

from amends import deps
from amends.accounts.permissions import Action, can
from amends.cases import playbook_set, reply_templates
from amends.cases.playbook_set import PlaybookSet
from amends.cases.reply_templates import TemplateFailed, UnknownPlaybook
from amends.playbooks.templates import TEXT_LIMIT, VARIABLES
from amends.replies.channels import CHANNELS
from amends.store.tables import User
from amends.web.auth import CurrentUser, WebSession
from amends.web.flash import flash
from amends.web.routes import web_router
from amends.web.templating import page

router = web_router()


@router.get("/templates")
def templates_page(
    request: Request,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    playbook: str = "",
    name: str = "",
) -> Response:
    playbooks = playbook_set.current(settings)
    context = _context(session, user, playbooks, playbook)
    chosen = next((t for t in context["templates"] if t.name == name), None)
    if chosen is not None:
        context |= {"name": chosen.name, "channel": chosen.channel or "", "text": chosen.text}
    return page(request, "playbooks/templates.html", context)


@router.post("/templates")
def save_template(
    request: Request,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    playbook: Annotated[str, Form(max_length=200)],
    name: Annotated[str, Form(max_length=100)],
    text: Annotated[str, Form(max_length=TEXT_LIMIT)],
    channel: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    deps.require(user, Action.CASE_WORK)
    playbooks = playbook_set.current(settings)
    context = _context(session, user, playbooks, playbook)
    context |= {"name": name, "channel": channel, "text": text}
    try:
        saved = reply_templates.save(
            session,
            playbooks=playbooks,
            playbook=context["playbook"],
            name=name,
            channel=channel or None,
            text=text,
            actor=deps.actor_of(user),
        )
    except (TemplateFailed, UnknownPlaybook, ValueError) as error:
        return page(
            request, "playbooks/templates.html", context | {"error": str(error)}, status_code=422
        )
    flash(request, "ok", f'Template "{saved.template.name}" saved, score {saved.report.score}.')
    context = _context(session, user, playbooks, context["playbook"])
    context |= {
        "name": saved.template.name,
        "channel": saved.template.channel or "",
        "text": text,
        "filled": saved.filled,
        "report": saved.report,
    }
    return page(request, "playbooks/templates.html", context)


def _context(session: Session, user: User, playbooks: PlaybookSet, playbook: str) -> dict[str, Any]:
    named = playbooks.named(playbook or None).name
    return {
        "user": user,
        "playbook": named,
        "playbook_names": [c.name for c in playbooks.playbooks] + [playbooks.default.name],
        "templates": reply_templates.templates_of(session, playbooks, named),
        "channels": list(CHANNELS.values()),
        "variables": VARIABLES,
        "may_edit": can(user.role, Action.CASE_WORK),
        "name": "",
        "channel": "",
        "text": "",
        "filled": None,
        "report": None,
        "error": None,
    }
