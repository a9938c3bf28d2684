"""Writing outputs: sorted Turtle, TriG, N-Quads and JSON-LD, replaced atomically as a set.

Files are written to temporary names beside their targets and renamed over them
only when all are written, so a failed build never leaves a half-written output,
nor a new Turtle beside an old TriG. The graph files are streamed from an
Oxigraph store (:func:`write_store_outputs`); nothing goes through rdflib there.
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import json
import os
import pickle
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph

from .errors import OutputError
from .graph import bind_prefixes
from .vocab import PREFIXES


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` newlines, atomically."""
    atomic_write_all({path: text})


def atomic_write_all(texts: dict[Path, str]) -> None:
    """Replace several files as one set: all of them, or none.

    Every file is written to a temporary name first; only when all are written
    are they renamed into place, the old files kept aside until the last rename
    succeeds and put back if one fails.
    """

    def write(files: dict[Path, TextIO]) -> None:
        for path, text in texts.items():
            files[path].write(text)

    atomic_write_streams(list(texts), write)


class _Staged:
    """A file being written under a temporary name; errors name the real file."""

    __slots__ = ("path", "tmp", "handle")

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self.tmp = Path(tmp_name)
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n", buffering=1 << 20)

    def write(self, text: str) -> int:
        try:
            return self.handle.write(text)
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write: {exc}") from exc


def atomic_write_streams(paths: list[Path], write: Callable[[dict[Path, TextIO]], None]) -> None:
    """Stream several files to temporary names, then rename them into place as one set.

    ``write`` gets a text file (UTF-8, ``\\n`` newlines) for each path and may write
    them in any order and as much as it likes; nothing is held in memory here. If
    ``write`` or any rename fails, every target keeps its previous content and no
    temporary file is left behind.

    Raises:
        OutputError: a file cannot be written or replaced (a folder in the way, a full disk …).
    """
    for path in paths:
        if path.is_dir():
            raise OutputError(f"{path}: cannot write: a folder is in the way")
    staged: list[_Staged] = []
    current = Path(".")  # the file being written or replaced, named in an error
    try:
        for current in paths:
            staged.append(_Staged(current))
        write({item.path: item for item in staged})  # type: ignore[misc]
        for item in staged:
            current = item.path
            item.handle.close()
            os.chmod(item.tmp, 0o644)
    except BaseException as exc:
        for item in staged:
            with contextlib.suppress(OSError):
                item.handle.close()
            item.tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{current}: cannot write: {exc}") from exc
        raise
    moved: list[tuple[Path, Path | None]] = []
    try:
        for item in staged:
            current = item.path
            backup = None
            if current.exists():
                backup = current.with_name(f".{current.name}.previous")
                os.replace(current, backup)
            moved.append((current, backup))
            os.replace(item.tmp, current)
    except BaseException as exc:
        for done, backup in reversed(moved):
            if backup is not None and backup.exists():
                os.replace(backup, done)
            elif backup is None:
                done.unlink(missing_ok=True)
        for item in staged:
            item.tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{current}: cannot replace: {exc}") from exc
        raise
    for _, backup in moved:
        if backup is not None:
            backup.unlink(missing_ok=True)


def canonical_turtle(g: Graph) -> str:
    """Sorted, diff-friendly Turtle (rdflib's ``longturtle``).

    ``canon=True`` only renames blank nodes canonically, at three times the cost;
    our graphs have none, so it is used only when one appears.
    """
    bind_prefixes(g)
    has_bnodes = any(isinstance(term, BNode) for triple in g for term in triple)
    return g.serialize(format="longturtle", canon=has_bnodes)


# ---------------------------------------------------------------- from an Oxigraph store
#
# The graph files are written from the store's own N-Triples, one named graph at a
# time, sorted as byte strings (subjects, then predicates, then objects), so the
# same graph gives the same bytes on any run and any machine. The union (Turtle,
# JSON-LD) is merged from sorted runs spilled to disk, so memory stays bounded.

GRAPH_FILES = ("pccgraph.ttl", "pccgraph.trig", "pccgraph.nq", "pccgraph.jsonld")
RUN_CHARACTERS = 120_000_000  # union records (characters) held before a sorted run is spilled to disk

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NAMESPACES = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape_match(m: re.Match[str]) -> str:
    code = m.group(1)
    if len(code) > 1:
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, code)


def _unescape(body: str) -> str:
    """The value of an N-Triples string body (``\\n``, ``\\"``, ``\\uXXXX`` …)."""
    return _ESCAPE.sub(_unescape_match, body) if "\\" in body else body


@functools.lru_cache(maxsize=1 << 16)
def _turtle_iri(iri: str) -> str:
    """``prefix:local`` when the local name is plainly safe, else ``<iri>``."""
    for ns, prefix in _NAMESPACES:
        if iri.startswith(ns) and _LOCAL.fullmatch(iri, len(ns)):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


@functools.lru_cache(maxsize=1 << 16)
def _json_iri(iri: str) -> str:
    """A compact IRI for JSON-LD (``pccid:letter/…``), expanded back by the context."""
    for ns, prefix in _NAMESPACES:
        if iri.startswith(ns) and len(iri) > len(ns) and not iri.startswith("//", len(ns)):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _split(line: str) -> tuple[str, str, str]:
    """``<s> <p> object .`` -> (``<s>``, ``<p>``, ``object``); no blank nodes here."""
    i = line.index("> ") + 1
    j = line.index("> ", i + 1) + 1
    return line[:i], line[i + 1 : j], line[j + 1 : -2]


def _literal_parts(o: str) -> tuple[str, str]:
    """An N-Triples literal -> (escaped body, suffix: ``@lang``, ``^^<dt>`` or ``""``)."""
    end = o.rindex('"')
    return o[1:end], o[end + 1 :]


def _turtle_object(o: str) -> str:
    if o[0] == "<":
        return _turtle_iri(o[1:-1])
    body, suffix = _literal_parts(o)
    if suffix.startswith("^^"):
        datatype = suffix[3:-1]
        if datatype == _XSD + "integer" and _INTEGER.fullmatch(body):
            return body
        if datatype == _XSD + "boolean" and body in ("true", "false"):
            return body
        suffix = "^^" + _turtle_iri(datatype)
    if "\\n" in body:  # a multi-line literal keeps its real line breaks, byte for byte
        text = _unescape(body).replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
        return f'"""{text}"""{suffix}'
    return f'"{body}"{suffix}'  # an N-Triples string is a valid Turtle string


def _group(lines: Iterable[str]) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Sorted lines -> (subject, [(predicate, object), …]) in order."""
    subject = ""
    pairs: list[tuple[str, str]] = []
    for line in lines:
        s, p, o = _split(line)
        if s != subject:
            if pairs:
                yield subject, pairs
            subject, pairs = s, []
        pairs.append((p, o))
    if pairs:
        yield subject, pairs


def _turtle_block(subject: str, pairs: list[tuple[str, str]]) -> str:
    by_predicate: dict[str, list[str]] = {}
    for p, o in pairs:
        by_predicate.setdefault(p, []).append(o)
    predicates = list(by_predicate)
    if _RDF_TYPE in by_predicate:
        predicates.remove(_RDF_TYPE)
        predicates.insert(0, _RDF_TYPE)
    out = [_turtle_iri(subject[1:-1])]
    for p in predicates:
        name = "a" if p == _RDF_TYPE else _turtle_iri(p[1:-1])
        objects = [_turtle_object(o) for o in by_predicate[p]]
        if len(objects) == 1:
            out.append(f"    {name} {objects[0]} ;")
        else:
            out.append(f"    {name}\n" + " ,\n".join(f"        {o}" for o in objects) + " ;")
    out.append(".\n")
    return "\n".join(out)


def _json_value(o: str) -> str:
    """One object as JSON-LD text (keys sorted, as ``json.dumps(..., sort_keys=True)`` writes them)."""
    if o[0] == "<":
        return '{"@id": ' + _jstr(_json_iri(o[1:-1])) + "}"
    body, suffix = _literal_parts(o)
    value = _jstr(_unescape(body))
    if suffix.startswith("@"):
        return '{"@language": ' + _jstr(suffix[1:]) + ', "@value": ' + value + "}"
    if suffix:
        return '{"@type": ' + _jstr(_json_iri(suffix[3:-1])) + ', "@value": ' + value + "}"
    return '{"@value": ' + value + "}"


def _json_node(subject: str, pairs: list[tuple[str, str]]) -> str:
    """One node, a property to a line, keys sorted; the JSON is put together here from
    strings encoded in C (``json.dumps`` with ``indent`` would use the slow encoder)."""
    properties: dict[str, list[str]] = {}
    types: list[str] = []
    for p, o in pairs:
        if p == _RDF_TYPE and o[0] == "<":
            types.append(_jstr(_json_iri(o[1:-1])))
        else:
            properties.setdefault(_json_iri(p[1:-1]), []).append(_json_value(o))
    if types:
        properties["@type"] = types
    lines = {key: "[" + ", ".join(values) + "]" for key, values in properties.items()}
    lines["@id"] = _jstr(_json_iri(subject[1:-1]))
    return "  {\n" + ",\n".join(f"   {_jstr(key)}: {lines[key]}" for key in sorted(lines)) + "\n  }"


_jstr = json.encoder.encode_basestring  # type: ignore[attr-defined]  # a str as a JSON string (C), not ASCII-escaped


def prefix_lines() -> str:
    """``PREFIX`` lines for the contract's prefixes, sorted by prefix."""
    return "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in sorted(PREFIXES.items()))


def _graph_lines(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> list[str]:
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    return sorted_lines(data)


def sorted_lines(data: bytes | None) -> list[str]:
    """N-Triples bytes -> their lines (no newline), sorted as strings."""
    lines = data.decode("utf-8").split("\n") if data else []
    if lines and not lines[-1]:
        lines.pop()
    lines.sort()
    return lines


@dataclass(frozen=True, slots=True)
class RenderedGraph:
    """One named graph, rendered once: every subject's N-Triples lines, Turtle block and JSON-LD node.

    Subjects are sorted (as ``<iri>`` strings, which is the order of their sorted lines).
    The TriG block, the N-Quads and a private subject's part of the union Turtle and
    JSON-LD are cut from these, so a graph is formatted once, wherever it was made
    (a worker process, an earlier build's cache), and never again.
    """

    iri: str  # the graph name, without brackets; "" for the default graph
    subjects: tuple[str, ...]
    nt: tuple[str, ...]  # per subject: its sorted lines, each ending in "\n"
    ttl: tuple[str, ...]  # per subject: its Turtle block (ends in ".\n")
    json: tuple[str, ...]  # per subject: its JSON-LD node

    @property
    def triples(self) -> int:
        return sum(block.count("\n") for block in self.nt)

    def trig(self) -> str:
        head = f"\n<{self.iri}> {{\n" if self.iri else "\n{\n"
        return head + "\n".join(self.ttl) + "}\n"

    def nquads(self) -> str:
        text = "".join(self.nt)
        return text.replace(" .\n", f" <{self.iri}> .\n") if self.iri else text


def render_graph(iri: str, lines: list[str]) -> RenderedGraph:
    """Render a graph from its sorted N-Triples lines (see :func:`sorted_lines`)."""
    subjects: list[str] = []
    nt: list[str] = []
    ttl: list[str] = []
    nodes: list[str] = []
    start = 0
    for subject, pairs in _group(lines):
        subjects.append(subject)
        nt.append("\n".join(lines[start : start + len(pairs)]) + "\n")
        start += len(pairs)
        ttl.append(_turtle_block(subject, pairs))
        nodes.append(_json_node(subject, pairs))
    return RenderedGraph(iri, tuple(subjects), tuple(nt), tuple(ttl), tuple(nodes))


class _Runs:
    """Union records (subject, Turtle, JSON-LD, lines) gathered graph by graph, in sorted runs
    spilled to disk when they grow large, so memory stays bounded."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.records: list[tuple[str, str, str, str]] = []
        self.size = 0
        self.files: list[Path] = []

    def add(self, graph: RenderedGraph) -> None:
        self.records.extend(zip(graph.subjects, graph.ttl, graph.json, graph.nt, strict=True))
        self.size += sum(map(len, graph.nt)) + sum(map(len, graph.ttl)) + sum(map(len, graph.json))
        if self.size > RUN_CHARACTERS:
            self._spill()

    def _spill(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"run-{len(self.files):05d}.pickle"
        self.records.sort(key=_first)
        with path.open("wb") as f:
            for record in self.records:  # one whole pickle each: read back one at a time, nothing kept
                pickle.dump(record, f, protocol=pickle.HIGHEST_PROTOCOL)
        self.files.append(path)
        self.records, self.size = [], 0

    @staticmethod
    def _read(path: Path) -> Iterator[tuple[str, str, str, str]]:
        with path.open("rb") as f:  # a fresh unpickler per record: one kept would memoise every record read
            while True:
                try:
                    yield pickle.load(f)
                except EOFError:
                    return

    def merged(self) -> Iterator[tuple[str, str, str, str]]:
        """(subject, Turtle block, JSON-LD node, lines) for every subject of the union, sorted;
        a subject stated in several graphs is merged from their lines and formatted again."""
        self.records.sort(key=_first)
        streams: list[Iterable[tuple[str, str, str, str]]] = [self._read(p) for p in self.files]
        streams.append(self.records)
        records = heapq.merge(*streams, key=_first) if len(streams) > 1 else iter(self.records)
        pending: list[tuple[str, str, str, str]] = []
        for record in records:
            if pending and record[0] != pending[0][0]:
                yield _union_record(pending)
                pending = []
            pending.append(record)
        if pending:
            yield _union_record(pending)


def _first(record: tuple[str, ...]) -> str:
    return record[0]


def _union_record(records: list[tuple[str, str, str, str]]) -> tuple[str, str, str, str]:
    if len(records) == 1:
        return records[0]
    lines = sorted({line for record in records for line in record[3].splitlines()})
    subject, pairs = next(_group(lines))
    return subject, _turtle_block(subject, pairs), _json_node(subject, pairs), "".join(line + "\n" for line in lines)


def graph_names(store: ox.Store) -> list[ox.NamedNode]:
    """The store's named graphs, sorted by IRI."""
    return sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)


def store_graphs(store: ox.Store) -> Iterator[RenderedGraph]:
    """The store's graphs rendered: the default graph first (when it has triples), then the
    named graphs sorted by IRI."""
    default = _graph_lines(store, ox.DefaultGraph())
    if default:
        yield render_graph("", default)
    for name in graph_names(store):
        lines = _graph_lines(store, name)
        if lines:
            yield render_graph(name.value, lines)


def write_store_outputs(
    store: ox.Store, out_dir: Path, *, progress: Callable[[int, int], None] | None = None
) -> tuple[dict[str, Path], int]:
    """Write ``pccgraph.ttl``, ``.trig``, ``.nq`` and ``.jsonld`` from ``store`` (see :func:`write_graphs`)."""
    total = len(graph_names(store)) + 1
    return write_graphs(store_graphs(store), Path(out_dir), total=total, progress=progress)


def write_graphs(
    graphs: Iterable[RenderedGraph],
    out_dir: Path,
    *,
    total: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, Path], int]:
    """Write ``pccgraph.ttl``, ``.trig``, ``.nq`` and ``.jsonld`` from rendered graphs, streamed.

    ``graphs`` come in the order the TriG and N-Quads list them (by graph IRI); each is
    written as it comes and dropped. The union (Turtle, JSON-LD) is every subject of every
    graph, sorted by subject, gathered through sorted runs on disk. All four files are
    staged under temporary names and renamed into place together.

    Returns:
        The files written (by name) and the number of distinct triples in the union.
    """
    out_dir = Path(out_dir)
    paths = {name: out_dir / name for name in GRAPH_FILES}
    triples = 0

    def write(files: dict[Path, TextIO]) -> None:
        nonlocal triples
        ttl, trig, nq, jsonld = (files[paths[name]] for name in GRAPH_FILES)
        prefixes = prefix_lines()
        trig.write(prefixes)
        done = 0
        with tempfile.TemporaryDirectory(prefix=".pccgraph-runs.", dir=out_dir) as tmp:
            runs = _Runs(Path(tmp))
            for graph in graphs:
                if graph.subjects:
                    trig.write(graph.trig())
                    nq.write(graph.nquads())
                    runs.add(graph)
                done += 1
                if progress is not None:
                    progress(done, max(total, done + 1))
            ttl.write(prefixes)
            jsonld.write(json.dumps({"@context": {p: str(ns) for p, ns in sorted(PREFIXES.items())}},
                                    indent=1, ensure_ascii=False, sort_keys=True)[:-2])
            jsonld.write(',\n "@graph": [')
            first = True
            for _, block, node, lines in runs.merged():
                triples += lines.count("\n")
                ttl.write("\n" + block)
                jsonld.write(("\n" if first else ",\n") + node)
                first = False
            jsonld.write("\n ]\n}\n")
        if progress is not None:
            progress(max(total, done + 1), max(total, done + 1))

    atomic_write_streams(list(paths.values()), write)
    return paths, triples


def store_from_dataset(ds: Dataset) -> ox.Store:
    """An in-memory Oxigraph store with the named graphs (and default graph) of ``ds``."""
    store = ox.Store()
    data = ds.serialize(format="nquads", encoding="utf-8")
    if data:
        store.load(data, format=ox.RdfFormat.N_QUADS)
    return store


def as_store(source: Graph | Dataset | ox.Store) -> ox.Store:
    """The graph as a pyoxigraph Store: a Store as it is; an rdflib Dataset (every named graph
    and the default graph) or Graph copied in once through its N-Quads / N-Triples."""
    if isinstance(source, ox.Store):
        return source
    if getattr(source, "context_aware", False):
        return store_from_dataset(source)  # type: ignore[arg-type]
    store = ox.Store()
    data = source.serialize(format="nt", encoding="utf-8")
    if data:
        store.load(data, format=ox.RdfFormat.N_TRIPLES)
    return store


def write_graph_outputs(ds: Dataset, out_dir: Path) -> dict[str, Path]:
    """Write the graph files of an rdflib Dataset (see :func:`write_store_outputs`)."""
    paths, _ = write_store_outputs(store_from_dataset(ds), Path(out_dir))
    return paths
