"""Property-based tests (hypothesis): splitting loses, duplicates and reorders nothing, and
every span found in noisy letters is the exact text at its offsets."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pccgraph.corpus import decode, split_letters
from pccgraph.model import Document, Problem, RawLetter, Severity
from pccgraph.pipeline import build
from pccgraph.validation import check_offsets, load_graph

from .conftest import REFERENCE

# PCCGRAPH_PROPERTY_SCALE=20 make test: twenty times as many examples, for a deeper search.
SCALE = int(os.environ.get("PCCGRAPH_PROPERTY_SCALE", "1"))
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
WORDS = """the force report inspection recommendations custody crime victims officers
progress plan action improvement HMIC Police Commissioner alliance Warwickshire West Mercia
Athena College of Policing domestic abuse stop and search good requires improvement
inadequate outstanding I shall continue to monitor the Chief Constable 12 per cent £4.5 million
""".split()  # fmt: skip
TITLES = ["PEEL: Police efficiency 2015", "Crime data integrity", "Building the picture",
          "Stop and search powers 2", "Core business inspection report"]  # fmt: skip

# Noise: any Unicode except surrogates, NUL (a NUL byte marks a file as binary) and line
# breaks (the reader normalises those once).
NOISE = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
    min_size=1,
    max_size=12,
)


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    """A body paragraph of letter words, with noise between some words."""
    words = draw(st.lists(st.sampled_from(WORDS) | NOISE, min_size=3, max_size=40))
    text = " ".join(words).strip() + "."
    # no accidental salutation or sign-off at the start of a body line
    return re.sub(r"^\W*(?=dear|yours|kind|regards|best)", "The ", text, flags=re.IGNORECASE)


@st.composite
def letters(draw: st.DrawFn) -> tuple[str, str]:
    """One letter and its salutation line, built from a realistic template."""
    day, month, year = draw(st.integers(1, 28)), draw(st.sampled_from(MONTHS)), draw(st.integers(2013, 2022))
    name = draw(st.sampled_from(["Home Secretary", "Mr Winsor", "Ms Billingham", "Colleague"]))
    salutation = f"Dear {name},"
    parts = [
        "Rt Hon Theresa May MP House of Commons London SW1A 0AA",
        f"Date: {day} {month} {year}",
        salutation,
        f"HMIC INSPECTION: {draw(st.sampled_from(TITLES)).upper()}",
        *draw(st.lists(paragraphs(), min_size=1, max_size=4)),
        "Yours sincerely,",
        "Bill Longmore",
    ]
    return "\n\n".join(parts), salutation


SEPARATORS = st.sampled_from(["\n\n", "\n\n\n", "\n \n\t\n", "\n\n\n\n\n"])


@st.composite
def corpora(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Several letters in one file, separated by blank lines."""
    items = draw(st.lists(letters(), min_size=1, max_size=6))
    text = items[0][0]
    for body, _ in items[1:]:
        text += draw(SEPARATORS) + body
    lead = draw(st.sampled_from(["", "\n", "\n\n  \n"]))
    return lead + text + draw(st.sampled_from(["", "\n", "\n\n"])), [s for _, s in items]


def _doc(text: str) -> Document:
    return Document("corpus.txt", text, "utf-8", hashlib.sha256(text.encode("utf-8")).hexdigest())


def _reported_lines(problems: list[Problem]) -> set[int]:
    """Lines (1-based) that a problem says were left out on purpose."""
    lines: set[int] = set()
    for p in problems:
        m = re.search(r"left out lines (\d+)-(\d+)", p.message)
        if m:
            lines.update(range(int(m.group(1)), int(m.group(2)) + 1))
    return lines


def _check_split(text: str, cut: list[RawLetter], problems: list[Problem]) -> None:
    """Letters are exact, ordered, non-overlapping slices; what is between them is blank or reported."""
    covered = 0
    left_out = _reported_lines(problems)
    nothing_read = any(p.message.startswith("no letter in this file") for p in problems)
    for n, letter in enumerate(cut):
        assert letter.index == n
        assert letter.offset >= covered, "letters overlap or are out of order"
        assert text[letter.offset : letter.offset + len(letter.text)] == letter.text
        assert letter.start_line == text.count("\n", 0, letter.offset) + 1
        assert letter.end_line == letter.start_line + letter.text.count("\n")
        assert letter.text == letter.text.strip("\n") and letter.text.strip()
        assert letter.sha256 == hashlib.sha256(letter.text.encode("utf-8")).hexdigest()
        gap = text[covered : letter.offset]
        _assert_blank_or_reported(text, covered, gap, left_out, nothing_read)
        covered = letter.offset + len(letter.text)
    _assert_blank_or_reported(text, covered, text[covered:], left_out, nothing_read)


def _assert_blank_or_reported(text: str, start: int, gap: str, left_out: set[int], nothing_read: bool) -> None:
    if nothing_read:
        return
    first_line = text.count("\n", 0, start) + 1
    for k, line in enumerate(gap.split("\n")):
        assert not line.strip() or (first_line + k) in left_out, f"line {first_line + k} lost: {line!r}"


@settings(max_examples=150 * SCALE, deadline=None)
@given(corpora())
def test_properties_split_keeps_every_letter_once_and_in_order(corpus: tuple[str, list[str]]) -> None:
    """Each generated letter comes out once, in order, as an exact slice; nothing else is lost."""
    text, salutations = corpus
    cut, problems = split_letters(_doc(text))
    _check_split(text, cut, problems)
    assert len(cut) == len(salutations)
    for letter, salutation in zip(cut, salutations, strict=True):
        assert letter.text.count(salutation) >= 1
    assert [text.find(x.text, x.offset) for x in cut] == [x.offset for x in cut]


@settings(max_examples=300 * SCALE, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30)
        | st.sampled_from(["\n", "\n\n", "\r\n", "Dear Sir,", "Yours sincerely,", "3 May 2015", "Cc: HMIC", "Cookies | Menu | Home"]),
        max_size=40,
    ).map("".join)
)
def test_properties_split_any_text_never_loses_or_duplicates(raw: str) -> None:
    """Arbitrary text (decoded and normalised as the reader does) splits without crashing,
    into exact, ordered, non-overlapping slices; all other text is blank or reported."""
    text, _, _ = decode(raw.encode("utf-8"), "corpus.txt")
    cut, problems = split_letters(_doc(text))
    _check_split(text, cut, problems)
    assert all(p.severity in (Severity.INFO, Severity.WARNING) for p in problems)


@st.composite
def noisy_letters(draw: st.DrawFn) -> str:
    """A letter with noise (any Unicode: emoji, combining marks, quotes, NBSP …) inserted at
    random places, the salutation line excepted."""
    body, salutation = draw(letters())
    lines = body.split("\n")
    for _ in range(draw(st.integers(1, 12))):
        k = draw(st.integers(0, len(lines) - 1))
        if lines[k] == salutation:
            continue
        at = draw(st.integers(0, len(lines[k])))
        lines[k] = lines[k][:at] + draw(NOISE) + lines[k][at:]
    return "\n".join(lines)


@settings(max_examples=25 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(noisy_letters())
def test_properties_spans_in_noisy_letters_match_their_text(text: str) -> None:
    """Every mention and fact found in a noisy letter is the letter's exact text at its
    offsets, and so is every annotation in the built graph."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "noisy.txt"
        path.write_text(text, encoding="utf-8")
        normalised, _, _ = decode(path.read_bytes(), "noisy.txt")
        result = build([path], None, reference_dir=REFERENCE, views=False)
    assume(result.letters == 1)
    [extraction] = result.resolved.extractions
    letter_text = extraction.letter.text
    assert letter_text in normalised
    for mention in extraction.mentions:
        assert letter_text[mention.span.start : mention.span.end] == mention.text
    for fact in extraction.facts:
        assert 0 <= fact.span.start <= fact.span.end <= len(letter_text)
    assert check_offsets(load_graph(result.dataset)) == []
