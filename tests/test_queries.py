"""Saved SPARQL queries: the contract's columns, real answers from the bundled letters,
the same rows from every engine, parameters bound safely, errors with file and line."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from pccgraph.cli import cli
from pccgraph.errors import QueryError
from pccgraph.pipeline import BuildResult
from pccgraph.queries import (
    ENGINES,
    QueryResult,
    SavedQuery,
    compact_iri,
    entity_params,
    find_query,
    load_queries,
    parse_param,
    run_query,
    to_csv,
    to_json,
    to_markdown,
)

from .conftest import ROOT

QUERIES = ROOT / "queries"
PCCID = "https://w3id.org/pccgraph/id/"

# ONTOLOGY.md, "Saved queries (queries/*.rq) and their columns".
CONTRACT = {
    "letters": ("letter", "date", "report_title"),
    "reports": ("report", "title", "scope", "letters"),
    "grades": ("report_title", "area", "grade"),
    "recommendation_counts": ("report_title", "count", "applies_to"),
    "programmes": ("programme", "label", "letters", "first_date", "last_date"),
    "programme_timeline": ("date", "letter", "quote"),
    "organisations": ("organisation", "label", "type", "letters"),
    "people_posts": ("person", "post", "organisation"),
    "commitments": ("date", "letter", "commitment"),
    "evidence": ("letter", "date", "quote", "start", "end"),
    "topics_over_time": ("topic", "year", "letters"),
    "cooccurrence": ("a", "b", "letters"),
}
# Queries that list responses end with a "kind" column after the contract's columns
# ("letter", "statement", "response form"); no contract column moves (issue 9).
KIND_LAST = {"letters", "programme_timeline", "commitments", "evidence"}
# The other saved queries that list responses, with their whole column list.
RESPONSE_COLUMNS = {
    "responses": ("response", "kind", "date", "force", "author", "report_title"),
    "late_responses": ("letter", "date", "report_title", "published", "days", "kind"),
    "dated_commitments": ("due", "date", "letter", "commitment", "kind"),
    "cited_reports": ("report", "title", "letter", "date", "answered", "kind"),
    "letters_naming": ("letter", "date", "report_title", "mentions", "kind"),
    "requires_improvement_commitments": ("report_title", "area", "letter", "date", "commitment", "kind"),
    # "kind" is the tally's kind here, so the response's kind is "response_kind"
    "chief_constable_recommendations": ("report_title", "count", "kind", "applies_to", "letter", "response_kind"),
}
# Parameter values used wherever every saved query is run.
PARAMS = {
    "programme_timeline": {"programme": "Athena"},
    "evidence": {"entity": "College of Policing"},
    "letters_naming": {"body": "Action Fraud"},
}
SAVED = sorted(p.stem for p in QUERIES.glob("*.rq"))


@pytest.fixture(scope="session")
def trig(built: BuildResult) -> Path:
    """The freshly built TriG of the bundled letters."""
    return built.outputs["pccgraph.trig"]


@pytest.fixture(scope="session")
def results(trig: Path) -> dict[str, QueryResult]:
    """Every saved query run once with the default engine."""
    return {q.name: run_query(q, trig, params=PARAMS.get(q.name)) for q in load_queries(QUERIES)}


def _column(result: QueryResult, name: str) -> list[str]:
    index = result.columns.index(name)
    return [row[index] for row in result.rows]


# --------------------------------------------------------------------------- the files


def test_queries_contract_files_exist_and_at_least_six_more() -> None:
    """Every query of ONTOLOGY.md's table is saved, and at least six others."""
    assert set(CONTRACT) <= set(SAVED)
    assert len(set(SAVED) - set(CONTRACT)) >= 6


@pytest.mark.parametrize("name", SAVED)
def test_queries_header_has_title_description_and_documented_params(name: str) -> None:
    """Each file opens with # title: and # description:, and documents every parameter it binds."""
    query = find_query(name, QUERIES)
    lines = query.text.splitlines()
    assert lines[0].startswith("# title: ") and query.title
    assert lines[1].startswith("# description: ") and len(query.description) > 20
    for param in query.params:
        assert re.search(rf"^# param: {param}( \([\w:]+\))? — \S", query.text, re.M), param
        select = re.search(r"^SELECT[^{]*", query.text, re.M)
        assert select and f"?{param}" in select.group(0), f"?{param} must be selected to be bound"
    assert query.params == tuple(PARAMS.get(name, {}))


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_queries_contract_columns_exact(name: str, results: dict[str, QueryResult]) -> None:
    """The result columns are those ONTOLOGY.md promises, in that order; response lists add "kind" last."""
    extra = ("kind",) if name in KIND_LAST else ()
    assert results[name].columns == CONTRACT[name] + extra


@pytest.mark.parametrize("name", sorted(RESPONSE_COLUMNS))
def test_queries_response_columns_exact(name: str, results: dict[str, QueryResult]) -> None:
    """The other queries listing responses give their columns, the response's kind last (or second)."""
    assert results[name].columns == RESPONSE_COLUMNS[name]


@pytest.mark.parametrize("name", sorted(KIND_LAST | set(RESPONSE_COLUMNS)))
def test_queries_every_bundled_response_is_a_letter(name: str, results: dict[str, QueryResult]) -> None:
    """On the bundled letters every listed response has kind "letter", never an empty kind."""
    result = results[name]
    column = "response_kind" if "response_kind" in result.columns else "kind"
    assert result.rows, name
    assert set(_column(result, column)) == {"letter"}


def test_queries_load_sorted_and_typed() -> None:
    """load_queries gives SavedQuery values sorted by name, with their paths."""
    saved = load_queries(QUERIES)
    assert [q.name for q in saved] == SAVED
    assert all(isinstance(q, SavedQuery) and q.path.parent == QUERIES for q in saved)
    assert find_query("grades.rq", QUERIES) == find_query(QUERIES / "grades.rq", QUERIES)


# --------------------------------------------------------------------------- engines agree


@pytest.mark.parametrize("name", SAVED)
def test_queries_oxigraph_and_rdflib_give_identical_rows(name: str, trig: Path) -> None:
    """Both embedded engines return the same columns and rows, in the same order."""
    query = find_query(name, QUERIES)
    by_engine = [run_query(query, trig, params=PARAMS.get(name), engine=e) for e in ENGINES]
    assert by_engine[0] == by_engine[1]


@pytest.mark.parametrize("name", SAVED)
def test_queries_rows_are_distinct(name: str, results: dict[str, QueryResult]) -> None:
    """No row repeats: a triple held in several named graphs counts once (Oxigraph's union is a bag)."""
    rows = results[name].rows
    assert len(rows) == len(set(rows))


def test_queries_accept_dataset_store_and_file_sources(built: BuildResult, trig: Path) -> None:
    """An rdflib Dataset, a pyoxigraph Store and a file give the same answer, on both engines."""
    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    query = find_query("programmes", QUERIES)
    expected = run_query(query, trig)
    for source in (built.dataset, store):
        for engine in ENGINES:
            assert run_query(query, source, engine=engine) == expected


def test_queries_rows_are_stable_across_runs(trig: Path) -> None:
    """Running a query twice gives byte-identical CSV."""
    first = to_csv(run_query(find_query("cooccurrence", QUERIES), trig))
    assert to_csv(run_query(find_query("cooccurrence", QUERIES), trig)) == first


# --------------------------------------------------------------------------- real answers


def test_queries_letters_one_row_per_letter(results: dict[str, QueryResult]) -> None:
    """letters.rq lists the 24 bundled letters in date order, each with its report title and kind."""
    result = results["letters"]
    assert len(result.rows) == 24
    assert len(set(_column(result, "letter"))) == 24
    dates = _column(result, "date")
    assert dates == sorted(dates) and dates[0] == "2014-05-12"
    assert (
        f"{PCCID}letter/2014-05-12-west-mercia-polices-approach-to-tackling-domestic-abuse",
        "2014-05-12",
        "West Mercia Police's approach to tackling domestic abuse",
        "letter",
    ) in result.rows
    assert "PEEL: Police legitimacy 2015" in _column(result, "report_title")


def test_queries_responses_kind_force_author(results: dict[str, QueryResult], built: BuildResult) -> None:
    """responses.rq lists the 24 bundled letters as responses: kind, date and title as letters.rq,
    the author Bill Longmore, the force exactly the graph's pcc:respondentForce (none when not stated)."""
    result = results["responses"]
    assert len(result.rows) == 24
    letters = {row[0]: row for row in results["letters"].rows}
    for response, kind, date, force, author, title in result.rows:
        assert letters[response] == (response, date, title, kind)
        assert author == f"{PCCID}person/bill-longmore"
    ontology = "https://w3id.org/pccgraph/ontology#"
    stated = {str(s): str(o) for s, o in built.dataset.subject_objects(rdflib.URIRef(f"{ontology}respondentForce"))}
    assert {row[0]: row[3] for row in result.rows} == {r: stated.get(r, "") for r in letters}
    assert _column(result, "date") == sorted(_column(result, "date"))


def test_queries_reports_titles_scope_and_letters(results: dict[str, QueryResult]) -> None:
    """reports.rq includes PEEL: Police legitimacy 2015, a force report answered by one letter."""
    rows = {row[1]: row for row in results["reports"].rows}
    report, _title, scope, letters = rows["PEEL: Police legitimacy 2015"]
    assert report.startswith(f"{PCCID}report/peel-police-legitimacy-2015")
    assert (scope, letters) == ("force", "1")
    assert set(_column(results["reports"], "scope")) <= {"force", "national", ""}
    assert len(rows) >= 26


def test_queries_grades_peel_effectiveness_requires_improvement(results: dict[str, QueryResult]) -> None:
    """grades.rq has PEEL: Police effectiveness 2015 graded "Requires improvement"."""
    rows = results["grades"].rows
    assert any(r[0] == "PEEL: Police effectiveness 2015" and r[2] == "Requires improvement" for r in rows)
    assert ("POLICING IN AUSTERITY: MEETING THE CHALLENGE",
            "taking the necessary steps to ensuring a secure financial position", "Outstanding") in rows
    assert set(_column(results["grades"], "grade")) <= {
        "Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate"}


def test_queries_recommendation_counts_for_all_chief_constables(results: dict[str, QueryResult]) -> None:
    """recommendation_counts.rq: Targeting the risk makes 9 recommendations to all chief constables."""
    rows = results["recommendation_counts"].rows
    title = ("Targeting the risk: An inspection of the efficiency and effectiveness of firearms "
             "licensing in police forces in England and Wales")
    assert (title, "9", "all chief constables") in rows
    assert all(int(count) >= 0 for count in _column(results["recommendation_counts"], "count"))


def test_queries_programmes_athena_in_more_than_one_letter(results: dict[str, QueryResult]) -> None:
    """programmes.rq finds Athena in more than one letter, first named in October 2015."""
    rows = {row[1]: row for row in results["programmes"].rows}
    athena = rows["Athena"]
    assert athena[0] == f"{PCCID}programme/athena"
    assert int(athena[2]) >= 2
    assert athena[3] <= athena[4] and athena[3].startswith("2015-10")


def test_queries_programme_timeline_athena(results: dict[str, QueryResult]) -> None:
    """programme_timeline.rq with programme=Athena quotes each mention, in date order."""
    result = results["programme_timeline"]
    assert len(result.rows) >= 2
    assert all("Athena" in quote for quote in _column(result, "quote"))
    assert _column(result, "date") == sorted(_column(result, "date"))
    assert len(set(_column(result, "letter"))) >= 2


def test_queries_organisations_types_and_counts(results: dict[str, QueryResult]) -> None:
    """organisations.rq gives West Mercia Police (a force named in all 24 letters) and the College of Policing."""
    rows = {row[1]: row for row in results["organisations"].rows}
    ontology = "https://w3id.org/pccgraph/ontology#"
    assert rows["West Mercia Police"][2:] == (f"{ontology}PoliceForce", "24")
    assert rows["College of Policing"][2] == "http://www.w3.org/ns/org#Organization"
    assert int(rows["College of Policing"][3]) >= 1


def test_queries_people_posts_longmore_is_pcc(results: dict[str, QueryResult]) -> None:
    """people_posts.rq: Bill Longmore holds the West Mercia PCC post."""
    assert (f"{PCCID}person/bill-longmore", f"{PCCID}post/pcc-west-mercia-police",
            f"{PCCID}force/west-mercia-police") in results["people_posts"].rows


def test_queries_commitments_monitoring(results: dict[str, QueryResult]) -> None:
    """commitments.rq quotes the PCC's commitments, e.g. to keep monitoring progress."""
    result = results["commitments"]
    assert len(result.rows) >= 10
    assert any("I shall continue to monitor" in c for c in _column(result, "commitment"))
    dated = results["dated_commitments"]
    assert any(row[0] == "2016-04" and "April 2016" in row[3] for row in dated.rows)


def test_queries_evidence_quotes_match_letter_text(results: dict[str, QueryResult], built: BuildResult) -> None:
    """evidence.rq gives offsets whose slice of the letter's own text is the quote."""
    result = results["evidence"]
    assert result.rows
    texts = {str(s): str(o) for s, o in built.dataset.subject_objects(
        rdflib.URIRef("https://w3id.org/pccgraph/ontology#text"))}
    for letter, _date, quote, start, end, kind in result.rows:
        assert kind == "letter"
        assert quote.lower() == "college of policing"
        assert texts[letter][int(start):int(end)] == quote


def test_queries_evidence_check_finds_no_mismatch(results: dict[str, QueryResult]) -> None:
    """evidence_check.rq: every oa:exact equals substr(pcc:text, start + 1, end - start) in the TriG."""
    assert results["evidence_check"].rows == ()


@pytest.mark.parametrize("engine", ENGINES)
def test_queries_evidence_check_reports_a_wrong_quote(engine: str, tmp_path: Path) -> None:
    """evidence_check.rq lists a quote that is not the text at its offsets, with what is there."""
    graph = tmp_path / "bad.ttl"
    graph.write_text(
        "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
        "@prefix pcc: <https://w3id.org/pccgraph/ontology#> .\n"
        f"<{PCCID}letter/x> pcc:text \"Dear Home Secretary, Athena is live.\" .\n"
        f"<{PCCID}annotation/x/21-27> oa:hasBody <{PCCID}programme/athena> ; oa:hasTarget <urn:t1> .\n"
        f"<urn:t1> oa:hasSource <{PCCID}letter/x> ; oa:hasSelector <urn:p1>, <urn:q1> .\n"
        "<urn:p1> oa:start 21 ; oa:end 27 .  <urn:q1> oa:exact \"Athena\" .\n"
        f"<urn:t2> oa:hasSource <{PCCID}letter/x> ; oa:hasSelector <urn:p2>, <urn:q2> .\n"
        "<urn:p2> oa:start 0 ; oa:end 4 .  <urn:q2> oa:exact \"Dean\" .\n",
        encoding="utf-8",
    )
    result = run_query(find_query("evidence_check", QUERIES), graph, engine=engine)
    assert result.rows == ((f"{PCCID}letter/x", "0", "4", "Dean", "Dear"),)


def test_queries_topics_over_time_years(results: dict[str, QueryResult]) -> None:
    """topics_over_time.rq counts letters per topic and year, within 2014-2016."""
    result = results["topics_over_time"]
    assert result.rows
    assert set(_column(result, "year")) <= {"2014", "2015", "2016"}
    assert (f"{PCCID}topic/domestic-abuse" in _column(result, "topic"))


def test_queries_cooccurrence_pairs_once(results: dict[str, QueryResult]) -> None:
    """cooccurrence.rq lists each pair once (a < b), most shared letters first."""
    result = results["cooccurrence"]
    pairs = [(a, b) for a, b, _ in result.rows]
    assert all(a < b for a, b in pairs) and len(pairs) == len(set(pairs))
    counts = [int(n) for n in _column(result, "letters")]
    assert counts == sorted(counts, reverse=True) and max(counts) <= 24
    alliance = f"{PCCID}alliance/warwickshire-west-mercia-alliance"
    assert any(alliance in (a, b) and f"{PCCID}force/west-mercia-police" in (a, b) for a, b in pairs)
    # the address block ("House of Commons, London") is not the body: it pairs with nothing
    assert not any(f"{PCCID}organisation/house-of-commons" in (a, b) for a, b in pairs)


def test_queries_extra_answers(results: dict[str, QueryResult]) -> None:
    """The extra queries answer from the letters (alliance per year, late replies, chief constables …)."""
    alliance = results["alliance_per_year"]
    assert {row[1] for row in alliance.rows} >= {"2014", "2015"}
    assert all(int(row[2]) <= int(row[3]) for row in alliance.rows)
    late = results["late_responses"]
    assert (f"{PCCID}letter/2015-02-24-crime-recording-making-the-victims-count", "2015-02-24",
            "CRIME RECORDING: MAKING THE VICTIMS COUNT", "2014-11", "86", "letter") in late.rows
    assert all(int(days) > 56 for days in _column(late, "days"))
    chiefs = results["chief_constable_recommendations"]
    assert all("chief constable" in who.lower() for who in _column(chiefs, "applies_to"))
    assert len(chiefs.rows) >= 2
    assert any(r[2] == "Requires improvement" for r in results["grades"].rows)
    assert results["requires_improvement_commitments"].rows
    naming = results["letters_naming"]
    assert naming.columns == ("letter", "date", "report_title", "mentions", "kind")
    assert naming.rows and all(int(n) >= 1 for n in _column(naming, "mentions"))
    assert ("Police Act 1996 s.55" in _column(results["legislation"], "label"))
    assert results["topics"].rows and results["tallies"].rows
    assert int(results["programmes_across_reports"].rows[0][2]) >= 2


# --------------------------------------------------------------------------- statements and forms

# pccid:… names below are written out as full IRIs (a "/" is not allowed in a Turtle local name).
MIXED = re.sub(r"pccid:([\w/-]+)", rf"<{PCCID}\1>", """@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix pcc: <https://w3id.org/pccgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

pccid:report/peel-2016 a pcc:InspectionReport ; dcterms:title "PEEL: Police effectiveness 2016" ;
    dcterms:issued "2016-03-02"^^xsd:date .
pccid:programme/athena a pcc:Programme ; rdfs:label "Athena" .
pccid:letter/l a pcc:Letter , pcc:Response ; dcterms:date "2016-06-20"^^xsd:date ;
    dcterms:title "PEEL: Police effectiveness 2016" ; pcc:respondsTo pccid:report/peel-2016 ;
    pcc:text "Athena goes live." ; pcc:mentions pccid:programme/athena ;
    dcterms:creator pccid:person/ann .
pccid:statement/s a pcc:Statement , pcc:Response ; dcterms:date "2016-03-03"^^xsd:date ;
    dcterms:title "PEEL: Police effectiveness 2016" ; pcc:respondsTo pccid:report/peel-2016 ;
    pcc:respondentForce pccid:force/testshire-police ; dcterms:creator pccid:person/jo ;
    pcc:text "The commissioner said Athena helps." ; pcc:mentions pccid:programme/athena ;
    pcc:makesCommitment pccid:commitment/s/1 .
pccid:commitment/s/1 pcc:text "I will keep Athena under review." .
pccid:form/f a pcc:ResponseForm , pcc:Response ; pcc:dateText "4 September" ;
    dcterms:title "PEEL: Police effectiveness 2016" ; pcc:respondsTo pccid:report/peel-2016 ;
    pcc:respondentForce pccid:force/testshire-police .
pccid:annotation/l/0-6 oa:hasBody pccid:programme/athena ; oa:hasTarget pccid:annotation/l/0-6/t .
pccid:annotation/l/0-6/t oa:hasSource pccid:letter/l ;
    oa:hasSelector pccid:annotation/l/0-6/p , pccid:annotation/l/0-6/q .
pccid:annotation/l/0-6/p oa:start 0 ; oa:end 6 .
pccid:annotation/l/0-6/q oa:exact "Athena" .
pccid:annotation/s/27-33 oa:hasBody pccid:programme/athena ; oa:hasTarget pccid:annotation/s/27-33/t .
pccid:annotation/s/27-33/t oa:hasSource pccid:statement/s ;
    oa:hasSelector pccid:annotation/s/27-33/p , pccid:annotation/s/27-33/q .
pccid:annotation/s/27-33/p oa:start 27 ; oa:end 33 .
pccid:annotation/s/27-33/q oa:exact "Athena" .
""")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hand-made graph with a letter, a statement and a response form answering one report."""
    path = tmp_path_factory.mktemp("mixed") / "mixed.ttl"
    path.write_text(MIXED, encoding="utf-8")
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_queries_list_statements_and_forms_with_their_kind(engine: str, mixed: Path) -> None:
    """letters.rq and responses.rq list every response with its kind; the form, with no year, has no date."""
    def run(name: str, **params: str) -> QueryResult:
        return run_query(find_query(name, QUERIES), mixed, params=params or None, engine=engine)

    title = "PEEL: Police effectiveness 2016"
    assert run("letters").rows == (
        (f"{PCCID}form/f", "", title, "response form"),
        (f"{PCCID}statement/s", "2016-03-03", title, "statement"),
        (f"{PCCID}letter/l", "2016-06-20", title, "letter"),
    )
    force = f"{PCCID}force/testshire-police"
    assert run("responses").rows == (
        (f"{PCCID}form/f", "response form", "", force, "", title),
        (f"{PCCID}statement/s", "statement", "2016-03-03", force, f"{PCCID}person/jo", title),
        (f"{PCCID}letter/l", "letter", "2016-06-20", "", f"{PCCID}person/ann", title),
    )
    assert run("programme_timeline", programme="Athena").rows == (
        ("2016-03-03", f"{PCCID}statement/s", "Athena", "statement"),
        ("2016-06-20", f"{PCCID}letter/l", "Athena", "letter"),
    )
    assert run("evidence", entity="Athena").rows == (
        (f"{PCCID}statement/s", "2016-03-03", "Athena", "27", "33", "statement"),
        (f"{PCCID}letter/l", "2016-06-20", "Athena", "0", "6", "letter"),
    )
    assert run("commitments").rows == (
        ("2016-03-03", f"{PCCID}statement/s", "I will keep Athena under review.", "statement"),)
    late = run("late_responses").rows
    assert late == ((f"{PCCID}letter/l", "2016-06-20", title, "2016-03-02", "110", "letter"),)
    assert run("letters_naming", body="Athena").rows == (
        (f"{PCCID}statement/s", "2016-03-03", title, "1", "statement"),
        (f"{PCCID}letter/l", "2016-06-20", title, "1", "letter"),
    )
    assert run("programmes").rows == ((f"{PCCID}programme/athena", "Athena", "2", "2016-03-03", "2016-06-20"),)


# --------------------------------------------------------------------------- parameters


@pytest.mark.parametrize(
    "value",
    ["Athena", "ATHENA", "athena it system", "pccid:programme/athena",
     "https://w3id.org/pccgraph/id/programme/athena", "<https://w3id.org/pccgraph/id/programme/athena>"],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_queries_param_label_or_iri_same_rows(value: str, engine: str, results: dict[str, QueryResult],
                                              trig: Path) -> None:
    """A programme given by label (any case, any alias), prefixed name or IRI selects the same rows."""
    got = run_query(find_query("programme_timeline", QUERIES), trig, params={"programme": value}, engine=engine)
    assert got == results["programme_timeline"]


@pytest.mark.parametrize(
    "value",
    ['Athena") } SELECT * WHERE { ?s ?p ?o } #', "Athena' || true || '", "x\" . ?s ?p ?o . #", "\\"],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_queries_param_cannot_inject(value: str, engine: str, trig: Path) -> None:
    """A value crafted to break out of a string is just a string that matches nothing."""
    got = run_query(find_query("programme_timeline", QUERIES), trig, params={"programme": value}, engine=engine)
    assert got.rows == ()


def test_queries_param_iri_with_bad_characters_is_refused(trig: Path) -> None:
    """An IRI parameter with spaces or brackets is an error, not a query."""
    with pytest.raises(QueryError, match="not a valid IRI"):
        run_query(find_query("evidence", QUERIES), trig, params={"entity": "http://x> } #"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("pccid:force/west-mercia-police", rdflib.URIRef(f"{PCCID}force/west-mercia-police")),
        ("http://example.org/x", rdflib.URIRef("http://example.org/x")),
        ("2015", rdflib.Literal(2015)),
        ("Athena", rdflib.Literal("Athena")),
        ("West Mercia: the force", rdflib.Literal("West Mercia: the force")),
    ],
)
def test_queries_parse_param(value: str, expected: object) -> None:
    """IRIs and prefixed names bind as IRIs, whole numbers as integers, the rest as strings."""
    assert parse_param(value) == expected


def test_queries_entity_params_declared() -> None:
    """Entity parameters say which class they name; a label is looked up among those."""
    assert entity_params(find_query("programme_timeline", QUERIES)) == {
        "programme": "https://w3id.org/pccgraph/ontology#Programme"}
    assert entity_params(find_query("evidence", QUERIES)) == {"entity": ""}
    assert entity_params(find_query("grades", QUERIES)) == {}


@pytest.mark.parametrize("engine", ENGINES)
def test_queries_ambiguous_label_lists_the_entities(engine: str, tmp_path: Path) -> None:
    """A label naming two entities is an error that lists both IRIs to choose from."""
    graph = tmp_path / "two.ttl"
    graph.write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        f"<{PCCID}organisation/psd> rdfs:label \"Professional Standards\" .\n"
        f"<{PCCID}unit/psd> skos:altLabel \"professional standards\"@en .\n",
        encoding="utf-8",
    )
    with pytest.raises(QueryError, match=r"names 2 entities \(pccid:organisation/psd, pccid:unit/psd\)"):
        run_query(find_query("evidence", QUERIES), graph, params={"entity": "PROFESSIONAL STANDARDS"}, engine=engine)


def test_queries_missing_and_unknown_params_are_errors(trig: Path) -> None:
    """A query refuses to run without its parameters or with unknown ones, naming the file."""
    query = find_query("programme_timeline", QUERIES)
    with pytest.raises(QueryError, match=r"programme_timeline\.rq: missing parameter programme"):
        run_query(query, trig)
    with pytest.raises(QueryError, match="unknown parameter colour"):
        run_query(query, trig, params={"programme": "Athena", "colour": "blue"})


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("engine", ENGINES)
def test_queries_syntax_error_names_file_and_line(engine: str, tmp_path: Path, trig: Path) -> None:
    """A broken query fails with a QueryError naming the file and the line of the error."""
    bad = tmp_path / "broken.rq"
    bad.write_text(
        "# title: Broken\n# description: a query with a syntax error\n"
        "SELECT ?letter WHERE {\n  ?letter a ?type ;\n  FILTER(?type = )\n}\n",
        encoding="utf-8",
    )
    with pytest.raises(QueryError) as info:
        run_query(find_query(bad, QUERIES), trig, engine=engine)
    message = str(info.value)
    assert f"{bad}:" in message and "syntax error" in message
    line = int(re.search(r"broken\.rq:(\d+)", message).group(1))  # type: ignore[union-attr]
    assert 4 <= line <= 6


def test_queries_unknown_name_lists_known(tmp_path: Path) -> None:
    """An unknown query name is an error that lists the saved queries."""
    with pytest.raises(QueryError, match="known: .*grades"):
        find_query("gardes", QUERIES)


def test_queries_missing_title_is_an_error(tmp_path: Path) -> None:
    """A .rq file without a # title: line is refused with its path."""
    (tmp_path / "untitled.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="untitled.rq:1"):
        load_queries(tmp_path)


def test_queries_unknown_engine_and_missing_input(trig: Path, tmp_path: Path) -> None:
    """Unknown engines and missing graph files give clear errors."""
    with pytest.raises(QueryError, match="unknown engine"):
        run_query(find_query("letters", QUERIES), trig, engine="sparqlwiki")
    with pytest.raises(QueryError, match="pccgraph build"):
        run_query(find_query("letters", QUERIES), tmp_path / "nothing.trig")


# --------------------------------------------------------------------------- formats and CLI


def test_queries_formats(results: dict[str, QueryResult]) -> None:
    """CSV, JSON and Markdown carry the same rows; Markdown shortens IRIs to prefixed names."""
    result = results["grades"]
    rows = list(csv.reader(io.StringIO(to_csv(result))))
    assert tuple(rows[0]) == result.columns and [tuple(r) for r in rows[1:]] == list(result.rows)
    data = json.loads(to_json(result))
    assert data["columns"] == list(result.columns) and len(data["rows"]) == len(result.rows)
    md = to_markdown(results["letters"])
    assert md.startswith("| letter | date | report_title | kind |\n|---|---|---|---|\n")
    assert "| pccid:letter/2014-05-12-west-mercia-polices-approach" in md
    assert compact_iri(f"{PCCID}force/x") == "pccid:force/x"


def test_cli_query_grades_md(trig: Path) -> None:
    """`pccgraph query grades --format md` prints the grades table."""
    result = CliRunner().invoke(cli, ["query", "grades", "--format", "md", "--input", str(trig),
                                      "--queries", str(QUERIES)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("| report_title | area | grade |")
    assert "| PEEL: Police effectiveness 2015 |" in result.output and "Requires improvement" in result.output


def test_cli_query_param_csv_and_rdflib(trig: Path) -> None:
    """`pccgraph query programme_timeline --param programme=Athena --engine rdflib --format csv`."""
    result = CliRunner().invoke(cli, ["query", "programme_timeline", "--param", "programme=Athena",
                                      "--engine", "rdflib", "--format", "csv", "--input", str(trig),
                                      "--queries", str(QUERIES)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "date,letter,quote,kind" and len(lines) >= 3 and "Athena" in lines[1]
    assert lines[1].endswith(",letter")


def test_cli_query_table_and_errors(trig: Path) -> None:
    """The default table names the rows; a missing parameter or unknown query exits 2."""
    runner = CliRunner()
    ok = runner.invoke(cli, ["query", "people_posts", "--input", str(trig), "--queries", str(QUERIES)])
    assert ok.exit_code == 0 and "People and posts" in ok.output and "pccid:" in ok.output
    assert ok.output.rstrip().endswith("3 rows")
    missing = runner.invoke(cli, ["query", "evidence", "--input", str(trig), "--queries", str(QUERIES)])
    assert missing.exit_code == 2 and "missing parameter entity" in missing.output
    unknown = runner.invoke(cli, ["query", "nope", "--input", str(trig), "--queries", str(QUERIES)])
    assert unknown.exit_code == 2 and "no saved query" in unknown.output
    bad = runner.invoke(cli, ["query", "letters", "--param", "novalue", "--input", str(trig)])
    assert bad.exit_code == 2


def test_cli_queries_lists_every_saved_query() -> None:
    """`pccgraph queries` lists every saved query with its title."""
    result = CliRunner().invoke(cli, ["queries", "--queries", str(QUERIES)])
    assert result.exit_code == 0, result.output
    for query in load_queries(QUERIES):
        assert query.name in result.output and query.title.split()[0] in result.output
    assert "programme=…" in result.output
