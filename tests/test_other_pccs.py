"""Letters shaped like other PCC offices' build into sensible graphs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from pccgraph.model import Extraction
from pccgraph.pipeline import BuildResult, build
from pccgraph.vocab import ID, PCC

from .conftest import FIXTURES, REFERENCE

OTHER = FIXTURES / "other_pccs"
HELDOUT = FIXTURES / "heldout"  # written apart from the code, then used to find its gaps
HELDOUT2 = FIXTURES / "heldout2"  # a second such set: converted PDFs, templates, tables, MOPAC
EXPECTED = [
    {**item, "_set": folder.name}
    for folder in (OTHER, HELDOUT, HELDOUT2)
    for item in json.loads((folder / "expected.json").read_text(encoding="utf-8"))
]


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The fixture letters of other PCCs, built."""
    return build([OTHER], tmp_path_factory.mktemp("other"), reference_dir=REFERENCE, views=False)


@pytest.fixture(scope="module")
def heldout(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The held-out letters of other PCCs, built."""
    return build([HELDOUT], tmp_path_factory.mktemp("heldout"), reference_dir=REFERENCE, views=False)


@pytest.fixture(scope="module")
def heldout2(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The second held-out set, built."""
    return build([HELDOUT2], tmp_path_factory.mktemp("heldout2"), reference_dir=REFERENCE, views=False)


def _find(result: BuildResult, item: dict[str, object]) -> Extraction:
    return next(
        x for x in result.resolved.extractions
        if x.letter.raw.source == item["file"] and x.letter.raw.index == item["letter_index"]
    )


@pytest.mark.parametrize("item", EXPECTED, ids=[f"{e['_set']}/{e['file']}#{e['letter_index']}" for e in EXPECTED])
def test_other_pccs_letter_builds_right(
    other: BuildResult, heldout: BuildResult, heldout2: BuildResult, item: dict[str, object]
) -> None:
    """Lines, force, date, report titles, grades, tallies, commitments and signatory."""
    x = _find({"other_pccs": other, "heldout": heldout, "heldout2": heldout2}[str(item["_set"])], item)
    letter = x.letter
    assert (letter.raw.start_line, letter.raw.end_line) == (item["start_line"], item["end_line"])
    assert next(f.get("force") for f in x.facts if f.kind == "concerns_force") == item["force_id"]
    assert letter.date is not None and letter.date.iso == item["date"]
    assert [t.title for t in letter.titles] == item["report_titles"]
    # grades of the report answered; one recalled from an earlier inspection carries its period
    grades = sorted((f.get("grade"), f.get("area")) for f in x.facts if f.kind == "judgement" and not f.get("period"))
    assert grades == sorted((g["grade"], g["area"]) for g in item["grades"])  # type: ignore[union-attr, index]
    tallies = sorted((int(f.get("count")), f.get("tally_kind")) for f in x.facts if f.kind == "tally")
    assert tallies == sorted((t["count"], t["kind"]) for t in item["tallies"])  # type: ignore[union-attr, index]
    found = [letter.text[f.span.start : f.span.end] for f in x.facts if f.kind == "commitment"]
    for expected in item["commitments"]:  # type: ignore[union-attr]
        assert any(expected in sentence for sentence in found), expected
    assert len(found) == len(item["commitments"])  # type: ignore[arg-type]
    assert letter.signatory is not None and letter.signatory.text == item["signatory"]


def test_other_pccs_graph_has_hmicfrs_and_pfcc(other: BuildResult) -> None:
    """HMICFRS publishes the reports it should, and a PFCC post is recognised."""
    g = Graph().parse(other.outputs["pccgraph.ttl"])
    publishers = {str(o).rsplit("/", 1)[-1] for o in g.objects(None, ID["x"].__class__("http://purl.org/dc/terms/publisher"))}
    assert "hmicfrs" in publishers
    posts = {str(o) for o in g.objects(None, PCC.mentions) if "/post/" in str(o)}
    assert str(ID["post/pfcc-essex-police"]) in posts


def test_other_pccs_web_page_boilerplate_reported(other: BuildResult) -> None:
    """The saved web page's banner and footer are left out and reported with line numbers."""
    notes = [str(p) for p in other.problems if p.file.startswith("avon-and-somerset")]
    assert any("left out lines 1-19 before the first letter" in n for n in notes), notes
    assert any("after the last letter" in n for n in notes), notes
    _ = Path  # keep the import for type checkers


def test_other_pccs_heldout_entities_found(heldout: BuildResult) -> None:
    """Most named things in the held-out letters are found as mentions (recall floor 0.9)."""
    wanted = found = 0
    missed = []
    for item in json.loads((HELDOUT / "expected.json").read_text(encoding="utf-8")):
        x = _find(heldout, item)
        texts = {m.text.lower() for m in x.mentions}
        for entity in item["entities"]:
            wanted += 1
            surface = entity["text"].lower()
            if any(surface in t or t in surface for t in texts):
                found += 1
            else:
                missed.append(entity["text"])
    assert found / wanted >= 0.9, missed


def test_other_pccs_wrapped_like_pdf_text_read_the_same(other: BuildResult, tmp_path: Path) -> None:
    """Letters re-wrapped at 78 columns (as text from a PDF) keep their titles, dates, forces, facts and names."""
    import textwrap

    for path in sorted(OTHER.glob("*.txt")) + sorted(OTHER.glob("*.md")):
        lines = []
        for line in path.read_text(encoding="utf-8").split("\n"):
            lines.extend(textwrap.wrap(line, 78) or [""])
        (tmp_path / path.name).write_text("\n".join(lines), encoding="utf-8")
    wrapped = build([tmp_path], None, reference_dir=REFERENCE, views=False)

    def summary(result: BuildResult) -> list[tuple[object, ...]]:
        return sorted(
            (
                x.letter.raw.source, x.letter.raw.index, x.letter.date.iso if x.letter.date else None,
                tuple(t.title for t in x.letter.titles),
                next((f.get("force") for f in x.facts if f.kind == "concerns_force"), None),
                tuple(sorted((f.get("count"), f.get("tally_kind")) for f in x.facts if f.kind == "tally")),
                sum(1 for f in x.facts if f.kind == "commitment"),
                tuple(sorted(f.get("grade") for f in x.facts if f.kind == "judgement" and not f.get("period"))),
                tuple(sorted({(m.type.value, m.entity_id) for m in x.mentions})),
            )
            for x in result.resolved.extractions
        )

    assert summary(wrapped) == summary(other)
