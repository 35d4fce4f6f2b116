"""`amends topics`: emerging topics among recent negative items that fit no category."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from amends.cli import context
from amends.cli.report import period_filters
from amends.insights.emerging import emerging
from amends.store.db import transaction


def run_topics(
    period: Annotated[str, typer.Option(help="Items that arrived in the last: 14d, 30d.")] = "30d",
    as_json: Annotated[bool, typer.Option("--json", help="Print one line of JSON.")] = False,
) -> None:
    """Groups of recent negative items that fit no known category, with examples
    (docs/topics.md)."""
    filters = period_filters(period, channel=None, category=None, team=None)
    with transaction(context.factory()) as session:
        topics = emerging(session, filters)
    if as_json:
        rows = [
            {
                "label": t.label,
                "size": t.size,
                "recent": t.recent,
                "growing": t.growing,
                "cohesion": t.cohesion,
                "terms": list(t.terms),
                "item_ids": list(t.item_ids),
                "examples": [{"item_id": e.item_id, "text": e.text} for e in t.examples],
            }
            for t in topics
        ]
        typer.echo(json.dumps({"topics": rows}, ensure_ascii=False))
        return
    out = Console(soft_wrap=True)
    if not topics:
        out.print("No emerging topic: the items that fit no category share too few words.")
    for topic in topics:
        growing = " [yellow]growing[/]" if topic.growing else ""
        out.print(
            f"[bold]{escape(topic.label)}[/] ({topic.size} items, {topic.recent} in the later "
            f"half of the period){growing}"
        )
        for example in topic.examples:
            out.print(f"  item {example.item_id}: {escape(example.text)}")


def register(app: typer.Typer) -> None:
    app.command("topics")(run_topics)
