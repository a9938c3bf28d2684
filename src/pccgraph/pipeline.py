"""Wires the stages together: files -> letters -> extraction -> resolve -> graphs -> outputs.

``build`` is the library entry point a notebook calls; the CLI is a thin shell
over it. Progress is reported through an optional callback, never printed.

Extraction runs in this process, a process pool (``jobs``) or on Dask
(``executor``); each response's graph is then made, rendered and checked once
(``render``, in forked workers with ``jobs``) and the graph files are streamed
from the rendered graphs. What each step made is cached (``cache``) by what it
depends on, so a rebuild redoes only what changed. The Oxigraph store of the
result is loaded from the written N-Quads when asked for (or built in memory,
when nothing is written, or on disk with ``store=PATH``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from .cache import ExtractionCache, SplitCache, reference_hash, response_key
from .corpus import read_corpus
from .documents import parse_document
from .errors import CorpusError, OutputError
from .executor import extract_many, split_many
from .graph import REFERENCE_GRAPH, dataset_from_store
from .model import Extraction, ParsedLetter, Problem, RawLetter, Severity
from .output import RenderedGraph, graph_names, write_graphs
from .render import render
from .reference import Gazetteer, load_gazetteer
from .resolve import Resolved, resolve
from .validation import Severity as ValidationSeverity
from .validation import ValidationProblem, check_store

DEFAULT_LETTERS = Path("data/letters")
DEFAULT_REFERENCE = Path("data/reference")
DEFAULT_OUTPUT = Path("output")

Progress = Callable[[str, int, int], None]


CACHE_FOLDER = ".cache"
GRAPH_CACHE = "graphs"  # rendered graphs, beside the extractions in the cache folder
SPLIT_CACHE = "split"  # how each file was cut into responses

COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"


@dataclass
class BuildResult:
    """What a build made and met.

    ``store`` holds the graph (one named graph per response and the reference
    graph): an Oxigraph store, loaded from the written N-Quads on first use when
    the build wrote files (a build that only writes files never loads one);
    ``dataset`` is an rdflib copy of it, made on first use: fine for the bundled
    corpus and notebooks, not for the national archive (query ``store``).
    ``extracted`` counts the responses extracted by this build, ``cached`` those
    whose extraction came from the cache; ``rendered`` the graphs made by this
    build, the others were taken from the cache as an earlier build made them.
    ``checked`` is what checking every graph (with the reference graph) found.
    """

    resolved: Resolved
    problems: list[Problem] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    extracted: int = 0
    cached: int = 0
    cache_dir: Path | None = None
    rendered: int = 0
    checked: tuple[ValidationProblem, ...] | None = None
    _triples: int | None = field(default=None, repr=False)
    _dataset: Dataset | None = field(default=None, repr=False)
    _store: ox.Store | None = field(default=None, repr=False)
    _store_location: Path | str | None = field(default=None, repr=False)

    @property
    def store(self) -> ox.Store:
        """The graph in Oxigraph (loaded from ``pccgraph.nq`` the first time it is asked for)."""
        if self._store is None:
            store = _open_store(self._store_location)
            store.bulk_load(path=str(self.outputs["pccgraph.nq"]), format=ox.RdfFormat.N_QUADS)
            self._store = store
        return self._store

    @property
    def dataset(self) -> Dataset:
        """The graph as an rdflib Dataset (union default graph), built from the store once."""
        if self._dataset is None:
            self._dataset = dataset_from_store(self.store)
        return self._dataset

    @property
    def letters(self) -> int:
        return len(self.resolved.extractions)

    @property
    def reports(self) -> int:
        return len(self.resolved.reports)

    @property
    def entities(self) -> int:
        return len(self.resolved.entities)

    @property
    def triples(self) -> int:
        """Distinct triples over all named graphs."""
        if self._triples is None:
            solution = next(iter(self.store.query(COUNT_TRIPLES)))  # type: ignore[call-overload]
            self._triples = int(solution["n"].value)
        return self._triples

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is not Severity.INFO)


def _noop(stage: str, done: int, total: int) -> None:
    return None


def read_letters(
    paths: Iterable[Path | str], *, progress: Progress = _noop, cache_dir: Path | None = None, jobs: int = 1,
) -> tuple[list[RawLetter], list[Problem]]:
    """Read files and cut them into letters, dropping exact duplicates (reported).

    With ``cache_dir``, how each file was cut is kept there (:class:`cache.SplitCache`);
    with ``jobs`` > 1 a large corpus is cut in that many processes."""
    result = read_corpus(paths)
    problems = list(result.problems)
    letters: list[RawLetter] = []
    first_seen: dict[str, RawLetter] = {}
    cache = SplitCache(cache_dir) if cache_dir is not None else None
    documents = result.documents
    keys = [cache.key(doc) for doc in documents] if cache is not None else [""] * len(documents)
    cut_as: list[tuple[list[RawLetter], list[Problem]] | None] = [
        cache.get(key) if cache is not None else None for key in keys
    ]
    todo = [i for i, found in enumerate(cut_as) if found is None]
    new: dict[str, object] = {}  # cached only when the corpus gave letters: a failed build leaves nothing
    for i, found in zip(todo, split_many([documents[i] for i in todo], jobs=jobs), strict=True):
        cut_as[i] = new[keys[i]] = found
    for n, (doc, found) in enumerate(zip(documents, cut_as, strict=True), 1):
        assert found is not None
        cut, split_problems = found
        problems.extend(split_problems)
        if not cut and not any(p.severity is not Severity.INFO for p in split_problems):
            problems.append(Problem(doc.path, 1, Severity.WARNING, "no response found in this file"))
        for raw in cut:
            earlier = first_seen.get(raw.sha256)
            if earlier is not None:
                problems.append(
                    Problem(
                        raw.source,
                        raw.start_line,
                        Severity.WARNING,
                        f"duplicate letter: same text as {earlier.source}:{earlier.start_line}; kept once",
                    )
                )
                continue
            first_seen[raw.sha256] = raw
            letters.append(raw)
        progress("read", n, len(result.documents))
    if cache is not None and letters:
        for key, value in new.items():
            cache.put(key, value)
        cache.prune()
    return letters, problems


def extract_all(
    letters: Sequence[RawLetter], gazetteer: Gazetteer, *, progress: Progress = _noop
) -> list[Extraction]:
    """Parse and extract every letter, in this process."""
    from .extract import Extractor  # imported when needed: spaCy is slow to import

    out: list[Extraction] = []
    extractor = Extractor(gazetteer)
    for n, raw in enumerate(letters, 1):
        parsed: ParsedLetter = parse_document(raw)
        out.append(extractor(parsed))
        progress("extract", n, len(letters))
    return out


def _open_store(location: Path | str | None) -> ox.Store:
    """A new in-memory store, or an emptied on-disk store at ``location``."""
    if location is None:
        return ox.Store()
    path = Path(location)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: cannot open the store: a file is in the way")
    try:
        store = ox.Store(str(path))
        store.clear()
    except OSError as exc:
        raise OutputError(f"{path}: cannot open the store: {exc}") from exc
    return store


def _cache_folder(cache: Path | str | bool | None, out_dir: Path | str | None) -> Path | None:
    if cache is False:
        return None
    if cache is None or cache is True:
        return None if out_dir is None else Path(out_dir) / CACHE_FOLDER
    return Path(cache)


def extract_cached(
    letters: Sequence[RawLetter],
    gazetteer: Gazetteer,
    reference_dir: Path | str,
    *,
    cache_dir: Path | None = None,
    jobs: int = 1,
    executor: str | None = None,
    progress: Progress = _noop,
) -> tuple[list[Extraction], int]:
    """Extract every response, taking unchanged ones from the cache; (extractions, extracted now)."""
    reference_key = reference_hash(reference_dir)
    cache = ExtractionCache(cache_dir, reference_dir) if cache_dir is not None else None
    found: list[Extraction | None] = [None] * len(letters)
    keys: list[str] = []
    if cache is not None:
        keys = [cache.key(raw) for raw in letters]
        found = [cache.get(key) for key in keys]
    missing = [i for i, x in enumerate(found) if x is None]
    hits = len(letters) - len(missing)
    progress("extract", hits, len(letters))
    fresh = extract_many(
        [letters[i] for i in missing], gazetteer, reference_key, jobs=jobs, executor=executor, saved=cache_dir,
        progress=lambda done, total: progress("extract", hits + done, len(letters)),
    )
    for i, extraction in zip(missing, fresh, strict=True):
        found[i] = extraction
        if cache is not None:
            cache.put(keys[i], extraction)
    if cache is not None:
        cache.prune()
    return [x for x in found if x is not None], len(missing)


def build(
    paths: Sequence[Path | str] = (DEFAULT_LETTERS,),
    out_dir: Path | str | None = DEFAULT_OUTPUT,
    *,
    reference_dir: Path | str = DEFAULT_REFERENCE,
    progress: Progress = _noop,
    views: bool = True,
    jobs: int = 1,
    executor: str | None = None,
    cache: Path | str | bool | None = None,
    store: Path | str | None = None,
) -> BuildResult:
    """Build the knowledge graph from letters.

    Args:
        paths: files and folders of responses (``.txt``, ``.md``, ``.pdf``, ``.docx``, ``.html``).
        out_dir: where to write the outputs; ``None`` builds in memory only.
        reference_dir: the reference data (gazetteer) folder.
        progress: called as ``progress(stage, done, total)``.
        views: also write the network views, the site and the GraphML/GEXF exports.
        jobs: processes extracting responses (1: in this process).
        executor: ``"dask://HOST:PORT"``: extract on that Dask distributed cluster.
        cache: the extraction cache folder; default ``<out_dir>/.cache`` (none when
            ``out_dir`` is None); ``False`` for no cache.
        store: an on-disk Oxigraph store folder for the graph (emptied first);
            default: in memory.

    Returns:
        The store (and an rdflib view of it), the resolved corpus, the problems
        met, the files written, and how many responses were extracted or cached.

    Raises:
        CorpusError: no letter could be read from ``paths``; nothing is written.
        ExecutorError: the Dask cluster cannot be used.
        OutputError: an output or the store cannot be written.
    """
    gazetteer = load_gazetteer(reference_dir)
    cache_dir = _cache_folder(cache, out_dir)
    letters, problems = read_letters(paths, progress=progress, jobs=1 if executor else jobs,
                                     cache_dir=None if cache_dir is None else cache_dir / SPLIT_CACHE)
    if not letters:
        detail = "; ".join(str(p) for p in problems[:5]) or "no input files"
        raise CorpusError(f"no letters found in {', '.join(map(str, paths))} ({detail})")
    extractions, extracted = extract_cached(
        letters, gazetteer, reference_dir, cache_dir=cache_dir, jobs=jobs, executor=executor, progress=progress,
    )
    for extraction in extractions:
        problems.extend(extraction.letter.problems)
        problems.extend(extraction.problems)
    resolved = resolve(extractions, gazetteer)
    keys = None
    if cache_dir is not None:
        salt = ExtractionCache(cache_dir, reference_dir).salt
        keys = [response_key(x.letter.raw, salt) for x in resolved.extractions]
    rendered = render(
        resolved, keys=keys, cache_dir=None if cache_dir is None else cache_dir / GRAPH_CACHE,
        jobs=1 if executor else jobs, progress=lambda done, total: progress("graph", done, total),
    )
    checked: list[ValidationProblem] = list(rendered.reference.problems)

    def units() -> Iterator[RenderedGraph]:
        for unit in rendered.units():
            checked.extend(unit.problems)
            yield unit.graph

    result = BuildResult(resolved, sorted(set(problems)), extracted=extracted, cached=len(letters) - extracted,
                         cache_dir=cache_dir, _store_location=store)
    if out_dir is not None:
        result.outputs, result._triples = write_graphs(
            units(), Path(out_dir), total=len(rendered),
            progress=lambda done, total: progress("write", done, total),
        )
        if store is not None:
            result._store = result.store  # the on-disk store asked for, filled now
    else:
        graph_store = _open_store(store)
        for graph in units():
            graph_store.load(graph.nquads().encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        result._store = graph_store
    result.rendered = rendered.made
    result.checked = tuple(sorted(set(checked), key=_check_order))
    if out_dir is not None and views:
        from .site import write_site

        result.outputs.update(write_site(result.store, Path(out_dir)))
        progress("views", 1, 1)
    return result


def _check_order(p: ValidationProblem) -> tuple[bool, str, str, str]:
    return (p.severity != ValidationSeverity.VIOLATION, p.focus, p.path, p.message)


# ------------------------------------------------------------ checking what was built

@dataclass(frozen=True, slots=True)
class BuildCheck:
    """What :func:`check_build` found, and on how many responses the shapes were checked (all)."""

    problems: tuple[ValidationProblem, ...]
    responses: int  # responses in the graph
    shacl_responses: int  # responses pySHACL checked (all of them for a small graph)

    @property
    def violations(self) -> tuple[ValidationProblem, ...]:
        return tuple(p for p in self.problems if p.severity is ValidationSeverity.VIOLATION)


def check_build(result: BuildResult) -> BuildCheck:
    """What checking the build found, in a time that grows with the corpus, not faster.

    A build checks every graph as it makes it (``render``: each chunk of response
    graphs with the reference graph, in a small Oxigraph store): the evidence
    invariants (every quote is the response text at its offsets, every mention has
    an annotation) and the SHACL shapes' core constraints
    (:func:`validation.check_shapes`, with pySHACL's messages); a graph taken from
    the cache brings what checking it found then. A result without those (made some
    other way) is checked here over its whole store. ``pccgraph validate`` checks a
    whole graph file with pySHACL, nested and qualified shapes included.

    Raises:
        ValidationError: the shapes or the ontology cannot be read.
    """
    if result.checked is not None:
        responses = len(result.resolved.extractions)
        return BuildCheck(result.checked, responses, responses)
    store = result.store
    problems = check_store(store)
    responses = [n for n in graph_names(store) if n.value != str(REFERENCE_GRAPH)]
    ordered = sorted(set(problems), key=_check_order)
    return BuildCheck(tuple(ordered), len(responses), len(responses))
