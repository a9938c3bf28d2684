"""Median latency of every saved query, embedded Oxigraph (pyoxigraph) vs rdflib.

Measures on the bundled graph (``output/pccgraph.trig``) and on a SYNTHETIC graph
about 100x larger made by ``benchmarks/synthetic.py`` (the bundled letters copied
under renamed IRIs; not real data). Writes ``benchmarks/RESULTS.md``.

    .venv/bin/python benchmarks/queries.py              # about 5 minutes
    .venv/bin/python benchmarks/queries.py --copies 10  # quicker

With ``--graph`` it measures one graph file already built (e.g. the SYNTHETIC
10,000-response archive of ``benchmarks/synthetic_archive.py``) with the embedded
Oxigraph only, and writes (or replaces) one ``## LABEL`` section of RESULTS.md,
leaving the rest of the file as it is. rdflib is not measured there: parsing
millions of quads into its memory store takes many minutes and gigabytes, and on the
1.3-million-quad graph several of its queries already stop at 10 s.

    .venv/bin/pccgraph build ARCHIVE -o /tmp/big --no-views
    .venv/bin/python benchmarks/queries.py --graph /tmp/big/pccgraph.nq \
        --label "10,000 responses (synthetic archive)"

A latency is one ``run_query`` call on an already loaded store: parse, bind, run,
turn the rows into display strings (what ``pccgraph query`` pays after loading).
rdflib on the large graph is slow, so each of its queries runs once, cheapest
first, in a worker process with a per-query timeout and an overall budget.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from synthetic import write_synthetic  # noqa: E402

from pccgraph.queries import QueryResult, SavedQuery, load_queries, run_query  # noqa: E402

PARAMS = {
    "programme_timeline": {"programme": "Athena"},
    "evidence": {"entity": "College of Policing"},
    "letters_naming": {"body": "Action Fraud"},
}
TARGET_SMALL_MS = 20.0
TARGET_LARGE_MS = 200.0
TARGET_AUDIT_MS = 5000.0


@dataclass
class Timing:
    """Median milliseconds over ``runs`` (None when not measured) and the row count."""

    median_ms: float | None = None
    runs: int = 0
    rows: int | None = None
    note: str = ""


@dataclass
class Scale:
    """Results for one graph."""

    label: str
    quads: int = 0
    load_s: dict[str, float] = field(default_factory=dict)
    timings: dict[tuple[str, str], Timing] = field(default_factory=dict)


def _measure(query: SavedQuery, source: object, engine: str, runs: int, max_s: float,
             params: dict[str, dict[str, str]] | None = None) -> Timing:
    """One warm-up call, then up to ``runs`` timed calls (fewer when they exceed ``max_s`` in total)."""
    given = (PARAMS if params is None else params).get(query.name)
    started = time.perf_counter()
    result: QueryResult = run_query(query, source, params=given, engine=engine)
    warmup = time.perf_counter() - started
    samples: list[float] = []
    spent = 0.0
    for _ in range(runs):
        if samples and spent + warmup > max_s:
            break
        t0 = time.perf_counter()
        run_query(query, source, params=given, engine=engine)
        elapsed = time.perf_counter() - t0
        samples.append(elapsed)
        spent += elapsed
    return Timing(statistics.median(samples) * 1000, len(samples), len(result.rows))


class _Timeout(BaseException):
    """Raised in the worker when one rdflib query runs past its time."""


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def _rdflib_worker(path: str, names: list[str], folder: str, timeout: float,
                   conn: mp.connection.Connection) -> None:
    """Load the graph with rdflib, then time each query once (runs in a child process).

    rdflib evaluates in Python, so a SIGALRM timer can stop a query that runs past
    ``timeout`` and the worker goes on with the next one.
    """
    signal.signal(signal.SIGALRM, _alarm)
    t0 = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(path, format="trig")
    conn.send(("loaded", time.perf_counter() - t0, None))
    queries = {q.name: q for q in load_queries(Path(folder))}
    for name in names:
        t1 = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            result = run_query(queries[name], ds, params=PARAMS.get(name), engine="rdflib")
        except _Timeout:
            conn.send((name, None, None))
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        conn.send((name, time.perf_counter() - t1, len(result.rows)))
    conn.close()


def _rdflib_large(path: Path, order: list[str], folder: Path, scale: Scale, *,
                  load_timeout: float, query_timeout: float, budget: float) -> None:
    """rdflib on the large graph: one run per query, cheapest first, within a time budget."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    worker = ctx.Process(target=_rdflib_worker, args=(str(path), order, str(folder), query_timeout, child),
                         daemon=True)
    worker.start()
    try:
        if not parent.poll(load_timeout):
            for name in order:
                scale.timings[(name, "rdflib")] = Timing(note=f"not run: parse took over {load_timeout:.0f} s")
            scale.load_s["rdflib"] = float("nan")
            return
        _, load_s, _ = parent.recv()
        scale.load_s["rdflib"] = load_s
        started = time.perf_counter()
        for n, name in enumerate(order):
            if time.perf_counter() - started > budget or not parent.poll(query_timeout + 60):
                for rest in order[n:]:
                    scale.timings[(rest, "rdflib")] = Timing(note="not run (time budget)")
                return
            got, seconds, rows = parent.recv()
            assert got == name
            if seconds is None:
                scale.timings[(name, "rdflib")] = Timing(note=f"> {query_timeout:.0f} s (stopped)")
            else:
                scale.timings[(name, "rdflib")] = Timing(seconds * 1000, 1, rows)
    finally:
        worker.kill()
        worker.join(timeout=10)


def _machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores (nproc), {memory}",
        f"- OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"- Python {platform.python_version()}; rdflib {version('rdflib')}; pyoxigraph {version('pyoxigraph')}",
    ]


def _cell(t: Timing | None, target: float | None = None) -> str:
    if t is None:
        return "–"
    if t.median_ms is None:
        return t.note
    text = f"{t.median_ms:.1f}" if t.median_ms < 100 else f"{t.median_ms:.0f}"
    if target is not None and t.median_ms > target:
        text += " ⚠"
    return text


def _report(small: Scale, large: Scale, names: list[str], copies: int, runs: dict[str, int], elapsed: float) -> str:
    lines = [
        "# Saved-query latency: embedded Oxigraph vs rdflib",
        "",
        "Generated by `benchmarks/queries.py` (not a test). Median wall-clock milliseconds of",
        "one `run_query` call on a loaded store — parse, bind, evaluate, rows to strings —",
        "for every saved query in `queries/`.",
        "",
        "Machine (shared with other jobs while measuring, so expect ±20 % noise):",
        "",
        *_machine(),
        "",
        "Graphs:",
        "",
        f"- **bundled**: `output/pccgraph.trig`, {small.quads:,} quads (24 letters).",
        f"- **synthetic {copies}×**: {large.quads:,} quads — **SYNTHETIC data**, the bundled letters copied",
        f"  {copies} times under renamed IRIs by `benchmarks/synthetic.py` (titles get `[synthetic k]`,",
        "  dates shift by k mod 4 years, reference entities are shared). Not real letters.",
        "",
        "Load times (seconds): "
        + "; ".join(
            f"{scale.label} — " + ", ".join(f"{engine} {seconds:.1f}" for engine, seconds in sorted(scale.load_s.items()))
            for scale in (small, large)
        ),
        "",
        f"Runs per median: bundled oxigraph {runs['small_ox']}, bundled rdflib up to {runs['small_rdf']},",
        f"synthetic oxigraph {runs['large_ox']}, synthetic rdflib 1 (cheapest queries first, in a worker",
        "with a per-query timeout and a time budget). ⚠ marks a default-engine (oxigraph) median over the",
        f"target: {TARGET_SMALL_MS:.0f} ms on the bundled graph, {TARGET_LARGE_MS:.0f} ms on the synthetic one.",
        "",
        f"| query | rows | oxigraph | rdflib | rows {copies}× | oxigraph {copies}× | rdflib {copies}× |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        s_ox, s_rdf = small.timings.get((name, "oxigraph")), small.timings.get((name, "rdflib"))
        l_ox, l_rdf = large.timings.get((name, "oxigraph")), large.timings.get((name, "rdflib"))
        lines.append(
            f"| {name} | {s_ox.rows if s_ox else '–'} | {_cell(s_ox, TARGET_SMALL_MS)} | {_cell(s_rdf)} | "
            f"{l_ox.rows if l_ox else '–'} | {_cell(l_ox, TARGET_LARGE_MS)} | {_cell(l_rdf)} |"
        )

    def summary(scale: Scale, engine: str) -> str:
        values = [t.median_ms for (n, e), t in scale.timings.items() if e == engine and t.median_ms is not None]
        if not values:
            return "not measured"
        return (f"median of medians {statistics.median(values):.1f} ms, max {max(values):.0f} ms "
                f"({len(values)} queries)")

    over_small = [n for n in names if (t := small.timings.get((n, "oxigraph"))) and t.median_ms
                  and t.median_ms > TARGET_SMALL_MS]
    over_large = [n for n in names if (t := large.timings.get((n, "oxigraph"))) and t.median_ms
                  and t.median_ms > TARGET_LARGE_MS]
    lines += [
        "",
        "Summary:",
        "",
        f"- bundled, oxigraph: {summary(small, 'oxigraph')}; rdflib: {summary(small, 'rdflib')}.",
        f"- synthetic {copies}×, oxigraph: {summary(large, 'oxigraph')}; rdflib: {summary(large, 'rdflib')}.",
        f"- over target with the default engine: bundled {', '.join(over_small) or 'none'}; "
        f"synthetic {', '.join(over_large) or 'none'}.",
        "",
        "Notes:",
        "",
        "- `evidence_check` is an audit, not an interactive question: it slices the letter text for",
        "  every annotation, so its time grows with the whole graph.",
        "- Oxigraph follows the written order of triple patterns closely, so the saved queries start",
        "  from their most selective pattern (`requires_improvement_commitments` starting from",
        "  `pcc:grade pcc:RequiresImprovement` instead of the report took 11 ms instead of 1 s at 100×),",
        "  and an entity parameter given as a label is looked up first and bound as an IRI (matching",
        "  the label with a FILTER inside the query took from 0.4 s to several minutes at 100×).",
        "- rdflib orders triple patterns when it parses a query, before it knows parameter values, and",
        "  evaluates a subquery once per outer row; queries it could not finish in 10 s show as stopped.",
        "",
        f"Total benchmark time: {elapsed:.0f} s.",
        "",
    ]
    return "\n".join(lines)


_OX_FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE,
               ".nt": ox.RdfFormat.N_TRIPLES}


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far (VmHWM), in MB; NaN where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return float("nan")


def _load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _graph_params(overrides: list[str]) -> dict[str, dict[str, str]]:
    """PARAMS with ``QUERY.PARAM=VALUE`` overrides applied."""
    params = {name: dict(values) for name, values in PARAMS.items()}
    for item in overrides:
        key, sep, value = item.partition("=")
        query, dot, param = key.partition(".")
        if not sep or not dot or not query or not param:
            raise SystemExit(f"--param wants QUERY.PARAM=VALUE, not {item!r}")
        params.setdefault(query, {})[param] = value
    return params


def _graph_section(scale: Scale, path: Path, names: list[str], params: dict[str, dict[str, str]],
                   runs: int, load_before: str, load_after: str, rss_mb: float, elapsed: float,
                   before: dict[str, str]) -> str:
    """One ``## LABEL`` section of RESULTS.md for a graph measured with ``--graph``."""
    timed = [t.median_ms for (n, e), t in scale.timings.items() if e == "oxigraph" and t.median_ms is not None]
    audits = {"evidence_check"}
    over = [n for n in names if (t := scale.timings.get((n, "oxigraph"))) and t.median_ms is not None
            and t.median_ms > (TARGET_AUDIT_MS if n in audits else TARGET_LARGE_MS)]
    used = [f"{q}: " + ", ".join(f"{k}={v!r}" for k, v in sorted(params[q].items()))
            for q in names if q in params]
    lines = [
        f"## {scale.label}",
        "",
        f"Measured by `benchmarks/queries.py --graph {path.name} --label {scale.label!r}` on a graph",
        "file `pccgraph build --no-views` wrote; embedded Oxigraph (pyoxigraph) only. rdflib is not",
        "measured at this size: parsing millions of quads into its memory store takes many minutes",
        "and gigabytes, and on the 1.3-million-quad graph above several of its queries already stop at 10 s.",
        "",
        *_machine(),
        f"- load average (1 / 5 / 15 min) before measuring {load_before}, after {load_after}: the",
        "  2 cores were shared with other jobs (a graph build among them), so expect ±20 % noise.",
        "",
        f"Graph: {scale.quads:,} quads; `Store.bulk_load` of the {path.suffix} file into an in-memory store took",
        f"{scale.load_s['oxigraph']:.1f} s; peak RSS of the benchmark process {rss_mb:,.0f} MB.",
        "",
        f"Median of up to {runs} `run_query` calls after one warm-up (parse, bind, label lookup,",
        "evaluate, rows to strings), in milliseconds. Targets: "
        f"{TARGET_LARGE_MS:.0f} ms for every saved query, {TARGET_AUDIT_MS / 1000:.0f} s for the",
        "`evidence_check` audit; ⚠ marks a median over its target."
        + (" \"before\" is the median of the query as it was before it was rewritten for Oxigraph's"
           " planner (same columns and rows)." if before else ""),
        "",
    ]
    if used:
        lines += ["Parameters: " + "; ".join(used) + ".", ""]
    if before:
        lines += ["| query | rows | oxigraph ms | before ms |", "|---|---:|---:|---:|"]
    else:
        lines += ["| query | rows | oxigraph ms |", "|---|---:|---:|"]
    for name in names:
        t = scale.timings.get((name, "oxigraph"))
        target = TARGET_AUDIT_MS if name in audits else TARGET_LARGE_MS
        row = f"| {name} | {t.rows if t and t.rows is not None else '–'} | {_cell(t, target)} |"
        if before:
            row += f" {before.get(name, '')} |"
        lines.append(row)
    lines += [
        "",
        f"Median of medians {statistics.median(timed):.1f} ms, max {max(timed):.1f} ms ({len(timed)} queries);"
        f" over target: {', '.join(over) or 'none'}. Benchmark time {elapsed:.0f} s.",
        "",
    ]
    return "\n".join(lines)


def _write_section(path: Path, text: str) -> None:
    """Put a ``## heading`` section into ``path``: replace the section with that heading, or append it."""
    heading = text.splitlines()[0]
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = old.splitlines()
    if heading in lines:
        start = lines.index(heading)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        lines[start:end] = text.rstrip("\n").splitlines() + ([""] if end < len(lines) else [])
        new = "\n".join(lines) + "\n"
    else:
        new = old.rstrip("\n") + "\n\n" + text if old else text
    path.write_text(new, encoding="utf-8")


def _measure_guarded(query: SavedQuery, store: ox.Store, runs: int, max_s: float,
                     params: dict[str, dict[str, str]], timeout: float, memory_gb: float) -> Timing:
    """``_measure`` in a forked child with a time limit and an address-space cap.

    A query the planner gets wrong can run for minutes and take all the memory
    (one did: 14 GB in 16 minutes); the child is stopped and the query noted.
    """
    import resource

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()

    def work() -> None:
        rss = int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) * 1024
        resource.setrlimit(resource.RLIMIT_AS, (rss + int(memory_gb * 2**30), resource.RLIM_INFINITY))
        child.send(_measure(query, store, "oxigraph", runs, max_s, params))

    worker = ctx.Process(target=work, daemon=True)
    worker.start()
    try:
        if parent.poll(timeout):
            try:
                return parent.recv()
            except EOFError:
                return Timing(note=f"failed (over {memory_gb:.0f} GB more memory?)")
        return Timing(note=f"> {timeout:.0f} s (stopped)")
    finally:
        worker.kill()
        worker.join(timeout=10)


def _measure_graph(args: argparse.Namespace, saved: list[SavedQuery], log: Any) -> int:
    """``--graph``: every saved query on one built graph file, embedded Oxigraph only."""
    started = time.perf_counter()
    path: Path = args.graph
    if path.suffix not in _OX_FORMATS:
        raise SystemExit(f"{path}: use a .nq, .trig, .ttl or .nt graph file")
    params = _graph_params(args.param)
    only = set(args.only or [])
    names = [q.name for q in saved if not only or q.name in only]
    load_before = _load_average()
    scale = Scale(args.label)
    t0 = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(path), format=_OX_FORMATS[path.suffix])
    scale.load_s["oxigraph"] = time.perf_counter() - t0
    scale.quads = len(store)
    log(f"loaded {path} ({scale.quads:,} quads) in {scale.load_s['oxigraph']:.1f} s")
    for query in saved:
        if query.name not in names:
            continue
        max_s = 60.0 if query.name == "evidence_check" else 15.0
        scale.timings[(query.name, "oxigraph")] = _measure_guarded(query, store, args.runs, max_s, params,
                                                                   args.timeout, args.memory_gb)
        t = scale.timings[(query.name, "oxigraph")]
        log(f"{query.name}: {_cell(t)}" + (f" ms, {t.rows} rows ({t.runs} runs)" if t.median_ms is not None else ""))
    before = {}
    for item in args.before:
        name, _, value = item.partition("=")
        before[name] = value
    if args.no_write:
        return 0
    text = _graph_section(scale, path, names, params, args.runs, load_before, _load_average(), _peak_rss_mb(),
                          time.perf_counter() - started, before)
    _write_section(args.output, text)
    log(f"wrote the section {args.label!r} of {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=ROOT / "output" / "pccgraph.trig")
    parser.add_argument("--queries", type=Path, default=ROOT / "queries")
    parser.add_argument("--copies", type=int, default=100, help="synthetic graph size, as a multiple")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--rdflib-budget", type=float, default=150.0, help="seconds for rdflib on the large graph")
    parser.add_argument("--rdflib-timeout", type=float, default=10.0, help="seconds per rdflib query, large graph")
    parser.add_argument("--graph", type=Path, help="measure only this built graph file (.nq, .trig …), oxigraph only")
    parser.add_argument("--label", default="", help="with --graph: the section heading in RESULTS.md")
    parser.add_argument("--param", action="append", default=[], metavar="QUERY.PARAM=VALUE",
                        help="with --graph: a parameter other than PARAMS' (repeatable)")
    parser.add_argument("--runs", type=int, default=7, help="with --graph: timed runs per query")
    parser.add_argument("--only", action="append", help="with --graph: measure only this query (repeatable)")
    parser.add_argument("--before", action="append", default=[], metavar="QUERY=MS",
                        help="with --graph: a median measured before a rewrite, shown beside the new one")
    parser.add_argument("--timeout", type=float, default=120.0, help="with --graph: seconds before a query is stopped")
    parser.add_argument("--memory-gb", type=float, default=6.0, help="with --graph: memory a query may add")
    parser.add_argument("--no-write", action="store_true", help="with --graph: print only, do not write")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    saved = load_queries(args.queries)
    names = [q.name for q in saved]
    runs = {"small_ox": 21, "small_rdf": 5, "large_ox": 7}

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    if args.graph is not None:
        if not args.label:
            parser.error("--graph needs --label (the heading of its section in RESULTS.md)")
        return _measure_graph(args, saved, log)

    small = Scale("bundled")
    t0 = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(args.input), format=ox.RdfFormat.TRIG)
    small.load_s["oxigraph"] = time.perf_counter() - t0
    small.quads = len(store)
    t0 = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(args.input, format="trig")
    small.load_s["rdflib"] = time.perf_counter() - t0
    for query in saved:
        small.timings[(query.name, "oxigraph")] = _measure(query, store, "oxigraph", runs["small_ox"], 5.0)
        small.timings[(query.name, "rdflib")] = _measure(query, ds, "rdflib", runs["small_rdf"], 10.0)
        log(f"bundled {query.name}: oxigraph {_cell(small.timings[(query.name, 'oxigraph')])} ms, "
            f"rdflib {_cell(small.timings[(query.name, 'rdflib')])} ms")
    del ds

    large = Scale(f"synthetic {args.copies}x")
    with tempfile.TemporaryDirectory(prefix="pccgraph-bench-") as tmp:
        synthetic = Path(tmp) / f"SYNTHETIC-{args.copies}x.trig"
        large.quads = write_synthetic(args.input, synthetic, args.copies)
        log(f"wrote {synthetic} ({large.quads:,} quads)")
        t0 = time.perf_counter()
        big = ox.Store()
        big.bulk_load(path=str(synthetic), format=ox.RdfFormat.TRIG)
        large.load_s["oxigraph"] = time.perf_counter() - t0
        for query in saved:
            large.timings[(query.name, "oxigraph")] = _measure(query, big, "oxigraph", runs["large_ox"], 10.0)
            log(f"synthetic {query.name}: oxigraph {_cell(large.timings[(query.name, 'oxigraph')])} ms")
        del big
        order = sorted(names, key=lambda n: large.timings[(n, "oxigraph")].median_ms or 0.0)
        log("rdflib on the synthetic graph (parse first) …")
        _rdflib_large(synthetic, order, args.queries, large, load_timeout=240.0,
                      query_timeout=args.rdflib_timeout, budget=args.rdflib_budget)
        log(f"rdflib parse {large.load_s.get('rdflib', float('nan')):.1f} s")
    text = _report(small, large, names, args.copies, runs, time.perf_counter() - started)
    # keep the sections --graph wrote (measured on graphs this run does not build)
    old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    kept = old[old.index("\n## ") + 1:] if "\n## " in old else ""
    args.output.write_text(text + ("\n" + kept if kept else ""), encoding="utf-8")
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
