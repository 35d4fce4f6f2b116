"""`amends model train` as users run it: a custom taxonomy from a CSV, and its errors."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from amends.cli.main import app
from amends.triage import category
from tests.triage.test_training import write_labelled


def _train(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["model", "train", *args])
    return result.exit_code, " ".join(result.output.split())


def test_it_trains_a_custom_model_and_prints_cross_validated_metrics(tmp_path: Path) -> None:
    source, output = write_labelled(tmp_path / "history.csv"), tmp_path / "ours.npz"
    code, printed = _train(
        "--input", str(source), "--text-column", "ticket", "--label-column", "topic",
        "--output", str(output),
    )  # fmt: skip
    assert code == 0, printed
    assert "Cross-validated (5-fold)" in printed
    assert "macro-F1" in printed
    assert f"Wrote {output}: 3 labels, 21 rows" in printed
    assert category.predict(["you billed me twice"], model=output)[0][0] == "billing"


def test_a_bad_column_fails_with_the_file_and_line(tmp_path: Path) -> None:
    source = write_labelled(tmp_path / "history.csv")
    code, printed = _train("--input", str(source), "--output", str(tmp_path / "m.npz"))
    assert code == 2
    assert f"error: {source}: line 1: no column 'text'" in printed


def test_it_needs_a_data_dir_or_an_input() -> None:
    code, printed = _train()
    assert code == 2
    assert "give either --data-dir" in printed


def test_input_needs_output(tmp_path: Path) -> None:
    code, printed = _train("--input", str(write_labelled(tmp_path / "history.csv")))
    assert code == 2
    assert "--input needs --output" in printed
