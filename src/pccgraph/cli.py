"""The ``pccgraph`` command: a thin shell over the library.

Each command parses options, calls one library function, prints, and maps
errors to exit codes: 0 done, 1 does not conform / nothing matched, 2 bad input.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from . import pipeline
from .errors import PccgraphError

err = Console(stderr=True)
out = Console()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="pccgraph")
def cli() -> None:
    """Build and explore a knowledge graph of Police and Crime Commissioners'
    responses to HM Inspectorate of Constabulary reports.

    \b
    Typical use:
      pccgraph build                      read data/letters, write output/
      pccgraph build letters/ -o out/     other letters, other output folder
    """


def _fail(exc: PccgraphError) -> None:
    err.print(f"[bold red]error:[/] {exc}")
    sys.exit(2)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
    default=pipeline.DEFAULT_OUTPUT, show_default=True, help="Folder for the graph files.",
)
@click.option(
    "--reference", "reference_dir", type=click.Path(path_type=Path, file_okay=False),
    default=pipeline.DEFAULT_REFERENCE, show_default=True,
    help="Reference data (forces, bodies, programmes …) as CSV files.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def build(paths: tuple[Path, ...], out_dir: Path, reference_dir: Path, quiet: bool) -> None:
    """Read letters and write the knowledge graph.

    PATHS are files (.txt, .md) or folders of them; default: data/letters.
    Writes pccgraph.ttl (canonical, sorted), pccgraph.trig (one named graph
    per letter) and pccgraph.jsonld into the output folder. Problems are listed
    with file and line; exit code 2 means nothing was built.
    """
    started = time.perf_counter()
    inputs = list(paths) or [pipeline.DEFAULT_LETTERS]
    progress = Progress(
        TextColumn("{task.description:<8}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        console=err, transient=True, disable=quiet,
    )
    tasks: dict[str, int] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done, total=total)

    try:
        with progress:
            result = pipeline.build(inputs, out_dir, reference_dir=reference_dir, progress=report)
    except PccgraphError as exc:
        _fail(exc)
        return
    for problem in result.problems:
        colour = {"info": "dim", "warning": "yellow", "error": "red"}[problem.severity.value]
        err.print(f"[{colour}]{problem}[/]", highlight=False, soft_wrap=True)
    if quiet:
        return
    table = Table(title="pccgraph build", show_header=True, header_style="bold")
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, value in (
        ("letters", result.letters),
        ("reports", result.reports),
        ("entities", result.entities),
        ("triples", result.triples),
        ("warnings", result.warnings),
    ):
        table.add_row(name, str(value))
    err.print(table)
    for path in result.outputs.values():
        err.print(f"wrote {path}")
    err.print(f"done in {time.perf_counter() - started:.1f} s")


@cli.command("eval")
@click.argument("gold_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option(
    "--letters", "letters", multiple=True, type=click.Path(path_type=Path),
    help="Letters the gold files refer to (repeatable); default: data/letters.",
)
@click.option(
    "--reference", "reference_dir", type=click.Path(path_type=Path, file_okay=False),
    default=pipeline.DEFAULT_REFERENCE, show_default=True, help="Reference data folder.",
)
@click.option("--misses", is_flag=True, help="Also list every false positive and false negative.")
def evaluate_command(gold_dir: Path, letters: tuple[Path, ...], reference_dir: Path, misses: bool) -> None:
    """Score extraction against hand-annotated gold letters.

    GOLD_DIR holds one JSON file per letter (see tests/gold/README.md). Prints
    precision, recall and F1 for each type: force, programme, body, post,
    person, place, law, grade, tally, commitment. Nothing is written.
    """
    from .evaluate import EVAL_TYPES, evaluate, load_gold

    try:
        result = pipeline.build(list(letters) or [pipeline.DEFAULT_LETTERS], None, reference_dir=reference_dir)
        evaluation = evaluate(result.resolved.extractions, load_gold(gold_dir))
    except PccgraphError as exc:
        _fail(exc)
        return
    table = Table(title=f"extraction vs gold ({evaluation.letters} letters)", header_style="bold")
    for column in ("type", "gold", "found", "correct", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "type" else "right")
    for name in EVAL_TYPES:
        sc = evaluation.scores[name]
        table.add_row(
            name, str(sc.tp + sc.fn), str(sc.tp + sc.fp), str(sc.tp),
            f"{sc.precision:.2f}", f"{sc.recall:.2f}", f"{sc.f1:.2f}",
        )
    out.print(table)
    if misses:
        for name in EVAL_TYPES:
            sc = evaluation.scores[name]
            for item in sc.false_positives:
                out.print(f"[yellow]{name} false positive[/]: {item}", highlight=False)
            for item in sc.false_negatives:
                out.print(f"[red]{name} missed[/]: {item}", highlight=False)


def main() -> None:
    """Entry point for ``python -m pccgraph``."""
    cli()
