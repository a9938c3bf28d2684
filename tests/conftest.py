"""Shared fixtures: the bundled corpus, built once per test session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
# Debian's Chromium, driven by Playwright (make test installs it); no background requests
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the test extra) is not installed")
    assert Path(CHROMIUM).exists(), "Debian chromium is needed (make test installs it)"
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


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
