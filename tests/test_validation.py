"""Stage 5c: SHACL shapes, the offset check and `pccgraph validate`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import hashlib

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from pccgraph.cli import cli
from pccgraph.pipeline import BuildResult
from pccgraph.validation import (
    SHAPES,
    ValidationError,
    check_offsets,
    load_graph,
    validate,
)
from pccgraph.vocab import DCTERMS, FOAF, ID, OA, PCC

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
    (_drop_date, "pccid:letter/2015-10-building-the-picture", "", "Or"),  # neither a date nor a dateText
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
    assert "message: a response needs a dcterms:date (or, when the year is not written, a pcc:dateText)" in text
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


# --------------------------------------------------------------------------- statements and forms

STATEMENT = ID["statement/2016-03-02-commissioner-welcomes-peel-effectiveness-report"]
FORM = ID["form/2016-05-10-peel-effectiveness-2016"]
UNDATED = ID["statement/commissioner-responds-to-custody-report"]
REPORT = ID["report/peel-police-effectiveness-2016-testshire"]
FORCE = ID["force/testshire-police"]
AUTHOR = ID["person/jo-example"]
RECALLED = ID["judgement/2016-03-02-commissioner-welcomes-peel-effectiveness-report/60-74"]
TALLY = ID["tally/2016-05-10-peel-effectiveness-2016/11-44"]
STATEMENT_TEXT = "Testshire's commissioner Jo Example welcomed the report today. Last year it was rated good."
FORM_TEXT = "PCC comments: 10 of the 16 recommendations are complete."


def _evidence(g: Graph, fact: URIRef, source: URIRef, text: str, quote: str) -> None:
    """A Web Annotation on ``quote`` in ``text``, as the builder writes it."""
    start = text.index(quote)
    end = start + len(quote)
    slug = str(source).rsplit("/", 1)[-1]
    annotation = ID[f"annotation/{slug}/{start}-{end}"]
    target, position, quoted = (URIRef(f"{annotation}/target"), URIRef(f"{annotation}/target/position"),
                                URIRef(f"{annotation}/target/quote"))
    g.add((annotation, RDF.type, OA.Annotation))
    g.add((annotation, OA.hasBody, fact))
    g.add((annotation, OA.hasTarget, target))
    g.add((target, OA.hasSource, source))
    g.add((target, OA.hasSelector, position))
    g.add((target, OA.hasSelector, quoted))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(start)))
    g.add((position, OA.end, Literal(end)))
    g.add((quoted, RDF.type, OA.TextQuoteSelector))
    g.add((quoted, OA.exact, Literal(quote)))
    g.add((fact, PCC.evidence, annotation))


def _response(g: Graph, node: URIRef, kind: URIRef, text: str, source: str) -> None:
    """What every response carries: kind, text, source, lines, digest, title and the report answered."""
    g.add((node, RDF.type, PCC.Response))
    g.add((node, RDF.type, kind))
    g.add((node, PCC.text, Literal(text)))
    g.add((node, PCC.sourceFile, Literal(source)))
    g.add((node, PCC.startLine, Literal(1)))
    g.add((node, PCC.endLine, Literal(4)))
    g.add((node, PCC.sha256, Literal(hashlib.sha256(text.encode()).hexdigest())))
    g.add((node, DCTERMS.title, Literal("PEEL: Police effectiveness 2016")))
    g.add((node, PCC.respondsTo, REPORT))
    g.add((node, PCC.respondentForce, FORCE))


def _responses() -> Graph:
    """A small hand-made graph: a statement, a response form and an undated statement, all conforming."""
    g = Graph()
    g.add((REPORT, RDF.type, PCC.InspectionReport))
    g.add((REPORT, DCTERMS.title, Literal("PEEL: Police effectiveness 2016")))
    g.add((REPORT, DCTERMS.issued, Literal("2016-03-02", datatype=XSD.date)))
    g.add((REPORT, PCC.reportKind, Literal("PEEL")))
    g.add((REPORT, PCC.inspectionProgramme, Literal("PEEL")))
    g.add((REPORT, PCC.pillar, Literal("effectiveness")))
    g.add((REPORT, PCC.inspectionPeriod, Literal("2016")))
    g.add((FORCE, RDF.type, PCC.PoliceForce))
    g.add((FORCE, RDFS.label, Literal("Testshire Police")))
    g.add((AUTHOR, RDF.type, FOAF.Person))
    g.add((AUTHOR, RDFS.label, Literal("Jo Example")))

    _response(g, STATEMENT, PCC.Statement, STATEMENT_TEXT, "statements/testshire.html")
    g.add((STATEMENT, DCTERMS.date, Literal("2016-03-02", datatype=XSD.date)))
    g.add((STATEMENT, PCC.datePrecision, Literal("day")))
    g.add((STATEMENT, PCC.dateSource, Literal("page metadata")))
    g.add((STATEMENT, PCC.sourceUrl, Literal("https://www.testshire-pcc.example/news/peel", datatype=XSD.anyURI)))
    g.add((STATEMENT, DCTERMS.creator, AUTHOR))
    g.add((STATEMENT, PCC.recallsJudgement, RECALLED))
    g.add((RECALLED, RDF.type, PCC.Judgement))
    g.add((RECALLED, PCC.grade, PCC.Good))
    g.add((RECALLED, PCC.period, Literal("last year")))
    _evidence(g, RECALLED, STATEMENT, STATEMENT_TEXT, "rated good")

    _response(g, FORM, PCC.ResponseForm, FORM_TEXT, "forms/testshire.txt")
    g.add((FORM, DCTERMS.date, Literal("2016-05-10", datatype=XSD.date)))
    g.add((FORM, PCC.dateSource, Literal("labelled field")))
    g.add((FORM, PCC.responseDeadline, Literal("2016-04-27", datatype=XSD.date)))
    g.add((REPORT, PCC.hasRecommendationTally, TALLY))
    g.add((TALLY, RDF.type, PCC.RecommendationTally))
    g.add((TALLY, PCC.numberOfRecommendations, Literal(16)))
    g.add((TALLY, PCC.numberCompleted, Literal(10)))
    g.add((TALLY, PCC.tallyKind, Literal("recommendations")))
    _evidence(g, TALLY, FORM, FORM_TEXT, "10 of the 16 recommendations")

    _response(g, UNDATED, PCC.Statement, "On 4 September HMIC published its report.", "statements/custody.txt")
    g.add((UNDATED, PCC.dateText, Literal("4 September")))
    return g


def test_validation_statement_and_form_conform() -> None:
    """A statement (page-metadata date, URL, author, recalled grade), a form (deadline, tally) conform."""
    g = _responses()
    report = validate(g)
    assert report.conforms, report.text
    assert report.problems == ()
    assert report.counts["annotations"] == 2


def _two_forces(g: Graph) -> None:
    g.add((FORM, PCC.respondentForce, ID["force/west-mercia-police"]))
    g.add((ID["force/west-mercia-police"], RDF.type, PCC.PoliceForce))
    g.add((ID["force/west-mercia-police"], RDFS.label, Literal("West Mercia Police")))


def _force_is_a_person(g: Graph) -> None:
    g.set((FORM, PCC.respondentForce, AUTHOR))


def _deadline_as_text(g: Graph) -> None:
    g.set((FORM, PCC.responseDeadline, Literal("27/04/2016")))


def _date_source_guessed(g: Graph) -> None:
    g.set((STATEMENT, PCC.dateSource, Literal("guessed")))


def _url_as_plain_string(g: Graph) -> None:
    g.set((STATEMENT, PCC.sourceUrl, Literal("https://www.testshire-pcc.example/news/peel")))


def _recalls_a_report(g: Graph) -> None:
    g.add((STATEMENT, PCC.recallsJudgement, REPORT))


def _recalled_without_period(g: Graph) -> None:
    g.remove((RECALLED, PCC.period, None))


def _completed_negative(g: Graph) -> None:
    g.set((TALLY, PCC.numberCompleted, Literal(-1)))


def _completed_as_words(g: Graph) -> None:
    g.set((TALLY, PCC.numberCompleted, Literal("ten")))


def _report_kind_a_number(g: Graph) -> None:
    g.set((REPORT, PCC.reportKind, Literal(3)))


def _pillar_a_date(g: Graph) -> None:
    g.set((REPORT, PCC.pillar, Literal("2016-03-02", datatype=XSD.date)))


def _no_date_no_date_text(g: Graph) -> None:
    g.remove((UNDATED, PCC.dateText, None))


def _statement_and_form(g: Graph) -> None:
    g.add((STATEMENT, RDF.type, PCC.ResponseForm))


def _response_of_no_kind(g: Graph) -> None:
    g.remove((FORM, RDF.type, PCC.ResponseForm))


def _statement_without_report(g: Graph) -> None:
    g.remove((STATEMENT, PCC.respondsTo, None))


RESPONSE_BREAKAGES: list[tuple[Callable[[Graph], None], str, str, str]] = [
    (_two_forces, "pccid:form/2016-05-10", "pcc:respondentForce", "MaxCount"),
    (_force_is_a_person, "pccid:form/2016-05-10", "pcc:respondentForce", "Class"),
    (_deadline_as_text, "pccid:form/2016-05-10", "pcc:responseDeadline", "Datatype"),
    (_date_source_guessed, "pccid:statement/2016-03-02", "pcc:dateSource", "In"),
    (_url_as_plain_string, "pccid:statement/2016-03-02", "pcc:sourceUrl", "Datatype"),
    (_recalls_a_report, "pccid:statement/2016-03-02", "pcc:recallsJudgement", "Class"),
    (_recalled_without_period, "pccid:statement/2016-03-02", "pcc:recallsJudgement", "Node"),
    (_completed_negative, "pccid:tally/2016-05-10", "pcc:numberCompleted", "MinInclusive"),
    (_completed_as_words, "pccid:tally/2016-05-10", "pcc:numberCompleted", "Datatype"),
    (_report_kind_a_number, "pccid:report/peel-police-effectiveness-2016", "pcc:reportKind", "Datatype"),
    (_pillar_a_date, "pccid:report/peel-police-effectiveness-2016", "pcc:pillar", "Datatype"),
    (_no_date_no_date_text, "pccid:statement/commissioner-responds", "", "Or"),
    (_statement_and_form, "pccid:statement/2016-03-02", "", "Xone"),
    (_response_of_no_kind, "pccid:form/2016-05-10", "", "Xone"),
    (_statement_without_report, "pccid:statement/2016-03-02", "pcc:respondsTo", "MinCount"),
]


@pytest.mark.parametrize(("breakage", "node", "path", "check"), RESPONSE_BREAKAGES,
                         ids=[b[0].__name__ for b in RESPONSE_BREAKAGES])
def test_validation_broken_response_names_node_and_path(
    breakage: Callable[[Graph], None], node: str, path: str, check: str
) -> None:
    """Each new response constraint, broken once in the small graph, is a violation naming node, path and check."""
    g = _responses()
    breakage(g)
    report = validate(g)
    assert not report.conforms
    found = [(p.focus, p.path, p.check) for p in report.violations]
    assert any(f.startswith(node) and p_ == path and c == check for f, p_, c in found), report.text


def test_validation_recalled_judgement_needs_no_report() -> None:
    """A grade recalled by a response is not flagged for lacking a report; one linked from nothing is."""
    g = _responses()
    assert not [p for p in validate(g).problems if p.focus.startswith("pccid:judgement/")]
    g.remove((STATEMENT, PCC.recallsJudgement, RECALLED))
    [warning] = [p for p in validate(g).problems if p.focus.startswith("pccid:judgement/")]
    assert warning.check == "MinCount" and "no response recalls it" in warning.message
