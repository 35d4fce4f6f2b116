"""`amends report`: recovery metrics for a period on the terminal, or as JSON for scripts."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from amends.cli import context
from amends.cli.acting import fail
from amends.insights.metrics import Dimension, Filters, Metrics, earlier, report
from amends.lib import clock
from amends.playbooks.durations import parse_duration
from amends.store.db import transaction


def run_report(
    period: Annotated[str, typer.Option(help="How far back from now: 30d, 12w, 24h.")] = "30d",
    by: Annotated[
        Dimension | None,
        typer.Option(help="One row per channel, category, team, playbook or agent."),
    ] = None,
    channel: Annotated[str | None, typer.Option(help="Only cases from this channel.")] = None,
    category: Annotated[str | None, typer.Option(help="Only cases of this category.")] = None,
    team: Annotated[str | None, typer.Option(help="Only this team's cases.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one line of JSON instead of tables.")
    ] = False,
    compare: Annotated[
        bool,
        typer.Option(
            "--compare", help="Also the period of the same length before, with the same filters."
        ),
    ] = False,
) -> None:
    """Recovery rate, speed, SLA compliance, reopenings, compensation and ROI of the cases
    opened in the period (docs/insights.md#metrics)."""
    filters = period_filters(period, channel=channel, category=category, team=team)
    currency = context.settings().authority_currency
    with transaction(context.factory()) as session:
        rows = report(session, filters, by=by, currency=currency)
        before = report(session, earlier(filters), by=by, currency=currency) if compare else None
    if as_json:
        out = _json(rows, by, filters, currency)
        if before is not None:
            out["before"] = _json(before, by, earlier(filters), currency)
        typer.echo(json.dumps(out, ensure_ascii=False))
        return
    _show(rows, by, filters, currency)
    if before is not None:
        _show(before, by, earlier(filters), currency)


def period_filters(
    period: str, *, channel: str | None, category: str | None, team: str | None
) -> Filters:
    """Cases opened in the last `period` up to now, with the other filters as given."""
    try:
        span = parse_duration(period)
    except ValueError as error:
        raise fail(f"--period: {error}") from error
    end = clock.now()
    return Filters(start=end - span, end=end, channel=channel, category=category, team=team)


def _json(
    rows: list[Metrics], by: Dimension | None, filters: Filters, currency: str
) -> dict[str, object]:
    head = {
        "from": filters.start.isoformat(),
        "to": filters.end.isoformat(),
        "currency": currency,
    }
    if by is None:
        return head | _without_group(rows[0].public())
    return head | {"by": by.value, "groups": [row.public() for row in rows]}


def _without_group(data: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in data.items() if key != "group"}


def _show(rows: list[Metrics], by: Dimension | None, filters: Filters, currency: str) -> None:
    """Two tables, outcomes then speed and money, each narrow enough for a terminal."""
    out = Console(soft_wrap=True)
    span = f"{filters.start:%Y-%m-%d %H:%M} to {filters.end:%Y-%m-%d %H:%M} UTC"
    outcomes = _table(f"Recovery of the cases opened {span}", by)
    for name in ("cases", "recovery", "CSAT", "NPS before → after", "reopened", "no response",
                 "came back", "reply score"):  # fmt: skip
        outcomes.add_column(name, justify="right")
    speed = _table("Speed and cost", by)
    for name in ("first reply (median / p90)", "resolution (median / p90)", "SLA met",
                 f"compensation ({currency})", "retained", "ROI"):  # fmt: skip
        speed.add_column(name, justify="right")
    for row in rows:
        group = escape(row.group or "all")
        outcomes.add_row(
            group,
            str(row.cases),
            _percent(row.recovery_rate),
            _percent(row.csat),
            f"{_score(row.nps_before)} → {_score(row.nps_after)}",
            _percent(row.reopen_rate),
            str(row.no_response),
            _percent(row.repeat_business),
            _number(row.reply_score, ""),
        )
        speed.add_row(
            group,
            _pair(row.median_first_response_minutes, row.p90_first_response_minutes, "min"),
            _pair(row.median_resolution_hours, row.p90_resolution_hours, "h"),
            _percent(row.sla_compliance),
            f"{row.compensation_total:,.2f}",
            f"{row.retained_value:,.2f}",
            "—" if row.roi is None else f"{row.roi:.1f}×",
        )
    out.print(outcomes)
    out.print(speed)


def _table(title: str, by: Dimension | None) -> Table:
    table = Table(title=title)
    table.add_column(by.value if by else "", style="bold")
    return table


def _pair(median: float | None, p90: float | None, unit: str) -> str:
    return f"{_number(median, unit)} / {_number(p90, unit)}"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:+.0f}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _number(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{value:,.0f} {unit}".rstrip()


def register(app: typer.Typer) -> None:
    app.command("report")(run_report)
