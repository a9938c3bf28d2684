"""Stage 5c: check a graph against the contract.

Two checks make one :class:`ValidationReport`:

- SHACL core shapes (``ontology/shapes.ttl``) run by pySHACL, with the ontology
  mixed in so ``sh:class`` sees its subclasses and the grade scheme;
- checks SHACL core cannot express, done here in code: every annotation's
  ``oa:exact`` is the letter's ``pcc:text`` between ``oa:start`` and ``oa:end``,
  and every ``pcc:mentions`` has an annotation as evidence.

A report is a value; :func:`validate` raises only when it cannot run at all.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .errors import PccgraphError
from .vocab import OA, PCC, PREFIXES

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "pccgraph.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"

_RDF_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}


class ValidationError(PccgraphError):
    """Validation could not run: a graph or shapes file is missing or unreadable."""


class Severity(StrEnum):
    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"


_SEVERITY_OF = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}
_RANK = {Severity.VIOLATION: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True, order=True)
class ValidationProblem:
    """One finding: the node, the property path, what is wrong, and the offending value."""

    focus: str
    path: str
    message: str
    severity: Severity = Severity.VIOLATION
    value: str = ""
    check: str = ""  # the SHACL constraint component, or the code check's name

    def __str__(self) -> str:
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity.value}: {self.focus} {self.path}: {self.message}{value}"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of :func:`validate`, shaped like pySHACL's ``(conforms, graph, text)``.

    ``conforms`` is False when there is at least one violation; warnings do not
    count against it.
    """

    conforms: bool
    problems: tuple[ValidationProblem, ...]
    text: str
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def violations(self) -> tuple[ValidationProblem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.VIOLATION)

    @property
    def warnings(self) -> tuple[ValidationProblem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


def load_graph(source: Graph | Dataset | Path | str) -> Graph:
    """Read a graph file (Turtle, TriG, N-Triples, JSON-LD …) or flatten a Dataset.

    Raises:
        ValidationError: the file is missing or is not RDF.
    """
    if isinstance(source, Dataset):
        g = Graph()
        for s, p, o, _ in source.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    if isinstance(source, Graph):
        return source
    path = Path(source)
    if not path.is_file():
        raise ValidationError(f"{path}: no such graph file (build one with `pccgraph build`)")
    fmt = _RDF_FORMATS.get(path.suffix.lower(), "turtle")
    try:
        if fmt in ("trig", "nquads"):
            ds = Dataset()
            ds.parse(path, format=fmt)
            return load_graph(ds)
        return Graph().parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many kinds of parser errors
        raise ValidationError(f"{path}: cannot read as {fmt}: {exc}") from exc


_SHORT = sorted(
    [(str(ns), prefix) for prefix, ns in PREFIXES.items()] + [(str(RDF), "rdf"), (str(SH), "sh")],
    key=lambda item: -len(item[0]),
)


def short(node: Node | str) -> str:
    """``pccid:letter/2015-10-…`` rather than the full IRI (readable, not strict Turtle)."""
    iri = str(node)
    for ns, prefix in _SHORT:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def _show(node: Node | None, shapes: Graph | None = None) -> str:
    """A compact, readable form of a node or a SHACL path."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return short(node)
    if isinstance(node, Literal):
        text = str(node)
        return repr(text[:60] + "…" if len(text) > 60 else text)
    if isinstance(node, BNode) and shapes is not None:
        inverse = shapes.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + _show(inverse, shapes)
    return "[]"


def _shacl(data: Graph, shapes: Graph, ontology: Graph) -> list[ValidationProblem]:
    import pyshacl  # imported here: it is slow to import and only validation needs it

    try:
        _, results, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            allow_warnings=True,
            advanced=False,
            meta_shacl=False,
        )
    except Exception as exc:  # pySHACL reports broken shapes by raising
        raise ValidationError(f"pySHACL could not run: {exc}") from exc
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        component = results.value(result, SH.sourceConstraintComponent)
        check = str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent") if component else ""
        problems.append(
            ValidationProblem(
                focus=_show(results.value(result, SH.focusNode)),
                path=_show(results.value(result, SH.resultPath), results),
                message=messages[0] if messages else check,
                severity=_SEVERITY_OF.get(results.value(result, SH.resultSeverity), Severity.VIOLATION),  # type: ignore[arg-type]
                value=_show(results.value(result, SH.value)),
                check=check,
            )
        )
    return problems


def check_offsets(g: Graph) -> list[ValidationProblem]:
    """Every annotation's quote is the letter's text at its offsets.

    ``text[start:end] == exact`` (Python slices; in SPARQL ``substr(text, start + 1,
    end - start)``). Missing pieces are left to the shapes, which report them.
    """
    problems: list[ValidationProblem] = []
    texts: dict[Node, str] = {}
    for ann in sorted(set(g.subjects(RDF.type, OA.Annotation))):
        for target in g.objects(ann, OA.hasTarget):
            letter = g.value(target, OA.hasSource)
            if letter is None:
                continue
            if letter not in texts:
                text = g.value(letter, PCC.text)
                if text is None:
                    continue
                texts[letter] = str(text)
            text = texts[letter]
            starts, ends, exacts = [], [], []
            for selector in g.objects(target, OA.hasSelector):
                starts += list(g.objects(selector, OA.start))
                ends += list(g.objects(selector, OA.end))
                exacts += list(g.objects(selector, OA.exact))
            if len(starts) != 1 or len(ends) != 1 or len(exacts) != 1:
                continue  # the shapes report missing or repeated selectors
            try:
                start, end = int(starts[0]), int(ends[0])  # type: ignore[call-overload]
            except (TypeError, ValueError):
                continue  # the shapes report non-integer offsets
            exact = str(exacts[0])
            where = _show(ann)
            if not 0 <= start <= end <= len(text):
                problems.append(
                    ValidationProblem(
                        where, "oa:start/oa:end",
                        f"offsets [{start}, {end}) fall outside the letter text "
                        f"({len(text)} characters) of {_show(letter)}",
                        value=f"{start}-{end}", check="offsets",
                    )
                )
            elif text[start:end] != exact:
                found = text[start:end]
                problems.append(
                    ValidationProblem(
                        where, "oa:exact",
                        f"the quote is not the letter text at [{start}, {end}), which reads "
                        f"{_show(Literal(found))}",
                        value=_show(exacts[0]), check="offsets",
                    )
                )
    return problems


def check_mention_evidence(g: Graph) -> list[ValidationProblem]:
    """Every ``letter pcc:mentions entity`` has an annotation on that letter with that body."""
    evidenced: set[tuple[Node, Node]] = set()
    for ann in g.subjects(RDF.type, OA.Annotation):
        sources = {g.value(t, OA.hasSource) for t in g.objects(ann, OA.hasTarget)}
        for body in g.objects(ann, OA.hasBody):
            evidenced.update((source, body) for source in sources)
    problems = []
    for letter, entity in sorted(g.subject_objects(PCC.mentions)):
        if (letter, entity) not in evidenced:
            problems.append(
                ValidationProblem(
                    _show(letter), "pcc:mentions",
                    "no annotation on this letter is evidence for the mention",
                    value=_show(entity), check="evidence",
                )
            )
    return problems


def _parse_file(path: Path, what: str) -> Graph:
    if not path.is_file():
        raise ValidationError(f"{path}: no such {what} file")
    try:
        return Graph().parse(path, format="turtle")
    except Exception as exc:
        raise ValidationError(f"{path}: the {what} file is not valid Turtle: {exc}") from exc


def _render(problems: Iterable[ValidationProblem], counts: dict[str, int]) -> str:
    problems = list(problems)
    violations = sum(1 for p in problems if p.severity is Severity.VIOLATION)
    warnings = sum(1 for p in problems if p.severity is Severity.WARNING)
    checked = ", ".join(f"{n} {what}" for what, n in counts.items())
    head = "conforms" if not violations else "does not conform"
    lines = [f"Validation: {head}: {violations} violation(s), {warnings} warning(s); checked {checked}."]
    for p in problems:
        lines.append("")
        lines.append(f"{p.severity.value.upper()} [{p.check}]")
        lines.append(f"  node:    {p.focus}")
        lines.append(f"  path:    {p.path}")
        lines.append(f"  message: {p.message}")
        if p.value:
            lines.append(f"  value:   {p.value}")
    return "\n".join(lines) + "\n"


def validate(
    graph: Graph | Dataset | Path | str,
    *,
    shapes: Path | str = SHAPES,
    ontology: Path | str = ONTOLOGY,
) -> ValidationReport:
    """Check a graph against the SHACL shapes and the evidence invariants.

    Args:
        graph: a graph, a dataset (its named graphs are merged) or a graph file.
        shapes: the SHACL shapes file (Turtle).
        ontology: the ontology, mixed in so ``sh:class`` sees subclasses.

    Returns:
        A report; ``conforms`` is False when there is any violation.

    Raises:
        ValidationError: a file is missing or unreadable, or pySHACL fails.
    """
    started = time.perf_counter()
    data = load_graph(graph)
    shapes_graph = _parse_file(Path(shapes), "shapes")
    ontology_graph = _parse_file(Path(ontology), "ontology")
    problems = _shacl(data, shapes_graph, ontology_graph)
    problems += check_offsets(data)
    problems += check_mention_evidence(data)
    problems = sorted(set(problems), key=lambda p: (_RANK[p.severity], p.focus, p.path, p.message, p.value))
    counts = {
        "triples": len(data),
        "letters": len(set(data.subjects(RDF.type, PCC.Letter))),
        "annotations": len(set(data.subjects(RDF.type, OA.Annotation))),
    }
    conforms = not any(p.severity is Severity.VIOLATION for p in problems)
    return ValidationReport(
        conforms, tuple(problems), _render(problems, counts), counts, time.perf_counter() - started
    )


# ------------------------------------------------------------ fast build-time check

_SH = "http://www.w3.org/ns/shacl#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
_RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
_RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_VALUE_KEYS = ("datatype", "class", "in", "minLength", "pattern", "minInclusive", "nodeKind", "or")
_COUNT_KEYS = ("minCount", "maxCount")


def _show_ox(term: object) -> str:
    """:func:`_show` for a pyoxigraph term (the same text pySHACL's results give)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return short(term.value)
    if isinstance(term, ox.Literal):
        text = term.value
        return repr(text[:60] + "…" if len(text) > 60 else text)
    return "[]"


class _Shapes:
    """The shapes file and the ontology's class hierarchy, read with pyoxigraph."""

    def __init__(self, shapes: Path, ontology: Path) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.g = ox.Store()
        try:
            self.g.load(path=str(shapes), format=ox.RdfFormat.TURTLE)
            onto = ox.Store()
            onto.load(path=str(ontology), format=ox.RdfFormat.TURTLE)
        except (OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(f"the shapes or the ontology cannot be read: {exc}") from exc
        parents: dict[str, set[str]] = {}
        for store in (onto, self.g):
            for q in store.quads_for_pattern(None, ox.NamedNode(_SUBCLASS), None, None):
                if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
                    parents.setdefault(q.object.value, set()).add(q.subject.value)
        self.children = parents
        self.onto = onto
        self.typed: dict[str, set[str]] = {}  # class -> the ontology's own instances of it
        for q in onto.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), None, None):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
                self.typed.setdefault(q.object.value, set()).add(q.subject.value)

    def instances(self, cls: object) -> list[str]:
        return sorted({i for c in self.closure(cls.value) for i in self.typed.get(c, ())})  # type: ignore[attr-defined]

    def closure(self, cls: str) -> list[str]:
        seen, todo = {cls}, [cls]
        while todo:
            for sub in self.children.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        return sorted(seen)

    def values(self, node: object, prop: str) -> list[object]:
        return [q.object for q in self.g.quads_for_pattern(node, self.ox.NamedNode(_SH + prop), None, None)]

    def one(self, node: object, prop: str) -> object | None:
        found = self.values(node, prop)
        return found[0] if found else None

    def items(self, node: object) -> list[object]:
        out = []
        while node is not None and not (isinstance(node, self.ox.NamedNode) and node.value == _RDF_NIL):
            first = [q.object for q in self.g.quads_for_pattern(node, self.ox.NamedNode(_RDF_FIRST), None, None)]
            rest = [q.object for q in self.g.quads_for_pattern(node, self.ox.NamedNode(_RDF_REST), None, None)]
            if not first:
                break
            out.append(first[0])
            node = rest[0] if rest else None
        return out


def _iri(term: object) -> str:
    return f"<{term.value}>"  # type: ignore[attr-defined]


def _classes(shapes: _Shapes, cls: object) -> str:
    return " ".join(f"<{c}>" for c in shapes.closure(cls.value))  # type: ignore[attr-defined]


def _value_test(shapes: _Shapes, key: str, arg: object, var: str = "?v") -> str | None:
    """A SPARQL expression true when ``var`` meets one value constraint; None: not supported here."""
    ox = shapes.ox
    if key == "datatype":
        return f"(isLiteral({var}) && DATATYPE({var}) = {_iri(arg)})"
    if key == "class":
        known = shapes.instances(arg)
        also = "".join(f" || sameTerm({var}, <{iri}>)" for iri in known)
        return f"(EXISTS {{ VALUES ?k_ {{ {_classes(shapes, arg)} }} {var} a ?k_ }}{also})"
    if key == "in":
        tests = [f"sameTerm({var}, {item})" for item in shapes.items(arg)]
        return "(" + (" || ".join(tests) or "false") + ")"
    if key == "minLength":
        return f"(!isBlank({var}) && STRLEN(STR({var})) >= {int(arg.value)})"  # type: ignore[attr-defined]
    if key == "pattern":
        return f"(!isBlank({var}) && REGEX(STR({var}), {ox.Literal(arg.value)}))"  # type: ignore[attr-defined]
    if key == "minInclusive":
        return f"COALESCE({var} >= {arg}, false)"
    if key == "nodeKind":
        kinds = {"IRI": "isIRI", "BlankNode": "isBlank", "Literal": "isLiteral"}
        fn = kinds.get(arg.value.removeprefix(_SH))  # type: ignore[attr-defined]
        return f"{fn}({var})" if fn else None
    if key == "or":
        alts = []
        for alt in shapes.items(arg):
            tests = []
            for sub in _VALUE_KEYS:
                for sub_arg in shapes.values(alt, sub):
                    test = _value_test(shapes, sub, sub_arg, var)
                    if test is None:
                        return None
                    tests.append(test)
            if not tests or shapes.values(alt, "path"):
                return None
            alts.append("(" + " && ".join(tests) + ")")
        return "(" + " || ".join(alts) + ")"
    return None


def _path_pattern(shapes: _Shapes, path: object) -> str | None:
    if isinstance(path, shapes.ox.NamedNode):
        return f"?f {_iri(path)} ?v ."
    inverse = shapes.one(path, "inversePath")
    if isinstance(inverse, shapes.ox.NamedNode):
        return f"?v {_iri(inverse)} ?f ."
    alternatives = shapes.one(path, "alternativePath")
    if alternatives is not None:
        parts = [_path_pattern(shapes, alt) for alt in shapes.items(alternatives)]
        if parts and all(parts):
            return "{ " + " } UNION { ".join(parts) + " }"  # type: ignore[arg-type]
    return None


def _conforms_alt(shapes: _Shapes, alt: object) -> str | None:
    """A SPARQL expression true when the focus ``?f`` conforms to a simple shape (sh:or/sh:xone member)."""
    ox = shapes.ox
    path = shapes.one(alt, "path")
    if path is None:
        classes = shapes.values(alt, "class")
        if len(classes) != 1 or len(shapes.values(alt, "property")) or shapes.values(alt, "datatype"):
            return None
        return f"EXISTS {{ VALUES ?k_ {{ {_classes(shapes, classes[0])} }} ?f a ?k_ }}"
    if not isinstance(path, ox.NamedNode):
        return None
    p = _iri(path)
    tests = []
    for key in ("minCount", "maxCount", "class", "datatype"):
        for arg in shapes.values(alt, key):
            n = int(arg.value) if key in _COUNT_KEYS else 0  # type: ignore[attr-defined]
            if key == "minCount" and n == 1:
                tests.append(f"EXISTS {{ ?f {p} ?x_ }}")
            elif key == "maxCount" and n == 1:
                tests.append(f"NOT EXISTS {{ ?f {p} ?x_ , ?y_ FILTER(!sameTerm(?x_, ?y_)) }}")
            elif key in ("class", "datatype"):
                test = _value_test(shapes, key, arg, "?x_")
                tests.append(f"NOT EXISTS {{ ?f {p} ?x_ FILTER(!{test}) }}")
            else:
                return None
    known = {"path", "minCount", "maxCount", "class", "datatype", "message"}
    for q in shapes.g.quads_for_pattern(alt, None, None, None):
        if q.predicate.value.startswith(_SH) and q.predicate.value.removeprefix(_SH) not in known:
            return None
    return "(" + (" && ".join(tests) or "true") + ")"


def check_shapes(store: object, *, shapes: Path | str = SHAPES, ontology: Path | str = ONTOLOGY) -> list[ValidationProblem]:
    """The SHACL shapes' core constraints as Oxigraph SPARQL over a store (union of its graphs).

    What a build checks in a fraction of pySHACL's time, with pySHACL's messages,
    focus nodes, paths and values: for every shape with ``sh:targetClass`` (the
    ontology's subclasses included) or ``sh:targetObjectsOf``, the property shapes
    on a predicate or inverse path with ``sh:minCount``, ``sh:maxCount``,
    ``sh:datatype``, ``sh:class``, ``sh:in``, ``sh:minLength``, ``sh:pattern``,
    ``sh:minInclusive``, ``sh:nodeKind``, ``sh:hasValue``, ``sh:lessThan(OrEquals)``
    and ``sh:or`` of those, ``sh:node`` (the nested shape's problems and the
    parent's, as pySHACL lists them); node-level ``sh:or``/``sh:xone`` of simple
    shapes. The ontology counts as pySHACL's mixed-in ontology graph for
    subclasses, ``sh:class`` and ``sh:hasValue``. Qualified value shapes
    (``sh:qualifiedMinCount``) are left to :func:`validate` (``pccgraph
    validate``), which runs pySHACL on everything.

    Raises:
        ValidationError: the shapes or the ontology cannot be read.
    """
    sh = _Shapes(Path(shapes), Path(ontology))
    ox = sh.ox
    problems: list[ValidationProblem] = []

    def run(query: str) -> list[object]:
        return list(store.query(query, use_default_graph_as_union=True))  # type: ignore[attr-defined]

    def severity_of(node: object, parent: object) -> Severity:
        found = sh.one(node, "severity") or sh.one(parent, "severity")
        return _SEVERITY_OF.get(URIRef(found.value), Severity.VIOLATION) if found is not None else Severity.VIOLATION  # type: ignore[attr-defined, arg-type]

    def message_of(node: object, check: str) -> str:
        messages = sorted(m.value for m in sh.values(node, "message"))  # type: ignore[attr-defined]
        return messages[0] if messages else check

    def check_shape(shape: object, target: str) -> list[ValidationProblem]:
        """The problems of the focus nodes ``target`` selects against one node shape."""
        problems: list[ValidationProblem] = []
        # node-level sh:or / sh:xone
        for key, check in (("or", "Or"), ("xone", "Xone")):
            for arg in sh.values(shape, key):
                alts = [_conforms_alt(sh, alt) for alt in sh.items(arg)]
                if not alts or any(a is None for a in alts):
                    continue
                count = " + ".join(f"IF({a}, 1, 0)" for a in alts)
                bad = f"?n_ = 0" if key == "or" else "?n_ != 1"
                for row in run(f"SELECT ?f WHERE {{ {target} BIND(({count}) AS ?n_) FILTER({bad}) }}"):
                    problems.append(ValidationProblem(_show_ox(row["f"]), "", message_of(shape, check),
                                                      severity_of(shape, shape), _show_ox(row["f"]), check))
        for prop in sh.values(shape, "property"):
            path = sh.one(prop, "path")
            pattern = _path_pattern(sh, path) if path is not None else None
            if pattern is None:
                continue
            inverse = sh.one(path, "inversePath")
            where = (short(path.value) if isinstance(path, ox.NamedNode)  # type: ignore[attr-defined]
                     else "^" + short(inverse.value) if isinstance(inverse, ox.NamedNode) else "[]")
            severity = severity_of(prop, shape)
            low, high = sh.one(prop, "minCount"), sh.one(prop, "maxCount")
            if low is not None or high is not None:
                tests = []
                if low is not None:
                    tests.append(f"COUNT(DISTINCT ?v) < {int(low.value)}")  # type: ignore[attr-defined]
                if high is not None:
                    tests.append(f"COUNT(DISTINCT ?v) > {int(high.value)}")  # type: ignore[attr-defined]
                query = (f"SELECT ?f (COUNT(DISTINCT ?v) AS ?n_) WHERE {{ {target} OPTIONAL {{ {pattern} }} }} "
                         f"GROUP BY ?f HAVING ({' || '.join(tests)})")
                for row in run(query):
                    n = int(row["n_"].value)  # type: ignore[index]
                    check = "MinCount" if low is not None and n < int(low.value) else "MaxCount"  # type: ignore[attr-defined]
                    problems.append(ValidationProblem(_show_ox(row["f"]), where, message_of(prop, check), severity, "", check))  # type: ignore[index]
            tests = [(key, test) for key in _VALUE_KEYS for arg in sh.values(prop, key)
                     if (test := _value_test(sh, key, arg)) is not None]
            if tests:  # one query for all of them: ?ok_i false (not unbound: an error) marks a failed test
                binds = " ".join(f"BIND({test} AS ?ok_{i})" for i, (_, test) in enumerate(tests))
                failed = " || ".join(f"COALESCE(!?ok_{i}, false)" for i in range(len(tests)))
                okays = " ".join(f"?ok_{i}" for i in range(len(tests)))
                query = f"SELECT DISTINCT ?f ?v {okays} WHERE {{ {target} {pattern} {binds} FILTER({failed}) }}"
                for row in run(query):
                    for i, (key, _) in enumerate(tests):
                        ok = row[f"ok_{i}"]  # type: ignore[index]
                        if ok is not None and ok.value == "false":
                            check = key[0].upper() + key[1:]
                            problems.append(ValidationProblem(_show_ox(row["f"]), where, message_of(prop, check),  # type: ignore[index]
                                                              severity, _show_ox(row["v"]), check))  # type: ignore[index]
            for arg in sh.values(prop, "hasValue"):
                query = f"SELECT ?f WHERE {{ {target} FILTER NOT EXISTS {{ {pattern.replace('?v', str(arg))} }} }}"
                for row in run(query):
                    if isinstance(path, ox.NamedNode) and any(sh.onto.quads_for_pattern(row["f"], path, arg, None)):  # type: ignore[index]
                        continue  # the ontology, mixed in, states it (a grade's skos:inScheme)
                    problems.append(ValidationProblem(_show_ox(row["f"]), where, message_of(prop, "HasValue"), severity, "", "HasValue"))  # type: ignore[index]
            for nested in sh.values(prop, "node"):  # values failing a nested shape: its problems, and sh:node's
                outer = re.sub(r"\?f\b", "?o_", f"{target} {pattern}")
                inner = check_shape(nested, f"{{ SELECT DISTINCT ?f WHERE {{ {{ SELECT (?v AS ?f) WHERE {{ {outer} }} }} }} }}")
                problems.extend(inner)
                failing = sorted({p.focus for p in inner})
                if failing:
                    for row in run(f"SELECT DISTINCT ?f ?v WHERE {{ {target} {pattern} }}"):
                        if _show_ox(row["v"]) in failing:  # type: ignore[index]
                            problems.append(ValidationProblem(_show_ox(row["f"]), where, message_of(prop, "Node"),  # type: ignore[index]
                                                              severity, _show_ox(row["v"]), "Node"))  # type: ignore[index]
            for key, op in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
                for other in sh.values(prop, key):
                    if not isinstance(path, ox.NamedNode):
                        continue
                    check = key[0].upper() + key[1:]
                    query = (f"SELECT DISTINCT ?f ?v WHERE {{ {target} {pattern} ?f {_iri(other)} ?w_ "
                             f"FILTER(!COALESCE(?v {op} ?w_, false)) }}")
                    for row in run(query):
                        problems.append(ValidationProblem(_show_ox(row["f"]), where, message_of(prop, check), severity,  # type: ignore[index]
                                                          _show_ox(row["v"]), check))  # type: ignore[index]

        return problems

    node_shapes = sorted({q.subject for q in sh.g.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(_SH + "NodeShape"), None)}, key=str)
    for shape in node_shapes:
        targets = []
        for cls in sh.values(shape, "targetClass"):
            targets.append(f"{{ VALUES ?c_ {{ {_classes(sh, cls)} }} ?f a ?c_ }}")
        objects_of = sh.values(shape, "targetObjectsOf")
        if objects_of:
            targets.append(f"{{ VALUES ?t_ {{ {' '.join(_iri(p) for p in objects_of)} }} ?s_ ?t_ ?f }}")
        if not targets:
            continue
        target = "{ SELECT DISTINCT ?f WHERE { " + " UNION ".join(targets) + " } }"
        problems.extend(check_shape(shape, target))
    del check_shape  # it calls itself (sh:node): break the cycle so the store is freed (and unlocked) now
    return problems


# ------------------------------------------------------------ checks a build runs

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

def check_evidence(store: object) -> list[ValidationProblem]:
    """The evidence invariants as Oxigraph SPARQL over ``store``: every quote is the response
    text at its offsets, every mention has an annotation."""
    problems: list[ValidationProblem] = []
    for row in store.query(BAD_OFFSETS):  # type: ignore[attr-defined]
        start, end, length = int(row["start"].value), int(row["end"].value), int(row["length"].value)
        if not 0 <= start <= end <= length:
            message = (f"offsets [{start}, {end}) fall outside the letter text ({length} characters) "
                       f"of {short(row['letter'].value)}")
        else:
            message = f"the quote is not the letter text at [{start}, {end}), which reads {row['found'].value[:60]!r}"
        problems.append(ValidationProblem(short(row["ann"].value), "oa:exact", message,
                                          value=row["exact"].value[:60], check="offsets"))
    for row in store.query(UNEVIDENCED_MENTIONS):  # type: ignore[attr-defined]
        problems.append(ValidationProblem(short(row["letter"].value), "pcc:mentions",
                                          "no annotation on this letter is evidence for the mention",
                                          value=short(row["entity"].value), check="evidence"))
    return problems


def check_store(store: object) -> list[ValidationProblem]:
    """What a build checks (:func:`check_evidence` and :func:`check_shapes`), unsorted."""
    return check_evidence(store) + check_shapes(store)
