"""Wires the stages together: files -> letters -> extraction -> graph -> outputs.

``build`` is the library entry point a notebook calls; the CLI is a thin shell
over it. Progress is reported through an optional callback, never printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from .corpus import read_corpus
from .documents import parse_document, split_document
from .errors import CorpusError
from .extract import Extractor
from .graph import build_dataset
from .model import Extraction, ParsedLetter, Problem, RawLetter, Severity
from .output import write_graph_outputs
from .reference import Gazetteer, load_gazetteer
from .resolve import Resolved, resolve

DEFAULT_LETTERS = Path("data/letters")
DEFAULT_REFERENCE = Path("data/reference")
DEFAULT_OUTPUT = Path("output")

Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class BuildResult:
    """What a build made and met."""

    dataset: Dataset
    resolved: Resolved
    problems: list[Problem] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def letters(self) -> int:
        return len(self.resolved.extractions)

    @property
    def reports(self) -> int:
        return len(self.resolved.reports)

    @property
    def entities(self) -> int:
        return len(self.resolved.entities)

    @property
    def triples(self) -> int:
        return len({t for g in self.dataset.graphs() for t in g})

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is not Severity.INFO)


def _noop(stage: str, done: int, total: int) -> None:
    return None


def read_letters(paths: Iterable[Path | str], *, progress: Progress = _noop) -> tuple[list[RawLetter], list[Problem]]:
    """Read files and cut them into letters, dropping exact duplicates (reported)."""
    result = read_corpus(paths)
    problems = list(result.problems)
    letters: list[RawLetter] = []
    first_seen: dict[str, RawLetter] = {}
    for n, doc in enumerate(result.documents, 1):
        cut, split_problems = split_document(doc)
        problems.extend(split_problems)
        if not cut and not any(p.severity is not Severity.INFO for p in split_problems):
            problems.append(Problem(doc.path, 1, Severity.WARNING, "no response found in this file"))
        for raw in cut:
            earlier = first_seen.get(raw.sha256)
            if earlier is not None:
                problems.append(
                    Problem(
                        raw.source,
                        raw.start_line,
                        Severity.WARNING,
                        f"duplicate letter: same text as {earlier.source}:{earlier.start_line}; kept once",
                    )
                )
                continue
            first_seen[raw.sha256] = raw
            letters.append(raw)
        progress("read", n, len(result.documents))
    return letters, problems


def extract_all(
    letters: Sequence[RawLetter], gazetteer: Gazetteer, *, progress: Progress = _noop
) -> list[Extraction]:
    """Parse and extract every letter."""
    out: list[Extraction] = []
    extractor = Extractor(gazetteer)
    for n, raw in enumerate(letters, 1):
        parsed: ParsedLetter = parse_document(raw)
        out.append(extractor(parsed))
        progress("extract", n, len(letters))
    return out


def build(
    paths: Sequence[Path | str] = (DEFAULT_LETTERS,),
    out_dir: Path | str | None = DEFAULT_OUTPUT,
    *,
    reference_dir: Path | str = DEFAULT_REFERENCE,
    progress: Progress = _noop,
    views: bool = True,
) -> BuildResult:
    """Build the knowledge graph from letters.

    Args:
        paths: files and folders of letters (``.txt``, ``.md``).
        out_dir: where to write the outputs; ``None`` builds in memory only.
        reference_dir: the reference data (gazetteer) folder.
        progress: called as ``progress(stage, done, total)``.
        views: also write the network views, the site and the GraphML/GEXF exports.

    Returns:
        The dataset, the resolved corpus, the problems met and the files written.

    Raises:
        CorpusError: no letter could be read from ``paths``; nothing is written.
    """
    gazetteer = load_gazetteer(reference_dir)
    letters, problems = read_letters(paths, progress=progress)
    if not letters:
        detail = "; ".join(str(p) for p in problems[:5]) or "no input files"
        raise CorpusError(f"no letters found in {', '.join(map(str, paths))} ({detail})")
    extractions = extract_all(letters, gazetteer, progress=progress)
    for extraction in extractions:
        problems.extend(extraction.letter.problems)
        problems.extend(extraction.problems)
    resolved = resolve(extractions, gazetteer)
    progress("graph", 0, 1)
    dataset = build_dataset(resolved)
    progress("graph", 1, 1)
    result = BuildResult(dataset, resolved, sorted(set(problems)))
    if out_dir is not None:
        result.outputs = write_graph_outputs(dataset, Path(out_dir))
        progress("write", 1, 1)
        if views:
            from .site import write_site

            result.outputs.update(write_site(dataset, Path(out_dir)))
            progress("views", 1, 1)
    return result
