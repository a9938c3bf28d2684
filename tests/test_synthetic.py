"""The SYNTHETIC archive generator (benchmarks/synthetic_archive.py): deterministic, marked, and read by the parser."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import RDF

from pccgraph.pipeline import build
from pccgraph.vocab import DCTERMS, PCC

from .conftest import REFERENCE, ROOT

COUNT, SEED = 60, 7


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synthetic_archive", ROOT / "benchmarks" / "synthetic_archive.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic_archive"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _generator()


@pytest.fixture(scope="module")
def archive(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    gen.write_archive(folder, COUNT, SEED, REFERENCE)
    return folder


def test_synthetic_same_seed_same_bytes(gen: ModuleType, archive: Path, tmp_path: Path) -> None:
    """Two runs with the same count and seed write the same files, byte for byte; another seed differs."""
    gen.write_archive(tmp_path / "again", COUNT, SEED, REFERENCE)
    first = sorted(p.name for p in archive.iterdir())
    assert first == sorted(p.name for p in (tmp_path / "again").iterdir())
    for name in first:
        assert (archive / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name
    gen.write_archive(tmp_path / "other", COUNT, SEED + 1, REFERENCE)
    assert sorted(p.name for p in (tmp_path / "other").iterdir()) != first


def test_synthetic_every_file_is_marked(archive: Path) -> None:
    """Every file's first line says SYNTHETIC; letters, statements and forms are all there."""
    files = sorted(archive.iterdir())
    assert len(files) >= COUNT // 4
    for path in files:
        assert path.read_text(encoding="utf-8").splitlines()[0].startswith("SYNTHETIC, not a real publication"), path
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    assert "Dear Home Secretary," in text and "Yours sincerely" in text
    assert "Title of Inspection:" in text and "Deadline for Response:" in text and "PCC comments:" in text
    assert " said: “" in text


def test_synthetic_plan_covers_forces_years_and_shapes(gen: ModuleType) -> None:
    """10,000 responses: all 43 territorial forces, every year 2013-2025, shapes near 35/45/20 %."""
    plan = gen.plan(10_000, SEED, REFERENCE)
    assert len(plan) == 10_000
    forces = {r.force.id for r in plan}
    assert len(forces) == 43 and "british-transport-police" not in forces
    assert {r.date.year for r in plan} == set(range(2013, 2026))
    shapes = Counter(r.shape for r in plan)
    assert abs(shapes["letter"] / 10_000 - 0.35) < 0.03
    assert abs(shapes["statement"] / 10_000 - 0.45) < 0.03
    assert abs(shapes["form"] / 10_000 - 0.20) < 0.03
    titles = Counter(r.report.title for r in plan)
    assert max(titles.values()) >= 40  # a national report answered by (almost) every force
    assert any(t.startswith("PEEL 2021/22: An inspection of ") for t in titles)
    holders = {(r.force.id, r.date.year): r.holder.name for r in plan if r.holder}
    assert holders[("kent-police", 2015)] == "Ann Barnes" and holders[("kent-police", 2019)] == "Matthew Scott"
    assert holders[("west-mercia-police", 2020)] == "John Campion"


def test_synthetic_parser_finds_force_and_date(gen: ModuleType, archive: Path) -> None:
    """Most responses build into a node with the right respondent force and date (measures the parser)."""
    result = build([archive], None, reference_dir=REFERENCE, views=False)
    g = result.dataset
    got: Counter[tuple[str, str]] = Counter()
    for node in set(g.subjects(RDF.type, PCC.Response)):
        force, date = g.value(node, PCC.respondentForce), g.value(node, DCTERMS.date)
        got[(str(force).rsplit("/", 1)[-1] if force else "", str(date) if date else "")] += 1
    expected = Counter((r.force.id, r.date.isoformat()) for r in gen.plan(COUNT, SEED, REFERENCE))
    matched = sum((expected & got).values())
    print(f"synthetic archive: {matched}/{COUNT} responses with the right force and date")
    assert sum(got.values()) == COUNT
    assert matched >= 0.9 * COUNT
