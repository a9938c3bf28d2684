"""The ``pccgraph`` command: a thin shell over the library.

Each command parses options, calls one library function, prints, and maps
errors to exit codes: 0 done, 1 does not conform / nothing matched, 2 bad input.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from . import pipeline
from .errors import PccgraphError
from .model import Problem

err = Console(stderr=True, emoji=False)
out = Console(emoji=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="pccgraph")
def cli() -> None:
    """Build and explore a knowledge graph of Police and Crime Commissioners'
    responses to HM Inspectorate of Constabulary reports.

    \b
    Typical use:
      pccgraph build                      read data/letters, write output/
      pccgraph build letters/ -o out/     other letters (.txt .md .pdf .docx)
      pccgraph queries                    list the saved SPARQL queries
      pccgraph query grades --format md   run one, print a Markdown table
      pccgraph serve                      a SPARQL endpoint on 127.0.0.1
      pccgraph validate                   SHACL shapes and evidence offsets
      open output/index.html              the site and the network views
    """


PROBLEMS_SHOWN_PER_KIND = 20


def _print_problems(problems: list[Problem]) -> None:
    """Every problem with file and line; a flood of one kind is cut short and counted."""
    counts: dict[str, int] = {}
    examples: dict[str, Problem] = {}
    for problem in problems:
        kind = re.sub(r"\d+|\S+\.(?:txt|md)\S*", "#", problem.message)
        counts[kind] = counts.get(kind, 0) + 1
        examples.setdefault(kind, problem)
        if counts[kind] > PROBLEMS_SHOWN_PER_KIND:
            continue
        colour = {"info": "dim", "warning": "yellow", "error": "red"}[problem.severity.value]
        err.print(f"[{colour}]{escape(str(problem))}[/]", highlight=False, soft_wrap=True)
    for kind, count in counts.items():
        if count > PROBLEMS_SHOWN_PER_KIND:
            err.print(
                f"[dim]… and {count - PROBLEMS_SHOWN_PER_KIND} more like "
                f"{escape(examples[kind].message[:60])!r}[/]",
                highlight=False,
            )


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
@click.option("--no-views", is_flag=True, help="Write only the graph files (no views, site or exports).")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None,
    help="Processes cutting, extracting and rendering responses  [default: the machine's cores]",
)
@click.option(
    "--executor", metavar="dask://HOST:PORT", default=None,
    help="Extract on a running Dask distributed cluster instead of local processes.",
)
@click.option(
    "--cache", "cache_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Folder of the cache (cut files, extractions, rendered graphs)  [default: OUTPUT/.cache]",
)
@click.option("--no-cache", is_flag=True, help="Cut, extract, render and check every response again and keep no cache.")
@click.option(
    "--store", "store_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Also load the graph into an on-disk Oxigraph store at this folder (emptied first).",
)
def build(paths: tuple[Path, ...], out_dir: Path, reference_dir: Path, quiet: bool, no_views: bool,
          jobs: int | None, executor: str | None, cache_dir: Path | None, no_cache: bool,
          store_dir: Path | None) -> None:
    """Read letters and write the knowledge graph.

    PATHS are files (.txt, .md, .pdf, .docx, .html) or folders of them; default:
    data/letters. Writes pccgraph.ttl (sorted), pccgraph.trig (one named graph
    per response), pccgraph.nq and pccgraph.jsonld into the output folder, then
    (unless --no-views) graph.html, views/, index.html, ontology.html and the
    GraphML/GEXF networks. Every response graph is checked (evidence offsets,
    SHACL core shapes) as it is made. What each step made is cached, so a rebuild
    redoes only the responses that changed. Problems are listed with file and line;
    exit code 2 means nothing was built.
    """
    from .executor import default_jobs

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
            result = pipeline.build(
                inputs, out_dir, reference_dir=reference_dir, progress=report, views=not no_views,
                jobs=jobs or default_jobs(), executor=executor,
                cache=False if no_cache else cache_dir, store=store_dir,
            )
    except PccgraphError as exc:
        _fail(exc)
        return
    _print_problems(result.problems)
    shacl_note = ""
    try:  # evidence on every response (Oxigraph SPARQL); SHACL on all, or a sample of a big graph
        checked = pipeline.check_build(result)
        violations = checked.violations
        if checked.shacl_responses < checked.responses:
            shacl_note = (f"SHACL shapes checked on {checked.shacl_responses} of {checked.responses} responses "
                          "(evidence on all); `pccgraph validate` checks every one")
    except PccgraphError as exc:
        violations = ()
        err.print(f"validation could not run: {exc}", style="yellow", markup=False, emoji=False)
    for violation in violations:
        err.print(f"INVALID {violation}", style="bold red", markup=False, emoji=False, highlight=False, soft_wrap=True)
    if violations:
        err.print(f"{len(violations)} SHACL violation(s); `pccgraph validate` explains", style="bold red", markup=False, emoji=False)
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
        ("extracted", result.extracted),
        ("from cache", result.cached),
        ("graphs made", result.rendered),
        ("graphs from cache", result.letters - result.rendered),
    ):
        table.add_row(name, str(value))
    err.print(table)
    if shacl_note:
        err.print(shacl_note, markup=False, highlight=False)
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


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    """``("k=v", …)`` from repeated --param options as a dict."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--param")
        params[key.strip()] = value
    return params


@cli.command("queries")
@click.option(
    "--queries", "folder", type=click.Path(path_type=Path, file_okay=False),
    default=Path("queries"), show_default=True, help="Folder of saved queries (*.rq).",
)
def queries_command(folder: Path) -> None:
    """List the saved SPARQL queries with their titles and parameters.

    \b
    Run one with:   pccgraph query NAME [--param NAME=VALUE ...]
    e.g.            pccgraph query grades --format md
                    pccgraph query programme_timeline --param programme=Athena
    """
    from . import queries as q

    try:
        saved = q.load_queries(folder)
    except PccgraphError as exc:
        _fail(exc)
        return
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("name", no_wrap=True)
    table.add_column("title")
    table.add_column("parameters", no_wrap=True)
    for query in saved:
        table.add_row(query.name, query.title, " ".join(f"{p}=…" for p in query.params))
    out.print(table)


PASSWORD_ENV = "PCCGRAPH_PASSWORD"
_USER_HELP = (f"User name for a store that needs credentials (basic or digest authentication, as the "
              f"store asks). The password comes from ${PASSWORD_ENV} or a prompt, never the command line.")


def _password(user: str | None, url: str) -> str | None:
    """The password for ``user``: from $PCCGRAPH_PASSWORD, else asked for without echo."""
    if user is None:
        return None
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV]
    return str(click.prompt(f"password for {user} at {url}", hide_input=True, err=True))


def _fail_auth(exc: PccgraphError) -> None:
    """A refused request, with what to check: the user and password, or the user's rights."""
    from .store import AuthError

    if isinstance(exc, AuthError):
        if exc.status == 401 and exc.user is not None:
            exc = PccgraphError(f"{exc}: check --user and {PASSWORD_ENV}")
        elif exc.status == 401:
            exc = PccgraphError(f"{exc}: pass --user NAME (the password comes from {PASSWORD_ENV} or a prompt)")
        else:
            exc = PccgraphError(f"{exc} (ask the store's administrator for the rights this needs)")
    _fail(exc)


@cli.command("query")
@click.argument("name")
@click.option("-p", "--param", "pairs", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (repeatable). IRIs (http…, pccid:…) bind as IRIs, "
                   "whole numbers as integers, anything else as a string; an entity "
                   "parameter also takes a label (programme=Athena).")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]),
              default="table", show_default=True, help="Output format (csv and json keep full IRIs).")
@click.option("-i", "--input", "input_path", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("output/pccgraph.trig"), show_default=True, help="Graph file to query.")
@click.option("--endpoint", metavar="URL", help="Query this SPARQL endpoint instead of --input.")
@click.option("--user", metavar="NAME", help=_USER_HELP + " Needs --endpoint.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph",
              show_default=True, help="Embedded engine for --input.")
@click.option("--queries", "folder", type=click.Path(path_type=Path, file_okay=False),
              default=Path("queries"), show_default=True, help="Folder of saved queries (*.rq).")
def query_command(name: str, pairs: tuple[str, ...], fmt: str, input_path: Path,
                  endpoint: str | None, user: str | None, engine: str, folder: Path) -> None:
    """Run a saved query (NAME, or a FILE.rq) and print its rows.

    \b
    Examples:
      pccgraph query grades --format md
      pccgraph query evidence --param entity="College of Policing"
      pccgraph query my-query.rq --format csv > rows.csv
      pccgraph query letters --endpoint http://127.0.0.1:7878/query
      PCCGRAPH_PASSWORD=… pccgraph query letters --user dba \\
          --endpoint http://127.0.0.1:8890/sparql-auth
    Exit code 2: unknown query, bad or missing parameter, syntax error (with file
    and line), a graph that cannot be read, or an endpoint that refused the user.
    """
    from . import queries as q

    if user is not None and not endpoint:
        raise click.UsageError("--user needs --endpoint (a graph file takes no credentials)")
    try:
        saved = q.find_query(name, folder)
        params = _params(pairs)
        password = _password(user, endpoint or "")
        result = q.run_query(saved, endpoint or input_path, params=params, engine=engine,
                             user=user, password=password)
    except PccgraphError as exc:
        _fail_auth(exc)
        return
    if fmt != "table":
        click.echo(q.format_result(result, fmt), nl=False)
        return
    table = Table(title=saved.title, show_header=True, header_style="bold")
    for column in result.columns:
        table.add_column(column, overflow="fold")
    for row in result.rows:
        table.add_row(*(q.compact_iri(value) for value in row))
    out.print(table)
    err.print(f"{len(result.rows)} rows")


@cli.command("serve")
@click.option("--port", type=int, default=7878, show_default=True, help="TCP port (0 picks a free one).")
@click.option("-i", "--input", "input_path", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("output/pccgraph.trig"), show_default=True, help="Graph file to load.")
@click.option("--page-port", type=int, default=None,
              help="TCP port of the query page (default: the next port; 0 picks a free one).")
@click.option("--queries", "queries_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("queries"), show_default=True, help="Folder of saved queries shown on the page.")
def serve_command(port: int, input_path: Path, page_port: int | None, queries_dir: Path) -> None:
    """Serve the graph from an Oxigraph SPARQL server on 127.0.0.1 until Ctrl-C.

    Loads the TriG (one named graph per letter) into a temporary store, with the
    union of all graphs as the default graph, and prints the SPARQL endpoint and
    the query page to open in a browser: every saved query as a tab, its parameters
    explained, run on this server; the page loads nothing from anywhere else.
    Ctrl-C stops the servers and deletes the temporary store.
    """
    import signal

    from . import querypage, store

    def _terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        with store.serve(input_path, port=port) as server, querypage.serve_page(
            server.query_url, queries_dir, port=server.port + 1 if page_port is None else page_port,
            or_free=page_port is None,
        ) as page:
            err.print(f"loaded {input_path}")
            out.print(f"SPARQL endpoint:   {server.query_url}")
            out.print(f"query page:        {page.url}")
            out.print(f"graph store (GSP): {server.store_url}")
            err.print("press Ctrl-C to stop")
            try:
                code = server.wait()
            except KeyboardInterrupt:
                code = None
            # Ctrl-C in a terminal reaches oxigraph too, which may exit first.
            if code is not None and code not in (0, 130, -signal.SIGINT, -signal.SIGTERM):
                err.print(f"[bold red]error:[/] oxigraph stopped by itself (exit code {code})")
                sys.exit(2)
    except PccgraphError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        pass
    err.print("stopped")


@cli.command("push")
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol URL: Oxigraph http://HOST:7878/store, Virtuoso "
                   "http://HOST:8890/sparql-graph-crud (-auth with --user), Fuseki "
                   "http://HOST:3030/DATASET/data, GraphDB http://HOST:7200/repositories/ID/rdf-graphs/service.")
@click.option("-i", "--input", "input_path", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("output/pccgraph.trig"), show_default=True, help="TriG file to upload.")
@click.option("--user", metavar="NAME", help=_USER_HELP)
@click.option("--keep-gone", is_flag=True,
              help="Keep response graphs the store has but the file no longer has (default: delete them).")
@click.option("--sparql", "sparql_endpoint", metavar="URL",
              help="The store's SPARQL query URL, to list its graphs (derived for Oxigraph, Fuseki, "
                   "Virtuoso, GraphDB).")
def push_command(endpoint: str, input_path: Path, user: str | None, keep_gone: bool,
                 sparql_endpoint: str | None) -> None:
    """Upload the graph to a SPARQL 1.1 store, one named graph per response.

    Each graph is sent with PUT ?graph=<response IRI> (SPARQL 1.1 Graph Store
    Protocol), which replaces that graph, so pushing twice leaves the same store.
    Response graphs (pccid:letter/…, statement/…, form/…) the store still holds
    but the file no longer has are then deleted (DELETE ?graph=…), unless
    --keep-gone. Works with Oxigraph, Virtuoso, Apache Jena Fuseki, GraphDB and
    other compliant stores.

    \b
    A store that needs credentials:
      export PCCGRAPH_PASSWORD=…        (or leave it unset to be asked)
      pccgraph push --user dba --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth
    Exit code 2: no graph file, an unreachable store, or a store that refused
    the credentials (401) or the permission (403).
    """
    from . import store

    try:
        result = store.push(input_path, endpoint, user=user, password=_password(user, endpoint),
                            prune=not keep_gone, sparql_endpoint=sparql_endpoint)
    except PccgraphError as exc:
        _fail_auth(exc)
        return
    err.print(f"pushed {result.graphs} named graphs, {result.triples} triples to {result.endpoint}")
    if result.deleted:
        err.print(f"deleted {len(result.deleted)} response graph(s) no longer in {input_path}")


@cli.command("stats")
@click.option("-i", "--input", "input_path", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("output/pccgraph.ttl"), show_default=True, help="Graph file written by build.")
@click.option("-n", "--top", "top", type=click.IntRange(1), default=10, show_default=True,
              help="How many entities, pairs and communities to list.")
def stats_command(input_path: Path, top: int) -> None:
    """Count and measure the graph as a network.

    \b
    Prints, as tables:
      classes        instances of every class in the graph
      most linked    entities with the most links (degree), letters left out
      bridges        entities on the most shortest paths (betweenness)
      communities    Louvain communities (fixed seed), largest first
      named together pairs of entities named in the most letters' text
    Exit code 2: the graph file is missing or unreadable (run pccgraph build).
    """
    from . import analytics as an

    try:
        graph = an.load_graph(input_path)
    except FileNotFoundError:
        _fail(PccgraphError(f"{input_path}: no such graph file; run `pccgraph build` first"))
        return
    except Exception as exc:  # rdflib raises parser-specific types
        _fail(PccgraphError(f"{input_path}: cannot read the graph: {exc}"))
        return
    data = an.read_graph(graph)
    network = an.project(data)
    result = an.analyse(data, network, top_pairs=top, source=graph)
    letters = [x.iri for x in data.letters]

    def name(iri: str) -> str:
        return an.KIND_LABELS.get(data.entities[iri].kind, "") + ": " + data.entities[iri].label

    table = Table(title="classes", header_style="bold")
    table.add_column("class")
    table.add_column("instances", justify="right")
    for cls, count in result.class_counts:
        table.add_row(cls, str(count))
    out.print(table)
    table = Table(title=f"most linked (degree; {len(letters)} letters left out)", header_style="bold")
    for column, justify in (("entity", "left"), ("links", "right"), ("letters", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for iri, value in result.top("degree", top, exclude=letters):
        table.add_row(name(iri), str(int(value)), str(data.entities[iri].letters))
    out.print(table)
    table = Table(title="bridges (betweenness)", header_style="bold")
    table.add_column("entity")
    table.add_column("betweenness", justify="right")
    for iri, value in result.top("betweenness", top, exclude=letters):
        table.add_row(name(iri), f"{value:.4f}")
    out.print(table)
    table = Table(title=f"communities (Louvain, seed {an.SEED})", header_style="bold")
    for column, justify in (("#", "right"), ("size", "right"), ("letters", "right"), ("best-linked members", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for number, members in enumerate(result.communities[:top], 1):
        things = [m for m in members if data.entities[m].kind != "letter"]
        best = sorted(things, key=lambda m: (-result.degree.get(m, 0), m))[:5]
        table.add_row(str(number), str(len(members)), str(len(members) - len(things)),
                      "; ".join(data.entities[m].label for m in best))
    out.print(table)
    table = Table(title="named together most often", header_style="bold")
    for column, justify in (("a", "left"), ("b", "left"), ("letters", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for a, b, count in result.top_pairs:
        table.add_row(name(a), name(b), str(count))
    out.print(table)
    err.print(f"{network.number_of_nodes()} nodes, {network.number_of_edges()} edges "
              f"({sum(1 for *_, d in network.edges(data=True) if d['relations'])} relations)")


def _graph_argument(func):  # type: ignore[no-untyped-def]
    return click.argument(
        "graph", required=False, default=Path("output/pccgraph.ttl"),
        type=click.Path(path_type=Path, dir_okay=False),
    )(func)


@cli.command("validate")
@_graph_argument
@click.option("--shapes", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="SHACL shapes (Turtle). [default: ontology/shapes.ttl]")
@click.option("--ontology", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The ontology, mixed in for sh:class. [default: ontology/pccgraph.ttl]")
def validate_command(graph: Path, shapes: Path | None, ontology: Path | None) -> None:
    """Check a graph against the SHACL shapes and the evidence offsets.

    GRAPH is a .ttl, .trig, .nt or .jsonld file; default: output/pccgraph.ttl.
    pySHACL checks the shapes (a letter has one date, a report it responds to,
    its text, file and lines; annotations have a source and start < end; a
    judgement has one grade from the scheme …), then every annotation's quote
    must be the letter text at its offsets and every mention must have one.
    Each problem is printed with its node, path and message.

    \b
    Exit codes: 0 conforms, 1 violations, 2 could not run (missing or unreadable file).
    """
    from . import validation

    try:
        report = validation.validate(
            graph, shapes=shapes or validation.SHAPES, ontology=ontology or validation.ONTOLOGY
        )
    except PccgraphError as exc:
        _fail(exc)
        return
    colour = {"violation": "bold red", "warning": "yellow", "info": "dim"}
    for problem in report.problems:
        out.print(f"{problem.severity.value.upper()} [{problem.check}]", style=colour[problem.severity.value], markup=False, emoji=False)
        for label, value in (("node", problem.focus), ("path", problem.path), ("message", problem.message), ("value", problem.value)):
            if value:
                out.print(f"  {label + ':':<9}{value}", markup=False, emoji=False, highlight=False, soft_wrap=True)
    summary = report.text.splitlines()[0]
    out.print(summary, style="green" if report.conforms else "bold red", markup=False, emoji=False, soft_wrap=True)
    err.print(f"validated {graph} in {report.seconds:.1f} s", markup=False, emoji=False)
    sys.exit(0 if report.conforms else 1)


@cli.command("reason")
@_graph_argument
@click.option("-o", "--output", "out_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where to write the inferred triples. [default: pccgraph-inferred.ttl beside GRAPH]")
@click.option("--ontology", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The ontology (Turtle). [default: ontology/pccgraph.ttl]")
def reason_command(graph: Path, out_path: Path | None, ontology: Path | None) -> None:
    """Check the graph is consistent with the ontology and write what it entails.

    Loads the ontology and GRAPH (default: output/pccgraph.ttl) into owlready2
    and runs the HermiT reasoner (needs Java). When they are consistent, the
    facts HermiT infers that the graph does not state (inverse properties such
    as pcc:isRespondedToBy, pcc:concernsForce from respondsTo + inspects,
    alliance membership both ways, types from domains, ranges and superclasses)
    are written as sorted Turtle to load beside the graph. When they are not,
    the nodes to blame are named (e.g. a node typed as two disjoint classes).

    \b
    Exit codes: 0 consistent, 1 inconsistent, 2 could not run (no Java, unreadable file).
    """
    from . import reasoning

    try:
        report = reasoning.reason(
            graph,
            ontology=ontology or reasoning.ONTOLOGY,
            out_path=out_path or graph.with_name(reasoning.INFERRED_NAME),
        )
    except PccgraphError as exc:
        _fail(exc)
        return
    out.print(report.text.rstrip("\n"), style=None if report.consistent else "bold red", markup=False, emoji=False, highlight=False)
    if report.output is not None:
        err.print(f"wrote {report.output}", markup=False, emoji=False)
    err.print(f"reasoned over {graph} in {report.seconds:.1f} s (HermiT {report.hermit_seconds:.1f} s)", markup=False, emoji=False)
    sys.exit(0 if report.consistent else 1)


def main() -> None:
    """Entry point for ``python -m pccgraph``."""
    cli()
