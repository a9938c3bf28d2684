"""Stages 4-5: the built graph, its evidence and its outputs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from pccgraph.pipeline import BuildResult, build
from pccgraph.vocab import DCTERMS, ID, OA, PCC, XSD

from .conftest import LETTERS, REFERENCE, ROOT

EVIDENCE = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX pcc: <https://w3id.org/pccgraph/ontology#>
SELECT ?letter ?start ?end ?exact ?text WHERE {
  ?ann a oa:Annotation ; oa:hasTarget ?t .
  ?t oa:hasSource ?letter ; oa:hasSelector ?p , ?q .
  ?p oa:start ?start ; oa:end ?end .
  ?q oa:exact ?exact .
  ?letter pcc:text ?text .
}
"""


@pytest.fixture(scope="module")
def union(built: BuildResult) -> Graph:
    """The committed-format Turtle of the build, parsed back."""
    return Graph().parse(built.outputs["pccgraph.ttl"])


def test_graph_has_24_letters_with_contract_properties(union: Graph) -> None:
    """Every letter has a date, a report it responds to, its text and its lines."""
    letters = set(union.subjects(RDF.type, PCC.Letter))
    assert len(letters) == 24
    for letter in letters:
        dates = list(union.objects(letter, DCTERMS.date))
        assert len(dates) == 1 and dates[0].datatype in (XSD.date, XSD.gYearMonth)
        assert list(union.objects(letter, PCC.respondsTo))
        assert len(list(union.objects(letter, PCC.text))) == 1
        assert len(list(union.objects(letter, PCC.startLine))) == 1
        assert list(union.objects(letter, PCC.sourceFile)) == [Literal("west-mercia-pcc-2014-2016.txt")]


def test_graph_month_precision_letter(union: Graph) -> None:
    """A letter dated "October 2015" carries an xsd:gYearMonth and precision "month"."""
    letter = ID["letter/2015-10-building-the-picture-an-inspection-of-police-information"]
    assert union.value(letter, DCTERMS.date) == Literal("2015-10", datatype=XSD.gYearMonth)
    assert union.value(letter, PCC.datePrecision) == Literal("month")
    assert union.value(letter, PCC.startLine) == Literal(275)


def test_graph_letter_with_two_reports(union: Graph) -> None:
    """The 24 February 2015 crime recording letter responds to two distinct reports."""
    letter = ID["letter/2015-02-24-crime-recording-making-the-victims-count"]
    reports = sorted(str(union.value(r, DCTERMS.title)) for r in union.objects(letter, PCC.respondsTo))
    assert reports == [
        "CRIME DATA INTEGRITY: INSPECTION OF WEST MERCIA POLICE",
        "CRIME RECORDING: MAKING THE VICTIMS COUNT",
    ]


def test_graph_people_posts_forces(union: Graph) -> None:
    """Bill Longmore signs, holds the West Mercia PCC post; Theresa May is addressed; HMIC copied."""
    bill = ID["person/bill-longmore"]
    pcc_post = ID["post/pcc-west-mercia-police"]
    assert (bill, URIRef("http://www.w3.org/ns/org#holds"), pcc_post) in union
    creators = set(union.objects(None, DCTERMS.creator))
    assert creators == {bill}
    assert set(union.objects(None, PCC.addressedTo)) == {ID["person/theresa-may"]}
    assert set(union.objects(None, PCC.copiedTo)) == {ID["person/dru-sharpling"], ID["inspectorate/hmic"]}
    assert set(union.objects(None, PCC.concernsForce)) == {ID["force/west-mercia-police"]}
    peel = ID["report/peel-police-legitimacy-2015-west-mercia-police"]
    assert union.value(peel, PCC.inspects) == ID["force/west-mercia-police"]
    assert (peel, PCC.scope, PCC.ForceScope) in union
    assert union.value(peel, DCTERMS.publisher) == ID["inspectorate/hmic"]


def test_graph_every_annotation_quotes_its_letter_exactly(union: Graph) -> None:
    """The offset invariant: letter_text[start:end] == exact, for every annotation."""
    rows = list(union.query(EVIDENCE))
    assert len(rows) > 24 * 5
    for row in rows:
        text = str(row.text)  # type: ignore[union-attr]
        start, end = int(row.start), int(row.end)  # type: ignore[union-attr]
        assert text[start:end] == str(row.exact), (row.letter, start, end)  # type: ignore[union-attr]


def test_graph_has_no_blank_nodes_or_absolute_paths(built: BuildResult) -> None:
    """Outputs carry no blank nodes, no absolute paths and no timestamps."""
    for name, path in built.outputs.items():
        if not name.startswith("pccgraph."):
            continue  # views are checked in test_views.py
        text = path.read_text(encoding="utf-8")
        assert str(ROOT) not in text, name
        assert "_:" not in text, name
        assert "generatedAtTime" not in text, name
    for graph in built.dataset.graphs():
        for triple in graph:
            assert not any(isinstance(term, BNode) for term in triple)


def test_graph_turtle_is_deterministic_and_committed(built: BuildResult, tmp_path: Path) -> None:
    """A rebuild is byte-identical, and equals the committed output/pccgraph.ttl, .trig and .jsonld."""
    again = build([LETTERS], tmp_path, reference_dir=REFERENCE, views=False, cache=False)
    for name in ("pccgraph.ttl", "pccgraph.trig", "pccgraph.nq", "pccgraph.jsonld"):
        assert again.outputs[name].read_bytes() == built.outputs[name].read_bytes(), name
    for name in ("pccgraph.ttl", "pccgraph.trig", "pccgraph.jsonld"):
        committed = ROOT / "output" / name
        assert committed.read_bytes() == built.outputs[name].read_bytes(), (
            f"output/{name} is stale: run `make build` and commit it"
        )


def test_graph_turtle_is_sorted_and_readable(built: BuildResult) -> None:
    """PREFIX lines for exactly the contract's prefixes, subjects sorted, predicates sorted
    within a subject (rdf:type first, as ``a``), one object a line when there are several."""
    from pccgraph.vocab import PREFIXES

    text = built.outputs["pccgraph.ttl"].read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    assert head.splitlines() == [f"PREFIX {p}: <{ns}>" for p, ns in sorted(PREFIXES.items())]
    blocks = body.split("\n.\n")
    subjects = [block.lstrip("\n").split("\n", 1)[0] for block in blocks if block.strip()]
    assert len(subjects) == len(set(subjects)) > 3000
    full = [s if s.startswith("<") else None for s in subjects]
    assert [s for s in full if s] == sorted(s for s in full if s)
    letter = next(b for b in blocks if b.lstrip("\n").startswith("<https://w3id.org/pccgraph/id/letter/2014-10-02"))
    lines = [line for line in letter.strip("\n").split("\n")[1:] if line.startswith("    ") and not line.startswith("     ")]
    assert lines[0].startswith("    a\n") or lines[0] == "    a" or lines[0].startswith("    a ")
    names = [line.split()[0] for line in lines[1:]]
    iris = [PREFIXES[n.split(":")[0]][n.split(":", 1)[1]] for n in names]
    assert iris == sorted(iris)


def test_graph_every_format_holds_the_same_graph(built: BuildResult) -> None:
    """Turtle, TriG, N-Quads and JSON-LD parse (rdflib and pyoxigraph) to the same triples and quads."""
    def quads(name: str, fmt: pyoxigraph.RdfFormat) -> set[pyoxigraph.Quad]:
        return set(pyoxigraph.parse(path=str(built.outputs[name]), format=fmt))

    trig, nq = quads("pccgraph.trig", pyoxigraph.RdfFormat.TRIG), quads("pccgraph.nq", pyoxigraph.RdfFormat.N_QUADS)
    assert trig == nq and len(nq) > built.triples
    union = {q.triple for q in nq}
    assert {q.triple for q in quads("pccgraph.ttl", pyoxigraph.RdfFormat.TURTLE)} == union
    assert {q.triple for q in quads("pccgraph.jsonld", pyoxigraph.RdfFormat.JSON_LD)} == union
    assert len(union) == built.triples
    ttl = Graph().parse(built.outputs["pccgraph.ttl"])
    from rdflib.compare import isomorphic

    assert isomorphic(ttl, Graph().parse(built.outputs["pccgraph.jsonld"], format="json-ld"))
    from_store = Graph()
    for s, p, o, _ in built.dataset.quads((None, None, None, None)):
        from_store.add((s, p, o))
    assert isomorphic(ttl, from_store)


def test_graph_multi_line_texts_are_byte_exact(built: BuildResult, raw_letters: list) -> None:
    """Every letter's text, written as a long Turtle string, parses back to the exact text read."""
    texts = {str(o) for o in Graph().parse(built.outputs["pccgraph.ttl"]).objects(None, PCC.text)}
    for raw in raw_letters:
        assert raw.text in texts
    assert any("\n" in t and '"' in t for t in texts) or any("\n" in t for t in texts)


def test_graph_loads_same_in_rdflib_and_oxigraph(built: BuildResult) -> None:
    """The Turtle and TriG load in rdflib and pyoxigraph with the same counts."""
    ttl = built.outputs["pccgraph.ttl"]
    store = pyoxigraph.Store()
    store.load(path=str(ttl), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(Graph().parse(ttl)) == built.triples
    trig = built.outputs["pccgraph.trig"]
    quads = pyoxigraph.Store()
    quads.load(path=str(trig), format=pyoxigraph.RdfFormat.TRIG)
    ds = Dataset()
    ds.parse(trig, format="trig")
    named = [g for g in ds.graphs() if len(g)]
    assert len(named) == 25  # 24 letters + the reference graph
    assert len(quads) == sum(len(g) for g in named)
    assert len(Graph().parse(built.outputs["pccgraph.jsonld"], format="json-ld")) == built.triples


def test_graph_named_graph_per_letter(built: BuildResult) -> None:
    """Each letter's triples live in the named graph named by the letter's IRI."""
    for graph in built.dataset.graphs():
        if (graph.identifier, RDF.type, PCC.Letter) in graph:
            assert len(set(graph.subjects(RDF.type, PCC.Letter))) == 1
            assert list(graph.subjects(RDF.type, PCC.Letter)) == [graph.identifier]
    assert OA.Annotation  # namespace sanity


def test_graph_trig_keeps_letter_texts_exact(built: BuildResult) -> None:
    """Letter texts read back from the TriG equal those in the Turtle (multi-line literals intact)."""
    ds = Dataset()
    ds.parse(built.outputs["pccgraph.trig"], format="trig")
    union = Graph().parse(built.outputs["pccgraph.ttl"])
    from_trig = {(s, o) for g in ds.graphs() for s, o in g.subject_objects(PCC.text)}
    assert from_trig == set(union.subject_objects(PCC.text))
    assert len(from_trig) >= 24


def test_graph_posts_belong_to_the_right_kind_of_body(union: Graph) -> None:
    """A force's post is in the force; HM Inspector's in HMIC; the Home Secretary's in the Home Office."""
    org = "http://www.w3.org/ns/org#"
    post_in = URIRef(org + "postIn")
    assert union.value(ID["post/pcc-west-mercia-police"], post_in) == ID["force/west-mercia-police"]
    assert union.value(ID["post/hm-inspector-of-constabulary"], post_in) == ID["inspectorate/hmic"]
    assert union.value(ID["post/home-secretary"], post_in) == ID["organisation/home-office"]
    assert (ID["organisation/home-office"], RDF.type, URIRef(org + "Organization")) in union


def test_graph_letter_body_offsets(union: Graph, built: BuildResult) -> None:
    """pcc:bodyStart/bodyEnd bound the body: after the subject line, before the sign-off."""
    letter = ID["letter/2014-10-02-core-business-inspection-report"]
    text = str(union.value(letter, PCC.text))
    start, end = int(union.value(letter, PCC.bodyStart)), int(union.value(letter, PCC.bodyEnd))  # type: ignore[arg-type]
    assert text[start:].startswith("The HMIC report into West Mercia Police's approach")
    assert text[:end].endswith("effective use of police time.")
    for letter_iri in union.subjects(RDF.type, PCC.Letter):
        s, e = int(union.value(letter_iri, PCC.bodyStart)), int(union.value(letter_iri, PCC.bodyEnd))  # type: ignore[arg-type]
        assert 0 < s < e <= len(str(union.value(letter_iri, PCC.text)))
