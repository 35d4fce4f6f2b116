"""The dashboard's tables as CSV: every figure a table shows, with a header, one row per group."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import TextIO

from amends.insights.metrics import Metrics
from amends.insights.recognition import Standing
from amends.insights.topics import Topic
from amends.insights.trends import Trend

#: The metrics columns, in the order of Metrics.public(); each kind of compensation follows
#: as a column of its own.
METRIC_COLUMNS = tuple(key for key in Metrics(group=None).public() if key != "group")
#: A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def metrics_csv(rows: Sequence[Metrics], group_name: str, out: TextIO) -> None:
    kinds = sorted({kind for row in rows for kind in row.compensation_by_kind})
    columns = [c for c in METRIC_COLUMNS if c != "compensation_by_kind"]
    writer = csv.writer(out)
    writer.writerow([group_name, *columns, *(f"compensation_{kind}" for kind in kinds)])
    for row in rows:
        public = row.public()
        by_kind = public["compensation_by_kind"]
        writer.writerow(
            [
                cell(row.group or "all"),
                *(cell(public[c]) for c in columns),
                *(cell(by_kind.get(kind, 0.0)) for kind in kinds),
            ]
        )


def standings_csv(rows: Sequence[Standing], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(
        [
            "rank",
            "agent",
            "quality",
            "cases",
            "recovery_rate",
            "csat",
            "reply_score",
            "reopen_rate",
            "median_first_response_minutes",
            "median_resolution_hours",
        ]
    )
    for s in rows:
        m = s.metrics
        writer.writerow(
            [
                cell(s.rank),
                cell(s.name),
                cell(s.quality),
                m.cases,
                cell(m.recovery_rate),
                cell(m.csat),
                cell(m.reply_score),
                cell(m.reopen_rate),
                cell(m.median_first_response_minutes),
                cell(m.median_resolution_hours),
            ]
        )


def trend_csv(trend: Trend, out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow([trend.step.value, *(cell(s.group or "all") for s in trend.series)])
    for index, bucket in enumerate(trend.buckets):
        writer.writerow([bucket.isoformat(), *(s.counts[index] for s in trend.series)])


def topics_csv(topics: Sequence[Topic], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(["label", "size", "recent", "growing", "cohesion", "terms", "item_ids"])
    for topic in topics:
        writer.writerow(
            [
                cell(topic.label),
                topic.size,
                cell(topic.recent),
                topic.growing,
                topic.cohesion,
                cell(" · ".join(topic.terms)),
                " ".join(str(item_id) for item_id in topic.item_ids),
            ]
        )


def cell(value: object) -> str:
    """Empty for None; text a spreadsheet would run as a formula gets a leading `'`. Numbers
    are left as they are (a negative NPS stays a number)."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text
