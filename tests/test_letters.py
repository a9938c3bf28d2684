"""Stage 2: header parsing on the 24 bundled letters, checked by hand."""

from __future__ import annotations

import pytest

from pccgraph.model import ParsedLetter, RawLetter
from pccgraph.documents.letter import parse_letter

# (first line, date, precision, report titles) for every bundled letter, read by hand.
LETTERS = [
    (3, "2014-10-02", "day", ["CORE BUSINESS INSPECTION REPORT"]),
    (27, "2015-03-30", "day", ["CRIME INSPECTION 2014"]),
    (63, "2015-02-24", "day", [
        "CRIME RECORDING: MAKING THE VICTIMS COUNT",
        "CRIME DATA INTEGRITY: INSPECTION OF WEST MERCIA POLICE",
    ]),
    (101, "2015-02-24", "day", ["POLICE INTEGRITY AND CORRUPTION"]),
    (129, "2015-02-24", "day", ["AN INSPECTION OF UNDERCOVER POLICING IN ENGLAND AND WALES"]),
    (153, "2014-08-29", "day", ["POLICING IN AUSTERITY: MEETING THE CHALLENGE"]),
    (177, "2016-03-10", "day", ["PEEL: Police legitimacy 2015"]),
    (221, "2016-03-10", "day", ["National Child Protection Inspection Post Inspection Review"]),
    (247, "2016-03-10", "day", ["Real lives, real crimes \u2013 a study of digital crime and policing"]),
    (275, "2015-10", "month", ["Building the picture: An inspection of police information management"]),
    (297, "2015-10", "month", ["National Child Protection Inspection \u2013 West Mercia Police 4-14 November 2014"]),
    (323, "2016-03-10", "day", [
        "Increasingly everyone's business: A progress report on the police response to domestic abuse"
    ]),
    (347, "2014-05-12", "day", ["West Mercia Police's approach to tackling domestic abuse"]),
    (377, "2015-10", "month", [
        "Targeting the risk: An inspection of the efficiency and effectiveness of firearms "
        "licensing in police forces in England and Wales"
    ]),
    (407, "2016-03-10", "day", ["The depths of dishonour: Hidden voices and shameful crimes"]),
    (435, "2015-10", "month", [
        "In harm's way: The role of the police in keeping children safe",
        "Online and on the edge: Real risks in a virtual world",
    ]),
    (465, "2015-11", "month", ["PEEL: Police efficiency 2015"]),
    (495, "2016-03-10", "day", ["PEEL: Police Effectiveness 2015 (vulnerability)"]),
    (525, "2015-10", "month", ["Stop and search powers2: are the police using them effectively and fairly?"]),
    (549, "2015-10", "month", ["The welfare of vulnerable people in police custody"]),
    (573, "2015-12", "month", [
        "Witness for the prosecution: Identifying victim and witness vulnerability in criminal case files"
    ]),
    (603, "2015-10", "month", ["Report on an inspection visit to police custody suites in Warwickshire and West Mercia"]),
    (641, "2016-04-06", "day", ["Missing Children; who cares? The Police response to missing and absent children"]),
    (663, "2016-03-10", "day", ["PEEL: Police effectiveness 2015"]),
]  # fmt: skip

CC_HMI = {3, 27, 63, 101, 129, 153, 347}


@pytest.mark.parametrize(("start", "iso", "precision", "titles"), LETTERS, ids=[str(x[0]) for x in LETTERS])
def test_letters_header_matches_hand_checked_table(
    parsed_letters: list[ParsedLetter], start: int, iso: str, precision: str, titles: list[str]
) -> None:
    """Date, precision, report titles, addressee, Cc and signatory of each bundled letter."""
    letter = next(p for p in parsed_letters if p.raw.start_line == start)
    assert letter.date is not None
    assert (letter.date.iso, letter.date.precision.value) == (iso, precision)
    assert [t.title for t in letter.titles] == titles
    for t in letter.titles:
        assert letter.text[t.span.start : t.span.end] == t.title
    assert letter.addressee is not None and letter.addressee.text == "Theresa May"
    assert letter.salutation is not None and letter.salutation.text == "Dear Home Secretary"
    assert [c.text for c in letter.copied_to] == (["HMI D Sharpling"] if start in CC_HMI else ["HMIC"])
    assert letter.signatory is not None and letter.signatory.text == "Bill Longmore"
    assert letter.problems == ()


def test_letters_quirks_of_the_bundled_file(parsed_letters: list[ParsedLetter]) -> None:
    """Date before the addressee, date before Cc, title after the name, a garbled sign-off."""
    by_line = {p.raw.start_line: p for p in parsed_letters}
    assert by_line[153].text[by_line[153].date.span.start : by_line[153].date.span.end] == "29th August 2014"  # type: ignore[union-attr]
    assert by_line[27].text[by_line[27].date.span.start : by_line[27].date.span.end] == "30 March 2015"  # type: ignore[union-attr]
    assert [t.text for t in by_line[129].signatory_titles] == ["Police and Crime Commissioner"]
    assert by_line[221].text[by_line[221].body.end - 10 : by_line[221].body.end] == "continues."
    assert by_line[63].titles[0].issued == "2014-11"
    assert by_line[129].titles[0].issued == "2014-10"  # "(2014)", then "published … in October 2014"
    assert {t.inspects_hint for t in by_line[177].titles} == {"West Mercia Police"}
    assert {t.inspects_hint for t in by_line[663].titles} == {"West Mercia Police"}


@pytest.mark.parametrize(
    ("text", "iso", "precision", "titles", "signatory"),
    [
        (
            "The Rt Hon Priti Patel MP\nHome Office\n2 Marsham Street\nLondon SW1P 4DF\n\n1st March 2022\n\n"
            "Dear Priti,\n\nRe: HMICFRS PEEL 2021/22 \u2013 An inspection of Gwent Police\n\n"
            "I welcome the report.\n\nYours sincerely,\n\nJeff Cuthbert\nPolice and Crime Commissioner for Gwent",
            "2022-03-01", "day", ["PEEL 2021/22"], "Jeff Cuthbert",
        ),
        (
            "Our ref: ABC/1\n\nDate: 14/02/2020\n\nDear Home Secretary\n\n"
            "**HMICFRS inspection report: \u2018Fraud: Time to choose\u2019**\n\n"
            "Thank you for the opportunity.\n\nKind regards\n\nMatthew Ellis PCC",
            "2020-02-14", "day", ["Fraud: Time to choose"], "Matthew Ellis",
        ),
        (
            "I sent the following letter to Home Secretary Priti Patel on 26 July 2019:\n\n"
            "Dear Priti,\n\nFraud: Time to choose\n\nI welcome the report.\n\nYours sincerely\n\nKaty Bourne",
            "2019-07-26", "day", ["Fraud: Time to choose"], "Katy Bourne",
        ),
    ],
)
def test_letters_other_shapes(text: str, iso: str, precision: str, titles: list[str], signatory: str) -> None:
    """Letters shaped like other PCC offices' parse to the right date, titles and signatory."""
    raw = RawLetter("x.txt", 0, text, 0, 1, text.count("\n") + 1, "0")
    letter = parse_letter(raw)
    assert letter.date is not None and (letter.date.iso, letter.date.precision.value) == (iso, precision)
    assert [t.title for t in letter.titles] == titles
    assert letter.signatory is not None and letter.signatory.text == signatory


def test_letters_missing_date_and_subject_are_reported() -> None:
    """A letter with no date and no subject is still parsed, with warnings naming its lines."""
    text = "Dear Home Secretary,\n\nI am writing about the report and its findings, which I welcome.\n\nYours sincerely\n\nA Person"
    raw = RawLetter("nodate.txt", 0, text, 0, 10, 16, "0")
    letter = parse_letter(raw)
    messages = [(p.line, p.message) for p in letter.problems]
    assert (10, "no date found in the letter's heading") in messages
    assert any("no subject line" in m for _, m in messages)


@pytest.mark.parametrize(
    ("text", "iso", "issued"),
    [
        (
            "Report title: PEEL 2021/22\nDate of publication: 10 March 2022\nDate of response: 2 May 2022\n\n"
            "I welcome the report.\n\nJo Bloggs\nPolice and Crime Commissioner for Kent",
            "2022-05-02", "2022-03-10",
        ),
        (
            "Dear Home Secretary,\n\nRoads Policing: Not optional\n\nAs required by section 55(5) of the Police "
            "Act 1996, I comment on the above HMICFRS report, which was published on 15 July 2020.\n\n"
            "Yours sincerely\n\nJo Bloggs",
            None, "2020-07-15",
        ),
    ],
)
def test_letters_publication_date_is_the_reports_not_the_letters(text: str, iso: str | None, issued: str) -> None:
    """A publication date dates the report (dcterms:issued), never the letter."""
    letter = parse_letter(RawLetter("x.txt", 0, text, 0, 1, text.count("\n") + 1, "0"))
    assert (letter.date.iso if letter.date else None) == iso
    assert [t.issued for t in letter.titles] == [issued]


def test_letters_bundled_publication_dates(parsed_letters: list[ParsedLetter]) -> None:
    """"published by HMIC on 22 July 2014" and "published on the 27 March 2014" date those reports."""
    by_line = {p.raw.start_line: p for p in parsed_letters}
    assert [t.issued for t in by_line[153].titles] == ["2014-07-22"]
    assert [t.issued for t in by_line[347].titles] == ["2014-03-27"]
    assert [t.issued for t in by_line[129].titles] == ["2014-10"]  # "(2014)" made precise


def test_letters_cc_below_the_signature() -> None:
    """A Cc line under the signature is read as Cc, not as the signatory's title."""
    text = (
        "Dear Home Secretary,\n\nHMICFRS PEEL 2021/22: An inspection of Hampshire and Isle of Wight Constabulary\n\n"
        "I welcome the report.\n\nYours sincerely,\n\nDonna Jones\n"
        "Police and Crime Commissioner for Hampshire and the Isle of Wight\n\ncc: Chief Constable Scott Chilton; HMICFRS"
    )
    letter = parse_letter(RawLetter("x.txt", 0, text, 0, 1, text.count("\n") + 1, "0"))
    assert letter.signatory is not None and letter.signatory.text == "Donna Jones"
    assert [t.text for t in letter.signatory_titles] == [
        "Police and Crime Commissioner for Hampshire and the Isle of Wight"
    ]
    assert [c.text for c in letter.copied_to] == ["Chief Constable Scott Chilton", "HMICFRS"]
    assert [c.role_text for c in letter.copied_to] == ["Chief Constable", None]


def test_letters_salutation_opening_the_first_paragraph() -> None:
    """"Dear Priti, I write …" on one line: two letters, the salutation cut at the comma, the body kept."""
    from pccgraph.corpus import split_letters
    from pccgraph.model import Document

    text = (
        "12 May 2022\n\nDear Home Secretary, I write about the HMICFRS report \"Fraud: Time to choose\", "
        "which made 16 recommendations.\n\nYours sincerely\n\nJo Bloggs\nPolice and Crime Commissioner for Kent\n\n"
        "3 June 2022\n\nDear Priti, I respond to the PEEL report. I will monitor progress.\n\nYours sincerely\n\nJo Bloggs"
    )
    letters, _ = split_letters(Document("x.txt", text, "utf-8", "0"))
    assert [(x.start_line, x.end_line) for x in letters] == [(1, 8), (10, 16)]
    first, second = (parse_letter(x) for x in letters)
    assert first.salutation is not None and first.salutation.text == "Dear Home Secretary"
    assert [t.title for t in first.titles] == ["Fraud: Time to choose"]
    assert first.text[first.body.start :].startswith("I write about the HMICFRS report")
    assert second.salutation is not None and second.salutation.text == "Dear Priti"
    assert second.text[second.body.start : second.body.end] == "I respond to the PEEL report. I will monitor progress."


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("HMICFRS PEEL Assessment 2021/22 – Response from the Police and Crime Commissioner", "PEEL Assessment 2021/22"),
        ("Stalking and harassment - PCC response", "Stalking and harassment"),
        ("Re: Fraud: Time to choose – comments of the Commissioner", "Fraud: Time to choose"),
    ],
)
def test_letters_response_suffix_is_not_part_of_the_title(subject: str, title: str) -> None:
    """"… – Response from the PCC" after a title is dropped, like a prefix."""
    text = f"Dear Home Secretary,\n\n{subject}\n\nI welcome the report.\n\nYours sincerely\n\nJo Bloggs"
    letter = parse_letter(RawLetter("x.txt", 0, text, 0, 1, text.count("\n") + 1, "0"))
    assert [t.title for t in letter.titles] == [title]


def test_letters_title_ending_in_a_response_phrase_is_kept() -> None:
    """A title about a response ("Mental health: response to people in crisis") is not cut."""
    text = "Dear Home Secretary,\n\nMental health: response to people in crisis\n\nI welcome it.\n\nYours sincerely\n\nJo Bloggs"
    letter = parse_letter(RawLetter("x.txt", 0, text, 0, 1, text.count("\n") + 1, "0"))
    assert [t.title for t in letter.titles] == ["Mental health: response to people in crisis"]


def test_letters_date_at_the_foot_of_a_template() -> None:
    """A response form dated under the signature ("Date: 12/05/2022") takes that date."""
    text = (
        "Report title: Stalking and harassment\n\nPCC response: I welcome the report and will monitor progress.\n\n"
        "Signed: Jo Bloggs\nPolice and Crime Commissioner for Kent\nDate: 12/05/2022"
    )
    letter = parse_letter(RawLetter("x.txt", 0, text, 0, 1, text.count("\n") + 1, "0"))
    assert letter.date is not None and letter.date.iso == "2022-05-12"
    assert [t.title for t in letter.titles] == ["Stalking and harassment"]
    assert letter.signatory is not None and letter.signatory.text == "Jo Bloggs"
    assert [t.text for t in letter.signatory_titles] == ["Police and Crime Commissioner for Kent"]


def test_letters_bulleted_report_titles() -> None:
    """Titles listed under "Re: … reports:" as bullets are each a report the letter answers."""
    text = (
        "Dear Home Secretary,\n\nRe: HMICFRS inspection reports published by the inspectorate in March 2022:\n"
        "- PEEL 2021/22 – An inspection of Kent Police\n"
        "- 'Police response to violence against women and girls'\n\n"
        "I welcome both reports.\n\nYours sincerely\n\nJo Bloggs"
    )
    letter = parse_letter(RawLetter("x.txt", 0, text, 0, 1, text.count("\n") + 1, "0"))
    assert [t.title for t in letter.titles] == ["PEEL 2021/22", "Police response to violence against women and girls"]
    assert letter.titles[0].inspects_hint == "Kent Police"
    assert letter.text[letter.body.start :].startswith("I welcome both reports.")
