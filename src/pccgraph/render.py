"""Stage 5b: every named graph made, rendered and checked once, and kept between builds.

A response's named graph is a function of its extraction (which the extraction
cache already keys by the response's text and place, the code and the reference
data), its id, and the few corpus-wide decisions it uses: the ids its facts' reports
and findings resolve to. :func:`graph_key` hashes exactly those, so a graph
whose key is unchanged since the last build is taken from the cache as it was
written then: its Turtle blocks, JSON-LD nodes, N-Triples lines and the problems
checking it found. Only new or changed graphs are made, in this process or in
forked workers (``jobs``), each chunk checked in a small Oxigraph store that
holds the chunk and the reference graph.

Graphs come out sorted by IRI, the order the TriG and N-Quads list them, one at a
time, so a large corpus is never held whole in memory.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .cache import PickleCache
from .graph import REFERENCE_GRAPH, QuadSink, _reference_sink, _response_sink, response_iri
from .model import Extraction
from .output import RenderedGraph, render_graph
from .resolve import Resolved
from .validation import ValidationProblem, check_store, short

FORK_MIN_RESPONSES = 64  # fewer graphs to make than this: made here, a pool costs more than it saves
FORK_CHUNK = 100  # graphs a worker makes, renders and checks at once
SUFFIX = ".graph.pickle"
FORMAT = "1"  # bump when RenderedGraph or Unit change shape


@dataclass(frozen=True, slots=True)
class Unit:
    """One named graph rendered, and what checking it (with the reference graph) found."""

    graph: RenderedGraph
    problems: tuple[ValidationProblem, ...] = ()
    key: str = ""


def graph_key(response_key: str, letter_id: str, extraction: Extraction, resolved: Resolved) -> str:
    """What a response's graph depends on, hashed: its extraction's cache key, its id, and
    the ids of the resolved reports and findings its facts name (the reports and findings
    themselves are described in the reference graph)."""
    used: list[str] = []
    for f in extraction.facts:
        named = f.get("report")
        if not named:
            continue
        report = resolved.report_id(named)
        used.append(report)
        if f.kind in ("finding", "finding_status"):
            kind, number = f.get("finding_kind"), f.get("number")
            used.append(resolved.finding_id(report, kind, number, f.get("text")))
            used.append(resolved.finding_id(report, kind, number))
    digest = hashlib.sha256(f"{FORMAT}\0{response_key}\0{letter_id}\0".encode())
    digest.update("\0".join(used).encode("utf-8"))
    return digest.hexdigest()


class GraphCache(PickleCache):
    """Rendered graphs on disk, one pickle per key under ``folder/<ab>/<key>.graph.pickle``."""

    suffix = SUFFIX
    kind = Unit

    def get(self, key: str) -> Unit | None:
        found = super().get(key)
        return found if found is not None and found.key == key else None


def _attribute(problems: list[ValidationProblem], graphs: Sequence[RenderedGraph]) -> list[tuple[ValidationProblem, ...]]:
    """Each graph's problems: those whose focus node is one of its subjects."""
    owner: dict[str, list[int]] = {}
    for n, graph in enumerate(graphs):
        for subject in graph.subjects:
            owner.setdefault(short(subject[1:-1]), []).append(n)
    out: list[list[ValidationProblem]] = [[] for _ in graphs]
    for problem in problems:
        for n in owner.get(problem.focus, ()):
            out[n].append(problem)
    return [tuple(sorted(set(found), key=_problem_order)) for found in out]


def _problem_order(p: ValidationProblem) -> tuple[str, str, str, str]:
    return (p.focus, p.path, p.message, p.value)


def check_graphs(reference: QuadSink, graphs: Sequence[QuadSink]) -> list[ValidationProblem]:
    """Check some graphs together with the reference graph in a small store of their own."""
    store = ox.Store()
    reference.load_into(store)
    for sink in graphs:
        sink.load_into(store)
    return check_store(store)


_FORKED: list[tuple[Resolved, QuadSink, GraphCache | None]] = []  # what a forked worker reads (inherited)


def make_units(resolved: Resolved, reference: QuadSink, todo: Sequence[tuple[int, str]],
               cache: GraphCache | None = None) -> list[Unit]:
    """Make, render and check the graphs of responses ``todo`` ((index, key) pairs), together,
    and keep them in ``cache`` (written where they are made: a worker writes its own)."""
    sinks = [_response_sink(resolved.letter_ids[i], resolved.extractions[i], resolved) for i, _ in todo]
    graphs = [render_graph(sink.graph.value, sorted(sink.lines)) for sink in sinks]
    problems = _attribute(check_graphs(reference, sinks), graphs)
    units = [Unit(graph, found, key) for graph, found, (_, key) in zip(graphs, problems, todo, strict=True)]
    if cache is not None:
        for unit in units:
            cache.put(unit.key, unit)
    return units


def _forked_units(todo: list[tuple[int, str]]) -> list[Unit]:
    resolved, reference, cache = _FORKED[0]
    return make_units(resolved, reference, todo, cache)


def _chunks(todo: list[tuple[int, str]], size: int) -> list[list[tuple[int, str]]]:
    return [todo[i : i + size] for i in range(0, len(todo), size)]


@dataclass
class Rendered:
    """The corpus's graphs, ready to be written: the reference graph and its problems, then
    :meth:`units` in IRI order. ``made`` counts the graphs made by this build (the others
    came from the cache)."""

    reference: Unit
    order: list[tuple[str, int, str]]  # (graph IRI, response index, key), sorted by IRI
    resolved: Resolved
    reference_sink: QuadSink
    cache: GraphCache | None
    jobs: int
    missing: set[int]
    progress: Callable[[int, int], None]
    made: int = 0

    def __len__(self) -> int:
        return len(self.order) + 1

    def units(self) -> Iterator[Unit]:
        """Every graph in IRI order, the reference graph among them: cached ones read as they
        are reached, missing ones made in chunks (by forked workers when ``jobs`` > 1)."""
        todo = [(index, key) for _, index, key in self.order if index in self.missing]
        chunks = _chunks(todo, FORK_CHUNK)
        made = self._made(chunks)
        pending: deque[Unit] = deque()
        ref_iri = str(REFERENCE_GRAPH)
        ref_done = False
        done = 0
        for iri, index, key in self.order:
            if not ref_done and ref_iri < iri:
                ref_done = True
                done += 1
                yield self.reference
            unit = None
            if index not in self.missing and self.cache is not None:
                unit = self.cache.get(key)
            if unit is None and index in self.missing:
                if not pending:
                    pending = deque(next(made))
                unit = pending.popleft()
                self.made += 1
            if unit is None:  # a cache entry lost since it was seen: make it here
                unit = make_units(self.resolved, self.reference_sink, [(index, key)], self.cache)[0]
                self.made += 1
            done += 1
            self.progress(done, len(self))
            yield unit
        if not ref_done:
            yield self.reference
        self.progress(len(self), len(self))
        if self.cache is not None:
            self.cache.prune()

    def _made(self, chunks: list[list[tuple[int, str]]]) -> Iterator[list[Unit]]:
        count = sum(map(len, chunks))
        if self.jobs > 1 and count >= FORK_MIN_RESPONSES and "fork" in multiprocessing.get_all_start_methods():
            _FORKED[:] = [(self.resolved, self.reference_sink, self.cache)]
            try:
                context = multiprocessing.get_context("fork")
                with ProcessPoolExecutor(max_workers=self.jobs, mp_context=context) as pool:
                    # a few chunks in flight per worker, not all: finished graphs wait in memory to be written
                    pending: deque[Future[list[Unit]]] = deque()
                    for chunk in chunks:
                        if len(pending) >= 2 * self.jobs:
                            yield pending.popleft().result()
                        pending.append(pool.submit(_forked_units, chunk))
                    while pending:
                        yield pending.popleft().result()
            finally:
                _FORKED.clear()
            return
        for chunk in chunks:
            yield make_units(self.resolved, self.reference_sink, chunk, self.cache)


def render(
    resolved: Resolved,
    *,
    keys: Sequence[str] | None = None,
    cache_dir: Path | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Rendered:
    """Plan the corpus's graphs: which are cached (by :func:`graph_key`), which must be made.

    Args:
        resolved: the resolved corpus.
        keys: each response's extraction cache key (in ``resolved`` order); without them
            nothing is cached.
        cache_dir: where rendered graphs are kept between builds.
        jobs: processes that make the missing graphs.
        progress: called as ``progress(done, total)`` as graphs are reached.
    """
    reference_sink = _reference_sink(resolved)
    reference_graph = render_graph(str(REFERENCE_GRAPH), sorted(reference_sink.lines))
    reference = Unit(reference_graph, tuple(sorted(set(check_graphs(reference_sink, [])), key=_problem_order)))
    cache = GraphCache(cache_dir) if cache_dir is not None and keys is not None else None
    order: list[tuple[str, int, str]] = []
    missing: set[int] = set()
    for index, (letter_id, extraction) in enumerate(zip(resolved.letter_ids, resolved.extractions, strict=True)):
        iri = str(response_iri(extraction.letter.kind, letter_id))
        key = graph_key(keys[index], letter_id, extraction, resolved) if keys is not None else ""
        order.append((iri, index, key))
        if cache is None or not cache.has(key):
            missing.add(index)
    order.sort()
    return Rendered(reference, order, resolved, reference_sink, cache, max(1, jobs), missing,
                    progress or (lambda done, total: None))
