"""`amends triage`: one JSON object per input row, in order, from a file or a pipe."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_commands import amends

FIELDS = {
    "sentiment",
    "sentiment_score",
    "emotions",
    "category",
    "category_score",
    "language",
    "pii",
    "risk",
    "risk_factors",
    "priority",
}


def test_it_triages_each_row_in_order_and_names_a_bad_one(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(
        "id,review,rating\n"
        '1,"My flight was cancelled and I was charged twice. Call me on 415-555-0132.",1\n'
        "2,,3\n"
        "3,Great food and friendly staff. Thanks!,5\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = amends(
        "triage", str(path), "--text-column", "review", "--output", str(out),
        db="sqlite://", tmp_path=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["line"] for row in rows] == [2, 3, 4]
    assert set(rows[0]) >= FIELDS
    assert rows[0]["sentiment"] == "negative"
    assert rows[0]["pii"][0]["kind"] == "phone"
    assert any(f["name"] == "one_star" for f in rows[0]["risk_factors"])
    assert rows[1] == {"line": 3, "error": "review: missing or empty"}
    assert rows[2]["sentiment"] == "positive"
    assert rows[2]["risk"] < rows[0]["risk"]


def test_it_reads_json_lines_from_standard_input(tmp_path: Path) -> None:
    lines = [
        {"text": "Where is my parcel? Ordered three weeks ago.", "channel": "x"},
        {"text": "I will sue you for this. My lawyer has the paperwork."},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\n"
    result = amends("triage", db="sqlite://", tmp_path=tmp_path, stdin=stdin)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 2
    assert any(f["name"] == "public_channel" for f in rows[0]["risk_factors"])
    assert any(f["name"] == "legal" for f in rows[1]["risk_factors"])
