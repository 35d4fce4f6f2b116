"""`amends model train`: rebuild the shipped triage models, or train a custom category model."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from amends.cli import context
from amends.triage.training.custom import LabelledFileError, train_custom
from amends.triage.training.fit import Step
from amends.triage.training.shipped import MODELS, Trained, train_all
from amends.triage.training.teacher import TeacherRecipe, TeacherUnavailable

model = typer.Typer(help="Train the triage models.", no_args_is_help=True)


@model.command("train")
def train(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            help="Folder of the public data sets (../shared/data): rebuild the shipped models."
        ),
    ] = None,
    output_dir: Annotated[
        Path, typer.Option(help="Where the rebuilt sentiment/emotions/category .npz files go.")
    ] = Path("src/amends/triage/weights"),
    input_: Annotated[
        Path | None,
        typer.Option("--input", help="A labelled CSV of your own: train a custom category model."),
    ] = None,
    text_column: Annotated[str, typer.Option(help="Column of --input holding the text.")] = "text",
    label_column: Annotated[
        str, typer.Option(help="Column of --input holding the label.")
    ] = "label",
    output: Annotated[
        Path | None,
        typer.Option(help="Where the custom model goes (with --input), e.g. model.npz."),
    ] = None,
    teacher: Annotated[
        bool,
        typer.Option(
            help="With --data-dir: distil sentiment from a fine-tuned MiniLM, as the shipped "
            "weights were (needs the `teach` extra; about 20 more minutes)."
        ),
    ] = True,
    only: Annotated[
        list[str] | None,
        typer.Option(
            help="With --data-dir: train only this model (sentiment, emotions, category)."
        ),
    ] = None,
) -> None:
    """Train triage models: the shipped ones (--data-dir) or your own taxonomy (--input).

    With --input the metrics are 5-fold cross-validated. Use it: AMENDS_CATEGORY_MODEL=MODEL.
    """
    if input_ is not None and data_dir is None:
        if output is None:
            _fail("--input needs --output, the file to write the model to")
        _custom(input_, text_column=text_column, label_column=label_column, output=output)
    elif data_dir is not None and input_ is None:
        unknown = sorted(set(only or ()) - set(MODELS))
        if unknown:
            _fail(f"--only: no model named {', '.join(unknown)}; choose from {', '.join(MODELS)}")
        _shipped(data_dir, output_dir, teacher=TeacherRecipe() if teacher else None, only=only)
    else:
        _fail("give either --data-dir (shipped models) or --input with --output (custom model)")


def _custom(source: Path, *, text_column: str, label_column: str, output: Path) -> None:
    with _steps() as step:
        try:
            result = train_custom(
                source, text_column=text_column, label_column=label_column, output=output, step=step
            )
        except (LabelledFileError, OSError) as error:
            _fail(str(error))
    _print_custom(result.metrics)
    context.console.print(
        f"Wrote [bold]{result.path}[/]: {len(result.labels)} labels, {result.rows:,} rows"
    )


def _shipped(
    data_dir: Path, output_dir: Path, *, teacher: TeacherRecipe | None, only: list[str] | None
) -> None:
    with _steps() as step:
        try:
            trained = train_all(
                data_dir, output_dir, step, teacher=teacher, only=tuple(only or MODELS)
            )
        except OSError as error:
            _fail(str(error))
        except TeacherUnavailable as error:
            _fail(f"{error}, or train without it: --no-teacher")
    for item in trained:
        _print_trained(item)
    context.console.print(f"Wrote {len(trained)} models to [bold]{output_dir}[/]")


@contextmanager
def _steps() -> Iterator[Step]:
    """A spinner showing the current training step; each step is also printed, dimmed."""
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=context.console, transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def step(description: str) -> None:
            bar.update(task, description=description)
            context.console.print(f"[dim]· {description}[/]")

        yield step


def _fail(message: str) -> NoReturn:
    context.console.print(f"[red]error:[/] {message}")
    raise typer.Exit(2)


def _print_custom(report: dict[str, Any]) -> None:
    table = _class_table("Cross-validated (5-fold), per label", report["per_class"])
    context.console.print(table)
    context.console.print(
        f"macro-F1 [bold]{report['macro_f1']:.3f}[/], accuracy {report['accuracy']:.3f}, "
        f"Brier {report['brier']:.3f}, ECE {report['ece']:.3f} over {report['rows']:,} rows"
    )


def _print_trained(item: Trained) -> None:
    held = item.metrics["held_out"]
    if item.name == "emotions":
        table = Table(title="emotions: held-out, per emotion")
        for column in (
            "emotion",
            "support",
            "threshold",
            "F1",
            "precision",
            "recall",
            "AUC",
            "ECE",
        ):
            table.add_column(column, justify="left" if column == "emotion" else "right")
        for label in item.model.labels:
            row = held[label]
            values = (
                row["support"],
                row["threshold"],
                row["f1"],
                row["precision"],
                row["recall"],
                row["auc"],
                row["ece"],
            )
            table.add_row(label, *(str(value) for value in values))
        context.console.print(table)
        return
    table = Table(title=f"{item.name}: held-out fifth, by data set")
    for column in ("data set", "rows", "macro-F1", "accuracy", "Brier", "ECE"):
        table.add_column(column, justify="left" if column == "data set" else "right")
    for source, row in held.items():
        table.add_row(
            source,
            f"{row['rows']:,}",
            *(f"{row[key]:.3f}" for key in ("macro_f1", "accuracy", "brier", "ece")),
        )
    context.console.print(table)
    if item.name == "category":
        context.console.print(
            _class_table("category: held-out, per class", held["all"]["per_class"])
        )


def _class_table(title: str, per_class: dict[str, dict[str, float]]) -> Table:
    table = Table(title=title)
    for column in ("label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, row in per_class.items():
        table.add_row(
            label,
            f"{row['precision']:.3f}",
            f"{row['recall']:.3f}",
            f"{row['f1']:.3f}",
            str(row["support"]),
        )
    return table


def register(app: typer.Typer) -> None:
    app.add_typer(model, name="model")
