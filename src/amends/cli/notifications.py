"""`amends notifications …` (send what is due, the dead letters) and `amends webhooks …`."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from amends.cli import context
from amends.lib import clock
from amends.notify import deliveries, endpoints
from amends.notify.deliver import deliver_due
from amends.notify.events import Notice
from amends.store.db import transaction
from amends.store.tables import Delivery, DeliveryStatus, User

notifications = typer.Typer(
    help="Send due notifications; list and retry the dead letters.", no_args_is_help=True
)
webhooks = typer.Typer(help="Manage outgoing webhooks.", no_args_is_help=True)


@notifications.command("deliver")
def deliver(
    limit: Annotated[int, typer.Option(min=1, help="Send at most this many.")] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Send the notifications that are due now, once (for cron, or without a worker)."""
    counts = deliver_due(
        context.factory(), settings=context.settings(), limit=limit, worker_name="cli"
    )
    if as_json:
        typer.echo(json.dumps(counts.as_dict()))
    else:
        context.console.print(
            f"sent {counts.sent}, failed and will retry {counts.retrying}, dead {counts.dead}"
        )


@notifications.command("dead")
def dead(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many.")] = 100,
) -> None:
    """List the deliveries that gave up (newest first), with their last error."""
    with transaction(context.factory()) as session:
        found = deliveries.list_deliveries(session, status=DeliveryStatus.DEAD, limit=limit)
        rows = [_dead_row(d) for d in found]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for row in rows:
        typer.echo("\t".join(str(row[key]) for key in _COLUMNS))


_COLUMNS = ("id", "event", "channel", "recipient", "attempts", "last_error")


def _dead_row(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "event": delivery.event,
        "channel": delivery.channel,
        "case_id": delivery.case_id,
        "recipient": deliveries.shown_recipient(delivery),
        "attempts": delivery.attempts,
        "last_error": delivery.last_error or "",
        "created_at": delivery.created_at.isoformat(),
    }


@notifications.command("retry")
def retry(
    delivery_id: Annotated[int, typer.Argument(help="The dead delivery's id.", show_default=False)],
) -> None:
    """Queue a dead delivery again, due now, with all its tries ahead of it."""
    try:
        with transaction(context.factory()) as session:
            deliveries.retry(session, delivery_id=delivery_id, now=clock.now())
    except (deliveries.DeliveryNotFound, deliveries.NotDead) as error:
        context.console.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from error
    context.console.print(f"Delivery {delivery_id} is queued again.")


@webhooks.command("add")
def add(
    url: Annotated[str, typer.Argument(help="An http:// or https:// URL.", show_default=False)],
    event: Annotated[
        list[Notice] | None,
        typer.Option(
            help="A notification to send; repeat for more. Default: every one for people. "
            "'reply' makes a connector that posts replies to customers; "
            "'root_cause_export' receives root-cause exports."
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(help="The user's email whose webhook it is. Default: a shared webhook."),
    ] = None,
) -> None:
    """Add a webhook and print its signing secret (shown only once)."""
    try:
        with transaction(context.factory()) as session:
            owner = _user_id(session, user) if user else None
            events = [e.value for e in event] if event else None
            endpoint = endpoints.create_endpoint(session, url=url, events=events, user_id=owner)
    except (endpoints.EndpointError, LookupError) as error:
        context.console.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from error
    typer.echo(endpoint.secret)


def _user_id(session: Session, email: str) -> int:
    found = session.scalar(select(User.id).where(User.email == email.strip().lower()))
    if found is None:
        raise LookupError(f"no user with email {email}")
    return int(found)


@webhooks.command("list")
def list_() -> None:
    """List active webhooks: id, owner (or `shared`), events and URL; never their secrets."""
    with transaction(context.factory()) as session:
        owners = dict(session.execute(select(User.id, User.email)).all())
        for endpoint in endpoints.list_endpoints(session):
            owner = owners.get(endpoint.user_id, "?") if endpoint.user_id else "shared"
            events = ",".join(endpoint.events) if endpoint.events is not None else "*"
            typer.echo(f"{endpoint.id}\t{owner}\t{events}\t{endpoint.url}")


def register(app: typer.Typer) -> None:
    app.add_typer(notifications, name="notifications")
    app.add_typer(webhooks, name="webhooks")
