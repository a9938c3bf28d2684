"""Writing outputs: canonical Turtle, TriG and JSON-LD, replaced atomically as a set.

Files are written to temporary names beside their targets and renamed over them
only when all are written, so a failed build never leaves a half-written output,
nor a new Turtle beside an old TriG.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from rdflib import BNode, Dataset, Graph

from .errors import OutputError
from .graph import bind_prefixes, iter_named_graphs, union_graph


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` newlines, atomically."""
    atomic_write_all({path: text})


def atomic_write_all(texts: dict[Path, str]) -> None:
    """Replace several files as one set: all of them, or none.

    Every file is written to a temporary name first; only when all are written
    are they renamed into place, the old files kept aside until the last rename
    succeeds and put back if one fails.
    """
    for path in texts:
        if path.is_dir():
            raise OutputError(f"{path}: cannot write: a folder is in the way")
    staged: list[tuple[Path, Path]] = []
    current = Path(".")  # the file being written or replaced, named in an error
    try:
        for current, text in texts.items():
            current.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{current.name}.", suffix=".tmp", dir=current.parent)
            os.close(fd)
            staged.append((Path(tmp_name), current))
            Path(tmp_name).write_text(text, encoding="utf-8", newline="\n")
            os.chmod(tmp_name, 0o644)
    except BaseException as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{current}: cannot write: {exc}") from exc
        raise
    moved: list[tuple[Path, Path | None]] = []
    try:
        for tmp, current in staged:
            backup = None
            if current.exists():
                backup = current.with_name(f".{current.name}.previous")
                os.replace(current, backup)
            moved.append((current, backup))
            os.replace(tmp, current)
    except BaseException as exc:
        for done, backup in reversed(moved):
            if backup is not None and backup.exists():
                os.replace(backup, done)
            elif backup is None:
                done.unlink(missing_ok=True)
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{current}: cannot replace: {exc}") from exc
        raise
    for _, backup in moved:
        if backup is not None:
            backup.unlink(missing_ok=True)


def canonical_turtle(g: Graph) -> str:
    """Sorted, diff-friendly Turtle (rdflib's ``longturtle``).

    ``canon=True`` only renames blank nodes canonically, at three times the cost;
    our graphs have none, so it is used only when one appears.
    """
    bind_prefixes(g)
    has_bnodes = any(isinstance(term, BNode) for triple in g for term in triple)
    return g.serialize(format="longturtle", canon=has_bnodes)


def _prefix_lines(turtle: str) -> tuple[list[str], list[str]]:
    prefixes, body = [], []
    for line in turtle.splitlines():
        (prefixes if line.startswith("PREFIX ") or line.startswith("@prefix ") else body).append(line)
    return prefixes, body


def canonical_trig(ds: Dataset) -> str:
    """TriG with named graphs sorted by IRI, each graph body in canonical Turtle."""
    all_prefixes: set[str] = set()
    blocks: list[str] = []
    for name, graph in iter_named_graphs(ds):
        g = Graph()
        for triple in graph:
            g.add(triple)
        prefixes, body = _prefix_lines(canonical_turtle(g))
        all_prefixes.update(prefixes)
        # Lines are not indented: a multi-line literal (a letter's text) must stay byte-exact.
        inner = "\n".join(body).strip("\n")
        blocks.append(f"<{name}> {{\n{inner}\n}}\n")
    return "\n".join(sorted(all_prefixes)) + "\n\n" + "\n".join(blocks)


def canonical_jsonld(g: Graph) -> str:
    """JSON-LD with the contract's prefixes as context, nodes sorted by @id."""
    bind_prefixes(g)
    data = json.loads(g.serialize(format="json-ld", auto_compact=True))
    context = data.get("@context", {})
    nodes = data.get("@graph", [data] if "@id" in data else [])

    def sort_value(value: object) -> object:
        if isinstance(value, list):
            items = [sort_value(v) for v in value]
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        if isinstance(value, dict):
            return {k: sort_value(v) for k, v in sorted(value.items())}
        return value

    nodes = sorted((sort_value(n) for n in nodes), key=lambda n: str(n.get("@id", "")))  # type: ignore[union-attr]
    return json.dumps({"@context": context, "@graph": nodes}, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def write_graph_outputs(ds: Dataset, out_dir: Path) -> dict[str, Path]:
    """Write ``pccgraph.ttl``, ``pccgraph.trig`` and ``pccgraph.jsonld`` into ``out_dir``.

    All three are serialised in memory first, so nothing is replaced unless all succeed.
    """
    union = union_graph(ds)
    texts = {
        "pccgraph.ttl": canonical_turtle(union),
        "pccgraph.trig": canonical_trig(ds),
        "pccgraph.jsonld": canonical_jsonld(union),
    }
    paths = {name: out_dir / name for name in texts}
    atomic_write_all({paths[name]: text for name, text in texts.items()})
    return paths
