"""Wires the stages together: files -> letters -> extraction -> graph -> outputs.

``build`` is the library entry point a notebook calls; the CLI is a thin shell
over it. Progress is reported through an optional callback, never printed.

The graph goes into a pyoxigraph Store response by response (in memory, or on
disk with ``store=PATH``) and the graph files are streamed from it; extraction
runs in this process, a process pool (``jobs``) or on Dask (``executor``), and
each response's extraction is cached (``cache``) so a rebuild redoes only what changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from .cache import ExtractionCache, reference_hash
from .corpus import read_corpus
from .documents import parse_document, split_document
from .errors import CorpusError, OutputError
from .executor import extract_many
from .graph import REFERENCE_GRAPH, build_store, dataset_from_store
from .model import Extraction, ParsedLetter, Problem, RawLetter, Severity
from .output import graph_names, write_store_outputs
from .reference import Gazetteer, load_gazetteer
from .resolve import Resolved, resolve
from .validation import Severity as ValidationSeverity
from .validation import ValidationProblem, check_shapes, short

DEFAULT_LETTERS = Path("data/letters")
DEFAULT_REFERENCE = Path("data/reference")
DEFAULT_OUTPUT = Path("output")

Progress = Callable[[str, int, int], None]


CACHE_FOLDER = ".cache"

COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"


@dataclass
class BuildResult:
    """What a build made and met.

    ``store`` holds the graph (one named graph per response and the reference
    graph); ``dataset`` is an rdflib copy of it, made on first use: fine for the
    bundled corpus and notebooks, not for the national archive (query ``store``).
    ``extracted`` counts the responses extracted by this build, ``cached`` those
    whose extraction came from the cache.
    """

    store: ox.Store
    resolved: Resolved
    problems: list[Problem] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    extracted: int = 0
    cached: int = 0
    cache_dir: Path | None = None
    _triples: int | None = field(default=None, repr=False)
    _dataset: Dataset | None = field(default=None, repr=False)

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


def read_letters(paths: Iterable[Path | str], *, progress: Progress = _noop) -> tuple[list[RawLetter], list[Problem]]:
    """Read files and cut them into letters, dropping exact duplicates (reported)."""
    result = read_corpus(paths)
    problems = list(result.problems)
    letters: list[RawLetter] = []
    first_seen: dict[str, RawLetter] = {}
    for n, doc in enumerate(result.documents, 1):
        cut, split_problems = split_document(doc)
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
        [letters[i] for i in missing], gazetteer, reference_key, jobs=jobs, executor=executor,
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
    letters, problems = read_letters(paths, progress=progress)
    if not letters:
        detail = "; ".join(str(p) for p in problems[:5]) or "no input files"
        raise CorpusError(f"no letters found in {', '.join(map(str, paths))} ({detail})")
    extractions, extracted = extract_cached(
        letters, gazetteer, reference_dir, cache_dir=_cache_folder(cache, out_dir), jobs=jobs,
        executor=executor, progress=progress,
    )
    for extraction in extractions:
        problems.extend(extraction.letter.problems)
        problems.extend(extraction.problems)
    resolved = resolve(extractions, gazetteer)
    graph_store = build_store(
        resolved, _open_store(store), progress=lambda done, total: progress("graph", done, total),
        jobs=1 if executor else jobs,
    )
    result = BuildResult(graph_store, resolved, sorted(set(problems)), extracted=extracted,
                         cached=len(letters) - extracted, cache_dir=_cache_folder(cache, out_dir))
    if out_dir is not None:
        result.outputs, result._triples = write_store_outputs(
            graph_store, Path(out_dir), progress=lambda done, total: progress("write", done, total)
        )
        if views:
            from .site import write_site

            result.outputs.update(write_site(result.dataset, Path(out_dir)))
            progress("views", 1, 1)
    return result


# ------------------------------------------------------------ checking what was built

_EVIDENCE_PREFIXES = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX pcc: <https://w3id.org/pccgraph/ontology#>
"""

BAD_OFFSETS = _EVIDENCE_PREFIXES + """
SELECT ?ann ?letter ?start ?end ?exact ?length ?found WHERE {
  GRAPH ?g {
    ?ann a oa:Annotation ; oa:hasTarget ?t .
    ?t oa:hasSource ?letter ; oa:hasSelector ?p , ?q .
    ?p oa:start ?start ; oa:end ?end .
    ?q oa:exact ?exact .
    ?letter pcc:text ?text .
  }
  BIND(STRLEN(?text) AS ?length)
  BIND(IF(0 <= ?start && ?start <= ?end && ?end <= ?length,
          SUBSTR(?text, ?start + 1, ?end - ?start), "") AS ?found)
  FILTER(!(0 <= ?start && ?start <= ?end && ?end <= ?length) || ?found != STR(?exact))
}
"""

UNEVIDENCED_MENTIONS = _EVIDENCE_PREFIXES + """
SELECT ?letter ?entity WHERE {
  GRAPH ?g {
    ?letter pcc:mentions ?entity .
    FILTER NOT EXISTS { ?ann oa:hasBody ?entity ; oa:hasTarget ?t . ?t oa:hasSource ?letter . }
  }
}
"""


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
    """Validate a build in a time that grows with the corpus, not faster.

    Everything runs as Oxigraph SPARQL over the store, on every response: the
    evidence invariants (every quote is the response text at its offsets, every
    mention has an annotation) and the SHACL shapes' core constraints
    (:func:`validation.check_shapes`, with pySHACL's messages). ``pccgraph
    validate`` checks a whole graph file with pySHACL, nested shapes included.

    Raises:
        ValidationError: the shapes or the ontology cannot be read, or pySHACL fails.
    """
    store = result.store
    problems: list[ValidationProblem] = []
    for row in store.query(BAD_OFFSETS):  # type: ignore[union-attr]
        start, end, length = int(row["start"].value), int(row["end"].value), int(row["length"].value)
        if not 0 <= start <= end <= length:
            message = (f"offsets [{start}, {end}) fall outside the letter text ({length} characters) "
                       f"of {short(row['letter'].value)}")
        else:
            message = f"the quote is not the letter text at [{start}, {end}), which reads {row['found'].value[:60]!r}"
        problems.append(ValidationProblem(short(row["ann"].value), "oa:exact", message,
                                          value=row["exact"].value[:60], check="offsets"))
    for row in store.query(UNEVIDENCED_MENTIONS):  # type: ignore[union-attr]
        problems.append(ValidationProblem(short(row["letter"].value), "pcc:mentions",
                                          "no annotation on this letter is evidence for the mention",
                                          value=short(row["entity"].value), check="evidence"))
    problems.extend(check_shapes(store))
    responses = [n for n in graph_names(store) if n.value != str(REFERENCE_GRAPH)]
    ordered = sorted(set(problems), key=lambda p: (p.severity != ValidationSeverity.VIOLATION, p.focus, p.path, p.message))
    return BuildCheck(tuple(ordered), len(responses), len(responses))
