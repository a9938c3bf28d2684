"""The command line: help, build summary, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pccgraph.cli import cli

from .conftest import LETTERS, REFERENCE, ROOT


def _commands() -> list[str]:
    return sorted(cli.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", _commands())
def test_cli_every_command_has_help_and_is_documented(command: str) -> None:
    """Each subcommand's --help works, says something, and the README names it."""
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.splitlines()) > 5
    assert f"pccgraph {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_cli_build_prints_summary(tmp_path: Path) -> None:
    """`pccgraph build` writes the outputs and closes with a summary table."""
    result = CliRunner().invoke(
        cli, ["build", str(LETTERS), "-o", str(tmp_path), "--reference", str(REFERENCE)]
    )
    assert result.exit_code == 0, result.output
    assert "letters" in result.output and "24" in result.output
    assert (tmp_path / "pccgraph.ttl").exists()
    assert {"pccgraph.jsonld", "pccgraph.trig", "pccgraph.ttl", "graph.html", "index.html", "views"} <= {
        p.name for p in tmp_path.iterdir()
    }


def test_cli_build_with_no_letters_exits_2_and_keeps_outputs(tmp_path: Path) -> None:
    """A build over a folder without letters fails with exit 2 and leaves old outputs alone."""
    empty = tmp_path / "in"
    empty.mkdir()
    (empty / "photo.png").write_bytes(b"\x89PNG\r\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "pccgraph.ttl").write_text("previous")
    result = CliRunner().invoke(cli, ["build", str(empty), "-o", str(out), "--reference", str(REFERENCE)])
    assert result.exit_code == 2
    assert "no letters found" in result.output
    assert "photo.png" in result.output
    assert (out / "pccgraph.ttl").read_text() == "previous"


def test_cli_build_problems_are_printed_verbatim_and_floods_summarised(tmp_path: Path) -> None:
    """Problem text is never read as markup or emoji; 20 of one kind are shown, the rest counted."""
    text = (LETTERS / "west-mercia-pcc-2014-2016.txt").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt").write_text(text * 3, encoding="utf-8")
    (folder / "[bold]odd:date:.txt").write_text("", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["build", str(folder), "-o", str(tmp_path / "out"), "--reference", str(REFERENCE), "--no-views"]
    )
    assert result.exit_code == 0, result.output
    assert "[bold]odd:date:.txt:1: warning: skipped: the file is empty" in result.output
    assert result.output.count("duplicate letter") == 21  # 20 shown + the summary line
    assert "… and 28 more like 'duplicate letter" in result.output
