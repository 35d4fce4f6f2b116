"""The dashboard (leads and above): recovery, speed, cost and ROI for a period and filters, the
trend of cases opened, breakdowns, agent recognition, and every table as CSV."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request, Response, status

from amends import deps
from amends.accounts.permissions import Action
from amends.insights import dashboard, warm
from amends.insights.dashboard import Table
from amends.insights.metrics import Dimension, Filters
from amends.insights.trends import Trend
from amends.lib import clock
from amends.playbooks.durations import parse_duration
from amends.web.auth import CurrentUser, WebSession
from amends.web.routes import web_router
from amends.web.templating import HEADERS, page

router = web_router()

PERIODS = {"7d": "7 days", "30d": "30 days", "90d": "90 days", "365d": "a year"}
DEFAULT_PERIOD = "30d"
#: A dashboard older than this says as of when its figures are.
AS_OF_AFTER = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Chosen:
    """The filters in the query string, as the form shows them."""

    period: str
    channel: str
    category: str
    team: str
    compare: bool = False  # show the period of the same length before beside the summary

    def view(self, currency: str) -> warm.View:
        return warm.View(
            days=parse_duration(self.period).days,
            currency=currency,
            channel=self.channel or None,
            category=self.category or None,
            team=self.team or None,
        )

    def filters(self) -> Filters:
        end = clock.now()
        return Filters(
            start=end - parse_duration(self.period),
            end=end,
            channel=self.channel or None,
            category=self.category or None,
            team=self.team or None,
        )


def _chosen(
    period: Annotated[str, Query(max_length=10)] = DEFAULT_PERIOD,
    channel: Annotated[str, Query(max_length=200)] = "",
    category: Annotated[str, Query(max_length=200)] = "",
    team: Annotated[str, Query(max_length=200)] = "",
    compare: Annotated[str, Query(max_length=10)] = "",
) -> Chosen:
    period = period if period in PERIODS else DEFAULT_PERIOD
    return Chosen(period, channel, category, team, compare=compare == "1")


ChosenDep = Annotated[Chosen, Depends(_chosen)]


@router.get("/dashboard")
def dashboard_page(
    request: Request,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    chosen: ChosenDep,
) -> Response:
    deps.require(user, Action.INSIGHTS_READ)
    now = clock.now()
    view = chosen.view(settings.authority_currency)
    shown = warm.dashboard(session, view, now=now, compare=chosen.compare)
    query = request.url.query
    context: dict[str, Any] = {
        "user": user,
        "board": shown,
        "choices": shown.choices,
        "periods": PERIODS,
        "chosen": chosen,
        "currency": settings.authority_currency,
        "tables": Table,
        "query": f"?{query}" if query else "",
        "chart": _chart(shown),
        # A warm copy of a long period (insights/warm.py): say as of when.
        "as_of": shown.filters.end if now - shown.filters.end > AS_OF_AFTER else None,
    }
    return page(request, "insights/dashboard.html", context)


@router.get("/dashboard/{table}.csv")
def dashboard_csv(
    table: str,
    session: WebSession,
    user: CurrentUser,
    settings: deps.SettingsDep,
    chosen: ChosenDep,
) -> Response:
    deps.require(user, Action.INSIGHTS_READ)
    if table not in set(Table):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such table")
    out = io.StringIO()
    dashboard.write_table(
        session,
        Table(table),
        chosen.filters(),
        currency=settings.authority_currency,
        out=out,
        compare=chosen.compare,
    )
    name = f"amends-{table}-{chosen.period}.csv"
    headers = HEADERS | {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def _chart(board: dashboard.Dashboard) -> dict[str, Any]:
    """What the charts draw, as JSON for static/js/insights/dashboard.js."""
    recovery = board.breakdowns[Dimension.CHANNEL]
    return {
        "trend": _series(board.trend),
        "trend_channel": _series(board.trend_by_channel),
        "recovery": {
            "labels": [m.group or "none" for m in recovery],
            "recovery": [m.recovery_rate for m in recovery],
            "csat": [m.csat for m in recovery],
        },
    }


def _series(trend: Trend) -> dict[str, Any]:
    return {
        "labels": [bucket.isoformat() for bucket in trend.buckets],
        "series": [
            {"label": series.group or "none", "counts": list(series.counts)}
            for series in trend.series
        ],
    }
