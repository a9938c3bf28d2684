"""Saved web pages are read with trafilatura: the article, never the page furniture."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

import pccgraph
from pccgraph.corpus import read_corpus, read_page, split_letters
from pccgraph.vocab import OA, PCC

PAGES = Path(__file__).parent / "fixtures" / "html_pages"
NAMES = sorted(p.name for p in PAGES.glob("*.html"))

# Words of page furniture in the fixtures: menus, accessibility and text-size controls,
# cookie banners, breadcrumbs, share links, related news, newsletters and footers.
FURNITURE = (
    "Skip to", "Text size", "A A A", "A- A A+", "High contrast", "Accessibility", "cookie", "Cookie",
    "Accept all", "Breadcrumb", "You are here", "Share on Facebook", "Share on", "Share this",
    "Related news", "Related pages", "Newsletter", "newsletter", "Sign up", "Subscribe", "Privacy",
    "Contact", "Police and Crime Plan", "Search", "Previous:", "Next:", "Council tax precept",
    "Rural crime", "©", "Print this page", "Follow us", "Neidio", "cwcis", "Hafan",
)


def _text(name: str) -> tuple[str, dict[str, str]]:
    text, meta = read_page((PAGES / name).read_text(encoding="utf-8"))
    return text, dict(meta)


@pytest.mark.parametrize("name", NAMES)
def test_no_page_furniture_reaches_the_text(name: str) -> None:
    text, _ = _text(name)
    for furniture in FURNITURE:
        assert furniture not in text, f"{name}: {furniture!r} in the text"
    assert "<" not in text and "{" not in text  # no markup, no JSON-LD, no script
    lines = text.split("\n")
    for menu in ("Home", "News", "About", "A", "Email", "Facebook", "Twitter"):
        assert menu not in lines, f"{name}: menu entry {menu!r} in the text"


def test_at_least_five_fixture_pages() -> None:
    assert len(NAMES) >= 5


def test_a_news_statement_reads_as_title_date_paragraphs_list_and_table() -> None:
    text, meta = _text("northmoor-opcc-peel-statement.html")
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == "Commissioner responds to PEEL inspection of Northmoor Police"
    assert paragraphs[1] == "Published: 14 March 2023"
    assert paragraphs[4].startswith("Commissioner Helen Marsh said: “I am pleased")
    assert paragraphs[5].startswith("“There is more to do on investigating crime")
    assert "How the force was graded" in paragraphs
    # list items and table rows each on their own line, a block each
    assert (
        "- Preventing crime and anti-social behaviour: Good\n- Treatment of the public: Good\n"
        "- Investigating crime: Requires improvement\n- Protecting vulnerable people: Adequate"
    ) in paragraphs
    assert (
        "Pillar | Grade\nResponding to the public | Adequate\nManaging offenders | Good\n"
        "Developing a positive workplace | Adequate"
    ) in paragraphs
    assert paragraphs[-1] == "The full report can be read on the HMICFRS website."
    assert meta == {
        "author": "Helen Marsh",
        "date": "2023-03-14",
        "hostname": "northmoor-pcc.gov.uk",
        "sitename": "Northmoor OPCC",
        "title": "Commissioner responds to PEEL inspection of Northmoor Police",
        "url": "https://www.northmoor-pcc.gov.uk/news/commissioner-responds-to-peel-inspection/",
    }


def test_a_title_and_date_line_above_the_entry_content_are_kept() -> None:
    """WordPress puts the <h1> and the date in the entry header, outside the content
    trafilatura picks; both are put back, above the first paragraph."""
    text, meta = _text("dorset-pcc-peel-news-jsonld.html")
    paragraphs = text.split("\n\n")
    assert paragraphs[:2] == ["PCC welcomes improvement in PEEL efficiency grading", "7th May 2019"]
    assert paragraphs[2].startswith("Dorset Police and Crime Commissioner Martyn Underhill has given")
    assert "Chief Constable James Vaughan added: “Officers and staff should be proud" in text
    assert "Pillar | 2017 | 2019\nEfficiency | Requires improvement | Good\nEffectiveness | Good | Good" in paragraphs
    assert "- How well is the force planning for the future? Requires improvement" in text.split("\n")
    # JSON-LD: published date (not the modified one, not the date in the address), author, headline
    assert meta["date"] == "2019-05-07"
    assert meta["author"] == "Martyn Underhill"
    assert meta["title"] == "PCC welcomes improvement in PEEL efficiency grading"
    # the whole host name: offices are told apart by it
    assert meta["hostname"] == "dorset.pcc.police.uk"
    assert meta["sitename"] == "Dorset Police and Crime Commissioner"


def test_a_page_without_a_date_has_no_date() -> None:
    """No date in the markup: none from the address (".../2021/06/15/..."), none from the
    copyright year, never today's."""
    text, meta = _text("lancashire-commissioners-response-nodate.html")
    assert "date" not in meta
    assert "author" not in meta
    assert meta["title"] == "Commissioner's response: custody inspection"
    assert meta["url"] == "https://www.lancashire-pcc.gov.uk/responses/2021/06/15/custody-inspection-response"
    assert text.split("\n\n")[:2] == [
        "Commissioner's response: custody inspection",
        "Response from: Office of the Police and Crime Commissioner, Lancashire",
    ]
    assert "Key findings the Commissioner will follow up:\n\n- the use of force in custody is not always recorded;" in text


def test_a_letter_published_as_a_page_keeps_its_address_lines_and_sign_off() -> None:
    text, meta = _text("kent-pcc-letter-webpage.html")
    assert "Rt Hon Amber Rudd MP\nHome Secretary\nHome Office\n2 Marsham Street\nLondon SW1P 4DF" in text
    assert text.endswith("Yours sincerely,\n\nMatthew Scott\nPolice and Crime Commissioner for Kent")
    assert meta["date"] == "2017-12-20"  # <meta name="dcterms.date">
    assert meta["author"] == "Matthew Scott"
    assert meta["title"] == "Letter to the Home Secretary: PEEL legitimacy 2017"


def test_a_page_in_another_language_is_read_and_marked() -> None:
    text, meta = _text("southwales-pcc-statement-cy.html")
    assert meta["language"] == "cy"
    assert meta["date"] == "2022-07-08"
    assert text.startswith("Y Comisiynydd yn ymateb i adroddiad PEEL Heddlu De Cymru\n\n8 Gorffennaf 2022\n\n")


def test_a_language_folder_in_the_address_marks_a_translated_copy() -> None:
    page = (PAGES / "northmoor-opcc-peel-statement.html").read_text(encoding="utf-8")
    translated = page.replace("northmoor-pcc.gov.uk/news/", "northmoor-pcc.gov.uk/gu/news/")
    assert dict(read_page(translated)[1])["language"] == "gu"
    # English pages carry no language, whether <html lang="en-GB"> or an /en/ folder
    english = page.replace("northmoor-pcc.gov.uk/news/", "northmoor-pcc.gov.uk/en/news/")
    assert "language" not in dict(read_page(english)[1])
    assert "language" not in dict(read_page(page)[1])


def test_reading_is_deterministic() -> None:
    for name in NAMES:
        markup = (PAGES / name).read_text(encoding="utf-8")
        assert read_page(markup) == read_page(markup)


def test_a_saved_from_note_gives_the_address_when_the_page_names_none() -> None:
    page = (PAGES / "lancashire-commissioners-response-nodate.html").read_text(encoding="utf-8")
    page = page.replace('<link rel="canonical" href="https://www.lancashire-pcc.gov.uk/responses/2021/06/15/custody-inspection-response">', "")
    page = "<!-- saved from url=(0047)https://www.lancashire-pcc.gov.uk/responses/7 -->\n" + page
    meta = dict(read_page(page)[1])
    assert meta["url"] == "https://www.lancashire-pcc.gov.uk/responses/7"
    assert meta["hostname"] == "lancashire-pcc.gov.uk"


def test_a_tiny_page_is_read_whole_and_an_empty_one_reported(tmp_path: Path) -> None:
    (tmp_path / "tiny.html").write_text(
        "<html><body><h2>Statement</h2><p>On 4 May 2021 the PCC replied.</p></body></html>", encoding="utf-8"
    )
    (tmp_path / "blank.html").write_text(
        "<html><head><script>var x = 1;</script></head><body> <div></div> </body></html>", encoding="utf-8"
    )
    # trafilatura keeps nothing of a page whose only words sit in an <aside>: every visible word is read
    (tmp_path / "aside.html").write_text(
        "<html><body><aside><p>On 4 May 2021 the PCC replied to the inspectorate.</p></aside></body></html>",
        encoding="utf-8",
    )
    result = read_corpus([tmp_path])
    assert [d.path for d in result.documents] == ["aside.html", "tiny.html"]
    assert result.documents[0].text == "On 4 May 2021 the PCC replied to the inspectorate."
    assert result.documents[1].text == "Statement\n\nOn 4 May 2021 the PCC replied."
    assert [str(p) for p in result.problems] == ["blank.html:1: warning: skipped: no readable text in this web page"]


def test_documents_and_letters_carry_the_page_metadata(tmp_path: Path) -> None:
    shutil.copy(PAGES / "kent-pcc-letter-webpage.html", tmp_path)
    doc = read_corpus([tmp_path]).documents[0]
    assert doc.meta == tuple(sorted(doc.meta))
    assert doc.get("date") == "2017-12-20" and doc.get("hostname") == "kent-pcc.gov.uk"
    letters, _ = split_letters(doc)
    assert len(letters) == 1
    assert letters[0].meta == doc.meta
    # the page's heading names the addressee, so the letter's heading starts there
    assert letters[0].text.startswith("Letter to the Home Secretary: PEEL legitimacy 2017\n\nRt Hon Amber Rudd MP\n")
    assert doc.text[letters[0].offset : letters[0].offset + len(letters[0].text)] == letters[0].text


def test_offsets_hold_on_a_build_of_web_pages() -> None:
    """Every annotation's position and quote agree with the response's pcc:text."""
    result = pccgraph.build([PAGES], None, views=False)
    g = Graph()
    for s, p, o, _ in result.dataset.quads((None, None, None, None)):
        g.add((s, p, o))
    checked = 0
    for target, source in g.subject_objects(OA.hasSource):
        text = str(g.value(source, PCC.text))
        selectors = list(g.objects(target, OA.hasSelector))
        position = next(s for s in selectors if (s, None, OA.TextPositionSelector) in g)
        quote = next(s for s in selectors if (s, None, OA.TextQuoteSelector) in g)
        start, end = int(g.value(position, OA.start)), int(g.value(position, OA.end))  # type: ignore[arg-type]
        assert text[start:end] == str(g.value(quote, OA.exact))
        checked += 1
    assert checked >= 20
    texts = " ".join(str(t) for t in g.objects(None, PCC.text))
    for furniture in ("Skip to", "cookie", "Share on", "Related news", "Sign up"):
        assert furniture not in texts
