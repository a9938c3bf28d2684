"""The ontology file and its mirror in code agree, and load in rdflib and owlready2."""

from __future__ import annotations

from pathlib import Path

import owlready2
from rdflib import Graph
from rdflib.namespace import RDFS, SKOS

from pccgraph.vocab import PCC

from .conftest import ROOT

ONTOLOGY = ROOT / "ontology" / "pccgraph.ttl"
NS = str(PCC._NS)

CONTRACT = """Letter InspectionReport PoliceForce Inspectorate Alliance Programme Judgement Grade
Recommendation Commitment Topic Place Legislation GradeScheme TopicScheme ForceScope NationalScope
RecommendationTally datePrecision addressedTo copiedTo respondsTo cites mentions text sourceFile
startLine endLine sha256 inspects scope hasJudgement grade area hasRecommendationTally
numberOfRecommendations tallyKind appliesTo makesCommitment dueBy""".split()


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
    assert {"Letter", "InspectionReport", "PoliceForce", "Judgement"} <= names
