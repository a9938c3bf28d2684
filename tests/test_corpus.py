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
    (tmp_path / "good.txt").write_text("Dear Home Secretary,\n\nText.\n")
    result = read_corpus([tmp_path])
    assert [d.path for d in result.documents] == ["good.txt"]
    messages = {p.file: p.message for p in result.problems}
    assert "empty" in messages["empty.txt"]
    assert "PNG" in messages["image.txt"]
    assert "unsupported" in messages["notes.pdf"]
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
