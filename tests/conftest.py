"""Shared fixtures: the bundled corpus, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from pccgraph.corpus import read_corpus, split_letters
from pccgraph.documents.letter import parse_letter
from pccgraph.model import ParsedLetter, RawLetter
from pccgraph.pipeline import BuildResult, build

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "data" / "letters"
BUNDLED = LETTERS / "west-mercia-pcc-2014-2016.txt"
REFERENCE = ROOT / "data" / "reference"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def raw_letters() -> list[RawLetter]:
    """The 24 bundled letters as cut from the file."""
    result = read_corpus([BUNDLED])
    letters, _ = split_letters(result.documents[0])
    return letters


@pytest.fixture(scope="session")
def parsed_letters(raw_letters: list[RawLetter]) -> list[ParsedLetter]:
    """The bundled letters with their headers parsed."""
    return [parse_letter(raw) for raw in raw_letters]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The bundled corpus built into a temporary output folder."""
    out = tmp_path_factory.mktemp("output")
    return build([LETTERS], out, reference_dir=REFERENCE)
