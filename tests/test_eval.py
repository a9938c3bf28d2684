"""`pccgraph eval`: scores against the hand-annotated gold letters, with floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pccgraph.cli import cli
from pccgraph.errors import PccgraphError
from pccgraph.evaluate import evaluate, load_gold
from pccgraph.pipeline import BuildResult

from .conftest import LETTERS, REFERENCE

GOLD = Path(__file__).resolve().parent / "gold"
FLOORS = {
    "force": 0.95, "programme": 0.95, "body": 0.95,
    "post": 0.9, "person": 0.9, "place": 0.9, "law": 0.9,
    "grade": 0.9, "tally": 0.9, "commitment": 0.8,
}  # fmt: skip


def test_eval_gold_covers_at_least_ten_letters() -> None:
    """The gold set annotates at least 10 letters, each naming a real letter start."""
    gold = load_gold(GOLD)
    assert len(gold) >= 10
    text = (LETTERS / "west-mercia-pcc-2014-2016.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    for item in gold:
        start = item["letter"]["start_line"]  # type: ignore[index]
        assert lines[start - 1].strip(), item["_path"]
        for entity in item["entities"]:  # type: ignore[union-attr]
            assert entity["text"] in text, (item["_path"], entity)


@pytest.mark.parametrize("kind", list(FLOORS))
def test_eval_meets_floor(built: BuildResult, kind: str) -> None:
    """F1 per type is at or above its floor on the bundled letters."""
    evaluation = evaluate(built.resolved.extractions, load_gold(GOLD))
    assert evaluation.scores[kind].f1 >= FLOORS[kind], (
        kind, evaluation.scores[kind].false_positives, evaluation.scores[kind].false_negatives
    )


def test_eval_counts_a_miss(built: BuildResult, tmp_path: Path) -> None:
    """A gold entity the extractor cannot find lowers recall for its type."""
    item = json.loads((GOLD / "west-mercia-L0027.json").read_text(encoding="utf-8"))
    item["entities"].append({"type": "programme", "id": "operation-nowhere", "text": "x"})
    (tmp_path / "one.json").write_text(json.dumps(item), encoding="utf-8")
    score = evaluate(built.resolved.extractions, load_gold(tmp_path)).scores["programme"]
    assert score.false_negatives == ["L27 operation-nowhere"]
    assert score.recall < 1.0


def test_eval_unknown_letter_is_an_error(built: BuildResult, tmp_path: Path) -> None:
    """A gold file pointing at no letter is reported with its file name."""
    (tmp_path / "bad.json").write_text(json.dumps({"letter": {"file": "x.txt", "start_line": 1}}), encoding="utf-8")
    with pytest.raises(PccgraphError, match="bad.json"):
        evaluate(built.resolved.extractions, load_gold(tmp_path))


def test_eval_cli_prints_table() -> None:
    """`pccgraph eval tests/gold` prints precision, recall and F1 per type."""
    result = CliRunner().invoke(cli, ["eval", str(GOLD), "--letters", str(LETTERS), "--reference", str(REFERENCE)])
    assert result.exit_code == 0, result.output
    for word in ("precision", "recall", "F1", "commitment", "programme"):
        assert word in result.output
