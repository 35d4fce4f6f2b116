"""`amends cases contact` and `amends cases escalate`: move a case's clocks by hand."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from amends.cases import playbook_set
from amends.cases.contact import record_contact
from amends.cases.escalate import by_hand
from amends.cli import context
from amends.cli.acting import AsUser, Refused, acting_user, fail, workable_case
from amends.deps import actor_of
from amends.lib import clock
from amends.playbooks.schema import EscalationTarget
from amends.store.db import transaction

cases = typer.Typer(help="Record contacts with customers and escalate cases.", no_args_is_help=True)

CaseId = Annotated[int, typer.Argument(metavar="CASE", help="Case id.", show_default=False)]


@cases.command("contact")
def contact(
    case_id: CaseId,
    as_email: AsUser,
    channel: Annotated[str, typer.Option(help="How the customer was reached.")] = "email",
) -> None:
    """Record a message sent to the customer: the first stops the first-response clock."""
    settings = context.settings()
    try:
        with transaction(context.factory()) as session:
            user = acting_user(session, as_email)
            case = workable_case(session, user, case_id)
            first = case.first_responded_at is None
            record_contact(
                session,
                case=case,
                actor=actor_of(user),
                playbooks=playbook_set.current(settings),
                at=clock.now(),
                channel=channel,
            )
            due = case.next_update_due_at
    except Refused as error:
        raise fail(str(error)) from error
    said = "First response recorded" if first else "Contact recorded"
    then = f"; next update due {due:%Y-%m-%d %H:%M} UTC" if due else ""
    context.console.print(f"{said} on case {case_id}{then}.")


@cases.command("escalate")
def escalate(
    case_id: CaseId,
    to: Annotated[EscalationTarget, typer.Option(help="Who takes it up.", show_default=False)],
    reason: Annotated[str, typer.Option(help="Why it needs them.", show_default=False)],
    as_email: AsUser,
) -> None:
    """Escalate a case to the senior-review queue, the team lead or a manager."""
    settings = context.settings()
    try:
        with transaction(context.factory()) as session:
            user = acting_user(session, as_email)
            case = workable_case(session, user, case_id)
            by_hand(
                session,
                case=case,
                to=to,
                reason=reason,
                actor=actor_of(user),
                teams=playbook_set.current(settings).teams,
                now=clock.now(),
            )
    except (Refused, ValueError) as error:
        raise fail(str(error)) from error
    context.console.print(f"Case {case_id} escalated to {escape(to.value.replace('_', ' '))}.")


def register(app: typer.Typer) -> None:
    app.add_typer(cases, name="cases")
