"""Stage 3-4: entities and facts in the bundled letters, with exact evidence."""

from __future__ import annotations

import pytest

from pccgraph.model import EntityType, Extraction, Fact
from pccgraph.pipeline import BuildResult


def _letter(built: BuildResult, start_line: int) -> Extraction:
    return next(x for x in built.resolved.extractions if x.letter.raw.start_line == start_line)


def _facts(x: Extraction, kind: str) -> list[Fact]:
    return [f for f in x.facts if f.kind == kind]


def _quote(x: Extraction, f: Fact) -> str:
    return x.letter.text[f.span.start : f.span.end]


def test_extract_every_mention_quotes_its_letter(built: BuildResult) -> None:
    """Mention text equals the letter text at its span, for every mention of every letter."""
    for x in built.resolved.extractions:
        for m in x.mentions:
            assert x.letter.text[m.span.start : m.span.end] == m.text


def test_extract_grades_each_of_three_categories(built: BuildResult) -> None:
    """"achieved 'Good' ratings in each of these three categories" gives three judgements."""
    x = _letter(built, 27)
    grades = sorted((f.get("grade"), f.get("area")) for f in _facts(x, "judgement"))
    assert grades == [
        ("good", "investigating offending"),
        ("good", "reducing crime and preventing offending"),
        ("good", "tackling anti social behaviour"),
    ]
    assert {_quote(x, f) for f in _facts(x, "judgement")} == {"achieved 'Good'"}


@pytest.mark.parametrize(
    ("line", "grade", "area", "quote"),
    [
        (153, "outstanding", "taking the necessary steps to ensuring a secure financial position", "deemed to be outstanding"),
        (495, "requires-improvement", "", 'graded the force as "requires improvement"'),
        (641, "requires-improvement", "both its approach and effectiveness towards dealing with missing children",
         "judged as 'requires improvement'"),
        (663, "requires-improvement", "", "gave an overall grading of 'requires improvement'"),
    ],
)
def test_extract_grades_written_in_prose(built: BuildResult, line: int, grade: str, area: str, quote: str) -> None:
    """Grades stated in a sentence carry the grade, the area as written, and the evidence."""
    x = _letter(built, line)
    found = {(f.get("grade"), f.get("area"), _quote(x, f)) for f in _facts(x, "judgement")}
    assert (grade, area, quote) in found
    assert all(f.get("force") == "west-mercia-police" for f in _facts(x, "judgement"))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (63, [(13, "recommendations", ""), (5, "recommendations", "police forces")]),
        (101, [(6, "recommendations", "")]),
        (129, [(49, "recommendations", "")]),
        (177, [(4, "areas for improvement", "")]),
        (247, [(0, "recommendations", "")]),
        (377, [(9, "recommendations", "all chief constables")]),
        (573, [(10, "recommendations", ""), (1, "recommendations", "all chief constables")]),
        (641, [(1, "recommendations", "all chief constables")]),
    ],
)
def test_extract_recommendation_tallies(built: BuildResult, line: int, expected: list[tuple[int, str, str]]) -> None:
    """Counts written in digits or words, with whom they apply to."""
    x = _letter(built, line)
    got = [(int(f.get("count")), f.get("tally_kind"), f.get("applies_to")) for f in _facts(x, "tally")]
    assert sorted(got) == sorted(expected)


def test_extract_commitments_and_due_date(built: BuildResult) -> None:
    """PCC commitments are whole sentences; a stated deadline becomes dueBy."""
    x = _letter(built, 177)
    quotes = {_quote(x, f): f.get("due") for f in _facts(x, "commitment")}
    assert quotes[
        "I am fully sighted on the planned improvements and I will continue to pay close scrutiny to progress made."
    ] == ""
    dated = [q for q, due in quotes.items() if due]
    assert len(dated) == 1 and dated[0].startswith("I have been assured that by the end of April 2016")
    assert quotes[dated[0]] == "2016-04"
    y = _letter(built, 495)
    assert [_quote(y, f) for f in _facts(y, "commitment")] == [
        "A detailed action plan has been drafted by the force to address the areas of concern identified in the "
        "report and I will ensure that I hold the Chief Constable to account for delivery against each of the "
        "actions listed in the plan."
    ]


def test_extract_money_and_statistics(built: BuildResult) -> None:
    """£200k and £100k as amounts; 17% and 74 of 100 as statistics."""
    x = _letter(built, 347)
    assert sorted((f.get("amount"), _quote(x, f)) for f in _facts(x, "money")) == [
        ("100000", "£100k"), ("200000", "£200k")
    ]
    assert [f.get("percentage") for f in _facts(_letter(built, 27), "statistic")] == ["17"]
    y = _letter(built, 63)
    stat = _facts(y, "statistic")[0]
    assert (stat.get("numerator"), stat.get("denominator")) == ("74", "100")


def _ids(x: Extraction, type_: EntityType) -> set[str]:
    return {m.entity_id for m in x.mentions if m.type is type_}


def test_extract_acronyms_bind_later_uses(built: BuildResult) -> None:
    """"Standards Department (PSD)" … "PSD" and "body worn video (BWV)" … "BWV" are one entity each."""
    x = _letter(built, 101)
    psd = [m for m in x.mentions if m.entity_id == "professional-standards-department"]
    assert [m.text for m in psd] == ["Standards Department", "PSD", "PSD"]
    y = _letter(built, 323)
    bwv = [m.text for m in y.mentions if m.entity_id == "body-worn-video"]
    assert bwv == ["body worn video", "BWV", "BWV"]
    z = _letter(built, 177)
    spoc = [m for m in z.mentions if m.entity_id == "single-point-of-contact"]
    assert [m.text for m in spoc] == ["single point of contact", "SPOC", "SPOC"]
    assert spoc[0].discovered and spoc[0].type is EntityType.POST


def test_extract_posts_resolved_from_context(built: BuildResult) -> None:
    """"my Deputy", "my counterpart in Warwickshire" and "the Chief Constable" resolve to posts."""
    x = _letter(built, 101)
    posts = {(m.text, m.entity_id) for m in x.mentions if m.type is EntityType.POST}
    assert ("my Deputy", "deputy-pcc-west-mercia-police") in posts
    assert ("counterpart in Warwickshire", "pcc-warwickshire-police") in posts
    assert "warwickshire" not in _ids(x, EntityType.PLACE)
    assert "chief-constable-west-mercia-police" in _ids(_letter(built, 3), EntityType.POST)
    assert "national-police-coordinator-for-economic-crime" in _ids(_letter(built, 247), EntityType.POST)


def test_extract_resolution_one_node_per_entity(built: BuildResult) -> None:
    """Alliance, MASH and HMIC surface forms each resolve to one entity across the corpus."""
    forms: dict[str, set[str]] = {}
    for x in built.resolved.extractions:
        for m in x.mentions:
            forms.setdefault(m.entity_id, set()).add(m.text)
    assert {"alliance with Warwickshire Police", "alliance", "Alliance"} <= forms["warwickshire-west-mercia-alliance"]
    assert {"Multi Agency Safeguarding Hubs", "multi-agency safeguarding hub", "MASH", "multi agency safeguarding hubs"} <= forms[
        "multi-agency-safeguarding-hub"
    ]
    assert {"HMIC", "Her Majesty's Inspectorate of Constabulary"} <= forms["hmic"]
    labels = {e.label.lower() for e in built.resolved.entities.values()}
    assert not labels & {"force", "the force", "report", "the report", "action plan"}


def test_extract_cited_reports_link_to_the_same_node(built: BuildResult) -> None:
    """"The PEEL Vulnerability report, published in December 2015" is the report another letter answers."""
    x = _letter(built, 663)
    cites = _facts(x, "cites")
    assert [(c.get("title"), c.get("issued")) for c in cites] == [("PEEL Vulnerability", "2015-12")]
    assert built.resolved.report_id(cites[0].get("report")) == "peel-police-effectiveness-2015-vulnerability-west-mercia-police"
    y = _letter(built, 323)
    everyone = _facts(y, "cites")
    assert [(c.get("title"), c.get("issued")) for c in everyone] == [("Everyone's business", "2014-03")]
    assert built.resolved.report_id(everyone[0].get("report")) == "everyones-business"


def test_extract_discovered_names_from_other_letters() -> None:
    """A capitalised name ending in Board/Unit/Programme not in the data is discovered and typed."""
    from pccgraph.extract.entities import _DISCOVER, _head_type

    text = "The force set up a Rural Crime Partnership and the Safer Streets Programme with a new Hate Crime Unit."
    names = [m.group() for m in _DISCOVER.finditer(text)]
    assert names == ["Rural Crime Partnership", "Safer Streets Programme", "Hate Crime Unit"]
    assert [_head_type(n) for n in names] == [EntityType.ORGANISATION, EntityType.PROGRAMME, EntityType.UNIT]


def test_extract_overlong_letter_reads_header_only(tmp_path: object) -> None:
    """A 'letter' longer than any real one keeps its header facts and says why the body was skipped."""
    from pathlib import Path

    from pccgraph.pipeline import build

    from .conftest import REFERENCE

    folder = Path(str(tmp_path))
    body = "The force did well in West Mercia. " * 4000
    (folder / "big.txt").write_text(
        f"12 May 2014\n\nDear Home Secretary,\n\nHMIC INSPECTION: BIG REPORT\n\n{body}\n\nYours sincerely\n\nJo Bloggs\n",
        encoding="utf-8",
    )
    result = build([folder], None, reference_dir=REFERENCE)
    x = result.resolved.extractions[0]
    assert [t.title for t in x.letter.titles] == ["BIG REPORT"]
    assert x.letter.date is not None and x.letter.date.iso == "2014-05-12"
    assert not [m for m in x.mentions if m.rule == "gazetteer"]
    assert any("only its header was read" in str(p) and p.line == 1 for p in result.problems)


STATEMENT = """Police and Crime Commissioner's response to HMICFRS

Report title: PEEL 2021/22 – An inspection of Kent Police
Date of response: 12 June 2022

HMICFRS graded the force as good in four areas, adequate in three and requires improvement in two. The force was rated 'Outstanding' at preventing crime.

| Responding to the public | Requires improvement |
Good – Protecting vulnerable people

I will monitor progress.

Matthew Scott
Kent Police and Crime Commissioner"""


def test_extract_statement_without_salutation() -> None:
    """A published statement with labelled fields and grades in prose, table and list form."""
    from pccgraph.extract import Extractor
    from pccgraph.documents.letter import parse_letter
    from pccgraph.model import RawLetter
    from pccgraph.reference import load_gazetteer

    from .conftest import REFERENCE

    letter = parse_letter(RawLetter("kent.txt", 0, STATEMENT, 0, 1, STATEMENT.count("\n") + 1, "0"))
    assert [t.title for t in letter.titles] == ["PEEL 2021/22"]
    assert letter.date is not None and letter.date.iso == "2022-06-12"
    assert letter.signatory is not None and letter.signatory.text == "Matthew Scott"
    x = Extractor(load_gazetteer(REFERENCE))(letter)
    responds = [f for f in x.facts if f.kind == "responds_to"][0]
    assert (responds.get("report"), responds.get("inspects"), responds.get("scope")) == (
        "peel-2021-22-kent-police", "kent-police", "force"
    )
    grades = sorted((f.get("grade"), f.get("area")) for f in x.facts if f.kind == "judgement")
    assert grades == [
        ("adequate", "three"),
        ("good", "Protecting vulnerable people"),
        ("good", "four areas"),
        ("outstanding", "preventing crime"),
        ("requires-improvement", "Responding to the public"),
        ("requires-improvement", "two"),
    ]


def test_extract_defined_terms_are_not_entities() -> None:
    """"areas for improvement (AFI)" is a term: no entity; "Ethics, Transparency and Audit Panel" is named whole."""
    from pccgraph.pipeline import build

    from .conftest import FIXTURES, REFERENCE

    result = build([FIXTURES / "other_pccs"], None, reference_dir=REFERENCE, views=False)
    labels = {e.label for e in result.resolved.entities.values() if e.discovered}
    assert "areas for improvement" not in labels
    assert "Ethics, Transparency and Audit Panel" in labels
    assert "Transparency and Audit Panel" not in labels


@pytest.mark.parametrize(
    ("line", "scope"),
    [
        (3, "force"),  # "The HMIC report into West Mercia Police's approach to crime prevention …"
        (275, "national"),  # "recommendations for all chief constables"
        (247, "national"),  # "This study was undertaken …"
        (495, "force"),  # "– An inspection of West Mercia Police"
        (377, "national"),  # "… in police forces in England and Wales"
    ],
)
def test_extract_report_scope(built: BuildResult, line: int, scope: str) -> None:
    """A report's scope comes from its title or from how the letter opens."""
    x = _letter(built, line)
    report = [f for f in x.facts if f.kind == "responds_to"][0]
    assert built.resolved.reports[report.get("report")].scope == scope
