"""`amends compensation`, `amends approvals`, `amends offers`: remedies from the command line.

Every command acts as a user (`--as EMAIL`) and goes through amends.cases, so the playbook's
catalogue and caps and the user's authority hold here as on the API and the web pages.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from amends.cases import approvals as approval_requests
from amends.cases import compensation as granting
from amends.cases import offers as remedy_offers
from amends.cases import service, states
from amends.cases.actor import Actor
from amends.cases.approvals import AlreadyDecided, ReasonRequired
from amends.cases.compensation import AboveAuthority, RemedyRefused
from amends.cases.offers import OfferClosed, OfferExpired, OptionIn
from amends.cli import context
from amends.cli.acting import AsUser, Refused, acting_user, fail, workable_case
from amends.store.db import transaction
from amends.store.tables import ApprovalRequest, ApprovalStatus, RemedyOffer, User

compensation = typer.Typer(help="Grant compensation on a case.", no_args_is_help=True)
approvals = typer.Typer(help="The approval queue: list, approve, refuse.", no_args_is_help=True)
offers = typer.Typer(help="Offer remedies for the customer to choose from.", no_args_is_help=True)

#: What the commands refuse with `error: …` and exit status 2.
REFUSALS = (
    RemedyRefused,
    AboveAuthority,
    AlreadyDecided,
    ReasonRequired,
    OfferClosed,
    OfferExpired,
    states.IllegalTransition,
    service.ConcurrentChange,
)


@compensation.command("grant")
def grant(
    case_id: Annotated[int, typer.Argument(metavar="CASE", help="Case id.", show_default=False)],
    kind: Annotated[str, typer.Option(help="The kind of remedy, e.g. voucher.")],
    as_email: AsUser,
    amount: Annotated[str, typer.Option(help="Money; 0 for apology, senior_callback.")] = "0",
    note: Annotated[str, typer.Option(help="An internal note.")] = "",
) -> None:
    """Grant compensation; above your authority it is sent for approval."""
    settings = context.settings()
    try:
        with transaction(context.factory()) as session:
            user = acting_user(session, as_email)
            case = workable_case(session, user, case_id)
            outcome = granting.grant(
                session=session,
                case=case,
                user=user,
                kind=kind,
                amount=amount,
                note=note,
                settings=settings,
            )
            message = _granted(outcome)
    except (Refused, *REFUSALS) as error:
        raise fail(str(error)) from error
    context.console.print(message)


def _granted(outcome: granting.Outcome) -> str:
    if outcome.compensation is not None:
        row = outcome.compensation
        return f"Granted: {granting.Grant.of(row).describe()} (compensation {row.id})"
    assert outcome.approval is not None
    request = outcome.approval
    return (
        f"Above your authority: sent to a {request.required_role} for approval "
        f"(request {request.id})"
    )


@approvals.command("list")
def list_requests(
    status: Annotated[
        ApprovalStatus, typer.Option(help="pending, approved or refused.")
    ] = ApprovalStatus.PENDING,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List approval requests, oldest first: by default the pending queue."""
    with transaction(context.factory()) as session:
        found = approval_requests.requests(session, status=status)
        lines = [_json(r) if as_json else _line(r) for r in found]
    for line in lines:
        typer.echo(line)


def _line(request: ApprovalRequest) -> str:
    what = approval_requests.grant_of(request).describe()
    return f"{request.id}\tcase {request.case_id}\t{what}\tneeds {request.required_role}"


def _json(request: ApprovalRequest) -> str:
    return json.dumps(
        {
            "id": request.id,
            "case_id": request.case_id,
            "kind": request.kind,
            "amount": str(request.amount),
            "currency": request.currency,
            "note": request.note,
            "requested_by_id": request.requested_by_id,
            "required_role": request.required_role,
            "status": request.status.value,
            "decision_reason": request.decision_reason,
        },
        ensure_ascii=False,
    )


def _request(session: Session, approval_id: int) -> ApprovalRequest:
    found = approval_requests.get(session, approval_id)
    if found is None:
        raise Refused(f"approval request {approval_id} not found")
    return found


@approvals.command("approve")
def approve(
    approval_id: Annotated[int, typer.Argument(metavar="ID", show_default=False)],
    as_email: AsUser,
    reason: Annotated[str, typer.Option(help="Why (optional).")] = "",
) -> None:
    """Approve a request your authority covers; the compensation is recorded."""
    settings = context.settings()
    try:
        with transaction(context.factory()) as session:
            user = acting_user(session, as_email)
            request = _request(session, approval_id)
            row = approval_requests.approve(
                session=session, approval=request, user=user, settings=settings, reason=reason
            )
            message = f"Approved: {granting.Grant.of(row).describe()} (compensation {row.id})"
    except (Refused, *REFUSALS) as error:
        raise fail(str(error)) from error
    context.console.print(message)


@approvals.command("refuse")
def refuse(
    approval_id: Annotated[int, typer.Argument(metavar="ID", show_default=False)],
    reason: Annotated[str, typer.Option(help="Why: required.", show_default=False)],
    as_email: AsUser,
) -> None:
    """Refuse a request your authority covers, saying why."""
    settings = context.settings()
    try:
        with transaction(context.factory()) as session:
            user = acting_user(session, as_email)
            request = _request(session, approval_id)
            approval_requests.refuse(
                session=session, approval=request, user=user, reason=reason, settings=settings
            )
    except (Refused, *REFUSALS) as error:
        raise fail(str(error)) from error
    context.console.print(f"Refused request {approval_id}")


def _option(value: str) -> OptionIn:
    kind, _, amount = value.partition(":")
    return OptionIn(kind.strip(), amount.strip() or "0")


@offers.command("create")
def create_offer(
    case_id: Annotated[int, typer.Argument(metavar="CASE", help="Case id.", show_default=False)],
    option: Annotated[
        list[str],
        typer.Option(help="KIND or KIND:AMOUNT, e.g. voucher:20. Give 2 or 3.", show_default=False),
    ],
    as_email: AsUser,
    days: Annotated[int, typer.Option(min=1, max=90, help="Days until the link expires.")] = 7,
) -> None:
    """Offer 2 or 3 remedies and print the customer's link."""
    settings = context.settings()
    try:
        with transaction(context.factory()) as session:
            user = acting_user(session, as_email)
            case = workable_case(session, user, case_id)
            offer = remedy_offers.make_offer(
                session=session,
                case=case,
                user=user,
                options=[_option(value) for value in option],
                settings=settings,
                valid_for=timedelta(days=days),
            )
            link = remedy_offers.link(offer, settings)
            made = f"Offer {offer.id} on case {case.id}, open for {days} days:"
    except (Refused, *REFUSALS) as error:
        raise fail(str(error)) from error
    context.console.print(made)
    typer.echo(link)


@offers.command("choose")
def choose(
    offer_id: Annotated[int, typer.Argument(metavar="OFFER", show_default=False)],
    number: Annotated[
        int, typer.Argument(metavar="N", help="The option, from 1.", show_default=False)
    ],
    as_email: AsUser,
) -> None:
    """Record the option the customer chose (numbered from 1, as offered)."""
    try:
        with transaction(context.factory()) as session:
            user = acting_user(session, as_email)
            offer = _offer(session, user, offer_id)
            actor = Actor(user_id=user.id, name=user.name)
            remedy_offers.choose(
                session=session, offer=offer, index=number - 1, via="agent", actor=actor
            )
            chosen = remedy_offers.options_of(offer)[number - 1].describe()
    except (Refused, *REFUSALS) as error:
        raise fail(str(error)) from error
    context.console.print(f"Recorded: the customer chose {chosen}")


def _offer(session: Session, user: User, offer_id: int) -> RemedyOffer:
    offer = session.get(RemedyOffer, offer_id)
    if offer is None:
        raise Refused(f"offer {offer_id} not found")
    workable_case(session, user, offer.case_id)
    return offer


def register(app: typer.Typer) -> None:
    app.add_typer(compensation, name="compensation")
    app.add_typer(approvals, name="approvals")
    app.add_typer(offers, name="offers")
