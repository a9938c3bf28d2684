"""Stage 1: reading files and cutting them into letters."""

from __future__ import annotations

from pathlib import Path

import pytest

from pccgraph.corpus import decode, read_corpus, split_letters
from pccgraph.model import Document, RawLetter, Severity

from .conftest import BUNDLED

# (first line, last line) of each of the 24 letters, read off the file by hand.
LETTER_LINES = [
    (3, 23), (27, 59), (63, 97), (101, 125), (129, 149), (153, 173), (177, 217), (221, 243),
    (247, 271), (275, 293), (297, 319), (323, 343), (347, 373), (377, 403), (407, 431),
    (435, 461), (465, 491), (495, 521), (525, 545), (549, 569), (573, 599), (603, 637),
    (641, 659), (663, 695),
]  # fmt: skip


def test_corpus_bundled_file_has_24_letters_with_exact_lines(raw_letters: list[RawLetter]) -> None:
    """The bundled file splits into exactly the 24 letters, at the hand-checked lines."""
    assert [(x.start_line, x.end_line) for x in raw_letters] == LETTER_LINES


def test_corpus_letters_are_exact_slices_and_nothing_is_lost(raw_letters: list[RawLetter]) -> None:
    """Each letter is a slice of the file; only blank lines lie between letters."""
    text = BUNDLED.read_text(encoding="utf-8")
    lines = text.split("\n")
    covered = 0
    for letter in raw_letters:
        assert text[letter.offset : letter.offset + len(letter.text)] == letter.text
        assert letter.text.split("\n")[0] == lines[letter.start_line - 1]
        assert letter.text.split("\n")[-1] == lines[letter.end_line - 1]
        assert text[covered : letter.offset].strip() == ""
        covered = letter.offset + len(letter.text)
    assert text[covered:].strip() == ""


def test_corpus_letter_ends_in_bare_name_and_title_line(raw_letters: list[RawLetter]) -> None:
    """The letter signed with a title line keeps it; the last letter ends in a bare name."""
    assert raw_letters[4].text.endswith("Bill Longmore\n\nPolice and Crime Commissioner")
    assert raw_letters[5].text.startswith("29th August 2014\n\nRt Hon Theresa May MP")
    assert raw_letters[-1].text.endswith("listed in the plans.\n\nBill Longmore")


@pytest.mark.parametrize(
    ("data", "expected", "encoding", "warned"),
    [
        (b"\xef\xbb\xbfDear Home Secretary,\r\n", "Dear Home Secretary,\n", "utf-8-sig", False),
        (b"line one\r\nline two\rline three", "line one\nline two\nline three", "utf-8", False),
        ("\u201cGood\u201d \u2013 ok".encode("cp1252"), "\u201cGood\u201d \u2013 ok", "cp1252", True),
    ],
)
def test_corpus_decode_variants(data: bytes, expected: str, encoding: str, warned: bool) -> None:
    """UTF-8 with BOM, CRLF/CR newlines and cp1252 smart quotes decode to the same text."""
    text, used, problems = decode(data, "x.txt")
    assert text == expected
    assert used == encoding
    assert bool(problems) is warned


def test_corpus_skips_and_reports_bad_files(tmp_path: Path) -> None:
    """Empty, binary and unsupported files are skipped with a message naming them."""
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "good.txt").write_text("Dear Home Secretary,\n\nText.\n")
    result = read_corpus([tmp_path])
    assert [d.path for d in result.documents] == ["good.txt"]
    messages = {p.file: p.message for p in result.problems}
    assert "empty" in messages["empty.txt"]
    assert "PNG" in messages["image.txt"]
    assert messages["notes.pdf"].startswith("cannot read as PDF")
    assert "unsupported" in messages["sheet.xlsx"]
    assert all(p.severity in (Severity.WARNING, Severity.ERROR) for p in result.problems)


def test_corpus_web_page_boilerplate_is_left_out_and_reported() -> None:
    """Cookie banners and footers around a letter are cut off and reported as info."""
    text = (
        "Skip to main content\nWe use cookies on this site. Accept all cookies\n"
        "Home | News | Contact\n\nPCC responds to inspection\n\n"
        "Rt Hon Priti Patel MP\nHome Office\n2 Marsham Street\nLondon SW1P 4DF\n\n"
        "26 July 2019\n\nDear Home Secretary,\n\nHMICFRS: Fraud: Time to choose\n\n"
        "I welcome the report.\n\nYours sincerely,\n\nJane Doe\n\n"
        "\u00a9 2019 Office of the PCC\nPrivacy notice\n"
    )
    letters, problems = split_letters(Document("page.txt", text, "utf-8", "0"))
    assert len(letters) == 1
    assert letters[0].text.startswith("PCC responds to inspection")
    assert letters[0].text.endswith("Jane Doe")
    assert [p.line for p in problems] == [1, 24]


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text is ``lines`` (Helvetica), written by hand."""
    import io

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = "BT /F1 10 Tf 40 800 Td 13 TL\n" + "\n".join(f"({esc(x)}) '" for x in lines) + "\nET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(body.encode('latin-1'))} >>\nstream\n{body}\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n{obj}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


SUSSEX_LINES = [
    "Rt Hon Priti Patel MP", "Home Office", "2 Marsham Street", "London SW1P 4DF", "",
    "26 July 2019", "", "Dear Home Secretary,", "", "HMICFRS inspection report: Fraud: Time to choose", "",
    "I welcome the report, which made 16 recommendations. I will monitor progress.", "",
    "Yours sincerely,", "", "Katy Bourne", "Police and Crime Commissioner for Sussex",
]  # fmt: skip


def test_corpus_reads_pdf_and_docx_letters(tmp_path: Path) -> None:
    """A PDF (text extracted in layout mode) and a Word letter build like the same letter in text."""
    from docx import Document as WordDocument

    from pccgraph.documents.letter import parse_letter

    (tmp_path / "sussex.pdf").write_bytes(_pdf(SUSSEX_LINES))
    word = WordDocument()
    for line in SUSSEX_LINES:
        word.add_paragraph(line)
    word.save(str(tmp_path / "sussex.docx"))
    result = read_corpus([tmp_path])
    assert [d.path for d in result.documents] == ["sussex.docx", "sussex.pdf"]
    assert result.problems == ()
    for doc in result.documents:
        letters, _ = split_letters(doc)
        assert len(letters) == 1
        letter = parse_letter(letters[0])
        assert letter.date is not None and letter.date.iso == "2019-07-26"
        assert [t.title for t in letter.titles] == ["Fraud: Time to choose"]
        assert letter.signatory is not None and letter.signatory.text == "Katy Bourne"
        assert letter.text.splitlines()[letters[0].end_line - letters[0].start_line] == (
            "Police and Crime Commissioner for Sussex"
        )


PAGE = """<html><head><title>PCC response</title><script>var a = "<p>Dear Sir,</p>";</script></head>
<body><nav><a href="/">Home</a> | <a>News</a> | <a>Contact</a></nav>
<div class="cookie">We use cookies. <button>Accept all cookies</button></div>
<main><p>Rt Hon Priti Patel MP<br>Home Office<br>2 Marsham Street<br>London SW1P 4DF</p>
<p>26 July 2019</p><p>Dear Home Secretary,</p>
<p><strong>HMICFRS PEEL 2018/19 &ndash; An inspection of Kent Police</strong></p>
<p>The force was graded as <em>good</em> at preventing crime. I will monitor progress.</p>
<p>Yours sincerely,</p><p>Matthew Scott<br>Police and Crime Commissioner for Kent</p></main>
<footer>&copy; 2019 OPCC Kent | Privacy notice</footer></body></html>"""


def test_corpus_reads_a_saved_html_page(tmp_path: Path) -> None:
    """An HTML page is read as its main content (trafilatura): scripts, menus, cookie banner
    and footer never reach the text, so the splitter has nothing left to leave out."""
    from pccgraph.documents.letter import parse_letter

    (tmp_path / "kent.html").write_text(PAGE, encoding="utf-8")
    result = read_corpus([tmp_path])
    doc = result.documents[0]
    assert "var a" not in doc.text and "<p>" not in doc.text
    for furniture in ("cookies", "Contact", "Privacy notice", "2019 OPCC Kent"):
        assert furniture not in doc.text
    letters, problems = split_letters(doc)
    assert len(letters) == 1
    assert letters[0].text.startswith("Rt Hon Priti Patel MP\nHome Office")
    assert letters[0].text.endswith("Police and Crime Commissioner for Kent")
    assert problems == []
    letter = parse_letter(letters[0])
    assert letter.date is not None and letter.date.iso == "2019-07-26"
    assert [t.title for t in letter.titles] == ["PEEL 2018/19"]
    assert letter.signatory is not None and letter.signatory.text == "Matthew Scott"
