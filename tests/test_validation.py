"""Stage 5c: SHACL shapes, the offset check and `pccgraph validate`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from pccgraph.cli import cli
from pccgraph.pipeline import BuildResult
from pccgraph.validation import (
    SHAPES,
    ValidationError,
    check_offsets,
    load_graph,
    validate,
)
from pccgraph.vocab import DCTERMS, ID, OA, PCC

from .conftest import ROOT

LETTER = ID["letter/2015-10-building-the-picture-an-inspection-of-police-information"]


def _flat(text: str) -> str:
    """Output with rich's line wrapping undone."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def graph_file(built: BuildResult) -> Path:
    """The Turtle of a fresh build of the bundled letters."""
    return built.outputs["pccgraph.ttl"]


@pytest.fixture()
def graph(graph_file: Path) -> Graph:
    """A fresh, mutable copy of the bundled graph."""
    return Graph().parse(graph_file)


def _first(g: Graph, type_: URIRef, within: str = "") -> URIRef:
    return sorted(s for s in g.subjects(RDF.type, type_) if within in str(s))[0]  # type: ignore[return-value]


def test_validation_bundled_graph_conforms(graph_file: Path) -> None:
    """The freshly built bundled graph has no violations and no warnings."""
    report = validate(graph_file)
    assert report.conforms, report.text
    assert report.problems == ()
    assert report.counts["letters"] == 24
    assert report.text.startswith("Validation: conforms")


@pytest.mark.parametrize(
    "name",
    [
        "pccgraph.ttl",
        "pccgraph.jsonld",
        "pccgraph.trig",
    ],
)
def test_validation_every_output_format_conforms(built: BuildResult, name: str) -> None:
    """Turtle, JSON-LD and TriG outputs all pass the shapes and the offset check."""
    report = validate(built.outputs[name])
    assert report.conforms, report.text[:2000]


def test_validation_committed_output_conforms() -> None:
    """The committed output/pccgraph.ttl conforms (`pccgraph validate` with no argument)."""
    result = CliRunner().invoke(cli, ["validate", str(ROOT / "output" / "pccgraph.ttl")])
    assert result.exit_code == 0, result.output
    assert "conforms: 0 violation(s)" in _flat(result.output)


def test_validation_cli_exits_0_on_a_fresh_build(graph_file: Path) -> None:
    """`pccgraph validate GRAPH` exits 0 and says so on a conforming graph."""
    result = CliRunner().invoke(cli, ["validate", str(graph_file)])
    assert result.exit_code == 0, result.output
    assert "Validation: conforms" in result.output


def _drop_date(g: Graph) -> None:
    g.remove((LETTER, DCTERMS.date, None))


def _date_as_string(g: Graph) -> None:
    g.set((LETTER, DCTERMS.date, Literal("October 2015")))


def _second_date(g: Graph) -> None:
    g.add((LETTER, DCTERMS.date, Literal("2015-10-01", datatype=XSD.date)))


def _drop_responds_to(g: Graph) -> None:
    g.remove((LETTER, PCC.respondsTo, None))


def _drop_text(g: Graph) -> None:
    g.remove((LETTER, PCC.text, None))


def _bad_exact(g: Graph) -> None:
    quote = _first(g, OA.TextQuoteSelector, "building-the-picture")
    g.set((quote, OA.exact, Literal("Athena")))


def _start_after_end(g: Graph) -> None:
    position = _first(g, OA.TextPositionSelector, "building-the-picture")
    end = int(g.value(position, OA.end))  # type: ignore[arg-type]
    g.set((position, OA.start, Literal(end + 1)))


def _offsets_past_the_text(g: Graph) -> None:
    position = _first(g, OA.TextPositionSelector, "building-the-picture")
    g.set((position, OA.start, Literal(100_000)))
    g.set((position, OA.end, Literal(100_004)))


def _annotation_without_source(g: Graph) -> None:
    target = g.value(_first(g, OA.Annotation, "building-the-picture"), OA.hasTarget)
    g.remove((target, OA.hasSource, None))


def _mention_without_evidence(g: Graph) -> None:
    g.add((LETTER, PCC.mentions, ID["force/warwickshire-police"]))


def _dangling_entity(g: Graph) -> None:
    g.add((LETTER, PCC.mentions, ID["programme/nowhere"]))


def _judgement(g: Graph, *grades: URIRef) -> URIRef:
    node = ID["judgement/test/1-2"]
    g.add((node, RDF.type, PCC.Judgement))
    for grade in grades:
        g.add((node, PCC.grade, grade))
    g.add((node, PCC.evidence, _first(g, OA.Annotation)))
    return node


def _two_grades(g: Graph) -> None:
    _judgement(g, PCC.Good, PCC.Inadequate)


def _grade_outside_scheme(g: Graph) -> None:
    _judgement(g, ID["topic/custody"])


def _tally(g: Graph, count: Literal, kind: str = "recommendations") -> None:
    node = ID["tally/test/1-2"]
    g.add((node, RDF.type, PCC.RecommendationTally))
    g.add((node, PCC.numberOfRecommendations, count))
    g.add((node, PCC.tallyKind, Literal(kind)))
    g.add((node, PCC.evidence, _first(g, OA.Annotation)))


def _negative_tally(g: Graph) -> None:
    _tally(g, Literal(-3))


def _tally_not_a_number(g: Graph) -> None:
    _tally(g, Literal("seven"))


def _tally_unknown_kind(g: Graph) -> None:
    _tally(g, Literal(7), "suggestions")


BREAKAGES: list[tuple[Callable[[Graph], None], str, str, str]] = [
    # (break the graph, node that must be named, path, check)
    (_drop_date, "pccid:letter/2015-10-building-the-picture", "dcterms:date", "MinCount"),
    (_date_as_string, "pccid:letter/2015-10-building-the-picture", "dcterms:date", "Or"),
    (_second_date, "pccid:letter/2015-10-building-the-picture", "dcterms:date", "MaxCount"),
    (_drop_responds_to, "pccid:letter/2015-10-building-the-picture", "pcc:respondsTo", "MinCount"),
    (_drop_text, "pccid:letter/2015-10-building-the-picture", "pcc:text", "MinCount"),
    (_bad_exact, "pccid:annotation/2015-10-building-the-picture", "oa:exact", "offsets"),
    (_start_after_end, "pccid:annotation/2015-10-building-the-picture", "oa:start", "LessThan"),
    (_offsets_past_the_text, "pccid:annotation/2015-10-building-the-picture", "oa:start/oa:end", "offsets"),
    (_annotation_without_source, "pccid:annotation/2015-10-building-the-picture", "oa:hasSource", "MinCount"),
    (_mention_without_evidence, "pccid:letter/2015-10-building-the-picture", "pcc:mentions", "evidence"),
    (_dangling_entity, "pccid:programme/nowhere", "rdfs:label", "MinCount"),
    (_two_grades, "pccid:judgement/test/1-2", "pcc:grade", "MaxCount"),
    (_grade_outside_scheme, "pccid:judgement/test/1-2", "pcc:grade", "Class"),
    (_negative_tally, "pccid:tally/test/1-2", "pcc:numberOfRecommendations", "MinInclusive"),
    (_tally_not_a_number, "pccid:tally/test/1-2", "pcc:numberOfRecommendations", "Datatype"),
    (_tally_unknown_kind, "pccid:tally/test/1-2", "pcc:tallyKind", "In"),
]


@pytest.mark.parametrize(("breakage", "node", "path", "check"), BREAKAGES, ids=[b[0].__name__ for b in BREAKAGES])
def test_validation_broken_graph_names_node_and_path(
    graph: Graph, breakage: Callable[[Graph], None], node: str, path: str, check: str
) -> None:
    """Each way of breaking the contract is a violation naming the node, the path and the check."""
    breakage(graph)
    report = validate(graph)
    assert not report.conforms
    found = [(p.focus, p.path, p.check) for p in report.violations]
    assert any(f.startswith(node) and p_ == path and c == check for f, p_, c in found), report.text


def test_validation_cli_exits_1_on_a_broken_copy(graph: Graph, tmp_path: Path) -> None:
    """`pccgraph validate` on a copy without a date and with a wrong quote exits 1 and explains."""
    _drop_date(graph)
    _bad_exact(graph)
    broken = tmp_path / "broken.ttl"
    graph.serialize(broken, format="turtle")
    result = CliRunner().invoke(cli, ["validate", str(broken)])
    assert result.exit_code == 1, result.output
    text = _flat(result.output)
    assert "does not conform: 2 violation(s)" in text
    assert "node: pccid:letter/2015-10-building-the-picture-an-inspection-of-police-information" in text
    assert "path: dcterms:date" in text
    assert "message: a letter needs exactly one dcterms:date" in text
    assert "path: oa:exact" in text and "value: 'Athena'" in text


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (None, "missing.ttl", "no such graph file"),
        ("this is not turtle <", "broken.ttl", "cannot read as turtle"),
    ],
)
def test_validation_cannot_run_exits_2(tmp_path: Path, content: str | None, name: str, expected: str) -> None:
    """A missing or unparsable graph raises ValidationError; the CLI exits 2."""
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match=expected):
        validate(path)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert expected in _flat(result.output)


def test_validation_broken_shapes_file_cannot_run(graph: Graph, tmp_path: Path) -> None:
    """A shapes file that is not Turtle is an error, not a silent pass."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y", encoding="utf-8")
    with pytest.raises(ValidationError, match="shapes file is not valid Turtle"):
        validate(graph, shapes=shapes)


def test_validation_offsets_are_python_slices() -> None:
    """The offset check reads oa:start/oa:end as half-open code-point offsets."""
    g = Graph()
    letter, ann = ID["letter/x"], ID["annotation/x/4-10"]
    target, position, quote = URIRef(f"{ann}/target"), URIRef(f"{ann}/target/position"), URIRef(f"{ann}/target/quote")
    g.add((letter, PCC.text, Literal("Dear “Athena” team")))
    g.add((ann, RDF.type, OA.Annotation))
    g.add((ann, OA.hasTarget, target))
    g.add((target, OA.hasSource, letter))
    g.add((target, OA.hasSelector, position))
    g.add((target, OA.hasSelector, quote))
    g.add((position, OA.start, Literal(6)))
    g.add((position, OA.end, Literal(12)))
    g.add((quote, OA.exact, Literal("Athena")))
    assert check_offsets(g) == []
    g.set((position, OA.start, Literal(5)))
    g.set((position, OA.end, Literal(11)))
    [problem] = check_offsets(g)
    assert problem.focus == "pccid:annotation/x/4-10"
    assert "'“Athen'" in problem.message


def test_validation_dataset_is_merged(built: BuildResult) -> None:
    """A Dataset (named graph per letter) validates as the union of its graphs."""
    merged = load_graph(built.dataset)
    assert len(set(merged.subjects(RDF.type, PCC.Letter))) == 24
    report = validate(built.dataset)
    assert report.conforms, report.text[:2000]


def test_validation_shapes_use_core_constraints_only() -> None:
    """The shapes avoid sh:sparql, which is slow on big graphs."""
    shapes = Graph().parse(SHAPES)
    assert not list(shapes.triples((None, URIRef("http://www.w3.org/ns/shacl#sparql"), None)))
