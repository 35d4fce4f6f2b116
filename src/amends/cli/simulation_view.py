"""The tables `amends playbooks simulate` prints (cases.simulate.Report)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from amends.cases.simulate import Report
from amends.ingest.replay import Counts
from amends.playbooks.schema import EscalationTarget

SHARED_INBOX = "(no team: the shared inbox)"


def show(report: Report, counts: Counts) -> None:
    out = Console(soft_wrap=True)
    out.print(summary(report, counts))
    out.print(_playbooks(report))
    out.print(_teams(report))
    if report.people.known:
        out.print(_agents(report))
    else:
        out.print(
            "No team members known: the database has no active users in these teams, so "
            "every case would wait unassigned in its team's queue."
        )
    out.print(_escalations(report))
    out.print(
        f"Automatic acknowledgement: {report.acknowledged} of {len(report.cases)} cases "
        f"({_share(report.acknowledged, len(report.cases))})."
    )


def summary(report: Report, counts: Counts) -> str:
    return (
        f"{counts.read} rows read ({counts.format}, preset {counts.preset}): "
        f"{counts.rejected} would be rejected, {counts.duplicates} repeat earlier rows. "
        f"Of {report.items} items, {report.complaints} are complaints, "
        f"which would open {len(report.cases)} cases. Nothing was written."
    )


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def _playbooks(report: Report) -> Table:
    table = Table("Playbook, in match order", "Cases", "Share", title="Cases per playbook")
    total = len(report.cases)
    for name, count in report.by_playbook.items():
        table.add_row(escape(name), str(count), _share(count, total))
    return table


def _teams(report: Report) -> Table:
    table = Table(
        "Team", "Cases", "Agents", "Per agent", "Unassigned", title="Cases per team and load"
    )
    for team, count in report.by_team.items():
        if team is None:
            table.add_row(SHARED_INBOX, str(count), "—", "—", str(count))
            continue
        load = report.load(team)
        per_agent = f"{load.per_agent:.1f}" if load.per_agent is not None else "none known"
        table.add_row(escape(team), str(count), str(load.agents), per_agent, str(load.unassigned))
    return table


def _agents(report: Report) -> Table:
    table = Table("Agent", "Team", "Cases", title="Expected load per agent")
    by_agent = report.by_agent
    for team, agents in sorted(report.people.agents.items()):
        for agent in sorted(agents, key=lambda each: -by_agent[each.id]):
            name = report.people.names.get(agent.id, f"user #{agent.id}")
            table.add_row(escape(name), escape(team), str(by_agent[agent.id]))
    return table


def _escalations(report: Report) -> Table:
    total = len(report.cases)
    table = Table(
        "Escalated to",
        "Cases",
        "Share",
        title=f"Escalated when opened: {report.escalated} of {total} cases "
        f"({_share(report.escalated, total)})",
    )
    for target in EscalationTarget:
        count = report.by_target[target]
        table.add_row(target.value, str(count), _share(count, total))
    return table
