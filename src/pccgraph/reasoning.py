"""Stage 5c: OWL reasoning with owlready2 and HermiT.

The ontology and the graph are merged (through rdflib, as N-Triples: owlready2
reads no Turtle) into one owlready2 World, and HermiT checks that they are
consistent and computes what they entail. The new facts about the graph's nodes
are written as canonical Turtle, to be loaded beside ``pccgraph.ttl``:

- types, from domains and ranges and up the class hierarchy
  (a letter is also a ``fabio:Letter`` and a ``prov:Entity``);
- property values from chains (``pcc:respondsTo`` then ``pcc:inspects`` gives
  ``pcc:concernsForce``), from inverses (``pcc:isRespondedToBy``,
  ``pcc:isMentionedIn``, ``org:memberOf``/``org:hasMember``) and from
  super-properties (``cito:repliesTo``, ``schema:recipient``).

owlready2 keeps HermiT's inferred property values but drops those that merely
invert a stored one (its Python objects answer inverses on the fly), so the
inverse and super-property closure is completed here from the reasoned World.

When HermiT finds the graph inconsistent, :func:`explain_inconsistency` names
the nodes to blame (a node of two disjoint classes, two values of a functional
property that are declared different).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from .errors import PccgraphError
from .output import atomic_write_text, canonical_turtle
from .validation import ONTOLOGY, load_graph, short

INFERRED_NAME = "pccgraph-inferred.ttl"
_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))
_HEADER = (
    "# Facts HermiT (through owlready2) infers from output/pccgraph.ttl and\n"
    "# ontology/pccgraph.ttl that the graph does not state. Load it with pccgraph.ttl.\n"
)


class ReasoningError(PccgraphError):
    """Reasoning could not run: no Java, an unreadable graph or ontology, a HermiT failure."""


@dataclass(frozen=True, slots=True, order=True)
class Inconsistency:
    """A node that makes the graph inconsistent, and why."""

    node: str
    message: str

    def __str__(self) -> str:
        return f"{self.node}: {self.message}"


@dataclass(frozen=True, slots=True)
class ReasoningReport:
    """The outcome of :func:`reason`.

    ``inferred`` holds only new triples about the graph's nodes (empty when the
    graph is inconsistent); ``counts`` counts them per property.
    """

    consistent: bool
    inferred: Graph = field(repr=False, compare=False)
    inconsistencies: tuple[Inconsistency, ...]
    text: str
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    hermit_seconds: float = 0.0
    output: Path | None = None


# ---------------------------------------------------------------------------
# Preparing the input for HermiT


def declarations(data: Graph, ontology: Graph) -> Graph:
    """OWL declarations for the terms the graph uses but the ontology does not declare.

    Without them an OWL parser guesses (or puns) what ``dcterms:creator`` or
    ``oa:Annotation`` are. Predicates whose values are all IRIs become object
    properties, the others annotation properties (no axiom of ours reads them,
    and HermiT then skips their datatypes); objects of ``rdf:type`` become classes.
    """
    declared = set(ontology.subjects(RDF.type, None))
    decl = Graph()

    def builtin(term: Node) -> bool:
        return str(term).startswith(_BUILTIN)

    for p in sorted(set(data.predicates())):
        if p in declared or builtin(p):
            continue
        all_iris = all(isinstance(o, URIRef) for o in data.objects(None, p))
        decl.add((p, RDF.type, OWL.ObjectProperty if all_iris else OWL.AnnotationProperty))
    classes = set(data.objects(None, RDF.type)) | set(ontology.objects(None, RDFS.subClassOf))
    for c in sorted(classes):
        if isinstance(c, URIRef) and c not in declared and not builtin(c):
            decl.add((c, RDF.type, OWL.Class))
    for p, sup in sorted(ontology.subject_objects(RDFS.subPropertyOf)):
        if isinstance(sup, URIRef) and sup not in declared and not builtin(sup):
            kind = ontology.value(p, RDF.type)
            decl.add((sup, RDF.type, kind if kind in (OWL.ObjectProperty, OWL.DatatypeProperty) else OWL.ObjectProperty))
    return decl


def _nodes(data: Graph, terms: set[Node]) -> set[URIRef]:
    """The IRIs the graph describes or points to, leaving out vocabulary terms."""
    nodes: set[URIRef] = set()
    for s, p, o in data:
        if isinstance(s, URIRef):
            nodes.add(s)
        if isinstance(o, URIRef) and p != RDF.type:
            nodes.add(o)
    return {n for n in nodes if n not in terms and not str(n).startswith(_BUILTIN)}


# ---------------------------------------------------------------------------
# Explaining an inconsistency


def _closure(edges: dict[Node, set[Node]], start: Node) -> set[Node]:
    seen, stack = {start}, [start]
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _list(g: Graph, head: Node) -> list[Node]:
    return list(Collection(g, head)) if head is not None else []


def explain_inconsistency(data: Graph, ontology: Graph) -> list[Inconsistency]:
    """Name the nodes that make ``data`` inconsistent with ``ontology``, and why.

    Looks for the causes pccgraph's ontology allows: a node that belongs to two
    disjoint classes (asserted, or through the domain or range of a property it
    uses, and up the class hierarchy), and a functional property with two values
    the ontology declares different. Returns an empty list when it finds none.
    """
    tbox = ontology
    supers: dict[Node, set[Node]] = defaultdict(set)
    for c, d in tbox.subject_objects(RDFS.subClassOf):
        if isinstance(d, URIRef):
            supers[c].add(d)
    for c, d in tbox.subject_objects(OWL.equivalentClass):
        if isinstance(c, URIRef) and isinstance(d, URIRef):
            supers[c].add(d)
            supers[d].add(c)
    super_props: dict[Node, set[Node]] = defaultdict(set)
    for p, q in tbox.subject_objects(RDFS.subPropertyOf):
        super_props[p].add(q)
    inverse: dict[Node, set[Node]] = defaultdict(set)
    for p, q in tbox.subject_objects(OWL.inverseOf):
        inverse[p].add(q)
        inverse[q].add(p)

    def named(nodes: Iterable[Node]) -> list[Node]:
        return [n for n in nodes if isinstance(n, URIRef)]

    domains = {p: named(tbox.objects(p, RDFS.domain)) for p in set(tbox.subjects(RDFS.domain, None))}
    ranges = {p: named(tbox.objects(p, RDFS.range)) for p in set(tbox.subjects(RDFS.range, None))}

    reasons: dict[Node, dict[Node, str]] = defaultdict(dict)
    for s, p, o in data:
        if p == RDF.type:
            if isinstance(o, URIRef):
                reasons[s].setdefault(o, f"typed {short(o)}")
            continue
        for q in _closure(super_props, p):
            for d in domains.get(q, ()):
                reasons[s].setdefault(d, f"subject of {short(p)} (domain {short(d)})")
            for inv in inverse.get(q, ()):
                for r in ranges.get(inv, ()):
                    reasons[s].setdefault(r, f"subject of {short(p)} (range of its inverse {short(inv)})")
            if isinstance(o, Literal):
                continue
            for r in ranges.get(q, ()):
                reasons[o].setdefault(r, f"object of {short(p)} (range {short(r)})")
            for inv in inverse.get(q, ()):
                for d in domains.get(inv, ()):
                    reasons[o].setdefault(d, f"object of {short(p)} (domain of its inverse {short(inv)})")

    disjoint: set[frozenset[Node]] = set()
    for a, b in tbox.subject_objects(OWL.disjointWith):
        disjoint.add(frozenset((a, b)))
    for node in tbox.subjects(RDF.type, OWL.AllDisjointClasses):
        members = _list(tbox, tbox.value(node, OWL.members))
        disjoint.update(frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1 :])
    different: set[frozenset[Node]] = set()
    for node in tbox.subjects(RDF.type, OWL.AllDifferent):
        members = _list(tbox, tbox.value(node, OWL.distinctMembers) or tbox.value(node, OWL.members))
        different.update(frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1 :])
    for a, b in list(tbox.subject_objects(OWL.differentFrom)) + list(data.subject_objects(OWL.differentFrom)):
        different.add(frozenset((a, b)))

    found: list[Inconsistency] = []
    for node in sorted(reasons):
        why: dict[Node, str] = {}
        for cls, reason in reasons[node].items():
            for sup in _closure(supers, cls):
                why.setdefault(sup, reason if sup == cls else f"{reason}, and {short(cls)} ⊑ {short(sup)}")
        for pair in sorted(disjoint, key=lambda pr: sorted(map(str, pr))):
            a, b = sorted(pair, key=str)
            if a in why and b in why:
                found.append(
                    Inconsistency(
                        short(node),
                        f"is both a {short(a)} ({why[a]}) and a {short(b)} ({why[b]}), "
                        "which the ontology declares disjoint",
                    )
                )
    for p in sorted(set(tbox.subjects(RDF.type, OWL.FunctionalProperty))):
        values: dict[Node, set[Node]] = defaultdict(set)
        for s, o in data.subject_objects(p):
            values[s].add(o)
        for s, vals in sorted(values.items()):
            clash = [
                (a, b)
                for a in sorted(vals)
                for b in sorted(vals)
                if str(a) < str(b) and (frozenset((a, b)) in different or (isinstance(a, Literal) and isinstance(b, Literal) and a != b))
            ]
            for a, b in clash:
                found.append(
                    Inconsistency(
                        short(s),
                        f"has two values of the functional property {short(p)}: {short(a)} and {short(b)}, "
                        "which cannot be the same",
                    )
                )
    return sorted(set(found))


# ---------------------------------------------------------------------------
# Running HermiT


def _java() -> str:
    import owlready2

    java = shutil.which(owlready2.JAVA_EXE)
    if java is None:
        raise ReasoningError(
            f"Java not found ({owlready2.JAVA_EXE!r}); HermiT needs a Java runtime: "
            "`sudo apt-get install default-jre-headless` (or run `make test`, which installs it)"
        )
    return java


def _iter_object_triples(g: Graph) -> Iterator[tuple[URIRef, URIRef, URIRef]]:
    for s, p, o in g:
        if isinstance(s, URIRef) and isinstance(o, URIRef) and p != RDF.type:
            yield s, p, o  # type: ignore[misc]


def _hermit(merged: Graph, data_nodes: set[URIRef]) -> tuple[bool, Graph, float]:
    """Run HermiT on ``merged``; return (consistent, inferred triples, HermiT seconds)."""
    import owlready2
    from owlready2 import Thing, ThingClass

    _java()
    inferred = Graph()
    with tempfile.TemporaryDirectory(prefix="pccgraph-reason-") as tmp:
        nt = Path(tmp) / "graph.nt"
        merged.serialize(nt, format="nt", encoding="utf-8")
        world = owlready2.World()
        saved_tempdir = tempfile.tempdir
        # owlready2 dumps the World for HermiT into a temporary file that it leaves
        # behind when HermiT reports an inconsistency: keep it inside our own folder.
        tempfile.tempdir = tmp
        started = time.perf_counter()
        try:
            world.get_ontology(nt.as_uri()).load()
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=True, ignore_unsupported_datatypes=True, debug=0
            )
        except owlready2.OwlReadyInconsistentOntologyError:
            return False, inferred, time.perf_counter() - started
        except owlready2.OwlReadyJavaError as exc:
            raise ReasoningError(f"HermiT failed: {str(exc).strip()[-2000:]}") from exc
        finally:
            tempfile.tempdir = saved_tempdir
        hermit_seconds = time.perf_counter() - started
        try:
            reasoned = world.as_rdflib_graph()
            # Types: each node's classes (asserted and inferred) and all their ancestors.
            for node in sorted(data_nodes):
                entity = world[str(node)]
                if not isinstance(entity, Thing):
                    continue
                for cls in entity.is_a:
                    if not isinstance(cls, ThingClass):
                        continue
                    for ancestor in cls.ancestors():
                        if ancestor is not Thing and ancestor.iri:
                            inferred.add((node, RDF.type, URIRef(ancestor.iri)))
            # Property values: HermiT's (in the World) closed under inverses and super-properties.
            supers: dict[URIRef, set[URIRef]] = {}
            inverses: dict[URIRef, set[URIRef]] = defaultdict(set)
            for prop in world.object_properties():
                iri = URIRef(prop.iri)
                supers[iri] = {
                    URIRef(a.iri) for a in prop.ancestors() if a is not prop and getattr(a, "iri", "").startswith("http") and not str(a.iri).startswith(_BUILTIN)
                }
                if prop.inverse_property is not None:
                    inverses[iri].add(URIRef(prop.inverse_property.iri))
                    inverses[URIRef(prop.inverse_property.iri)].add(iri)
            facts = {t for t in _iter_object_triples(reasoned) if t[0] in data_nodes or t[2] in data_nodes}
            queue = list(facts)
            while queue:
                s, p, o = queue.pop()
                derived = [(s, q, o) for q in supers.get(p, ())] + [(o, q, s) for q in inverses.get(p, ())]
                for t in derived:
                    if t not in facts:
                        facts.add(t)
                        queue.append(t)
            for t in facts:
                inferred.add(t)
        finally:
            world.close()
    return True, inferred, hermit_seconds


def _render(consistent: bool, inconsistencies: Iterable[Inconsistency], counts: dict[str, int]) -> str:
    if consistent:
        total = sum(counts.values())
        lines = [f"Reasoning: consistent; HermiT inferred {total} new triple(s)."]
        lines += [f"  {n:6d}  {what}" for what, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        return "\n".join(lines) + "\n"
    lines = ["Reasoning: INCONSISTENT: HermiT finds no model of the ontology and the graph."]
    items = list(inconsistencies)
    if items:
        lines.append("Nodes to blame:")
        lines += [f"  {item.node}: {item.message}" for item in items]
    else:
        lines.append("pccgraph could not name the node: look for a node of two disjoint classes.")
    return "\n".join(lines) + "\n"


def reason(
    graph: Graph | Dataset | Path | str,
    *,
    ontology: Path | str = ONTOLOGY,
    out_path: Path | str | None = None,
) -> ReasoningReport:
    """Check the graph's consistency with HermiT and collect what it entails.

    Args:
        graph: a graph, a dataset (named graphs merged) or a graph file.
        ontology: the ontology file (Turtle).
        out_path: where to write the inferred triples as canonical Turtle
            (atomically); nothing is written when the graph is inconsistent.

    Returns:
        A report: consistent or not, the nodes to blame, the new triples.

    Raises:
        ReasoningError: no Java, an unreadable input, or HermiT failed.
    """
    started = time.perf_counter()
    try:
        data = load_graph(graph)
    except PccgraphError as exc:
        raise ReasoningError(str(exc)) from exc
    ontology_path = Path(ontology)
    if not ontology_path.is_file():
        raise ReasoningError(f"{ontology_path}: no such ontology file")
    try:
        onto = Graph().parse(ontology_path, format="turtle")
    except Exception as exc:
        raise ReasoningError(f"{ontology_path}: not valid Turtle: {exc}") from exc
    decl = declarations(data, onto)
    properties = {
        s for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for g in (onto, decl) for s in g.subjects(RDF.type, kind)
    }
    merged = Graph()
    for source in (onto, decl):
        for triple in source:
            merged.add(triple)
    for triple in data:
        # Leave out triples that point at a property (pcc:supports pcc:mentions): HermiT
        # would pun the property as an individual, and owlready2 then loses track of
        # it as a property. They say nothing about the graph's nodes anyway.
        if triple[2] not in properties:
            merged.add(triple)
    terms = set(onto.subjects()) | set(decl.subjects())
    data_nodes = _nodes(data, terms)
    consistent, found, hermit_seconds = _hermit(merged, data_nodes)
    inferred = Graph()
    inconsistencies: list[Inconsistency] = []
    if consistent:
        for s, p, o in found:
            if (s, p, o) in merged or isinstance(o, BNode) or s not in data_nodes:
                continue
            if p == RDF.type and (o in (OWL.Thing, OWL.NamedIndividual) or str(o).startswith(_BUILTIN)):
                continue
            inferred.add((s, p, o))
    else:
        inconsistencies = explain_inconsistency(data, onto)
    counts: dict[str, int] = defaultdict(int)
    for _, p, o in inferred:
        counts[f"rdf:type {short(o)}" if p == RDF.type else short(p)] += 1
    written: Path | None = None
    if consistent and out_path is not None:
        written = Path(out_path)
        atomic_write_text(written, _HEADER + canonical_turtle(inferred))
    return ReasoningReport(
        consistent=consistent,
        inferred=inferred,
        inconsistencies=tuple(inconsistencies),
        text=_render(consistent, inconsistencies, dict(counts)),
        counts=dict(counts),
        seconds=time.perf_counter() - started,
        hermit_seconds=hermit_seconds,
        output=written,
    )
