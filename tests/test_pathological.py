"""Pathological input: a file of one huge line builds in time bounded by what is read.

The file is the bundled letters with every line break turned into a space, repeated
to 1 MB: no salutation on a line of its own, no letter boundary, thousands of names
and dates on one line. Before names were matched through one compiled index (and
overlaps checked by bisection), such a line took about 13 s per MB in the header stage
alone and grew with the square of the names found; benchmarks/BUILD.md has the figures.
"""

from __future__ import annotations

import time
from pathlib import Path

from pccgraph.extract.header import find_forces, find_names
from pccgraph.model import EntityType
from pccgraph.pipeline import build
from pccgraph.reference import load_gazetteer
from pccgraph.vocab import PCC
from rdflib.namespace import RDF

from .conftest import BUNDLED, REFERENCE


def one_line_file(path: Path, size: int) -> Path:
    """The bundled letters on one line, repeated to at least ``size`` bytes."""
    line = " ".join(BUNDLED.read_text(encoding="utf-8").split("\n")) + " "
    path.write_text(line * (size // len(line.encode("utf-8")) + 1), encoding="utf-8")
    return path


def test_one_line_1_mb_file_builds_and_is_reported(tmp_path: Path) -> None:
    """A 1 MB single-line file builds, its one response kept and the file named in the warning."""
    source = one_line_file(tmp_path / "one-line.txt", 1_000_000)
    assert source.stat().st_size >= 1_000_000 and source.read_text(encoding="utf-8").count("\n") == 0
    started = time.perf_counter()
    result = build([source], tmp_path / "out", reference_dir=REFERENCE, views=False)
    seconds = time.perf_counter() - started
    print(f"1 MB one-line file: {seconds:.1f} s")
    assert seconds < 20  # a safety net only; the measured figure is in benchmarks/BUILD.md
    problems = [str(p) for p in result.problems]
    long = [p for p in problems if "characters long; only its header was read" in p]
    assert len(long) == 1 and long[0].startswith("one-line.txt:1: warning: letter is ")
    # no "Dear …" starts a line, so the file is read as one statement, reported and kept
    assert any(p.startswith("one-line.txt:1: warning: no date found in the statement's heading") for p in problems)
    assert len(set(result.dataset.subjects(RDF.type, PCC.Response))) == 1
    assert (tmp_path / "out" / "pccgraph.ttl").is_file()


def test_find_names_longest_first_any_spacing_and_case() -> None:
    """Names match across spaces and hyphens in any case; the longest wins, then the earliest."""
    g = load_gazetteer(REFERENCE)
    text = "Sent to WEST  MERCIA-Police and to warwickshire police; West Mercia again."
    found = [(text[s.start : s.end], e.id) for s, e in find_forces(text, g)]
    assert found == [
        ("WEST  MERCIA-Police", "west-mercia-police"),
        ("warwickshire police", "warwickshire-police"),
        ("West Mercia", "west-mercia-police"),
    ]
    # a zone: only text[start:end] is read, and its edges are edges of words
    start = text.index("MERCIA")
    zone = [(text[s.start : s.end], e.id) for s, e in find_forces(text, g, start, text.index(";"))]
    assert zone == [("warwickshire police", "warwickshire-police")]
    # a name is not found inside a longer word
    assert find_names("Westwest mercianism", g, (EntityType.FORCE,)) == []
