"""Measuring extraction against hand-annotated gold letters.

Gold files (``tests/gold/*.json``) name a letter by file and first line and list
its entities, grades, tallies and commitments; see ``tests/gold/README.md``.
Scores are precision, recall and F1 per type, micro-averaged over the letters.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from .errors import PccgraphError
from .model import EntityType, Extraction

EVAL_TYPES = ("force", "programme", "body", "post", "person", "place", "law", "grade", "tally", "commitment")
_ENTITY_TYPE = {
    EntityType.FORCE: "force",
    EntityType.PROGRAMME: "programme",
    EntityType.INSPECTORATE: "body",
    EntityType.ALLIANCE: "body",
    EntityType.ORGANISATION: "body",
    EntityType.UNIT: "body",
    EntityType.POST: "post",
    EntityType.PERSON: "person",
    EntityType.PLACE: "place",
    EntityType.LEGISLATION: "law",
}


@dataclass(slots=True)
class Score:
    """Counts for one type, and the misses for inspection."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Evaluation:
    """Scores per type over the gold letters."""

    letters: int
    scores: dict[str, Score]


def load_gold(folder: Path | str) -> list[dict[str, object]]:
    """Every gold file in ``folder``, sorted by name."""
    folder = Path(folder)
    files = sorted(folder.glob("*.json"))
    if not files:
        raise PccgraphError(f"{folder}: no gold files (*.json)")
    gold = []
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise PccgraphError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
        data["_path"] = path.name
        gold.append(data)
    return gold


def _pair(gold: list[str], system: list[str], same: object) -> tuple[int, list[str], list[str]]:
    """Greedy one-to-one matching; returns (matches, unmatched system, unmatched gold)."""
    left = list(system)
    missed = []
    tp = 0
    for g in gold:
        hit = next((s for s in left if same(g, s)), None)  # type: ignore[operator]
        if hit is None:
            missed.append(g)
        else:
            left.remove(hit)
            tp += 1
    return tp, left, missed


def _area_match(g: str, s: str) -> bool:
    g_grade, g_area = g.split("|", 1)
    s_grade, s_area = s.split("|", 1)
    if g_grade != s_grade:
        return False
    if not g_area or not s_area:
        return g_area == s_area
    return fuzz.token_set_ratio(g_area.lower(), s_area.lower()) >= 60


def evaluate(extractions: Iterable[Extraction], gold: list[dict[str, object]]) -> Evaluation:
    """Compare extractions with gold letters matched by (file, first line)."""
    by_letter = {(x.letter.raw.source, x.letter.raw.start_line): x for x in extractions}
    scores = {t: Score() for t in EVAL_TYPES}
    for item in gold:
        ref = item["letter"]
        assert isinstance(ref, dict)
        key = (str(ref["file"]), int(ref["start_line"]))
        extraction = by_letter.get(key)
        if extraction is None:
            raise PccgraphError(f"{item['_path']}: no letter starts at {key[0]}:{key[1]}")
        text = extraction.letter.text
        tag = f"L{key[1]}"
        gold_entities = {
            (e["type"], str(e["id"]).removeprefix("new:")) for e in item.get("entities", [])  # type: ignore[union-attr, index]
        }
        system_entities = {
            (_ENTITY_TYPE[m.type], m.entity_id) for m in extraction.mentions if m.type in _ENTITY_TYPE
        }
        for t in EVAL_TYPES[:7]:
            g = {e for e in gold_entities if e[0] == t}
            s = {e for e in system_entities if e[0] == t}
            score = scores[t]
            score.tp += len(g & s)
            score.fp += len(s - g)
            score.fn += len(g - s)
            score.false_positives += [f"{tag} {i}" for _, i in sorted(s - g)]
            score.false_negatives += [f"{tag} {i}" for _, i in sorted(g - s)]

        facts = extraction.facts
        g_grades = [f"{x['grade']}|{x.get('area', '')}" for x in item.get("grades", [])]  # type: ignore[union-attr, index]
        s_grades = [f"{f.get('grade')}|{f.get('area')}" for f in facts if f.kind == "judgement"]
        _score(scores["grade"], tag, *_pair(g_grades, s_grades, _area_match))

        g_tallies = [f"{x['count']} {x['kind']}" for x in item.get("tallies", [])]  # type: ignore[union-attr, index]
        s_tallies = [f"{f.get('count')} {f.get('tally_kind')}" for f in facts if f.kind == "tally"]
        _score(scores["tally"], tag, *_pair(g_tallies, s_tallies, lambda a, b: a == b))

        def overlaps(g: str, s: str) -> bool:
            gs = text.find(g)
            ss, se = (int(v) for v in s.split(":", 2)[:2])
            if gs < 0:
                return False
            ge = gs + len(g)
            inter = min(ge, se) - max(gs, ss)
            return inter > 0.5 * min(ge - gs, se - ss)

        g_commit = [str(x["text"]) for x in item.get("commitments", [])]  # type: ignore[union-attr, index]
        s_commit = [f"{f.span.start}:{f.span.end}:{text[f.span.start:f.span.end][:60]}" for f in facts if f.kind == "commitment"]
        _score(scores["commitment"], tag, *_pair(g_commit, s_commit, overlaps))
    return Evaluation(len(gold), scores)


def _score(score: Score, tag: str, tp: int, fps: list[str], fns: list[str]) -> None:
    score.tp += tp
    score.fp += len(fps)
    score.fn += len(fns)
    score.false_positives += [f"{tag} {x}" for x in fps]
    score.false_negatives += [f"{tag} {x}" for x in fns]
