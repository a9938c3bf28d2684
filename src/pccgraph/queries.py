"""Saved SPARQL queries (``queries/*.rq``): load them, bind parameters, run, tabulate.

A saved query is a plain SPARQL 1.1 SELECT file whose first comment lines say
what it is::

    # title: Programmes over time
    # description: Where a programme is mentioned, letter by letter.
    # param: programme (pcc:Programme) — the programme, as an IRI or a label ("Athena")

Parameters are bound as RDF terms through the engine's own binding mechanism
(pyoxigraph ``substitutions``, rdflib ``initBindings``); they are never pasted into
the query text, so a value cannot change what a query does. A parameter variable
must be in the SELECT clause (pyoxigraph's substitution, SEP-0007, requires it) and
be used only in the top-level group (triple patterns or FILTERs there), so every
engine — embedded or over the SPARQL protocol, where a ``VALUES`` block of escaped
terms opens the outer group — gives the same answer. Its column is dropped from the
result: its value is the one passed in. An entity parameter (``(entity)`` or
``(prefix:Class)`` after its name) also takes a label: a lookup query, with the
label bound the same way, finds the entity's IRI first.

Engines: ``"oxigraph"`` (default; an embedded pyoxigraph Store, named graphs kept,
the default graph the union of all of them) and ``"rdflib"``. A source that is an
``http(s)://`` URL is a SPARQL endpoint queried over the SPARQL 1.1 protocol.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef

from .errors import QueryError
from .store import error_detail, fetch
from .vocab import PREFIXES

DEFAULT_QUERIES = Path("queries")
ENGINES = ("oxigraph", "rdflib")
FORMATS = ("table", "csv", "json", "md")
HTTP_TIMEOUT = 60.0

_HEADER = re.compile(r"#\s*(title|description|param)\s*:\s*(.*)$", re.IGNORECASE)
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# SPARQL 1.1 IRIREF: no spaces, controls or <>"{}|^`\ inside the brackets.
_IRI = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class SavedQuery:
    """One ``.rq`` file with its ``# title:``, ``# description:`` and ``# param:`` header."""

    name: str
    title: str
    description: str
    params: tuple[str, ...]
    text: str
    path: Path


@dataclass(frozen=True)
class QueryResult:
    """A SELECT result: values as display strings ("" when unbound), rows in stable order.

    IRIs are given in full, literals by their lexical form (no datatype or language).
    """

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def as_dicts(self) -> list[dict[str, str]]:
        """The rows as ``{column: value}`` dictionaries, in order."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame (needs the ``notebook`` extra: ``pip install pccgraph[notebook]``).

        A column whose every non-empty value is a number becomes numeric (an empty
        value is then missing, NaN); every other column keeps its strings ("" when
        unbound). Column names and row order are the result's.

        Raises:
            QueryError: pandas is not installed.
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise QueryError(
                "QueryResult.to_pandas() needs pandas: install the notebook extra, pip install 'pccgraph[notebook]'"
            ) from exc
        frame = pd.DataFrame(list(self.rows), columns=list(self.columns), dtype=object)
        for column in self.columns:
            values = [v for v in frame[column] if v != ""]
            if values and all(_NUMBER.fullmatch(v) for v in values):
                frame[column] = pd.to_numeric(frame[column].replace("", None))
            else:
                frame[column] = frame[column].astype(str)
        return frame


# --------------------------------------------------------------------------- loading


def read_query(path: Path | str) -> SavedQuery:
    """Read one ``.rq`` file and its header comments.

    Raises:
        QueryError: the file cannot be read or has no ``# title:`` line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read query: {exc}") from exc
    title = ""
    description: list[str] = []
    params: list[str] = []
    last = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if match:
            last = match.group(1).lower()
            value = match.group(2).strip()
            if last == "title":
                title = value
            elif last == "description":
                description.append(value)
            else:
                name_match = _PARAM_NAME.match(value.lstrip("?$"))
                if not name_match:
                    raise QueryError(f"{path}: '# param:' line needs a variable name: {stripped!r}")
                params.append(name_match.group(0))
        elif last == "description":
            description.append(stripped.lstrip("#").strip())
    if not title:
        raise QueryError(f"{path}:1: a saved query starts with a '# title:' comment line")
    return SavedQuery(
        name=path.stem,
        title=title,
        description=" ".join(d for d in description if d),
        params=tuple(params),
        text=text,
        path=path,
    )


def load_queries(folder: Path = DEFAULT_QUERIES) -> list[SavedQuery]:
    """Every ``*.rq`` file in ``folder``, sorted by name.

    Raises:
        QueryError: the folder does not exist or a file has no title.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise QueryError(f"{folder}: no such folder of saved queries (run from the project folder or pass one)")
    return [read_query(path) for path in sorted(folder.glob("*.rq"))]


def find_query(name_or_path: str | Path, folder: Path = DEFAULT_QUERIES) -> SavedQuery:
    """A saved query by name (``grades``), file name (``grades.rq``) or path to a ``.rq`` file.

    Raises:
        QueryError: no such query; the message lists the known names.
    """
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" and candidate.is_file():
        return read_query(candidate)
    name = candidate.name.removesuffix(".rq")
    path = Path(folder) / f"{name}.rq"
    if path.is_file():
        return read_query(path)
    known = ", ".join(q.name for q in load_queries(folder)) if Path(folder).is_dir() else "none"
    raise QueryError(f"no saved query {str(name_or_path)!r} in {folder} (known: {known})")


# --------------------------------------------------------------------------- parameters


def parse_param(value: str) -> URIRef | Literal:
    """The RDF term a ``--param`` value stands for.

    ``<iri>``, ``http(s)://…``, ``urn:…`` and contract prefixed names (``pccid:programme/athena``)
    are IRIs; whole numbers are ``xsd:integer``; anything else is a plain string literal.

    Raises:
        QueryError: the value looks like an IRI but is not a valid one.
    """
    text = value.strip()
    iri: str | None = None
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    elif re.match(r"(https?|urn|file):", text):
        iri = text
    else:
        prefix, sep, local = text.partition(":")
        if sep and prefix in PREFIXES and " " not in text:
            iri = str(PREFIXES[prefix]) + local
    if iri is not None:
        if not _IRI.fullmatch(iri):
            raise QueryError(f"not a valid IRI: {value!r} (spaces and <>\"{{}}|^`\\ are not allowed)")
        return URIRef(iri)
    if _INTEGER.fullmatch(text):
        return Literal(int(text))
    return Literal(value)


def _bindings(query: SavedQuery | None, params: Mapping[str, str] | None) -> dict[str, URIRef | Literal]:
    params = dict(params or {})
    for key in params:
        if not _PARAM_NAME.fullmatch(key):
            raise QueryError(f"not a parameter name: {key!r}")
    if query is not None:
        unknown = sorted(set(params) - set(query.params))
        if unknown:
            declared = ", ".join(query.params) or "none"
            raise QueryError(f"{query.path}: unknown parameter {', '.join(unknown)} (this query takes: {declared})")
        missing = [p for p in query.params if p not in params]
        if missing:
            hint = " ".join(f"--param {p}=…" for p in missing)
            raise QueryError(f"{query.path}: missing parameter {', '.join(missing)} (give {hint})")
    return {key: parse_param(value) for key, value in params.items()}


_ENTITY_PARAM = re.compile(
    r"^#\s*param\s*:\s*[?$]?([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*(entity|[A-Za-z][\w-]*:[\w-]*)\s*\)", re.M
)
_LOOKUP = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT DISTINCT ?entity ?label {class_var}WHERE {{
  ?entity rdfs:label|skos:prefLabel|skos:altLabel|foaf:name ?name .
  FILTER(LCASE(STR(?name)) = LCASE(STR(?label)))
  {class_pattern}
}}
ORDER BY ?entity
"""


def entity_params(query: SavedQuery) -> dict[str, str]:
    """Parameters declared as entities, ``# param: name (entity)`` or ``(pcc:Class)``.

    Returns:
        parameter name -> class IRI the entity must have ("" for any class).
    """
    found: dict[str, str] = {}
    for match in _ENTITY_PARAM.finditer(query.text):
        kind = match.group(2)
        if kind == "entity":
            found[match.group(1)] = ""
        else:
            prefix, _, local = kind.partition(":")
            if prefix not in PREFIXES:
                raise QueryError(f"{query.path}: unknown prefix in '# param: {match.group(1)} ({kind})'")
            found[match.group(1)] = str(PREFIXES[prefix]) + local
    return found


def _resolve_labels(
    saved: SavedQuery,
    bound: dict[str, URIRef | Literal],
    execute: Callable[[SavedQuery | None, str, str, Mapping[str, URIRef | Literal]], QueryResult],
) -> dict[str, URIRef | Literal]:
    """Entity parameters given as labels, replaced by the IRI of the entity with that label.

    The label is matched case-insensitively against rdfs:label, skos:prefLabel,
    skos:altLabel and foaf:name by a lookup query that binds it like any parameter.
    No match leaves the label bound (the query then matches nothing); several
    matches are an error that lists them.
    """
    resolved = dict(bound)
    for param, class_iri in entity_params(saved).items():
        value = bound.get(param)
        if not isinstance(value, Literal):
            continue
        lookup_bound: dict[str, URIRef | Literal] = {"label": Literal(str(value))}
        if class_iri:
            lookup_bound["class"] = URIRef(class_iri)
            text = _LOOKUP.format(class_var="?class ", class_pattern="?entity a ?class .")
        else:
            text = _LOOKUP.format(class_var="", class_pattern="")
        found = [row[0] for row in execute(None, f"{saved.name} ({param} lookup)", text, lookup_bound).rows]
        if len(found) == 1:
            resolved[param] = URIRef(found[0])
        elif len(found) > 1:
            listed = ", ".join(compact_iri(iri) for iri in found[:8])
            raise QueryError(
                f"{saved.path}: {param}={str(value)!r} names {len(found)} entities ({listed}); pass one IRI instead"
            )
    return resolved


# --------------------------------------------------------------------------- sources


def _file_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


_OX_FORMATS = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}
_RDFLIB_FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt", ".rdf": "xml",
                   ".owl": "xml", ".jsonld": "json-ld"}


def _check_file(path: Path, formats: Mapping[str, object]) -> None:
    if not path.is_file():
        raise QueryError(f"{path}: no such graph file (run `pccgraph build` first, or pass --input)")
    if path.suffix not in formats:
        raise QueryError(f"{path}: unknown graph format (use one of {', '.join(sorted(formats))})")


@functools.lru_cache(maxsize=4)
def _oxigraph_store_cached(key: tuple[str, int, int]) -> ox.Store:
    path = Path(key[0])
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=_OX_FORMATS[path.suffix])
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"{path}: cannot load graph: {exc}") from exc
    return store


@functools.lru_cache(maxsize=4)
def _rdflib_dataset_cached(key: tuple[str, int, int]) -> rdflib.Dataset:
    path = Path(key[0])
    ds = rdflib.Dataset(default_union=True)
    try:
        if path.suffix in (".trig", ".nq"):
            ds.parse(path, format=_RDFLIB_FORMATS[path.suffix])
        else:
            ds.default_graph.parse(path, format=_RDFLIB_FORMATS[path.suffix])
    except Exception as exc:  # rdflib raises many parser-specific types
        raise QueryError(f"{path}: cannot load graph: {exc}") from exc
    return ds


def oxigraph_store(source: Any) -> ox.Store:
    """An embedded pyoxigraph Store for ``source`` (a graph file, rdflib Graph/Dataset or a Store).

    Files are loaded once and cached while they do not change.
    """
    if isinstance(source, ox.Store):
        return source
    if isinstance(source, rdflib.Graph):
        store = ox.Store()
        if isinstance(source, rdflib.Dataset):
            data = source.serialize(format="nquads", encoding="utf-8")
            store.load(data, format=ox.RdfFormat.N_QUADS)
        else:
            data = source.serialize(format="nt", encoding="utf-8")
            store.load(data, format=ox.RdfFormat.N_TRIPLES)
        return store
    if isinstance(source, (str, Path)):
        path = Path(source)
        _check_file(path, _OX_FORMATS)
        return _oxigraph_store_cached(_file_key(path))
    raise QueryError(f"cannot query a {type(source).__name__}: give a graph file, an rdflib Graph or a Store")


def rdflib_dataset(source: Any) -> rdflib.Graph:
    """An rdflib Graph/Dataset whose default graph is the union of all named graphs."""
    if isinstance(source, rdflib.Dataset):
        if source.default_union:
            return source
        return rdflib.Dataset(store=source.store, default_union=True)
    if isinstance(source, rdflib.Graph):
        return source
    if isinstance(source, ox.Store):
        ds = rdflib.Dataset(default_union=True)
        data = source.dump(format=ox.RdfFormat.N_QUADS)
        ds.parse(data=data.decode("utf-8") if isinstance(data, bytes) else data, format="nquads")
        return ds
    if isinstance(source, (str, Path)):
        path = Path(source)
        _check_file(path, _RDFLIB_FORMATS)
        return _rdflib_dataset_cached(_file_key(path))
    raise QueryError(f"cannot query a {type(source).__name__}: give a graph file, an rdflib Graph or a Store")


# --------------------------------------------------------------------------- running


def _query_parts(query: SavedQuery | str) -> tuple[SavedQuery | None, str, str]:
    """(saved query or None, name, text)."""
    if isinstance(query, SavedQuery):
        return query, query.name, query.text
    if "{" in query:
        return None, "query", query
    saved = find_query(query)
    return saved, saved.name, saved.text


def _where(saved: SavedQuery | None, name: str) -> str:
    return str(saved.path) if saved is not None else f"<{name}>"


def _syntax_error(saved: SavedQuery | None, name: str, line: int | None, col: int | None, message: str,
                  text: str = "") -> QueryError:
    where = _where(saved, name)
    near = ""
    if line is not None:
        where += f":{line}" + (f":{col}" if col is not None else "")
        lines = text.splitlines()
        if 0 < line <= len(lines) and lines[line - 1].strip():
            near = f" near {lines[line - 1].strip()[:80]!r}"
    first = message.strip().splitlines()[0] if message.strip() else "invalid query"
    if len(first) > 160:
        first = first[:157] + "..."
    return QueryError(f"{where}: SPARQL syntax error{near}: {first}")


def _locate_syntax_error(saved: SavedQuery | None, name: str, text: str, message: str) -> QueryError:
    """A syntax error with the best position known.

    Oxigraph's PEG parser may report the end of the query for an error earlier on;
    rdflib's parser points at the offending token, so its position is used when it
    also rejects the query.
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepareQuery(text)
    except ParseBaseException as exc:
        return _syntax_error(saved, name, exc.lineno, exc.col, exc.msg, text)
    except Exception:  # noqa: BLE001 - rdflib may fail for reasons of its own; keep oxigraph's answer
        pass
    match = re.search(r"at (\d+):(\d+)", message)
    if not match:
        return _syntax_error(saved, name, None, None, message)
    lines = max(1, len(text.rstrip().splitlines()))
    return _syntax_error(saved, name, min(int(match.group(1)), lines), int(match.group(2)), message, text)


def _display(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return str(term)


def _strip_comments_and_strings(text: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length, same lines)."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            j = n if j == -1 else j
        elif c in "'\"":
            quote = text[i : i + 3] if text[i : i + 3] in ("'''", '"""') else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            j = min(n, j + len(quote))
        elif c == "<":
            match = _IRIREF.match(text, i)
            if not match:
                i += 1
                continue
            j = match.end()
        else:
            i += 1
            continue
        for k in range(i, j):
            if out[k] != "\n":
                out[k] = " "
        i = j
    return "".join(out)


def _has_top_level_order(text: str) -> bool:
    code = _strip_comments_and_strings(text)
    last_brace = code.rfind("}")
    return bool(re.search(r"\bORDER\s+BY\b", code[last_brace + 1 :], re.IGNORECASE))


def _sort_key(row: tuple[str, ...]) -> tuple[tuple[int, float, str], ...]:
    key = []
    for value in row:
        try:
            key.append((0, float(value), value))
        except ValueError:
            key.append((1, 0.0, value))
    return tuple(key)


def _finish(name: str, text: str, variables: list[str], rows: Iterable[tuple[str, ...]],
            bound: Mapping[str, object]) -> QueryResult:
    keep = [i for i, v in enumerate(variables) if v not in bound]
    table = [tuple(row[i] for i in keep) for row in rows]
    if not _has_top_level_order(text):
        table.sort(key=_sort_key)
    return QueryResult(name=name, columns=tuple(variables[i] for i in keep), rows=tuple(table))


def _run_oxigraph(saved: SavedQuery | None, name: str, text: str, source: Any,
                  bound: Mapping[str, URIRef | Literal]) -> QueryResult:
    store = oxigraph_store(source)
    substitutions = {ox.Variable(k): _to_oxigraph(v) for k, v in bound.items()}
    try:
        solutions = store.query(text, use_default_graph_as_union=True, substitutions=substitutions or None)
    except SyntaxError as exc:
        raise _locate_syntax_error(saved, name, text, str(exc)) from exc
    except (RuntimeError, ValueError, OSError) as exc:
        raise QueryError(f"{_where(saved, name)}: {exc}") from exc
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryError(f"{_where(saved, name)}: only SELECT queries give a table")
    variables = [v.value for v in solutions.variables]
    rows = [tuple(_display(solution[v]) for v in variables) for solution in solutions]
    return _finish(name, text, variables, rows, bound)


def _to_oxigraph(term: URIRef | Literal) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _run_rdflib(saved: SavedQuery | None, name: str, text: str, source: Any,
                bound: Mapping[str, URIRef | Literal]) -> QueryResult:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import prepareQuery

    graph = rdflib_dataset(source)
    try:
        prepared = prepareQuery(text)
    except ParseBaseException as exc:
        raise _syntax_error(saved, name, exc.lineno, exc.col, exc.msg, text) from exc
    if prepared.algebra.name != "SelectQuery":
        raise QueryError(f"{_where(saved, name)}: only SELECT queries give a table")
    missing = [k for k in bound if rdflib.Variable(k) not in prepared.algebra["PV"]]
    if missing:
        raise QueryError(f"{_where(saved, name)}: parameter ?{missing[0]} must be in the SELECT clause")
    try:
        result = graph.query(prepared, initBindings={rdflib.Variable(k): v for k, v in bound.items()})
    except Exception as exc:  # rdflib's evaluator raises assorted types
        raise QueryError(f"{_where(saved, name)}: {exc}") from exc
    variables = [str(v) for v in (result.vars or [])]
    rows = [tuple(_display(value) for value in row) for row in result]  # type: ignore[union-attr]
    return _finish(name, text, variables, rows, bound)


def _n3(term: URIRef | Literal) -> str:
    """A parameter as SPARQL term syntax; IRIs were validated, strings are escaped."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    escaped = (
        str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    if term.datatype is not None:
        return f'"{escaped}"^^<{term.datatype}>'
    return f'"{escaped}"'


def _with_values(text: str, bound: Mapping[str, URIRef | Literal]) -> str:
    """The query with ``VALUES`` for the parameters first in its outermost group.

    The SPARQL protocol has no binding mechanism of its own; the terms are written
    in escaped term syntax, on the same line, so error positions stay right.
    """
    if not bound:
        return text
    code = _strip_comments_and_strings(text)
    depth = 0
    for i, c in enumerate(code):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "{" and depth == 0:
            names = " ".join(f"?{k}" for k in bound)
            values = " ".join(_n3(v) for v in bound.values())
            return f"{text[: i + 1]} VALUES ({names}) {{ ({values}) }} {text[i + 1 :]}"
    raise QueryError("cannot bind parameters: the query has no WHERE clause")


def _run_endpoint(saved: SavedQuery | None, name: str, text: str, endpoint: str,
                  bound: Mapping[str, URIRef | Literal], user: str | None = None,
                  password: str | None = None) -> QueryResult:
    body = urllib.parse.urlencode({"query": _with_values(text, bound)}).encode("utf-8")
    request = urllib.request.Request(
        endpoint,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
    )
    try:
        payload = json.loads(fetch(request, user=user, password=password, timeout=HTTP_TIMEOUT).decode("utf-8"))
    except urllib.error.HTTPError as exc:
        detail = error_detail(exc, limit=2000)
        match = re.search(r"at (\d+):(\d+)", detail)
        if exc.code == 400 and match:
            raise _syntax_error(saved, name, int(match.group(1)), int(match.group(2)), detail, text) from exc
        raise QueryError(f"{_where(saved, name)}: {endpoint} answered {exc.code}: {detail[:300]}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise QueryError(f"{endpoint}: cannot reach the SPARQL endpoint: {exc}") from exc
    if "results" not in payload:
        raise QueryError(f"{_where(saved, name)}: only SELECT queries give a table")
    variables = list(payload.get("head", {}).get("vars", []))
    rows = []
    for binding in payload["results"]["bindings"]:
        row = []
        for var in variables:
            cell = binding.get(var)
            if cell is None:
                row.append("")
            elif cell.get("type") == "bnode":
                row.append(f"_:{cell['value']}")
            else:
                row.append(cell["value"])
        rows.append(tuple(row))
    return _finish(name, text, variables, rows, bound)


def run_query(
    query: SavedQuery | str,
    source: Any,
    *,
    params: dict[str, str] | None = None,
    engine: str = "oxigraph",
    user: str | None = None,
    password: str | None = None,
) -> QueryResult:
    """Run a saved query and return its table.

    Args:
        query: a SavedQuery, SPARQL text, a saved query's name or a path to a ``.rq`` file.
        source: a graph file (``.trig``, ``.ttl``, ``.nq`` …), an rdflib Graph/Dataset,
            a pyoxigraph Store, or the URL of a SPARQL endpoint (``http…``).
        params: parameter values by name; IRIs (``http…``, ``pccid:…``) bind as IRIs,
            whole numbers as integers, anything else as a string literal.
        engine: ``"oxigraph"`` (embedded pyoxigraph) or ``"rdflib"``; ignored for endpoints.
        user: a user name for an endpoint that needs credentials (e.g. Virtuoso's
            ``/sparql-auth``), sent with basic or digest authentication as the endpoint asks.
        password: that user's password.

    Returns:
        The columns and rows; rows follow the query's ORDER BY, or are sorted when it has none.

    Raises:
        QueryError: unknown query or engine, a bad or missing parameter, a syntax
            error (with file and line), or a source that cannot be read.
        AuthError: the endpoint refused the credentials (401) or the permission (403).
    """
    saved, name, text = _query_parts(query)
    bound = _bindings(saved, params)
    execute: Callable[[SavedQuery | None, str, str, Mapping[str, URIRef | Literal]], QueryResult]
    remote = isinstance(source, str) and re.match(r"https?://", source) is not None
    if user is not None and not remote:
        raise QueryError("user= and password= are for a SPARQL endpoint (an http(s) URL), not a graph file")
    if remote:
        endpoint = source
        execute = lambda s, n, t, b: _run_endpoint(s, n, t, endpoint, b, user, password)  # noqa: E731
    elif engine == "oxigraph":
        store = oxigraph_store(source)
        execute = lambda s, n, t, b: _run_oxigraph(s, n, t, store, b)  # noqa: E731
    elif engine == "rdflib":
        graph = rdflib_dataset(source)
        execute = lambda s, n, t, b: _run_rdflib(s, n, t, graph, b)  # noqa: E731
    else:
        raise QueryError(f"unknown engine {engine!r} (use one of {', '.join(ENGINES)})")
    if saved is not None:
        bound = _resolve_labels(saved, bound, execute)
    return execute(saved, name, text, bound)


# --------------------------------------------------------------------------- formats


def compact_iri(value: str) -> str:
    """``pccid:letter/…`` for an IRI in a contract namespace; other values unchanged."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if value.startswith(str(ns)) and len(str(ns)) > len(PREFIXES.get(best, "")):
            best = prefix
    if best and value != str(PREFIXES[best]):
        return f"{best}:{value[len(str(PREFIXES[best])):]}"
    return value


def to_csv(result: QueryResult) -> str:
    """CSV with a header row (RFC 4180, ``\\r\\n`` line ends as the csv module writes)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(result.columns)
    writer.writerows(result.rows)
    return buffer.getvalue()


def to_json(result: QueryResult) -> str:
    """``{"query", "columns", "rows": [{column: value}]}`` as indented JSON."""
    data = {"query": result.name, "columns": list(result.columns), "rows": result.as_dicts()}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_markdown(result: QueryResult, *, compact: bool = True) -> str:
    """A GitHub-flavoured Markdown table; IRIs shortened to prefixed names when ``compact``."""

    def cell(value: str) -> str:
        value = compact_iri(value) if compact else value
        return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(result.columns) + " |", "|" + "---|" * len(result.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in result.rows]
    return "\n".join(lines) + "\n"


def format_result(result: QueryResult, fmt: str) -> str:
    """The result as ``csv``, ``json`` or ``md`` text."""
    if fmt == "csv":
        return to_csv(result)
    if fmt == "json":
        return to_json(result)
    if fmt == "md":
        return to_markdown(result)
    raise QueryError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")


__all__ = [
    "DEFAULT_QUERIES",
    "ENGINES",
    "FORMATS",
    "QueryResult",
    "SavedQuery",
    "compact_iri",
    "entity_params",
    "find_query",
    "format_result",
    "load_queries",
    "oxigraph_store",
    "parse_param",
    "rdflib_dataset",
    "read_query",
    "run_query",
    "to_csv",
    "to_json",
    "to_markdown",
]
