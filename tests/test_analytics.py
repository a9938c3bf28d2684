"""The network projection, its measures, and the GraphML/GEXF exports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from pccgraph import analytics as an
from pccgraph.cli import cli
from pccgraph.pipeline import BuildResult
from pccgraph.vocab import DCTERMS, FOAF, ID, OA, ORG, PCC, RDFS

from .conftest import ROOT

LETTER_TEXT = (
    "Home Secretary, London\n\nDear Home Secretary,\n\n"
    "Athena and MASH are both in place. Athena works well.\n\nYours sincerely,\n\nBill Longmore"
)


def _annotate(g: Graph, letter: URIRef, body: URIRef, start: int, end: int, *roles: URIRef) -> None:
    ann = ID[f"annotation/{str(letter).rsplit('/', 1)[-1]}/{start}-{end}"]
    target = URIRef(f"{ann}/target")
    g.add((ann, RDF.type, OA.Annotation))
    g.add((ann, OA.hasBody, body))
    g.add((ann, OA.hasTarget, target))
    for role in roles:
        g.add((ann, PCC.supports, role))
    g.add((target, OA.hasSource, letter))
    g.add((target, OA.hasSelector, URIRef(f"{target}/position")))
    g.add((URIRef(f"{target}/position"), OA.start, Literal(start)))
    g.add((URIRef(f"{target}/position"), OA.end, Literal(end)))
    g.add((target, OA.hasSelector, URIRef(f"{target}/quote")))
    g.add((URIRef(f"{target}/quote"), OA.exact, Literal(LETTER_TEXT[start:end])))


@pytest.fixture()
def tiny() -> Graph:
    """Two letters by hand: both mention Athena; one also MASH; London only in an address."""
    g = Graph()
    athena, mash = ID["programme/athena"], ID["programme/mash"]
    london, post, person = ID["place/london"], ID["post/home-secretary"], ID["person/bill-longmore"]
    for iri, cls, label in (
        (athena, PCC.Programme, "Athena"),
        (mash, PCC.Programme, "Multi-Agency Safeguarding Hub"),
        (london, PCC.Place, "London"),
        (post, ORG.Post, "Home Secretary"),
        (person, FOAF.Person, "Bill Longmore"),
    ):
        g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, Literal(label)))
    g.add((person, ORG.holds, post))
    g.add((post, ORG.heldBy, person))  # an inverse: must not make a second edge
    for n, date in ((1, "2015-01-02"), (2, "2015-03")):
        letter = ID[f"letter/l{n}"]
        g.add((letter, RDF.type, PCC.Letter))
        g.add((letter, DCTERMS.date, Literal(date)))
        g.add((letter, DCTERMS.title, Literal(f"Report {n}")))
        g.add((letter, PCC.text, Literal(LETTER_TEXT)))
        g.add((letter, DCTERMS.creator, person))
        g.add((letter, PCC.addressedToPost, post))
        g.add((letter, PCC.mentions, athena))
        g.add((letter, PCC.mentions, london))
        _annotate(g, letter, london, 16, 22, PCC.mentions)  # address block: not a body mention
        _annotate(g, letter, post, 29, 43, PCC.addressedToPost, PCC.mentions)
        _annotate(g, letter, athena, 46, 52, PCC.mentions)
        _annotate(g, letter, person, LETTER_TEXT.index("Bill"), len(LETTER_TEXT), DCTERMS.creator)
        if n == 1:
            g.add((letter, PCC.mentions, mash))
            _annotate(g, letter, mash, 57, 61, PCC.mentions)
    return g


def test_analytics_projection_has_entities_and_weighted_edges(tiny: Graph) -> None:
    """Entities and letters become nodes; relations and co-mentions become edges weighted by letters."""
    data = an.read_graph(tiny)
    g = an.project(data)
    athena, mash, london = (str(ID[x]) for x in ("programme/athena", "programme/mash", "place/london"))
    person, post = str(ID["person/bill-longmore"]), str(ID["post/home-secretary"])
    assert g.number_of_nodes() == 7
    assert {d["kind"] for _, d in g.nodes(data=True)} == {"letter", "programme", "place", "post", "person"}
    assert g.nodes[athena]["letters"] == 2 and g.nodes[mash]["letters"] == 1
    assert g.edges[athena, mash] == {"relations": "", "comentions": 1, "letters": 1, "weight": 1}
    assert g.edges[str(ID["letter/l1"]), athena]["relations"] == "pcc:mentions"
    assert g.edges[person, post]["relations"] == "org:holds"  # org:heldBy folded away
    assert not g.has_edge(athena, london)  # London is only named in the address block
    assert data.entities[athena].quote == "Athena and MASH are both in place."


def test_analytics_body_bounds_skip_address_and_signature(tiny: Graph) -> None:
    """The body runs from the salutation to the signature."""
    data = an.read_graph(tiny)
    letter = data.letters[0]
    start, end = an.body_bounds(letter.text, letter.marks)
    assert letter.text[start:end].startswith(",\n\nAthena")
    assert letter.text[end:] == "Bill Longmore"


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("First one. Second names Athena here. Third.", "Athena", "Second names Athena here."),
        ("Heading\n\nA wrapped\nline with Athena in it\n\nNext", "Athena", "A wrapped line with Athena in it"),
        ("x" * 300 + " Athena " + "y" * 300, "Athena", "…" + "x" * 159 + " Athena " + "y" * 159 + "…"),
    ],
)
def test_analytics_context_is_the_sentence(text: str, word: str, expected: str) -> None:
    """The evidence quote is the sentence around a mention, on one line."""
    start = text.index(word)
    assert an.context(text, start, start + len(word)) == expected


def test_analytics_measures_on_the_corpus(built: BuildResult) -> None:
    """Degree, betweenness and communities cover every node; pairs are sorted by letters."""
    data = an.read_graph(built.dataset)
    g = an.project(data)
    result = an.analyse(data, g, source=built.dataset)
    assert set(result.degree) == set(g.nodes) == set(result.betweenness) == set(result.community_of)
    assert sorted(n for c in result.communities for n in c) == sorted(g.nodes)
    counts = [c for *_, c in result.top_pairs]
    assert counts == sorted(counts, reverse=True)
    assert dict(result.class_counts)["pcc:Letter"] == 24
    assert len(data.letters) == 24 and all(x.text for x in data.letters)
    for a, b, count in result.top_pairs:  # checked against the letters directly
        assert count == sum(1 for things in data.mentioned.values() if {a, b} <= things)
    for letter in data.letters:  # every mark is the exact text it claims
        assert all(letter.text[m.start : m.end] == m.quote for m in letter.marks)


def test_analytics_is_deterministic(built: BuildResult) -> None:
    """Reading and measuring twice gives the same numbers and the same export bytes."""
    runs = []
    for _ in range(2):
        data = an.read_graph(built.dataset)
        g = an.annotate(an.project(data), an.analyse(data))
        runs.append((an.graphml_text(g), an.gexf_text(g)))
    assert runs[0] == runs[1]


def test_analytics_exports_are_stable_across_hash_seeds(built: BuildResult, tmp_path: Path) -> None:
    """Another process with another PYTHONHASHSEED writes byte-identical GraphML and GEXF."""
    out = built.outputs["pccgraph.ttl"].parent
    script = (
        "import sys; from pathlib import Path; from pccgraph import analytics as an\n"
        "d = an.read_graph(an.load_graph(sys.argv[1])); g = an.project(d)\n"
        "an.write_exports(an.annotate(g, an.analyse(d, g)), Path(sys.argv[2]))\n"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out / "pccgraph.ttl"), str(tmp_path / seed)],
                       check=True, env=env, cwd=ROOT)
    for name in ("pccgraph.graphml", "pccgraph.gexf"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()
        assert (tmp_path / "1" / name).read_bytes() == (out / name).read_bytes()


def test_analytics_exports_load_in_networkx(built: BuildResult) -> None:
    """GraphML and GEXF read back with every node, edge and typed attribute; no date or version."""
    out = built.outputs["pccgraph.ttl"].parent
    data = an.read_graph(built.dataset)
    expected = an.project(data)
    graphml = nx.read_graphml(out / "pccgraph.graphml")
    gexf = nx.read_gexf(out / "pccgraph.gexf")
    for g in (graphml, gexf):
        assert g.number_of_nodes() == expected.number_of_nodes()
        assert g.number_of_edges() == expected.number_of_edges()
    node = next(iter(sorted(graphml.nodes)))
    assert isinstance(graphml.nodes[node]["degree"], int)
    assert isinstance(graphml.nodes[node]["betweenness"], float)
    assert {"label", "kind", "letters", "community", "quote"} <= set(graphml.nodes[node])
    text = (out / "pccgraph.gexf").read_text(encoding="utf-8")
    assert "lastmodifieddate" not in text and "NetworkX" not in text
    assert "viz:color" in text


def test_analytics_stats_command_prints_tables(built: BuildResult) -> None:
    """`pccgraph stats` reads the built graph and prints classes, measures, communities and pairs."""
    ttl = built.outputs["pccgraph.ttl"]
    result = CliRunner().invoke(cli, ["stats", "-i", str(ttl), "-n", "5"])
    assert result.exit_code == 0, result.output
    for title in ("classes", "most linked", "bridges", "communities", "named together"):
        assert title in result.output
    assert "pcc:Letter" in result.output and "West Mercia Police" in result.output


def test_analytics_stats_without_a_graph_exits_2(tmp_path: Path) -> None:
    """`pccgraph stats` on a missing file says to build first and exits 2."""
    result = CliRunner().invoke(cli, ["stats", "-i", str(tmp_path / "none.ttl")])
    assert result.exit_code == 2
    assert "pccgraph build" in result.output
