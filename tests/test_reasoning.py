"""Stage 5c: OWL reasoning with owlready2 and HermiT (real Java), and `pccgraph reason`."""

from __future__ import annotations

from pathlib import Path

import owlready2
import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF

from pccgraph.cli import cli
from pccgraph.pipeline import BuildResult
from pccgraph.reasoning import INFERRED_NAME, ReasoningError, explain_inconsistency, reason
from pccgraph.vocab import CITO, FABIO, FOAF, ID, ORG, PCC, PROV

from .conftest import ROOT

ONTOLOGY = ROOT / "ontology" / "pccgraph.ttl"
LETTER = ID["letter/x"]
REPORT = ID["report/r"]
FORCE = ID["force/west-mercia-police"]
WARWICKSHIRE = ID["force/warwickshire-police"]
ALLIANCE = ID["alliance/warwickshire-west-mercia-alliance"]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def bundled(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """`pccgraph reason` run once on a fresh build of the bundled letters."""
    folder = tmp_path_factory.mktemp("reason")
    graph = folder / "pccgraph.ttl"
    graph.write_bytes(built.outputs["pccgraph.ttl"].read_bytes())
    result = CliRunner().invoke(cli, ["reason", str(graph)])
    return folder, result


@pytest.mark.slow
def test_reasoning_bundled_graph_is_consistent(bundled: tuple[Path, object]) -> None:
    """HermiT finds the bundled graph consistent; the CLI exits 0 and writes the inferred file."""
    folder, result = bundled
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "Reasoning: consistent" in result.output  # type: ignore[attr-defined]
    assert (folder / INFERRED_NAME).is_file()
    assert sorted(p.name for p in folder.iterdir()) == [INFERRED_NAME, "pccgraph.ttl"]


@pytest.mark.slow
def test_reasoning_bundled_inferences(bundled: tuple[Path, object]) -> None:
    """The inferred file holds inverses, super-properties and types, and nothing already stated."""
    folder, _ = bundled
    stated = Graph().parse(folder / "pccgraph.ttl")
    inferred = Graph().parse(folder / INFERRED_NAME)
    assert len(inferred) > 0
    assert not [t for t in inferred if t in stated]
    assert not [t for t in inferred if any(isinstance(x, BNode) for x in t)]
    for letter, report in stated.subject_objects(PCC.respondsTo):
        assert (report, PCC.isRespondedToBy, letter) in inferred
        assert (letter, CITO.repliesTo, report) in inferred
    for letter, entity in stated.subject_objects(PCC.mentions):
        assert (entity, PCC.isMentionedIn, letter) in inferred
    for letter in stated.subjects(RDF.type, PCC.Letter):
        assert (letter, RDF.type, FABIO.Letter) in inferred
        assert (letter, RDF.type, PROV.Entity) in inferred


def _small() -> Graph:
    """A letter answering a report on a force, and the alliance, stated one way only."""
    g = Graph()
    g.add((LETTER, RDF.type, PCC.Letter))
    g.add((LETTER, PCC.respondsTo, REPORT))
    g.add((REPORT, PCC.inspects, FORCE))  # neither the report nor the force is typed
    g.add((LETTER, PCC.mentions, ALLIANCE))
    g.add((ALLIANCE, RDF.type, PCC.Alliance))
    g.add((ALLIANCE, ORG.hasMember, FORCE))
    g.add((WARWICKSHIRE, ORG.memberOf, ALLIANCE))
    g.add((LETTER, PCC.startLine, Literal(3)))
    return g


def test_reasoning_chain_inverses_membership_and_types(tmp_path: Path) -> None:
    """HermiT infers concernsForce (chain), inverses, membership both ways and domain/range types."""
    out = tmp_path / INFERRED_NAME
    report = reason(_small(), out_path=out)
    assert report.consistent
    inferred = report.inferred
    assert (LETTER, PCC.concernsForce, FORCE) in inferred  # respondsTo ∘ inspects
    assert (REPORT, PCC.isRespondedToBy, LETTER) in inferred
    assert (ALLIANCE, PCC.isMentionedIn, LETTER) in inferred
    assert (FORCE, ORG.memberOf, ALLIANCE) in inferred
    assert (ALLIANCE, ORG.hasMember, WARWICKSHIRE) in inferred
    assert (REPORT, RDF.type, PCC.InspectionReport) in inferred  # domain of pcc:inspects
    assert (FORCE, RDF.type, PCC.PoliceForce) in inferred  # range of pcc:inspects
    assert (FORCE, RDF.type, ORG.FormalOrganization) in inferred  # and up the hierarchy
    assert (REPORT, RDF.type, FABIO.Report) in inferred
    assert report.counts["pcc:concernsForce"] == 1
    assert Graph().parse(out).isomorphic(inferred)
    assert report.hermit_seconds > 0


def test_reasoning_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    """Two runs on the same graph write the same bytes (sorted, no blank nodes, no timestamps)."""
    reason(_small(), out_path=tmp_path / "a.ttl")
    reason(_small(), out_path=tmp_path / "b.ttl")
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes()


@pytest.mark.parametrize(
    ("extra", "node", "words"),
    [
        ((FORCE, RDF.type, FOAF.Person), "pccid:force/west-mercia-police", ("foaf:Person", "pcc:PoliceForce", "disjoint")),
        # a letter is a response (stated, and the domain of pcc:startLine): a response is no report
        ((LETTER, RDF.type, PCC.InspectionReport), "pccid:letter/x", ("pcc:InspectionReport", "pcc:Response", "disjoint")),
        # a response is one kind only: a letter cannot also be a statement
        ((LETTER, RDF.type, PCC.Statement), "pccid:letter/x", ("pcc:Letter", "pcc:Statement", "disjoint")),
        # typed by the range of pcc:addressedTo, then typed a force: still named
        ((LETTER, PCC.addressedTo, FORCE), "pccid:force/west-mercia-police", ("range foaf:Person",)),
    ],
)
def test_reasoning_disjoint_types_are_inconsistent_and_named(
    tmp_path: Path, extra: tuple, node: str, words: tuple[str, ...]
) -> None:
    """A node of two disjoint classes makes HermiT report inconsistency; the report names the node."""
    g = _small()
    g.add((FORCE, RDF.type, PCC.PoliceForce))
    g.add(extra)
    out = tmp_path / INFERRED_NAME
    out.write_text("previous", encoding="utf-8")
    report = reason(g, out_path=out)
    assert not report.consistent
    assert len(report.inferred) == 0
    [culprit] = [i for i in report.inconsistencies if i.node == node]
    for word in words:
        assert word in culprit.message
    assert node in report.text
    assert out.read_text(encoding="utf-8") == "previous"  # nothing written


STATEMENT = ID["statement/s"]
FORM = ID["form/f"]


def test_reasoning_statements_and_forms_are_responses(tmp_path: Path) -> None:
    """A statement and a form carry the letter properties; HermiT types them responses and no more."""
    g = _small()
    g.add((STATEMENT, RDF.type, PCC.Statement))
    g.add((STATEMENT, PCC.respondsTo, REPORT))
    g.add((STATEMENT, PCC.respondentForce, FORCE))
    g.add((FORM, RDF.type, PCC.ResponseForm))
    g.add((FORM, PCC.startLine, Literal(1)))
    g.add((FORM, PCC.mentions, ALLIANCE))
    report = reason(g, out_path=tmp_path / INFERRED_NAME)
    assert report.consistent, report.text
    inferred = report.inferred
    for node in (STATEMENT, FORM):
        assert (node, RDF.type, PCC.Response) in inferred
        assert (node, RDF.type, PROV.Entity) in inferred
        assert (node, RDF.type, PCC.Letter) not in inferred
    assert (STATEMENT, PCC.concernsForce, FORCE) in inferred  # respondsTo ∘ inspects, for any response
    assert (REPORT, PCC.isRespondedToBy, STATEMENT) in inferred
    assert (ALLIANCE, PCC.isMentionedIn, FORM) in inferred
    assert (LETTER, RDF.type, PCC.Response) in inferred  # pcc:Letter ⊑ pcc:Response
    assert (FORCE, RDF.type, PCC.PoliceForce) in inferred  # range of pcc:respondentForce


def test_reasoning_two_grades_are_inconsistent(tmp_path: Path) -> None:
    """pcc:grade is functional and the grades are all different: two grades cannot hold."""
    g = _small()
    judgement = ID["judgement/x/1-2"]
    g.add((judgement, RDF.type, PCC.Judgement))
    g.add((judgement, PCC.grade, PCC.Good))
    g.add((judgement, PCC.grade, PCC.Inadequate))
    report = reason(g)
    assert not report.consistent
    assert [i.node for i in report.inconsistencies] == ["pccid:judgement/x/1-2"]
    assert "functional property pcc:grade" in report.inconsistencies[0].message


def test_reasoning_cli_inconsistent_exits_1_and_names_node(tmp_path: Path) -> None:
    """`pccgraph reason` on a graph with a force that is also a person exits 1 and names it."""
    g = _small()
    g.add((FORCE, RDF.type, FOAF.Person))
    path = tmp_path / "pccgraph.ttl"
    g.serialize(path, format="turtle")
    result = CliRunner().invoke(cli, ["reason", str(path)])
    assert result.exit_code == 1, result.output
    text = _flat(result.output)
    assert "INCONSISTENT" in text
    assert "pccid:force/west-mercia-police: is both a foaf:Person" in text
    assert not (tmp_path / INFERRED_NAME).exists()


def test_reasoning_without_java_cannot_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a Java runtime reasoning raises ReasoningError and the CLI exits 2 with the fix."""
    monkeypatch.setattr(owlready2, "JAVA_EXE", str(tmp_path / "no-java-here"))
    with pytest.raises(ReasoningError, match="Java not found"):
        reason(_small())
    path = tmp_path / "g.ttl"
    _small().serialize(path, format="turtle")
    result = CliRunner().invoke(cli, ["reason", str(path)])
    assert result.exit_code == 2
    assert "default-jre-headless" in _flat(result.output)


def test_reasoning_missing_graph_exits_2(tmp_path: Path) -> None:
    """A graph file that does not exist is a usage error (exit 2), not a crash."""
    result = CliRunner().invoke(cli, ["reason", str(tmp_path / "nope.ttl")])
    assert result.exit_code == 2
    assert "no such graph file" in _flat(result.output)


def test_reasoning_explain_is_empty_for_a_consistent_graph() -> None:
    """The explanation finds nothing to blame in a consistent graph."""
    assert explain_inconsistency(_small(), Graph().parse(ONTOLOGY)) == []


def test_reasoning_ontology_declares_the_disjointness_it_relies_on() -> None:
    """Forces and people, responses and reports, and the three kinds of response are declared disjoint."""
    onto = Graph().parse(ONTOLOGY)
    g = Graph()
    g.add((FORCE, RDF.type, PCC.PoliceForce))
    g.add((FORCE, RDF.type, FOAF.Person))
    g.add((LETTER, RDF.type, PCC.Letter))
    g.add((LETTER, RDF.type, PCC.InspectionReport))
    g.add((STATEMENT, RDF.type, PCC.Statement))
    g.add((STATEMENT, RDF.type, PCC.ResponseForm))
    g.add((FORM, RDF.type, PCC.ResponseForm))
    g.add((FORM, RDF.type, ORG.Post))
    found = explain_inconsistency(g, onto)
    assert {i.node for i in found} == {"pccid:force/west-mercia-police", "pccid:letter/x", "pccid:statement/s",
                                       "pccid:form/f"}
    [statement] = [i.message for i in found if i.node == "pccid:statement/s"]
    assert statement.startswith("is both a pcc:ResponseForm (typed pcc:ResponseForm) and a pcc:Statement")
    [form] = [i.message for i in found if i.node == "pccid:form/f"]
    assert "pcc:Response (typed pcc:ResponseForm, and pcc:ResponseForm ⊑ pcc:Response)" in form
    # a statement and a form on their own, or a letter that is only a letter, are fine
    ok = Graph()
    ok.add((STATEMENT, RDF.type, PCC.Statement))
    ok.add((FORM, RDF.type, PCC.ResponseForm))
    ok.add((LETTER, RDF.type, PCC.Letter))
    ok.add((LETTER, RDF.type, PCC.Response))
    assert explain_inconsistency(ok, onto) == []
