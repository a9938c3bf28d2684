"""Grades and counts the way statements state them, each with its span as evidence."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal

from pccgraph.extract.facts import sentences, tallies
from pccgraph.extract.grades import judgements
from pccgraph.extract.matcher import blank_english
from pccgraph.graph import entity_iri, response_iri
from pccgraph.model import DocumentKind, EntityType, Fact, Span
from pccgraph.pipeline import build
from pccgraph.vocab import PCC

from .conftest import REFERENCE

REPORT = "peel-2023-example-police"
FORCE = "example-police"


def _facts(text: str) -> tuple[list[Fact], list[Fact]]:
    body = Span(0, len(text))
    sents = list(sentences(blank_english()(text), body, text))
    return list(judgements(text, sents, body, REPORT, FORCE)), list(tallies(text, sents, REPORT))


def _grades(text: str) -> list[tuple[str, str, str, str]]:
    found, _ = _facts(text)
    for f in found:
        assert f.get("force") == FORCE
        assert f.get("report") == ("" if f.get("period") else REPORT)  # an earlier grade is no report's
    return sorted((f.get("grade"), f.get("area"), f.get("period"), text[f.span.start : f.span.end]) for f in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The inspectorate assessed the constabulary as requiring improvement.",
         [("requires-improvement", "", "", "assessed the constabulary as requiring improvement")]),
        ("The force was given a grading of ‘requires improvement’.",
         [("requires-improvement", "", "", "given a grading of ‘requires improvement’")]),
        ("HMICFRS rated the force inadequate in three areas.",
         [("inadequate", "three areas", "", "rated the force inadequate")]),
        ("The force was graded good for efficiency and legitimacy.",
         [("good", "efficiency", "", "graded good"), ("good", "legitimacy", "", "graded good")]),
        ("The force has been rated outstanding for the fourth year running.",
         [("outstanding", "", "", "rated outstanding")]),
        ("It was judged outstanding for efficiency for the third consecutive year.",
         [("outstanding", "efficiency", "", "judged outstanding")]),
        ("Preventing crime – Good\nResponding to the public: Requires improvement\n",
         [("good", "Preventing crime", "", "Preventing crime – Good"),
          ("requires-improvement", "Responding to the public", "", "Responding to the public: Requires improvement")]),
        ("• Effectiveness: Adequate\n• Efficiency: Good\n",
         [("adequate", "Effectiveness", "", "Effectiveness: Adequate"), ("good", "Efficiency", "", "Efficiency: Good")]),
        ("| Area | Grade |\n|---|---|\n| Investigating crime | Adequate |\n| Managing offenders | Good |\n",
         [("adequate", "Investigating crime", "", "Investigating crime | Adequate"),
          ("good", "Managing offenders", "", "Managing offenders | Good")]),
        ("Area | Grade\nTreatment of the public | Outstanding\n",
         [("outstanding", "Treatment of the public", "", "Treatment of the public | Outstanding")]),
        ("| Pillar | 2017 | 2019 |\n|---|---|---|\n| Effectiveness | Inadequate | Good |\n",
         [("good", "Effectiveness", "", "Effectiveness | Inadequate | Good"),
          ("inadequate", "Effectiveness", "2017", "Effectiveness | Inadequate")]),
        ("The force was rated ‘good’ at treating the public fairly.",
         [("good", "treating the public fairly", "", "rated ‘good’")]),
        ("The force requires improvement in how it protects vulnerable people.",
         [("requires-improvement", "how it protects vulnerable people", "", "requires improvement")]),
        ("Its use of resources was judged to be adequate.",
         [("adequate", "use of resources", "", "judged to be adequate")]),
        ("The force was found to be good.", [("good", "", "", "found to be good")]),
        ("The constabulary achieved an ‘outstanding’ grade for efficiency.",
         [("outstanding", "efficiency", "", "achieved an ‘outstanding’")]),
        ("Inspectors rated the force good at preventing crime, adequate at investigating crime and requires "
         "improvement at protecting vulnerable people.",
         [("adequate", "investigating crime", "", "adequate"),
          ("good", "preventing crime", "", "rated the force good"),
          ("requires-improvement", "protecting vulnerable people", "", "requires improvement")]),
        ("The force was found to be good at answering calls, finding suspects, and supporting victims.",
         [("good", "answering calls", "", "found to be good"), ("good", "finding suspects", "", "found to be good"),
          ("good", "supporting victims", "", "found to be good")]),
        # earlier inspections: kept with their period, attached to no report
        ("Last year's inspection rated it good.", [("good", "", "last year", "rated it good")]),
        ("In 2017 the force was graded inadequate.", [("inadequate", "", "2017", "graded inadequate")]),
        ("It was graded as good in 2016 for efficiency.", [("good", "efficiency", "2016", "graded as good")]),
        ("The force was previously rated requires improvement.",
         [("requires-improvement", "", "previous", "rated requires improvement")]),
        ("The force is now rated good, up from requires improvement.",
         [("good", "", "", "rated good"), ("requires-improvement", "", "previous", "up from requires improvement")]),
        ("Its legitimacy grade went up from requires improvement to good.",
         [("good", "legitimacy", "", "went up from requires improvement to good"),
          ("requires-improvement", "legitimacy", "previous", "went up from requires improvement")]),
        ("This is an improvement on the previous grade of inadequate.",
         [("inadequate", "", "previous", "an improvement on the previous grade of inadequate")]),
        ("The grade is good, compared with ‘requires improvement’ in 2018.",
         [("requires-improvement", "", "2018", "compared with ‘requires improvement’ in 2018")]),
        ("Last year's inspection rated it requires improvement for effectiveness, and this year it was rated good "
         "for effectiveness.",
         [("good", "effectiveness", "", "rated good"),
          ("requires-improvement", "effectiveness", "last year", "rated it requires improvement")]),
        # the answered report's own year and a publication date are not earlier inspections
        ("The 2023 inspection rated the force good.", [("good", "", "", "rated the force good")]),
        ("On 12 March 2019 HMICFRS rated the force adequate.", [("adequate", "", "", "rated the force adequate")]),
        # a list of areas after one grade
        ("The inspectors judged the constabulary ‘inadequate’ in its ability to answer emergency calls, trace suspects "
         "and supervise released prisoners.",
         [("inadequate", "its ability to answer emergency calls", "", "judged the constabulary ‘inadequate’"),
          ("inadequate", "supervise released prisoners", "", "judged the constabulary ‘inadequate’"),
          ("inadequate", "trace suspects", "", "judged the constabulary ‘inadequate’")]),
        ("Officers were judged good at reducing crime, preventing offending and investigating offending.",
         [("good", "investigating offending", "", "judged good"),
          ("good", "reducing crime, preventing offending", "", "judged good")]),
        ("The force was rated good at preventing crime, tackling anti-social behaviour and keeping people safe.",
         [("good", "preventing crime, tackling anti-social behaviour and keeping people safe", "", "rated good")]),
        # one grade across the pillars
        ("The constabulary was graded ‘good’ for effectiveness, efficiency and legitimacy.",
         [("good", "effectiveness", "", "graded ‘good’"), ("good", "efficiency", "", "graded ‘good’"),
          ("good", "legitimacy", "", "graded ‘good’")]),
        ("Inspectors rated the constabulary good across all three pillars of effectiveness, legitimacy and efficiency.",
         [("good", "effectiveness", "", "rated the constabulary good"), ("good", "efficiency", "", "rated the constabulary good"),
          ("good", "legitimacy", "", "rated the constabulary good")]),
        ("The force was rated as inadequate in all three areas examined in the inspection: legitimacy, effectiveness and "
         "efficiency.",
         [("inadequate", "effectiveness", "", "rated as inadequate"), ("inadequate", "efficiency", "", "rated as inadequate"),
          ("inadequate", "legitimacy", "", "rated as inadequate")]),
        ("The force has been graded as GOOD across each of the strands (Efficiency, Legitimacy and Effectiveness).",
         [("good", "Effectiveness", "", "graded as GOOD"), ("good", "Efficiency", "", "graded as GOOD"),
          ("good", "Legitimacy", "", "graded as GOOD")]),
        ("Inspectors judged the force outstanding across all four areas.",
         [("outstanding", "four areas", "", "judged the force outstanding")]),
        ("The force was rated good overall.", [("good", "", "", "rated good")]),
        ("The constabulary was rated ‘good’ across the board.", [("good", "", "", "rated ‘good’")]),
        # counts of areas
        ("Eight ‘good’ gradings and three ‘adequate’ gradings were given to the force.",
         [("adequate", "three areas", "", "three ‘adequate’ gradings"), ("good", "eight areas", "", "Eight ‘good’ gradings")]),
        ("The report rates the force ‘inadequate’ in four areas, ‘adequate’ in two areas.",
         [("adequate", "two areas", "", "adequate"), ("inadequate", "four areas", "", "rates the force ‘inadequate’")]),
        # lines and bullets with the grade in brackets, PEEL question frames dropped
        ("• How effective is the force at tackling serious and organised crime? (Outstanding)\n"
         "• How effective is the force at protecting vulnerable people? (Good)\n",
         [("good", "protecting vulnerable people", "", "How effective is the force at protecting vulnerable people? (Good"),
          ("outstanding", "tackling serious and organised crime", "",
           "How effective is the force at tackling serious and organised crime? (Outstanding")]),
        ("• Example Police is efficient at keeping people safe and reducing crime (good)\n",
         [("good", "efficiency", "", "Example Police is efficient at keeping people safe and reducing crime (good")]),
        ("Responding to the public – Requires improvement\nDeveloping a positive workplace – Adequate\n",
         [("adequate", "Developing a positive workplace", "", "Developing a positive workplace – Adequate"),
          ("requires-improvement", "Responding to the public", "", "Responding to the public – Requires improvement")]),
        # the report's words reported, and the force's grade in quotes
        ("The report also states that the force is outstanding in how it keeps its crime records.",
         [("outstanding", "how it keeps its crime records", "", "report also states that the force is outstanding")]),
        ("In summary, the overall judgement is that the force ‘requires improvement’.",
         [("requires-improvement", "", "", "requires improvement")]),
        ("The inspectorate identifies the force as ‘good’ at crime prevention, investigation and tackling serious and "
         "organised crime.",
         [("good", "crime prevention", "", "identifies the force as ‘good’"),
          ("good", "investigation", "", "identifies the force as ‘good’"),
          ("good", "tackling serious and organised crime", "", "identifies the force as ‘good’")]),
        # not this report's grades: the scale, other forces, vague counts, praise
        ("Forces are graded as outstanding, good, requires improvement or inadequate.", []),
        ("Nationally, 15 forces were rated good and only 25% of forces were judged to be outstanding.", []),
        ("The force was judged to require improvement in a number of other areas.", []),
        ("While no areas of its work were deemed ‘inadequate’, with most deemed to be ‘good’ or ‘adequate’, there is work to do.", []),
        ("The report identified two areas of good practice and found outstanding work with partners.", []),
        # earlier grades keep their period
        ("The force has been rated ‘good’ for legitimacy in both 2015 and 2017.",
         [("good", "legitimacy", "both 2015 and 2017", "rated ‘good’")]),
        ("The force has been rated as good over the last three years.",
         [("good", "", "over the last three years", "rated as good")]),
        ("It follows a ‘good’ grade received two years ago.", []),
        ("This comes after receiving a ‘good’ grading a year ago.", [("good", "", "a year ago", "receiving a ‘good’")]),
        ("The force was deemed ‘good’ in efficiency last year and today was judged ‘requires improvement’ for effectiveness.",
         [("good", "efficiency", "last year", "deemed ‘good’"),
          ("requires-improvement", "effectiveness", "", "judged ‘requires improvement’")]),
        ("The force welcomed its move from ‘requires improvement’ to ‘good’.",
         [("good", "", "", "move from ‘requires improvement’ to ‘good"),
          ("requires-improvement", "", "previous", "move from ‘requires improvement")]),
        # negations stay out
        ("The force was not rated inadequate in any area.", []),
        ("No area was graded inadequate.", []),
        ("The force has not been rated inadequate.", []),
        ("The force no longer requires improvement.", []),
        ("We benefit from good partnerships and were given good support.", []),
    ],
)
def test_statement_facts_grades(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    """Each way of stating a grade gives its grade, area, period and exact evidence."""
    assert _grades(text) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 of the 16 recommendations have been implemented.",
         [(16, "recommendations", "10", "10 of the 16 recommendations have been implemented")]),
        ("Of the 16 recommendations, 10 have been implemented.",
         [(16, "recommendations", "10", "16 recommendations, 10 have been implemented")]),
        ("All 5 recommendations have been completed.",
         [(5, "recommendations", "5", "All 5 recommendations have been completed")]),
        ("HMIC made 7 recommendations, all of which have been completed.",
         [(7, "recommendations", "7", "7 recommendations, all of which have been completed")]),
        ("The force has completed 4 of the 6 areas for improvement.",
         [(6, "areas for improvement", "4", "has completed 4 of the 6 areas for improvement")]),
        ("The report identified two causes of concern and 12 areas for improvement.",
         [(2, "causes of concern", "", "two causes of concern"),
          (12, "areas for improvement", "", "12 areas for improvement")]),
        ("The inspectorate made 7 recommendations.", [(7, "recommendations", "", "7 recommendations")]),
        ("HMICFRS identified four areas for improvement.",
         [(4, "areas for improvement", "", "four areas for improvement")]),
        ("The report raised one cause of concern and 3 AFIs.",
         [(1, "causes of concern", "", "one cause of concern"), (3, "areas for improvement", "", "3 AFIs")]),
        ("The inspection found 1 cause of concern.", [(1, "causes of concern", "", "1 cause of concern")]),
        ("Two of the 16 recommendations apply to the force.", [(16, "recommendations", "", "16 recommendations")]),
    ],
)
def test_statement_facts_counts(text: str, expected: list[tuple[int, str, str, str]]) -> None:
    """Counts of recommendations, AFIs and causes of concern, with how many are done."""
    _, found = _facts(text)
    got = sorted((int(f.get("count")), f.get("tally_kind"), f.get("completed"), text[f.span.start : f.span.end])
                 for f in found)
    assert got == sorted(expected)


STATEMENT = """Commissioner responds to PEEL inspection

14 November 2019

Report title: PEEL 2018/19 – An inspection of Kent Police

The Police and Crime Commissioner has welcomed the inspectorate's report. HMICFRS graded the force good for efficiency and legitimacy. In 2017 the force was graded requires improvement for effectiveness; this year it was rated good for effectiveness.

Of the 16 recommendations, 10 have been implemented. The report identified two causes of concern and 12 areas for improvement.

I will monitor progress.

Matthew Scott
Kent Police and Crime Commissioner
"""


def test_statement_facts_build_links_current_and_earlier_grades(tmp_path: Path) -> None:
    """The report answered has the current grades; the 2017 grade is recalled by the response with its period."""
    (tmp_path / "statement.txt").write_text(STATEMENT, encoding="utf-8")
    result = build([tmp_path], None, reference_dir=REFERENCE, views=False)
    g = result.dataset
    response = response_iri(DocumentKind.STATEMENT, result.resolved.letter_ids[0])
    report = entity_iri(EntityType.REPORT, "peel-2018-19-kent-police")
    current = sorted((str(g.value(j, PCC.area)), str(g.value(j, PCC.grade)).rsplit("#", 1)[-1])
                     for j in g.objects(report, PCC.hasJudgement))
    assert current == [("effectiveness", "Good"), ("efficiency", "Good"), ("legitimacy", "Good")]
    recalled = list(g.objects(response, PCC.recallsJudgement))
    assert len(recalled) == 1
    (earlier,) = recalled
    assert g.value(earlier, PCC.period) == Literal("2017")
    assert g.value(earlier, PCC.grade) == PCC.RequiresImprovement
    assert g.value(earlier, PCC.area) == Literal("effectiveness")
    assert not list(g.subjects(PCC.hasJudgement, earlier))
    tallies_found = sorted(
        (int(g.value(t, PCC.numberOfRecommendations)), str(g.value(t, PCC.tallyKind)),
         g.value(t, PCC.numberCompleted))
        for t in g.objects(report, PCC.hasRecommendationTally)
    )
    assert tallies_found == [
        (2, "causes of concern", None),
        (12, "areas for improvement", None),
        (16, "recommendations", Literal(10)),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # in answer to the effectiveness report, the efficiency and legitimacy grades are those earlier reports'
        ("Having been rated good for efficiency and legitimacy, the force was given a ‘requires improvement’ grading.",
         [("good", "efficiency", "earlier report"), ("good", "legitimacy", "earlier report"),
          ("requires-improvement", "", "")]),
        # unless the response answers that pillar's report too
        ("My comments cover the efficiency report as well. The force was rated good for efficiency.",
         [("good", "efficiency", "")]),
    ],
)
def test_statement_facts_other_pillar_is_an_earlier_report(text: str, expected: list[tuple[str, str, str]]) -> None:
    """A pillar grade named in a response to another pillar's report keeps a period."""
    body = Span(0, len(text))
    sents = list(sentences(blank_english()(text), body, text))
    found = judgements(text, sents, body, "peel-police-effectiveness-2016-example-police", FORCE)
    assert sorted((f.get("grade"), f.get("area"), f.get("period")) for f in found) == expected
