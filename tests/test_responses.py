"""Every shape of published PCC response builds into the graph the contract describes.

The fixtures in ``tests/fixtures/responses`` are texts of our own in the shapes PCC
offices publish (press releases, saved web pages, s.55 forms, listing pages, letters);
``expected.json`` says what each must become. Every check reads the built graph by
SPARQL, as a user would.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from typing import Any

import pytest
from rdflib import Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from pccgraph.graph import union_graph
from pccgraph.model import Severity
from pccgraph.pipeline import BuildResult, build
from pccgraph.vocab import GRADES, PCC, PREFIXES

from .conftest import FIXTURES, REFERENCE

RESPONSES = FIXTURES / "responses"
EXPECTED: list[dict[str, Any]] = json.loads((RESPONSES / "expected.json").read_text(encoding="utf-8"))
ANSWERING = [e for e in EXPECTED if e["responses"]]
SILENT = [e for e in EXPECTED if not e["responses"]]
HTML_ANSWERING = [e for e in ANSWERING if e["file"].endswith(".html")]
WITH_FURNITURE_NAMES = [e for e in ANSWERING if e.get("not_mentioned")]
KINDS = {"letter": PCC.Letter, "statement": PCC.Statement, "response form": PCC.ResponseForm}
GRADE_IDS = {str(iri): gid for gid, iri in GRADES.items()}
# fields whose null means "not stated, so not checked"; every other null is checked (nothing may be invented)
UNCHECKED_WHEN_NULL = {"issued", "report", "date_source"}
FIELDS = [
    "kind", "force", "author", "date", "date_text", "deadline", "date_source",
    "issued", "titles", "report", "grades", "earlier_grades", "counts",
]
CASES = [
    (e, name)
    for e in ANSWERING
    for name in FIELDS
    if name not in UNCHECKED_WHEN_NULL or any(r.get(name) is not None for r in e["responses"])
]
# page furniture written into the saved pages; none of it may become content, a title or an entity
FURNITURE = (
    "Skip to main content", "Accept cookies", "Reject cookies", "Cookie settings",
    "We use cookies to make this website work", "Accessibility tools", "Text size", "High contrast",
    "Listen to this page", "Search this site", "You are here", "Share this page", "Share on Facebook",
    "Share on X", "Share on LinkedIn", "Share by email", "Related news", "Privacy notice",
    "Accessibility statement", "Freedom of information", "Back to top", "In an emergency always dial 999",
    "All rights reserved", "About the Commissioner",
)
FORM_LABEL = re.compile(r"(?:^|\s)[A-Z][\w'’]*(?: [\w'’]+){0,3}:(?=\s|$)")


class Built:
    """A build of the fixtures with the union of its dataset's named graphs, queried by SPARQL."""

    def __init__(self, result: BuildResult) -> None:
        self.result = result
        self.problems = result.problems
        self.graph = union_graph(result.dataset)  # every named graph of result.dataset; a plain Graph queries fast
        self.by_file: dict[str, list[URIRef]] = {}
        rows = _rows(
            self,
            "SELECT DISTINCT ?r ?file ?line WHERE { ?r a pcc:Response ; pcc:sourceFile ?file . "
            "OPTIONAL { ?r pcc:startLine ?line } }",
        )
        for r, file, line in sorted(rows, key=lambda row: (int(row[2]) if row[2] is not None else 0, str(row[0]))):
            self.by_file.setdefault(str(file), []).append(r)


@pytest.fixture(scope="module")
def responses_built() -> Built:
    """The response fixtures, built once (the files listed in expected.json, so the README is not read)."""
    return Built(build([RESPONSES / e["file"] for e in EXPECTED], None, reference_dir=REFERENCE, views=False))


@functools.cache
def _prepared(query: str) -> Query:
    return prepareQuery(query, initNs=dict(PREFIXES))


def _rows(built: Built, query: str, **bindings: object) -> list[tuple[Any, ...]]:
    init = {k: (v if isinstance(v, URIRef | Literal) else Literal(v)) for k, v in bindings.items()}
    return [tuple(row) for row in built.graph.query(_prepared(query), initBindings=init)]


def _responses(built: Built, file: str) -> list[URIRef]:
    """The response nodes built from ``file``, in the order they start in it."""
    return built.by_file.get(file, [])


def _norm(text: str) -> str:
    """Case, dashes, quotes and spacing folded, for comparing titles and areas."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[‐‑‒–—―-]", "-", text).replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def _last(iri: object) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _values(result: Built, r: URIRef, prop: str) -> set[str]:
    return {str(row[0]) for row in _rows(result, f"SELECT ?v WHERE {{ ?r {prop} ?v }}", r=r)}


def _grades(result: Built, r: URIRef, path: str) -> set[tuple[str, str]]:
    rows = _rows(
        result,
        f"SELECT DISTINCT ?grade ?area WHERE {{ {path} ?j pcc:grade ?grade . OPTIONAL {{ ?j pcc:area ?area }} }}",
        r=r,
    )
    return {(_norm(str(area or "")), GRADE_IDS.get(str(grade), str(grade))) for grade, area in rows}


ANSWERED_JUDGEMENT = (
    "?r pcc:respondsTo ?rep . ?rep pcc:hasJudgement ?j . "
    "{ ?j prov:wasDerivedFrom ?r } UNION { ?j pcc:evidence/oa:hasTarget/oa:hasSource ?r } "
)


def _found(result: Built, r: URIRef, name: str) -> object:
    """What the graph holds for field ``name`` of response ``r``, shaped like the expectation."""
    if name == "kind":
        types = {str(t) for t in _values(result, r, "a")}
        return {kind for kind, cls in KINDS.items() if str(cls) in types}
    if name == "force":
        return {_last(v) for v in _values(result, r, "pcc:respondentForce")}
    if name == "author":
        return {str(row[0]) for row in _rows(result, "SELECT ?n WHERE { ?r dcterms:creator/rdfs:label ?n }", r=r)}
    if name in ("date", "date_text", "deadline", "date_source"):
        prop = {"date": "dcterms:date", "date_text": "pcc:dateText", "deadline": "pcc:responseDeadline",
                "date_source": "pcc:dateSource"}[name]
        return _values(result, r, prop)
    if name == "issued":
        return _values(result, r, "pcc:respondsTo/dcterms:issued")
    if name == "titles":
        return {_norm(v) for v in _values(result, r, "pcc:respondsTo/dcterms:title")}
    if name == "report":
        return [
            tuple(None if v is None else str(v) for v in row)
            for row in _rows(
                result,
                "SELECT ?rep ?programme ?pillar ?period WHERE { ?r pcc:respondsTo ?rep . "
                "OPTIONAL { ?rep pcc:inspectionProgramme ?programme } OPTIONAL { ?rep pcc:pillar ?pillar } "
                "OPTIONAL { ?rep pcc:inspectionPeriod ?period } ?rep pcc:inspects ?force . "
                "?r pcc:respondentForce ?force }",
                r=r,
            )
        ]
    if name == "grades":
        return _grades(result, r, ANSWERED_JUDGEMENT)
    if name == "earlier_grades":
        return _grades(result, r, "?r pcc:recallsJudgement ?j . ?j pcc:period ?period . ")
    if name == "counts":
        rows = _rows(
            result,
            "SELECT DISTINCT ?t ?kind ?n ?done WHERE { ?t a pcc:RecommendationTally ; pcc:tallyKind ?kind ; "
            "pcc:numberOfRecommendations ?n . OPTIONAL { ?t pcc:numberCompleted ?done } "
            "{ ?t prov:wasDerivedFrom ?r } UNION { ?t pcc:evidence/oa:hasTarget/oa:hasSource ?r } }",
            r=r,
        )
        return sorted((str(k), int(n), None if d is None else int(d)) for _, k, n, d in rows)
    raise AssertionError(name)


def _want(name: str, want: Any) -> object:
    """The expectation for field ``name`` shaped like ``_found``'s answer."""
    if name == "kind":
        return {want}
    if name in ("force", "author", "date", "date_text", "deadline", "date_source", "issued"):
        return set() if want is None else {want}
    if name == "titles":
        return {_norm(t) for t in want}
    if name in ("grades", "earlier_grades"):
        return {(_norm(g["area"]), g["grade"]) for g in want}
    if name == "counts":
        return sorted((c["kind"], c["count"], c["completed"]) for c in want)
    return want


def _report_matches(row: tuple[str | None, ...], want: dict[str, str | None]) -> bool:
    _, programme, pillar, period = row
    if programme is None or _norm(want["programme"] or "") not in _norm(programme):
        return False
    if want["pillar"] is not None and (pillar is None or _norm(pillar) != _norm(want["pillar"])):
        return False
    year = (want["year"] or "").replace("-", "/")
    return not year or (period is not None and year in period.replace("-", "/").replace("–", "/"))


@pytest.mark.parametrize("item", ANSWERING, ids=[e["file"] for e in ANSWERING])
def test_responses_one_node_per_response(responses_built: Built, item: dict[str, Any]) -> None:
    """Each file gives exactly as many response nodes as it holds responses."""
    found = _responses(responses_built, item["file"])
    assert len(found) == len(item["responses"]), (found, [str(p) for p in responses_built.problems if p.file == item["file"]])


@pytest.mark.parametrize(("item", "name"), CASES, ids=[f"{e['file']}-{n}" for e, n in CASES])
def test_responses_field(responses_built: Built, item: dict[str, Any], name: str) -> None:
    """One field of every response in the file is what the text states, in order of appearance."""
    nodes = _responses(responses_built, item["file"])
    assert len(nodes) == len(item["responses"]), f"{len(nodes)} response nodes for {len(item['responses'])} responses"
    for n, (node, want) in enumerate(zip(nodes, item["responses"], strict=True)):
        if want.get(name) is None and name in UNCHECKED_WHEN_NULL:
            continue
        found = _found(responses_built, node, name)
        if name == "report":
            assert any(_report_matches(row, want["report"]) for row in found), (n, found, want["report"])  # type: ignore[union-attr]
        elif name == "titles":
            # a force report's full title adds " – An inspection of <force>" to the title as the text quotes it
            found = {re.sub(r" - an inspection of [\w ,'&-]+$", "", t) if t not in _want(name, want[name]) else t for t in found}  # type: ignore[union-attr, operator]
            if want["report"] is None:
                assert found == _want(name, want[name]), (n, node)
            else:
                assert _want(name, want[name]) <= found, (n, found)  # type: ignore[operator]
        elif name == "issued":
            assert want["issued"] in found, (n, found)  # type: ignore[operator]
        else:
            assert found == _want(name, want[name]), (n, node)


@pytest.mark.parametrize("item", SILENT, ids=[e["file"] for e in SILENT])
def test_responses_none_from_a_page_without_an_inspection(responses_built: Built, item: dict[str, Any]) -> None:
    """A page commenting on no inspection gives no response and a warning naming its file and line."""
    assert _responses(responses_built, item["file"]) == []
    warned = [
        p for p in responses_built.problems
        if p.file == item["file"] and p.line >= 1 and p.severity is not Severity.INFO
        and item["warning"].lower() in p.message.lower()
    ]
    assert warned, [str(p) for p in responses_built.problems if p.file == item["file"]]


@pytest.mark.parametrize("item", ANSWERING, ids=[e["file"] for e in ANSWERING])
def test_responses_titles_are_titles(responses_built: Built, item: dict[str, Any]) -> None:
    """No report title is a sentence of speech or a line of form fields."""
    nodes = _responses(responses_built, item["file"])
    assert nodes, "no response built"
    titles = {t for r in nodes for t in _values(responses_built, r, "(pcc:respondsTo|pcc:cites)/dcterms:title")}
    for title in titles:
        assert not title.rstrip().endswith("."), title
        assert " said" not in title, title
        assert len(FORM_LABEL.findall(title)) < 2, title
        assert not any(_norm(f) in _norm(title) for f in FURNITURE), title


@pytest.mark.parametrize("item", HTML_ANSWERING, ids=[e["file"] for e in HTML_ANSWERING])
def test_responses_page_furniture_left_out(responses_built: Built, item: dict[str, Any]) -> None:
    """No menu, cookie banner, breadcrumb, share link, related-news item or footer becomes content or a mention."""
    nodes = _responses(responses_built, item["file"])
    assert nodes, "no response built"
    for r in nodes:
        text = _norm(" ".join(_values(responses_built, r, "pcc:text")))
        assert text, r
        assert [f for f in FURNITURE if _norm(f) in text] == []
        quotes = {
            str(row[0])
            for row in _rows(responses_built, "SELECT ?exact WHERE { ?t oa:hasSource ?r ; oa:hasSelector/oa:exact ?exact }", r=r)
        }
        assert [q for q in quotes if any(_norm(f) in _norm(q) for f in FURNITURE)] == []


@pytest.mark.parametrize("item", WITH_FURNITURE_NAMES, ids=[e["file"] for e in WITH_FURNITURE_NAMES])
def test_responses_no_entity_from_furniture(responses_built: Built, item: dict[str, Any]) -> None:
    """A force named only in the page's related-news list is not mentioned by the response."""
    nodes = _responses(responses_built, item["file"])
    assert nodes, "no response built"
    mentioned = {_last(v) for r in nodes for v in _values(responses_built, r, "pcc:mentions")}
    assert mentioned & set(item["not_mentioned"]) == set()


@pytest.mark.parametrize("item", ANSWERING, ids=[e["file"] for e in ANSWERING])
def test_responses_annotation_offsets_hold(responses_built: Built, item: dict[str, Any]) -> None:
    """Every annotation's offsets select exactly its quoted text in the response's pcc:text."""
    nodes = _responses(responses_built, item["file"])
    assert nodes, "no response built"
    checked = 0
    for r in nodes:
        (text,) = _values(responses_built, r, "pcc:text")
        rows = _rows(
            responses_built,
            "SELECT ?start ?end ?exact WHERE { ?t oa:hasSource ?r . ?t oa:hasSelector ?p . "
            "?p oa:start ?start ; oa:end ?end . ?t oa:hasSelector ?q . ?q oa:exact ?exact }",
            r=r,
        )
        for start, end, exact in rows:
            assert text[int(start) : int(end)] == str(exact), (int(start), int(end), str(exact))
            checked += 1
    assert checked, "no annotation to check"
