"""The ontology file and its mirror in code agree, and load in rdflib and owlready2."""

from __future__ import annotations

from pathlib import Path

import owlready2
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from pccgraph.vocab import DCTERMS, PCC

from .conftest import ROOT

ONTOLOGY = ROOT / "ontology" / "pccgraph.ttl"
NS = str(PCC._NS)

CONTRACT = """Letter InspectionReport PoliceForce Inspectorate Alliance Programme Judgement Grade
Recommendation Commitment Topic Place Legislation GradeScheme TopicScheme ForceScope NationalScope
RecommendationTally datePrecision addressedTo copiedTo respondsTo cites mentions text sourceFile
startLine endLine sha256 inspects scope hasJudgement grade area hasRecommendationTally
numberOfRecommendations tallyKind appliesTo makesCommitment dueBy
Response Statement ResponseForm respondentForce responseDeadline dateSource dateText sourceUrl
recallsJudgement period numberCompleted reportKind inspectionProgramme pillar inspectionPeriod""".split()

# Properties that held for a letter and now hold for every response (issue 9).
RESPONSE_PROPERTIES = """addressedTo addressedToPost copiedTo respondsTo cites mentions mentionsInBody
concernsForce makesCommitment statesAmount statesStatistic datePrecision startLine endLine bodyStart bodyEnd
warning respondentForce recallsJudgement responseDeadline dateSource dateText sourceUrl""".split()


def _declared() -> set[str]:
    g = Graph().parse(ONTOLOGY)
    return {str(s)[len(NS) :] for s in g.subjects() if str(s).startswith(NS)}


def test_vocab_matches_ontology() -> None:
    """The PCC namespace class lists exactly the terms the ontology declares."""
    in_code = {name for name in PCC.__annotations__}
    assert in_code == _declared()


def test_vocab_contract_terms_present() -> None:
    """Every term of the ONTOLOGY.md contract is declared."""
    assert set(CONTRACT) <= _declared()


def test_vocab_every_term_has_label_and_definition() -> None:
    """Each declared term has an rdfs:label and a skos:definition."""
    g = Graph().parse(ONTOLOGY)
    for name in _declared():
        term = PCC[name]
        assert g.value(term, RDFS.label) is not None, name
        assert g.value(term, SKOS.definition) is not None, name


def test_vocab_ontology_loads_in_owlready2(tmp_path: Path) -> None:
    """owlready2 reads the ontology (converted to N-Triples) and sees its classes."""
    nt = tmp_path / "pccgraph.nt"
    Graph().parse(ONTOLOGY).serialize(nt, format="nt")
    world = owlready2.World()
    onto = world.get_ontology(nt.as_uri()).load()
    names = {c.name for c in onto.classes()}
    assert {"Letter", "Response", "Statement", "ResponseForm", "InspectionReport", "PoliceForce", "Judgement"} <= names
    assert onto.Response in onto.Letter.is_a and onto.Response in onto.Statement.is_a
    assert onto.Response in onto.ResponseForm.is_a
    assert onto.respondsTo.domain == [onto.Response]


def test_vocab_letter_properties_hold_for_every_response() -> None:
    """Every property a letter had now has domain pcc:Response; none keeps domain pcc:Letter."""
    g = Graph().parse(ONTOLOGY)
    for name in RESPONSE_PROPERTIES:
        assert list(g.objects(PCC[name], RDFS.domain)) == [PCC.Response], name
    assert not list(g.subjects(RDFS.domain, PCC.Letter))
    [union] = g.objects(PCC.sourceFile, RDFS.domain)
    assert list(g.items(g.value(union, OWL.unionOf))) == [PCC.Response, PCC.SourceFile]
    for kind in (PCC.Letter, PCC.Statement, PCC.ResponseForm):
        assert (kind, RDFS.subClassOf, PCC.Response) in g


def test_vocab_disjoint_kinds_of_response() -> None:
    """Letter, Statement and ResponseForm are pairwise disjoint; Response (not Letter) is in the big list."""
    g = Graph().parse(ONTOLOGY)
    lists = [list(g.items(g.value(node, OWL.members))) for node in g.subjects(RDF.type, OWL.AllDisjointClasses)]
    assert [PCC.Letter, PCC.Statement, PCC.ResponseForm] in lists
    [big] = [m for m in lists if PCC.InspectionReport in m]
    assert PCC.Response in big and PCC.Letter not in big and PCC.Statement not in big


def test_vocab_header_speaks_of_responses() -> None:
    """The ontology's description names the three kinds of response."""
    g = Graph().parse(ONTOLOGY)
    description = str(g.value(URIRef("https://w3id.org/pccgraph/ontology"), DCTERMS.description))
    for words in ("responses", "letters", "statements", "response forms"):
        assert words in description, words
