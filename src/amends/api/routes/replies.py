"""Check replies, draft them for a case, and send them (docs/replies.md)."""

from __future__ import annotations

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from amends.accounts.permissions import Action
from amends.api.errors import FORBIDDEN, NOT_FOUND, UNAUTHORIZED, invalid
from amends.api.schemas.replies import (
    CheckIn,
    DraftIn,
    DraftOut,
    NeedsConfirmationOut,
    ReplyIn,
    ReplyOut,
    ReportOut,
)
from amends.cases import playbook_set, reply_basis
from amends.cases.replying import (
    NeedsConfirmation,
    ReplyRefused,
    ReplyRequest,
    SentReply,
    replies_of,
    send_reply,
)
from amends.deps import ApiUser, SessionDep, SettingsDep, actor_of, get_case_for_user, require
from amends.replies.channels import UnknownChannel
from amends.replies.channels import channel as channel_named
from amends.replies.checker import check
from amends.replies.compose import compose
from amends.replies.situation import ReplyContext
from amends.store.tables import DeliveryStatus

router = APIRouter(tags=["replies"], responses=UNAUTHORIZED)


@router.post("/replies/check", summary="Check a reply", responses=NOT_FOUND)
def check_reply(
    body: CheckIn, session: SessionDep, settings: SettingsDep, user: ApiUser
) -> ReportOut:
    """A score from 0 to 100 and what breaks the rules in docs/reply-rules.md."""
    require(user, Action.READ)
    try:
        channel = channel_named(body.channel)
    except UnknownChannel as error:
        raise invalid("channel", str(error)) from error
    context = ReplyContext()
    if body.case_id is not None:
        case = get_case_for_user(session, user, body.case_id)
        playbooks = playbook_set.current(settings)
        context = reply_basis.basis(session, case, playbooks=playbooks, settings=settings).context
    return ReportOut.of(check(body.text, channel, context))


@router.post("/cases/{case_id}/drafts", summary="Draft a reply", responses=NOT_FOUND)
def draft_reply(
    case_id: int, body: DraftIn, session: SessionDep, settings: SettingsDep, user: ApiUser
) -> DraftOut:
    """A reply that follows HEART, fitted to the channel, already checked."""
    require(user, Action.READ)
    case = get_case_for_user(session, user, case_id)
    try:
        channel = channel_named(body.channel) if body.channel else None
    except UnknownChannel as error:
        raise invalid("channel", str(error)) from error
    basis = reply_basis.basis(
        session,
        case,
        playbooks=playbook_set.current(settings),
        settings=settings,
        agent_name=user.name,
        channel=channel,
        seed=body.seed,
    )
    written = compose(basis.facts, basis.context, settings)
    report = check(written.text, basis.facts.channel, basis.context)
    return DraftOut(
        text=written.text,
        channel=written.channel,
        source=written.source,
        check=ReportOut.of(report),
    )


@router.get("/cases/{case_id}/replies", summary="A case's replies", responses=NOT_FOUND)
def list_replies(case_id: int, session: SessionDep, user: ApiUser) -> list[ReplyOut]:
    require(user, Action.READ)
    case = get_case_for_user(session, user, case_id)
    return [ReplyOut.of(sent) for sent in replies_of(session, case.id)]


@router.post(
    "/cases/{case_id}/replies",
    status_code=status.HTTP_201_CREATED,
    summary="Send a reply",
    response_model=ReplyOut,
    responses=FORBIDDEN
    | NOT_FOUND
    | {409: {"model": NeedsConfirmationOut, "description": "Severe findings: confirm."}},
)
def add_reply(
    case_id: int, body: ReplyIn, session: SessionDep, settings: SettingsDep, user: ApiUser
) -> ReplyOut | JSONResponse:
    """Checked, kept on the timeline, sent by its route, and counted as a contact with the
    customer (the first one stops the first-response clock). With severe findings it answers
    409 with the findings unless `confirm` is true; a public reply holding personal data is
    refused whatever `confirm` says."""
    require(user, Action.CASE_WORK)
    case = get_case_for_user(session, user, case_id, write=True)
    request = ReplyRequest(
        text=body.text,
        channel=body.channel,
        route=body.route,
        confirmed=body.confirm,
        posted_url=body.posted_url,
        source=body.source,
    )
    try:
        sent = send_reply(
            session,
            case=case,
            actor=actor_of(user),
            request=request,
            playbooks=playbook_set.current(settings),
            settings=settings,
        )
    except ReplyRefused as error:
        raise invalid(error.field, str(error)) from error
    except NeedsConfirmation as error:
        out = NeedsConfirmationOut(detail=str(error), check=ReportOut.of(error.report))
        return JSONResponse(out.model_dump(), status_code=status.HTTP_409_CONFLICT)
    queued = DeliveryStatus.PENDING if sent.delivery_ids else None
    return ReplyOut.of(SentReply(sent.reply, delivery=queued))
