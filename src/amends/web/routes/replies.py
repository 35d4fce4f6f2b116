"""The reply composer: a draft to start from, the checker's findings as the agent types, and
sending, which asks for confirmation when the checker found something severe.

The composer is its own page, `/cases/{id}/reply`, which the case page loads into place with
htmx; without htmx every step still works as a plain form.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Form, Request, Response, status
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from amends import deps
from amends.accounts.permissions import may_work_case
from amends.cases import playbook_set, reply_basis, reply_templates
from amends.cases.replying import (
    TEXT_LIMIT,
    NeedsConfirmation,
    ReplyRefused,
    ReplyRequest,
    replies_of,
    send_reply,
)
from amends.config import Settings
from amends.notify.customer import connectors
from amends.replies.channels import CHANNELS, Channel, UnknownChannel, reply_channel
from amends.replies.channels import channel as channel_named
from amends.replies.checker import check
from amends.replies.compose import compose
from amends.replies.findings import Report
from amends.replies.templates import TemplateFailed
from amends.store.tables import Case, ReplyRoute, User
from amends.web.auth import CurrentUser, WebSession
from amends.web.flash import flash
from amends.web.routes import web_router
from amends.web.templating import fragment, page, wants_fragment

router = web_router()

Text = Annotated[str, Form(max_length=TEXT_LIMIT)]
ChannelName = Annotated[str, Form(max_length=40)]


@router.get("/cases/{case_id}/reply")
def composer(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    channel: str | None = None,
    draft: bool = False,
    seed: int = 0,
    template: str = "",
) -> Response:
    """The composer, empty or holding a draft for `channel` (`draft`, with wording `seed`, or
    the playbook's `template` filled for the case)."""
    case = deps.get_case_for_user(session, user, case_id)
    where = _channel_or_default(case, channel)
    context = _context(session, user=user, case=case, settings=settings, channel=where)
    if template:
        context |= _from_template(session, user, case, settings, where, template)
    elif draft:
        basis = reply_basis.basis(
            session,
            case,
            playbooks=playbook_set.current(settings),
            settings=settings,
            agent_name=user.name,
            channel=where,
            seed=seed,
        )
        written = compose(basis.facts, basis.context, settings)
        context |= {
            "text": written.text,
            "source": written.source,
            "report": check(written.text, where, basis.context),
            "seed": seed + 1,
        }
    return _render(request, context)


def _from_template(
    session: Session, user: User, case: Case, settings: Settings, channel: Channel, name: str
) -> dict[str, Any]:
    playbooks = playbook_set.current(settings)
    basis = reply_basis.basis(
        session, case, playbooks=playbooks, settings=settings, agent_name=user.name, channel=channel
    )
    try:
        chosen = reply_templates.find(session, playbooks, case.playbook, name)
        text = reply_templates.fill(chosen, basis, case_id=case.id)
    except (LookupError, TemplateFailed) as error:
        return {"error": f"The template could not be used: {error}"}
    return {
        "text": text,
        "source": f"template:{chosen.name}",
        "report": check(text, channel, basis.context),
    }


@router.post("/cases/{case_id}/reply/check")
def check_live(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    text: Text = "",
    channel: ChannelName = "email",
) -> Response:
    """The findings on what the agent has typed so far: htmx asks as they type."""
    case = deps.get_case_for_user(session, user, case_id)
    where = _channel_or_default(case, channel)
    report = _check(session, case, settings, text, where) if text.strip() else None
    return fragment(request, "cases/_reply_findings.html", {"report": report, "text": text})


@router.post("/cases/{case_id}/replies")
def send(
    request: Request,
    case_id: int,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    text: Text,
    channel: ChannelName,
    route: Annotated[str, Form()],
    posted_url: Annotated[str, Form(max_length=2000)] = "",
    confirm: Annotated[bool, Form()] = False,
    source: Annotated[str, Form(max_length=100)] = "agent",
) -> Response:
    case = deps.get_case_for_user(session, user, case_id, write=True)
    where = _channel_or_default(case, channel)
    context = _context(session, user=user, case=case, settings=settings, channel=where)
    context |= {"text": text, "route": route, "posted_url": posted_url, "source": source}
    try:
        sent = send_reply(
            session,
            case=case,
            actor=deps.actor_of(user),
            request=ReplyRequest(
                text=text,
                channel=where.name,
                route=_route(route),
                confirmed=confirm,
                posted_url=posted_url.strip() or None,
                source=source,
            ),
            playbooks=playbook_set.current(settings),
            settings=settings,
        )
    except NeedsConfirmation as needs:
        return _render(request, context | {"report": needs.report, "confirming": True})
    except ReplyRefused as refused:
        report = _check(session, case, settings, text, where) if text.strip() else None
        return _render(request, context | {"report": report, "error": str(refused)})
    flash(request, "ok", _sent_message(sent.reply.route, sent.reply.score))
    target = f"/cases/{case_id}"
    if wants_fragment(request):
        return Response(headers=_reload_or_go(request, target))
    return RedirectResponse(
        f"{target}#reply-{sent.reply.id}", status_code=status.HTTP_303_SEE_OTHER
    )


def _reload_or_go(request: Request, target: str) -> dict[str, str]:
    """htmx's answer to a sent reply: reload the case page it was sent from (a redirect to
    the same page with only a #fragment added would not reload it), else go there."""
    current = urlsplit(request.headers.get("HX-Current-URL", "")).path
    return {"HX-Refresh": "true"} if current == target else {"HX-Redirect": target}


def _sent_message(route: ReplyRoute, score: int) -> str:
    how = {
        ReplyRoute.EMAIL: "Reply emailed to the customer",
        ReplyRoute.CONNECTOR: "Reply sent to the connector",
        ReplyRoute.POSTED: "Reply recorded as posted",
    }[route]
    return f"{how} (score {score})."


def _route(value: str) -> ReplyRoute:
    try:
        return ReplyRoute(value)
    except ValueError:
        raise ReplyRefused("route", f"{value!r} is not a way to send a reply") from None


def _channel_or_default(case: Case, name: str | None) -> Channel:
    if name:
        try:
            return channel_named(name)
        except UnknownChannel:
            pass
    return reply_channel(case.channel)


def _check(session: Session, case: Case, settings: Settings, text: str, channel: Channel) -> Report:
    basis = reply_basis.basis(
        session, case, playbooks=playbook_set.current(settings), settings=settings
    )
    return check(text, channel, basis.context)


def _context(
    session: Session, *, user: User, case: Case, settings: Settings, channel: Channel
) -> dict[str, Any]:
    basis = reply_basis.basis(
        session, case, playbooks=playbook_set.current(settings), settings=settings
    )
    has_connector = bool(connectors(session))
    playbooks = playbook_set.current(settings)
    templates = reply_templates.templates_of(session, playbooks, case.playbook)
    return {
        "templates": [t for t in templates if t.fits(channel)],
        "user": user,
        "case": case,
        "may_work": may_work_case(role=user.role, user_id=user.id, owner_id=case.owner_id),
        "channel": channel,
        "channels": list(CHANNELS.values()),
        "email": basis.email,
        "has_connector": has_connector,
        "route": _default_route(channel, basis.email, has_connector).value,
        "replies": replies_of(session, case.id),
        "text": "",
        "source": "agent",
        "posted_url": "",
        "report": None,
        "seed": 1,
        "confirming": False,
        "error": None,
    }


def _default_route(channel: Channel, email: str | None, has_connector: bool) -> ReplyRoute:
    if channel.name == "email" and email:
        return ReplyRoute.EMAIL
    if channel.name != "email" and has_connector:
        return ReplyRoute.CONNECTOR
    return ReplyRoute.POSTED


def _render(request: Request, context: dict[str, Any]) -> Response:
    if wants_fragment(request):
        return fragment(request, "cases/_composer.html", context)
    return page(request, "cases/reply.html", context)
