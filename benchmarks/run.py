"""`make bench`: every benchmark, printed as Markdown tables for docs/benchmarks.md.

python -m benchmarks.run [--rows 100000] [--cases 1000000]
    [--only ingest,inbox,timers,routing,insights,spikes]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from benchmarks import databases, inbox, ingest, insights, machine, routing, timers
from benchmarks.datasets import write_generic_csv
from benchmarks.spikes import scale


def _table(rows: list[dict[str, object]]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for row in rows:
        cells = [
            f"{value:,.1f}" if isinstance(value, float) else str(value) for value in row.values()
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=insights.CASES, help="for insights")
    parser.add_argument("--only", default="ingest,inbox,timers,routing,insights,spikes")
    args = parser.parse_args()
    chosen = set(args.only.split(","))
    print("Machine:", json.dumps(machine.describe(databases.PG_URL)))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if "ingest" in chosen:
            for texts, max_chars in ingest.TEXTS:
                path = write_generic_csv(work / "items.csv", args.rows, max_chars=max_chars)
                print(f"\n## Import of {args.rows:,} rows (generic CSV, {texts})\n")
                print(_table(ingest.run(work, path, args.rows)))
        if "inbox" in chosen:
            # One customer per row and ratings of 1-3 only, so every row opens its own case.
            path = write_generic_csv(
                work / "cases.csv", args.rows, customers=args.rows, ratings=("1", "2", "3")
            )
            print(
                f"\n## Inbox API latency, {args.rows:,} cases, up to 200 sequential requests each\n"
            )
            print(_table(inbox.run(work, path)))
        if "insights" in chosen:
            print(f"\n## Recovery figures over {args.cases:,} cases\n")
            print(_table(insights.run(work, cases=args.cases)))
        if "timers" in chosen:
            print(f"\n## Worker timer throughput, {timers.OPEN_CASES:,} open cases\n")
            print(_table(timers.run(work)))
    if "spikes" in chosen:
        print("\n## Spike detection, a year of daily counts for 500 keys\n")
        print(_table(scale.run()))
    if "routing" in chosen:
        print(f"\n## Routing through the playbooks, {routing.CASES:,} cases, in memory\n")
        print(_table(routing.run()))


if __name__ == "__main__":
    main()
