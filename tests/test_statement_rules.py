"""The named rules that read statements, each on the smallest text that needs it (our own wording)."""

from __future__ import annotations

import pytest

from pccgraph.documents import detect_kind, parse_document, split_document
from pccgraph.documents.common import find_office, find_speaker, is_title_shaped, split_lines, yearless_date
from pccgraph.documents.statement import address_title, described_titles, headline_titles, quoted_titles
from pccgraph.model import Document, DocumentKind, RawLetter


def _raw(text: str, meta: tuple[tuple[str, str], ...] = ()) -> RawLetter:
    return RawLetter("x.txt", 0, text, 0, 1, text.count("\n") + 1, "0", meta)


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Commissioner Jo Bloggs said: “We will act.”", "Jo Bloggs", "Commissioner"),
        ("Jo Bloggs, Police and Crime Commissioner for Kent, said the report was fair.", "Jo Bloggs",
         "Police and Crime Commissioner for Kent"),
        ("Kent's PCC Jo Bloggs welcomed the findings.", "Jo Bloggs", "PCC"),
        ("Greater Manchester's Deputy Mayor for Policing and Crime, Ann Smith, has responded.", "Ann Smith",
         "Deputy Mayor for Policing and Crime"),
        ("Response by Ann Smith, Police, Fire and Crime Commissioner:\nDear Sir,", "Ann Smith",
         "Police, Fire and Crime Commissioner"),
        ("Chief Constable Sam Lee said: “Thank you.” Commissioner Jo Bloggs said: “Good.”", "Jo Bloggs", "Commissioner"),
    ],
)
def test_statement_rules_speaker(text: str, name: str, role: str) -> None:
    """The commissioner quoted or named as author, never the Chief Constable beside them."""
    speaker = find_speaker(text)
    assert speaker is not None
    assert speaker.name.text == name and text[speaker.name.span.start : speaker.name.span.end] == name
    assert speaker.role is not None and speaker.role.text == role


@pytest.mark.parametrize(
    "text",
    ["Durham Police, Crime and Victims' Commissioner\n\nThe report was published today.",
     "South Yorkshire Police and Crime Commissioner said the force must improve."],
)
def test_statement_rules_an_office_is_not_a_speaker(text: str) -> None:
    """A force or area name in an office's title is never taken for a person."""
    assert find_speaker(text) is None


def test_statement_rules_office_from_a_response_from_field() -> None:
    """"Response from: Office of the Police and Crime Commissioner, Kent" names the office's area."""
    text = "Vetting: response\n\nResponse from: Office of the Police and Crime Commissioner, Kent\n\nText."
    office = find_office(text)
    assert office is not None and office[0].text == "Kent" and office[1] == "response-from-field"


@pytest.mark.parametrize(
    ("headline", "titles"),
    [
        ("Commissioner responds to PEEL 2021/22 – An inspection of Kent Police", ["PEEL 2021/22"]),
        ("PEEL: Police effectiveness 2016 - Lord Bach responds", ["PEEL: Police effectiveness 2016"]),
        ("Kent Police rated good by inspectors", []),
        ("PCC welcomes latest HMICFRS report", []),
        ("Commissioner responds to latest inspection report on Kent Police", []),
    ],
)
def test_statement_rules_headline(headline: str, titles: list[str]) -> None:
    """A framed headline gives its title; a news headline or a description gives none."""
    text = headline + "\n\nThe force has been inspected."
    found = headline_titles(text, split_lines(text)[0])
    assert [t.title for t in found] == titles


def test_statement_rules_quoted_title_needs_a_pair_and_no_speech() -> None:
    """A quoted report title counts; a quote of speech opened by one mark and closed by another does not."""
    text = "The commissioner has responded to ‘Stolen freedom: the policing response to modern slavery’ today."
    assert [t.title for t in quoted_titles(text, 0, len(text))] == [
        "Stolen freedom: the policing response to modern slavery"
    ]
    speech = "He said the report “shows we have much to do, after receiving a ‘good’ grade last year."
    assert quoted_titles(speech, 0, len(speech)) == []


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("HMICFRS published its legitimacy report on the force today.", "PEEL: Police legitimacy"),
        ("The 2021/22 PEEL inspection graded the force in nine areas.", "PEEL 2021/22"),
        ("Inspectors looked at the force's effectiveness, efficiency and legitimacy in the PEEL assessment.", "PEEL"),
        ("The report into the force's efficiency was published.", "PEEL: Police efficiency"),
    ],
)
def test_statement_rules_described_report(text: str, title: str) -> None:
    """A report described by programme, pillar and year; the words are the evidence."""
    found = described_titles(text, 0, len(text))
    assert [t.title for t in found] == [title] and found[0].described


def test_statement_rules_described_needs_a_report_word() -> None:
    """"the effectiveness of policing activity" names no report."""
    text = "HMIC published its findings about the effectiveness of policing activity."
    assert described_titles(text, 0, len(text)) == []


def test_statement_rules_title_from_the_page_address() -> None:
    """A saved page's address names the report when its text does not (matched to the catalogue later)."""
    url = "https://example.org/news/commissioner-responds-to-roads-policing-inspection/"
    assert [t.title for t in address_title(url)] == ["roads policing inspection"]
    assert address_title("https://example.org/news/new-funding-for-victims/") == []


@pytest.mark.parametrize(
    ("title", "shaped"),
    [("PEEL 2021/22", True), ("report", False), ("We will act on every recommendation, I said.", False),
     ("Title of Inspection: Vetting Date Inspection Published: 2 November 2022", False)],
)
def test_statement_rules_title_shape(title: str, shaped: bool) -> None:
    """A lone word, a sentence of speech or a line of form fields is not a title."""
    assert is_title_shaped(title) is shaped


def test_statement_rules_yearless_date_kept_as_text() -> None:
    """"On 4 September HMIC published …": the day and month, never a guessed year."""
    text = "On 4 September HMIC published its report."
    span = yearless_date(text, 0, len(text))
    assert span is not None and text[span.start : span.end] == "4 September"


def test_statement_rules_date_from_page_metadata_only_without_one_in_text() -> None:
    """The page's own date dates a statement only when its text has none, and says so."""
    text = "Commissioner responds to PEEL 2021/22\n\nCommissioner Jo Bloggs said the force must improve in PEEL."
    parsed = parse_document(_raw(text, (("date", "2022-10-14"),)))
    assert parsed.kind is DocumentKind.STATEMENT
    assert parsed.date is not None and parsed.date.iso == "2022-10-14" and parsed.date_source == "page metadata"
    dated = parse_document(_raw("Commissioner responds to PEEL 2021/22\n\n14 October 2022\n\n" + text.split("\n\n")[1],
                                (("date", "2022-10-20"),)))
    assert dated.date is not None and dated.date.iso == "2022-10-14" and dated.date_source == "text"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Dear Home Secretary,\n\nRe: PEEL 2021/22\n\nYours sincerely,\n\nJo Bloggs", DocumentKind.LETTER),
        ("To: Home Secretary\nFrom: Jo Bloggs\nSubject: Vetting inspection\n\nText.", DocumentKind.LETTER),
        ("Title of Inspection: Vetting Date Inspection Published: 02/11/2022 Deadline for Response: 28/12/2022\n"
         "PCC comments: I welcome the report.", DocumentKind.FORM),
        ("Commissioner responds to PEEL report\n\nThe commissioner said the force must improve.", DocumentKind.STATEMENT),
    ],
)
def test_statement_rules_kind(text: str, kind: DocumentKind) -> None:
    """A salutation or memo heading makes a letter, labelled fields a form, anything else a statement."""
    assert detect_kind(_raw(text)) is kind


def test_statement_rules_page_of_several_labelled_comments() -> None:
    """Each report with its labelled comment is one response; the page's commissioner signs each."""
    text = (
        "Inspection responses\n\nComments of Jo Bloggs, Police and Crime Commissioner, on recent reports.\n\n"
        "Roads policing: not optional\n\nCommissioner's response, 9 September 2020\n\n"
        "Safer roads matter to everyone in the county, and I will follow the force's progress.\n\n"
        "Fraud: time to choose\n\nCommissioner's response, 28 May 2019\n\n"
        "Fraud victims deserve a better service, and I have asked the force how it will improve.\n"
    )
    responses, problems = split_document(Document("page.txt", text, "utf-8", "0"))
    assert len(responses) == 2 and "2 reports with a comment under each" in str(problems[0])
    first, second = (parse_document(r) for r in responses)
    assert [t.title for t in first.titles] == ["Roads policing: not optional"]
    assert first.date is not None and first.date.iso == "2020-09-09"
    assert second.date is not None and second.date.iso == "2019-05-28"
    assert first.signatory is not None and first.signatory.text == "Jo Bloggs"


def test_statement_rules_no_inspection_reported() -> None:
    """A page about something else is reported with its file and line, and nothing is built."""
    text = "Skip to main content\n\nNew funding for victims' services\n\nThe commissioner has awarded grants to charities."
    responses, problems = split_document(Document("funding.txt", text, "utf-8", "0"))
    assert responses == []
    assert str(problems[0]).startswith("funding.txt:3: warning: no response in this file")
