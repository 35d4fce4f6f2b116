"""`amends reply check|draft|send`: check any reply against docs/reply-rules.md, draft one for
a case, and send it by email, a connector, or record it as posted by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from amends.cases import playbook_set, queries, reply_basis
from amends.cases.replying import NeedsConfirmation, ReplyRefused, ReplyRequest, send_reply
from amends.cli import context
from amends.cli.acting import AsUser, Refused, acting_user, fail, workable_case
from amends.deps import actor_of
from amends.replies.channels import CHANNELS, UnknownChannel
from amends.replies.channels import channel as channel_named
from amends.replies.checker import check as check_reply
from amends.replies.compose import compose
from amends.replies.findings import Report
from amends.replies.situation import ReplyContext
from amends.store.db import transaction
from amends.store.tables import ReplyRoute

reply = typer.Typer(help="Check, draft and send replies to customers.", no_args_is_help=True)

CHANNEL_HELP = "Where the reply goes: " + ", ".join(CHANNELS) + " (x is twitter)."
AsJson = Annotated[bool, typer.Option("--json", help="Print one line of JSON.")]


@reply.command("check")
def check(
    text: Annotated[str, typer.Argument(help="The reply; - reads it from stdin.")],
    channel: Annotated[str, typer.Option(help=CHANNEL_HELP, show_default=False)],
    case_id: Annotated[
        int | None,
        typer.Option(
            "--case", help="Read the reply as an answer on this case.", show_default=False
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Score a reply from 0 to 100 and list what breaks the rules of a good recovery reply."""
    text = typer.get_text_stream("stdin").read() if text == "-" else text
    try:
        where = channel_named(channel)
    except UnknownChannel as error:
        raise fail(str(error)) from error
    context_ = _case_context(case_id) if case_id is not None else ReplyContext()
    report = check_reply(text, where, context_)
    if as_json:
        typer.echo(json.dumps(report.public(), ensure_ascii=False))
        return
    _show(report, text)


def _case_context(case_id: int) -> ReplyContext:
    settings = context.settings()
    with transaction(context.factory()) as session:
        case = queries.get_case(session, case_id)
        if case is None:
            raise fail(f"case {case_id} not found")
        playbooks = playbook_set.current(settings)
        return reply_basis.basis(session, case, playbooks=playbooks, settings=settings).context


def _show(report: Report, text: str) -> None:
    colour = "green" if report.score >= 90 else "yellow" if report.score >= 70 else "red"
    context.console.print(f"Score [bold {colour}]{report.score}[/] of 100")
    if not report.findings:
        context.console.print("No findings.")
        return
    table = Table("Severity", "Rule", "Where", "What", "Fix")
    for finding in report.findings:
        start, end = finding.span or (0, 0)
        where = f"“{text[start:end]}”" if finding.span else "—"
        table.add_row(
            finding.severity.value,
            finding.rule,
            escape(where),
            escape(finding.message),
            escape(finding.fix),
        )
    context.console.print(table)


@reply.command("draft")
def draft(
    case_id: Annotated[int, typer.Argument(metavar="CASE", help="Case id.", show_default=False)],
    channel: Annotated[
        str | None,
        typer.Option(help=CHANNEL_HELP + " Default: where the case came in.", show_default=False),
    ] = None,
    seed: Annotated[int, typer.Option(help="Another number, other wording.")] = 0,
    as_json: AsJson = False,
) -> None:
    """Write a draft reply for a case, and check it."""
    settings = context.settings()
    with transaction(context.factory()) as session:
        case = queries.get_case(session, case_id)
        if case is None:
            raise fail(f"case {case_id} not found")
        try:
            where = channel_named(channel) if channel else None
        except UnknownChannel as error:
            raise fail(str(error)) from error
        basis = reply_basis.basis(
            session,
            case,
            playbooks=playbook_set.current(settings),
            settings=settings,
            channel=where,
            seed=seed,
        )
    written = compose(basis.facts, basis.context, settings)
    report = check_reply(written.text, basis.facts.channel, basis.context)
    if as_json:
        out = {"text": written.text, "channel": written.channel, "source": written.source}
        typer.echo(json.dumps(out | {"check": report.public()}, ensure_ascii=False))
        return
    typer.echo(written.text)
    _show(report, written.text)


@reply.command("send")
def send(
    case_id: Annotated[int, typer.Argument(metavar="CASE", help="Case id.", show_default=False)],
    as_email: AsUser,
    text_file: Annotated[
        Path,
        typer.Option("--file", help="The reply's text; - reads stdin.", show_default=False),
    ],
    channel: Annotated[str, typer.Option(help=CHANNEL_HELP, show_default=False)],
    route: Annotated[
        ReplyRoute,
        typer.Option(
            help="email: to the customer's thread; connector: to the shared webhooks that "
            "listen to 'reply'; posted: you posted it yourself.",
            show_default=False,
        ),
    ],
    url: Annotated[
        str | None, typer.Option(help="Where you posted it (with --route posted).")
    ] = None,
    confirm: Annotated[
        bool, typer.Option("--confirm", help="Send even with severe findings.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Send a reply: checked first, kept on the case's timeline, and counted as a contact."""
    settings = context.settings()
    stream = typer.get_text_stream("stdin") if str(text_file) == "-" else None
    text = stream.read() if stream else _read(text_file)
    request = ReplyRequest(
        text=text, channel=channel, route=route, confirmed=confirm, posted_url=url
    )
    try:
        with transaction(context.factory()) as session:
            user = acting_user(session, as_email)
            case = workable_case(session, user, case_id)
            sent = send_reply(
                session,
                case=case,
                actor=actor_of(user),
                request=request,
                playbooks=playbook_set.current(settings),
                settings=settings,
            )
            reply_id, score = sent.reply.id, sent.reply.score
    except NeedsConfirmation as error:
        _show(error.report, text)
        raise fail(f"{error}: add --confirm") from error
    except (Refused, ReplyRefused) as error:
        raise fail(str(error)) from error
    if as_json:
        typer.echo(json.dumps({"reply_id": reply_id, "score": score, "route": route.value}))
        return
    context.console.print(f"Reply {reply_id} on case {case_id} ({route.value}), score {score}.")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise fail(f"{path}: {error}") from error


def register(app: typer.Typer) -> None:
    app.add_typer(reply, name="reply")
