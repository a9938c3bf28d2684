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
