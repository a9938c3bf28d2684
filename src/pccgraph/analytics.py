"""Stage 5b: the graph as a network — projection, measures and exports.

``read_graph`` reads what the views and the site need out of the RDF (entities,
letters, the text spans that name each entity); ``project`` turns it into a
networkx graph whose nodes are entities (letters included) and whose edges are

* relations: an object property between two entities (``pcc:respondsTo``,
  ``org:holds`` …), and
* co-mentions: two entities named in the body of the same letter,

each weighted by the number of letters behind it. ``analyse`` measures that
graph (degree, betweenness, Louvain communities with a fixed seed, the most
co-mentioned pairs); ``write_exports`` writes GraphML and GEXF for Gephi.
Everything is sorted, so the same graph gives the same numbers and bytes.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from .graph import union_graph
from .output import as_store, atomic_write_text
from .vocab import DCTERMS, FOAF, ID, OA, ORG, OWL, PCC, PREFIXES, RDFS, SKOS

SEED = 42
"""Seed for Louvain communities and any sampled measure: same graph, same answer."""

#: Entity classes in order of precedence (a topic is also a skos:Concept …) and their short kind.
KINDS: dict[URIRef, str] = {
    PCC.Letter: "letter",
    PCC.Response: "letter",  # statements and response forms are shown as letters are
    PCC.InspectionReport: "report",
    PCC.PoliceForce: "force",
    PCC.Alliance: "alliance",
    PCC.Inspectorate: "inspectorate",
    PCC.Programme: "programme",
    ORG.OrganizationalUnit: "unit",
    ORG.Organization: "organisation",
    ORG.Post: "post",
    FOAF.Person: "person",
    PCC.Place: "place",
    PCC.Legislation: "legislation",
    PCC.Topic: "topic",
}

#: How each kind is named to a reader (singular).
KIND_LABELS: dict[str, str] = {
    "letter": "Letter",
    "report": "Inspection report",
    "force": "Police force",
    "alliance": "Alliance",
    "inspectorate": "Inspectorate",
    "programme": "Programme",
    "unit": "Unit",
    "organisation": "Organisation",
    "post": "Post",
    "person": "Person",
    "place": "Place",
    "legislation": "Legislation",
    "topic": "Topic",
}

#: Properties that only restate another in reverse, or are not links between entities.
_SKIPPED = {
    RDF.type,
    ORG.heldBy,
    ORG.memberOf,
    PCC.isMentionedIn,
    PCC.isRespondedToBy,
    PCC.mentionsInBody,  # restates pcc:mentions
    OWL.sameAs,
    RDFS.seeAlso,
    PCC.supports,
}

#: Annotation roles that belong to the letter's header rather than its body.
_HEADER_ROLES = {
    DCTERMS.creator,
    PCC.addressedTo,
    PCC.addressedToPost,
    PCC.copiedTo,
    ORG.holds,
    PCC.concernsForce,
}

#: How a letter names something, as a reader would say it.
RELATION_LABELS: dict[str, str] = {
    "pcc:mentions": "mentions",
    "pcc:respondsTo": "responds to",
    "pcc:cites": "cites",
    "dcterms:creator": "signed by",
    "pcc:addressedTo": "addressed to",
    "pcc:addressedToPost": "addressed to",
    "pcc:copiedTo": "copied to",
    "pcc:concernsForce": "concerns",
    "dcterms:subject": "about",
    "org:holds": "holds",
    "org:postIn": "post in",
    "org:hasMember": "has member",
    "org:unitOf": "unit of",
    "pcc:inspects": "inspects",
    "dcterms:publisher": "published by",
    "skos:broader": "broader",
}


def curie(iri: str) -> str:
    """``pcc:Letter`` for an IRI in one of the contract namespaces; the IRI otherwise."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)) and len(str(ns)) > len(str(PREFIXES.get(best, ""))):
            best = prefix
    return f"{best}:{iri[len(str(PREFIXES[best])):]}" if best else iri


def entity_key(iri: str) -> str:
    """A short, HTML-id-safe key: ``pccid:programme/athena`` -> ``programme-athena``."""
    local = iri[len(str(ID)) :] if iri.startswith(str(ID)) else iri
    return re.sub(r"[^a-z0-9-]+", "-", local.lower()).strip("-") or "x"


_BOUNDARY = re.compile(r"(?:[.!?][\"”’)]?\s+(?=[A-Z0-9“\"‘(])|\n[ \t]*\n)")


def context(text: str, start: int, end: int, *, width: int = 160) -> str:
    """The sentence around ``text[start:end]`` (at most ``width`` characters each side), on one line."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    before = list(_BOUNDARY.finditer(text, left, start))
    after = _BOUNDARY.search(text, end, right)
    lo = before[-1].end() if before else left
    hi = after.start() + 1 if after else right
    snippet = " ".join(text[lo:hi].split())
    if not before and lo > 0:
        snippet = "…" + snippet
    if not after and hi < len(text):
        snippet += "…"
    return snippet


@dataclass(frozen=True, slots=True)
class Entity:
    """A node of the network: an entity or a letter."""

    iri: str
    kind: str
    label: str
    letters: int  # letters that name it (a letter counts itself)
    quote: str = ""  # evidence: the sentence of its first mention
    quote_letter: str = ""  # the letter that sentence is from

    @property
    def key(self) -> str:
        return entity_key(self.iri)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True, slots=True, order=True)
class Mark:
    """A span of a letter's text that names an entity (``text[start:end] == quote``)."""

    start: int
    end: int
    entity: str
    quote: str
    roles: tuple[str, ...] = ()  # CURIEs of what the span supports


@dataclass(frozen=True, slots=True)
class LetterInfo:
    """A letter as the site shows it."""

    iri: str
    slug: str
    date: str
    title: str
    text: str
    source: str
    start_line: int
    marks: tuple[Mark, ...]
    kind: str = "letter"  # "letter", "statement" or "response form"
    force: str = ""  # the respondent force's IRI (pcc:respondentForce), if known


@dataclass(frozen=True, slots=True)
class Judgement:
    """A graded finding: report × area × grade."""

    report: str
    area: str
    grade: str  # label: "Good", "Requires improvement" …


@dataclass(slots=True)
class GraphData:
    """What the network views need from the RDF, read once."""

    entities: dict[str, Entity]
    letters: list[LetterInfo]
    relations: dict[tuple[str, str], set[str]]  # (subject, object) -> CURIEs of the properties
    named: dict[str, dict[str, set[str]]]  # letter -> entity -> CURIEs the letter names it by
    mentioned: dict[str, set[str]]  # letter -> entities named in its body or subject line
    topics: dict[str, set[str]] = field(default_factory=dict)  # letter -> topic IRIs
    judgements: list[Judgement] = field(default_factory=list)
    triples: int = 0
    _index: dict[str, LetterInfo] = field(default_factory=dict, repr=False, compare=False)

    def letter(self, iri: str) -> LetterInfo:
        """The letter (any response) with this IRI."""
        if len(self._index) != len(self.letters):
            self._index.clear()
            self._index.update((info.iri, info) for info in self.letters)
        return self._index[iri]


_SALUTATION = re.compile(r"^[ \t]*Dear\b", re.MULTILINE)


def body_bounds(text: str, marks: Iterable[Mark]) -> tuple[int, int]:
    """Where a letter's body runs: from the end of its salutation to the start of its signature.

    The salutation is the last span naming the addressee (after the address block),
    or else the first line starting "Dear"; the signature is the first span naming
    the signatory after that. Names in the address block and sign-off are not
    mentions in the body, so they make no co-mentions.
    """
    marks = list(marks)
    addressed = [m.end for m in marks if {"pcc:addressedTo", "pcc:addressedToPost"} & set(m.roles)]
    found = _SALUTATION.search(text)
    start = max(addressed) if addressed else (found.start() if found else 0)
    signed = [m.start for m in marks if "dcterms:creator" in m.roles and m.start >= start]
    return start, (min(signed) if signed else len(text))


def load_graph(path: Path | str) -> Graph:
    """Parse a graph file written by ``pccgraph build`` (``.ttl``, ``.trig``, ``.jsonld``)."""
    path = Path(path)
    fmt = {".ttl": "turtle", ".trig": "trig", ".jsonld": "json-ld", ".nt": "nt", ".nq": "nquads"}.get(
        path.suffix, "turtle"
    )
    if fmt in ("trig", "nquads"):
        ds = Dataset(default_union=True)
        ds.parse(path, format=fmt)
        return union_graph(ds)
    return Graph().parse(path, format=fmt)


GraphSource = Graph | Dataset | ox.Store
"""What the site reads: the build's pyoxigraph Store, or an rdflib Graph/Dataset (copied into a Store once)."""


def select(store: ox.Store, query: str) -> Iterator[ox.QuerySolution]:
    """The solutions of a SELECT over the union of the store's graphs (the default graph included)."""
    return iter(store.query(query, use_default_graph_as_union=True))  # type: ignore[arg-type]


_TERM_TYPE = {ox.NamedNode: "URIRef", ox.BlankNode: "BNode", ox.Literal: "Literal"}


def _order(term: Any) -> tuple[str, str]:
    """rdflib's sort key for a term (type name, then its text): "smallest" means what it did."""
    return (_TERM_TYPE.get(type(term), ""), term.value)


def _key(term: Any) -> str:
    """A term as a dictionary key: an IRI as itself, a blank node as ``_:id``, a literal as its text."""
    return term.value if type(term) is not ox.BlankNode else str(term)


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _firsts(store: ox.Store, predicate: URIRef, subjects: Collection[str] | None = None,
            *, key: Any = _order) -> dict[str, Any]:
    """For each subject (of ``subjects``, or all), the smallest object of ``predicate`` by ``key``."""
    out: dict[str, Any] = {}
    for quad in store.quads_for_pattern(None, _node(str(predicate)), None, None):
        s = _key(quad.subject)
        if subjects is not None and s not in subjects:
            continue
        o = quad.object
        if s not in out or key(o) < key(out[s]):
            out[s] = o
    return out


def _values(terms: Iterable[URIRef]) -> str:
    return " ".join(f"<{t}>" for t in terms)


_ANNOTATIONS = f"""
SELECT ?ann ?body ?target WHERE {{ ?ann a <{OA.Annotation}> ; <{OA.hasBody}> ?body ; <{OA.hasTarget}> ?target }}
"""
_TARGETS = f"""
SELECT ?target ?letter ?sel ?start ?end ?exact WHERE {{
  ?ann a <{OA.Annotation}> ; <{OA.hasTarget}> ?target .
  ?target <{OA.hasSource}> ?letter ; <{OA.hasSelector}> ?sel .
  OPTIONAL {{ ?sel <{OA.start}> ?start }} OPTIONAL {{ ?sel <{OA.end}> ?end }} OPTIONAL {{ ?sel <{OA.exact}> ?exact }}
}}
"""
_ROLES = f"SELECT DISTINCT ?ann ?role WHERE {{ ?ann a <{OA.Annotation}> ; <{PCC.supports}> ?role }}"
_RELATIONS = """
SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?t {{ {classes} }} ?s a ?t . ?s ?p ?o . FILTER(isIRI(?o) && ?s != ?o) }}
"""
_JUDGEMENTS = f"SELECT DISTINCT ?report ?node WHERE {{ ?report <{PCC.hasJudgement}> ?node }}"
_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
_CLASS_COUNTS = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class FILTER(isIRI(?class)) } GROUP BY ?class"


def read_graph(source: GraphSource) -> GraphData:
    """Read entities, letters, relations and the evidence spans out of the graph.

    Args:
        source: the build's Store (or its rdflib Dataset, or a union Graph; copied into a Store once).

    Returns:
        Entities keyed by IRI (sorted), letters in date order, and the links between them.
    """
    store = as_store(source)
    rdf_type = _node(str(RDF.type))
    types: dict[str, set[str]] = defaultdict(set)
    for cls in (*KINDS, PCC.Statement, PCC.ResponseForm):
        for quad in store.quads_for_pattern(None, rdf_type, _node(str(cls)), None):
            if type(quad.subject) is ox.NamedNode:
                types[quad.subject.value].add(str(cls))
    kind_of = {str(cls): kind for cls, kind in KINDS.items()}
    kinds = {s: next(kind_of[c] for c in map(str, KINDS) if c in t) for s, t in types.items()
             if any(c in kind_of for c in t)}
    # a report known only from the catalogue (nothing answers, cites or reads it) is not drawn
    kinds = {s: k for s, k in kinds.items()
             if k != "report" or next(iter(store.quads_for_pattern(None, None, _node(s), None)), None) is not None}

    # relations between entities, and what each letter names
    skipped = {str(p) for p in _SKIPPED}
    relations: dict[tuple[str, str], set[str]] = defaultdict(set)
    named: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in select(store, _RELATIONS.format(classes=_values(KINDS))):
        s, p, o = row["s"].value, row["p"].value, row["o"].value
        if p in skipped or s not in kinds or o not in kinds:
            continue
        relations[(s, o)].add(curie(p))
        if kinds[s] == "letter" and kinds[o] != "letter":
            named[s][o].add(curie(p))

    # evidence spans: annotation -> body, letter, start, end, quote, roles
    bodies: dict[str, set[str]] = defaultdict(set)
    target_of: dict[str, Any] = {}
    for row in select(store, _ANNOTATIONS):
        ann, body, target = _key(row["ann"]), row["body"], row["target"]
        if type(body) is ox.NamedNode and kinds.get(body.value, "letter") != "letter":
            bodies[ann].add(body.value)
        if ann not in target_of or _order(target) < _order(target_of[ann]):
            target_of[ann] = target
    # target -> (smallest source, (selector, start, end) of the smallest selector with a position,
    #            (selector, quote) of the smallest with an exact quote)
    sources: dict[str, Any] = {}
    positions: dict[str, tuple[tuple[str, str], int, int]] = {}
    quotes_of: dict[str, tuple[tuple[str, str], Any]] = {}
    for row in select(store, _TARGETS):
        target, letter, sel = _key(row["target"]), row["letter"], _order(row["sel"])
        if target not in sources or _order(letter) < _order(sources[target]):
            sources[target] = letter
        start, end, exact = row["start"], row["end"], row["exact"]
        if start is not None and end is not None:
            here = (sel, int(start.value), int(end.value))
            if target not in positions or here < positions[target]:
                positions[target] = here
        if exact is not None and (target not in quotes_of or (sel, _order(exact)) < (quotes_of[target][0], _order(quotes_of[target][1]))):
            quotes_of[target] = (sel, exact)
    roles_of: dict[str, set[str]] = defaultdict(set)
    for row in select(store, _ROLES):
        roles_of[_key(row["ann"])].add(curie(row["role"].value))
    marks: dict[str, list[Mark]] = defaultdict(list)
    for ann in sorted(bodies):
        # one span may carry several facts (a signature names a person and the post held),
        # so an annotation can have several bodies: take every one, in a fixed order
        target = target_of.get(ann)
        if target is None:
            continue
        t = _key(target)
        if t not in sources or t not in positions:
            continue
        letter = _key(sources[t])
        _, start, end = positions[t]
        quote = quotes_of[t][1].value if t in quotes_of else ""
        roles = tuple(sorted(roles_of.get(ann, ())))
        for body in sorted(bodies[ann]):
            marks[letter].append(Mark(start, end, body, quote, roles))
    del bodies, target_of, sources, positions, quotes_of, roles_of

    letter_iris = sorted(s for s, k in kinds.items() if k == "letter")
    fields = {p: _firsts(store, p, set(letter_iris)) for p in (
        DCTERMS.date, DCTERMS.title, PCC.sourceFile, PCC.startLine, PCC.respondentForce)}
    fields[PCC.text] = _firsts(store, PCC.text, set(letter_iris) | set(marks))  # a span's source may be no letter

    def field_of(iri: str, prop: URIRef) -> str:
        value = fields[prop].get(iri)
        return value.value if value is not None else ""

    header_roles = {curie(str(r)) for r in _HEADER_ROLES}
    body_of: dict[str, tuple[int, int]] = {}
    mentioned: dict[str, set[str]] = defaultdict(set)
    for letter, spans in marks.items():
        body_of[letter] = body_bounds(field_of(letter, PCC.text), spans)
        start, end = body_of[letter]
        for mark in spans:
            if start <= mark.start and mark.end <= end and not header_roles.intersection(mark.roles):
                mentioned[letter].add(mark.entity)
    for letter, things in named.items():
        for thing, props in things.items():
            if props & {"pcc:respondsTo", "pcc:cites"}:
                mentioned[letter].add(thing)

    letters: list[LetterInfo] = []
    for iri in letter_iris:
        local = iri[len(str(ID)) :] if iri.startswith(str(ID)) else iri
        start_line = field_of(iri, PCC.startLine)
        letters.append(
            LetterInfo(
                iri=iri,
                slug=re.sub(r"[^a-z0-9-]+", "-", local.removeprefix("letter/").lower()).strip("-"),
                date=field_of(iri, DCTERMS.date),
                title=field_of(iri, DCTERMS.title),
                text=field_of(iri, PCC.text),
                source=field_of(iri, PCC.sourceFile),
                start_line=int(start_line) if start_line else 0,
                marks=tuple(sorted(marks.get(iri, []))),
                kind=("statement" if str(PCC.Statement) in types[iri] else
                      "response form" if str(PCC.ResponseForm) in types[iri] else "letter"),
                force=field_of(iri, PCC.respondentForce),
            )
        )
    del fields
    letters.sort(key=lambda info: (info.date or "9999", info.iri))
    order = {info.iri: n for n, info in enumerate(letters)}

    # evidence quote: the first body mention in the earliest letter (header names if nothing else)
    quotes: dict[str, tuple[tuple[int, int, int], str, str]] = {}
    texts = {info.iri: info.text for info in letters}
    for letter, spans in marks.items():
        for mark in spans:
            start, end = body_of[letter]
            in_body = start <= mark.start and mark.end <= end and not header_roles.intersection(mark.roles)
            rank = (0 if in_body else 1, order.get(letter, len(order)), mark.start)
            if mark.entity not in quotes or rank < quotes[mark.entity][0]:
                quotes[mark.entity] = (rank, letter, context(texts.get(letter, ""), mark.start, mark.end))

    letters_of: Counter[str] = Counter()
    for things in named.values():
        letters_of.update(things.keys())
    others = {s for s, k in kinds.items() if k != "letter"}
    by_value = lambda term: term.value  # noqa: E731  (labels: the smallest text, whatever its type)
    labels = [_firsts(store, p, others, key=by_value) for p in (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name)]
    entities: dict[str, Entity] = {}
    for iri in sorted(kinds):
        kind = kinds[iri]
        if kind == "letter":
            info = letters[order[iri]]
            label = f"{info.date} {info.title}".strip() if info.date else info.title or info.slug
            entities[iri] = Entity(iri, kind, label, 1, info.title, iri)
            continue
        _, letter, quote = quotes.get(iri, ((0, 0, 0), "", ""))
        found = next((found[iri].value for found in labels if iri in found), iri.rsplit("/", 1)[-1])
        entities[iri] = Entity(iri, kind, found, letters_of[iri], quote, letter)

    topics: dict[str, set[str]] = defaultdict(set)
    for letter, things in named.items():
        for thing, props in things.items():
            if kinds.get(thing) == "topic" and props & {"dcterms:subject", "pcc:mentions"}:
                topics[letter].add(thing)

    pairs = [(row["report"].value, _key(row["node"])) for row in select(store, _JUDGEMENTS)]
    nodes = {node for _, node in pairs}
    grades, areas = _firsts(store, PCC.grade, nodes), _firsts(store, PCC.area, nodes)
    judgements: list[Judgement] = []
    for report, node in pairs:
        grade = grades.get(node)
        if grade is None:
            continue
        grade_label = re.sub(r"(?<!^)(?=[A-Z])", " ", grade.value.rsplit("#", 1)[-1]).capitalize()
        area = areas.get(node)
        judgements.append(Judgement(report, area.value if area is not None else "", grade_label))
    judgements.sort(key=lambda j: (j.report, j.area, j.grade))

    return GraphData(
        entities=entities,
        letters=letters,
        relations={k: relations[k] for k in sorted(relations)},
        named={k: {e: named[k][e] for e in sorted(named[k])} for k in sorted(named)},
        mentioned={k: mentioned[k] for k in sorted(mentioned)},
        topics={k: topics[k] for k in sorted(topics)},
        judgements=judgements,
        triples=int(next(select(store, _TRIPLES))["n"].value),
    )


def comentions(data: GraphData) -> dict[tuple[str, str], int]:
    """For each pair of entities named in the body of the same letter, how many letters do so."""
    counts: Counter[tuple[str, str]] = Counter()
    for things in data.mentioned.values():
        for a, b in itertools.combinations(sorted(things), 2):
            counts[(a, b)] += 1
    return dict(sorted(counts.items()))


def _edge_letters(data: GraphData, a: str, b: str, named_by: dict[str, set[str]]) -> int:
    kinds = (data.entities[a].kind, data.entities[b].kind)
    if "letter" in kinds:
        return 1
    return len(named_by.get(a, set()) & named_by.get(b, set()))


def project(data: GraphData, *, with_comentions: bool = True) -> nx.Graph:
    """The network: entities as nodes, relations and co-mentions as weighted edges.

    Node attributes: ``label``, ``kind``, ``class_label``, ``letters``, ``quote``.
    Edge attributes: ``relations`` (space-separated CURIEs, empty for a pure co-mention),
    ``comentions`` (letters naming both in their body), ``letters`` (letters behind the
    edge: 1 for a letter's own link) and ``weight`` (``max(1, letters)``).
    All values are str, int or float, so GraphML and GEXF can hold them.
    """
    named_by: dict[str, set[str]] = defaultdict(set)
    for letter, things in data.named.items():
        for thing in things:
            named_by[thing].add(letter)
    g = nx.Graph()
    for iri, e in data.entities.items():
        g.add_node(iri, label=e.label, kind=e.kind, class_label=e.kind_label, letters=e.letters, quote=e.quote)
    undirected: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (s, o), props in data.relations.items():
        undirected[(min(s, o), max(s, o))].update(props)
    pairs = comentions(data) if with_comentions else {}
    for a, b in sorted(set(undirected) | set(pairs)):
        rels = " ".join(sorted(undirected.get((a, b), ())))
        letters = _edge_letters(data, a, b, named_by) if rels else pairs[(a, b)]
        g.add_edge(a, b, relations=rels, comentions=pairs.get((a, b), 0), letters=letters, weight=max(1, letters))
    return g


def relation_graph(g: nx.Graph) -> nx.Graph:
    """Only the edges that stand for a property in the RDF (no pure co-mentions)."""
    keep = nx.Graph()
    keep.add_nodes_from(g.nodes(data=True))
    keep.add_edges_from((a, b, d) for a, b, d in g.edges(data=True) if d["relations"])
    return keep


@dataclass(frozen=True, slots=True)
class Analytics:
    """Measures of the network (all sorted; floats rounded to 6 places)."""

    class_counts: tuple[tuple[str, int], ...]  # every rdf:type class in the graph, by CURIE
    degree: dict[str, int]  # neighbours through relations
    betweenness: dict[str, float]  # over the relation graph, normalised
    communities: tuple[tuple[str, ...], ...]  # largest first; members sorted by IRI
    community_of: dict[str, int]
    top_pairs: tuple[tuple[str, str, int], ...]  # most co-mentioned pairs

    def top(self, measure: str, n: int = 10, *, exclude: Iterable[str] = ()) -> list[tuple[str, float]]:
        """The ``n`` highest nodes by ``degree`` or ``betweenness`` (ties by IRI)."""
        values: dict[str, float] = dict(getattr(self, measure))
        skip = set(exclude)
        ranked = sorted(((k, v) for k, v in values.items() if k not in skip), key=lambda kv: (-kv[1], kv[0]))
        return ranked[:n]


def class_counts(source: GraphSource) -> tuple[tuple[str, int], ...]:
    """How many subjects have each rdf:type, by CURIE, largest first."""
    counts: Counter[str] = Counter()
    for row in select(as_store(source), _CLASS_COUNTS):
        counts[curie(row["class"].value)] += int(row["n"].value)
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def analyse(data: GraphData, network: nx.Graph | None = None, *, top_pairs: int = 20,
            source: GraphSource | None = None) -> Analytics:
    """Degree and betweenness (relations), Louvain communities (whole network), top pairs.

    Args:
        data: what ``read_graph`` returned.
        network: the projection, if already made.
        top_pairs: how many co-mentioned pairs to keep.
        source: the RDF graph, to count instances of every class (else entities only).
    """
    g = network if network is not None else project(data)
    rel = relation_graph(g)
    degree = {n: int(d) for n, d in sorted(rel.degree())}
    k = None if rel.number_of_nodes() <= 3000 else 500
    between = nx.betweenness_centrality(rel, k=k, normalized=True, seed=SEED if k else None)
    betweenness = {n: round(float(between[n]), 6) for n in sorted(between)}
    found = nx.community.louvain_communities(g, weight="weight", seed=SEED) if g.number_of_nodes() else []
    ordered = sorted((tuple(sorted(c)) for c in found), key=lambda c: (-len(c), c[0]))
    community_of = {n: i for i, members in enumerate(ordered) for n in members}
    pairs = sorted(
        ((a, b, d["comentions"]) for a, b, d in g.edges(data=True) if d["comentions"] > 0),
        key=lambda t: (-t[2], data.entities[t[0]].label, data.entities[t[1]].label),
    )[:top_pairs]
    if source is not None:
        counts = class_counts(source)
    else:
        by_kind = Counter(e.kind_label for e in data.entities.values())
        counts = tuple(sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])))
    return Analytics(counts, degree, betweenness, tuple(ordered), community_of, tuple(pairs))


def annotate(g: nx.Graph, analytics: Analytics) -> nx.Graph:
    """Copy degree, betweenness and community onto the nodes (in place; returns ``g``)."""
    for n in g.nodes:
        g.nodes[n]["degree"] = analytics.degree.get(n, 0)
        g.nodes[n]["betweenness"] = analytics.betweenness.get(n, 0.0)
        g.nodes[n]["community"] = analytics.community_of.get(n, -1)
    return g


# --------------------------------------------------------------------------- exports

#: Colours by kind (used by the views, and by GEXF for Gephi).
COLOURS: dict[str, str] = {
    "letter": "#4e79a7",
    "report": "#f28e2b",
    "force": "#e15759",
    "alliance": "#ff9da7",
    "inspectorate": "#76b7b2",
    "programme": "#59a14f",
    "unit": "#b07aa1",
    "organisation": "#edc948",
    "post": "#9c755f",
    "person": "#8cd17d",
    "place": "#86bcb6",
    "legislation": "#d37295",
    "topic": "#a0cbe8",
}


def node_size(degree: int) -> float:
    """A node's drawn size from its degree: 10 for a leaf, growing with the square root."""
    return round(10 + 4 * math.sqrt(max(0, degree)), 2)


def graphml_text(g: nx.Graph) -> str:
    """GraphML of the network (nodes and edges in sorted order)."""
    h = nx.Graph()
    h.add_nodes_from(sorted(g.nodes(data=True)))
    h.add_edges_from(sorted(g.edges(data=True)))
    return "\n".join(nx.generate_graphml(h, prettyprint=True)) + "\n"


def gexf_text(g: nx.Graph) -> str:
    """GEXF 1.2 with Gephi colours and sizes; no date or library version in the header."""
    h = nx.Graph()
    for n, d in sorted(g.nodes(data=True)):
        colour = COLOURS.get(str(d.get("kind")), "#999999").lstrip("#")
        r, gr, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
        viz = {"color": {"r": r, "g": gr, "b": b, "a": 1.0}, "size": node_size(int(d.get("degree", 0)))}
        h.add_node(n, **d, viz=viz)
    h.add_edges_from(sorted(g.edges(data=True)))
    writer = nx.readwrite.gexf.GEXFWriter(version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:  # networkx stamps today's date and its version here
        writer.xml.remove(meta)
    meta = Element("meta")
    SubElement(meta, "creator").text = "pccgraph"
    writer.xml.insert(0, meta)
    writer.add_graph(h)
    return str(writer)


def write_exports(g: nx.Graph, out_dir: Path) -> dict[str, Path]:
    """Write ``pccgraph.graphml`` and ``pccgraph.gexf`` into ``out_dir``."""
    paths: dict[str, Path] = {}
    for name, text in (("pccgraph.graphml", graphml_text(g)), ("pccgraph.gexf", gexf_text(g))):
        atomic_write_text(out_dir / name, text)
        paths[name] = out_dir / name
    return paths

