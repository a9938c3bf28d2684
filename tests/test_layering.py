"""Imports only run down the pipeline; the CLI sits on the library."""

from __future__ import annotations

import ast

from .conftest import ROOT

SRC = ROOT / "src" / "pccgraph"
# Each module may import only the ones listed (pccgraph-internal imports).
ALLOWED = {
    "errors": set(),
    "model": set(),
    "vocab": set(),
    "dates": set(),
    "reference": {"errors", "model"},
    "corpus": {"dates", "errors", "model"},
    "documents": {"corpus", "dates", "model"},
    "extract": {"model", "reference", "vocab", "dates", "documents", "extract"},
    "resolve": {"model", "reference", "vocab", "extract"},
    "graph": {"model", "resolve", "vocab"},
    "output": {"errors", "graph", "vocab"},
    # each named graph made, rendered and checked once (in workers), cached between builds
    "render": {"cache", "graph", "model", "output", "resolve", "validation"},
    # extraction cache and executors (process pool, Dask): run the extract stage many times
    "cache": {"model"},
    "executor": {"cache", "documents", "errors", "extract", "model", "reference"},
    "pipeline": {
        "cache", "corpus", "errors", "executor", "extract", "graph", "documents", "model", "output",
        "reference", "render", "resolve", "site", "validation",
    },
    # consumers of the built graph: queries, views, validation (they never reach back up)
    "evaluate": {"errors", "model"},
    "queries": {"errors", "store", "vocab"},
    "store": {"errors"},
    "querypage": {"errors", "queries"},
    "analytics": {"errors", "graph", "model", "output", "vocab"},
    "views": {"analytics", "errors", "output", "vocab"},
    "site": {"analytics", "errors", "graph", "output", "queries", "tracker", "views", "vocab"},
    "tracker": {"graph", "output", "vocab"},
    "validation": {"errors", "model", "vocab"},
    "reasoning": {"errors", "output", "validation", "vocab"},
}


def _imports(path: object) -> set[str]:
    """pccgraph modules a file imports; inside a subpackage, siblings are not counted."""
    depth = len(path.relative_to(SRC).parts)  # type: ignore[attr-defined]
    tree = ast.parse(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0 and node.level >= depth:
            module = (node.module or "").split(".")[0]
            if module:
                found.add(module)
            else:
                found.update(alias.name for alias in node.names)
    return found


def test_layering_stages_import_only_upstream() -> None:
    """A stage imports only the stages above it (and model, vocab, errors)."""
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        module = rel.parts[0].removesuffix(".py")
        if module in ("__init__", "__main__", "cli"):
            continue
        assert module in ALLOWED, f"{rel}: a new module needs its place in ALLOWED"
        imported = _imports(path) - {""}
        extra = imported - ALLOWED[module] - {module}
        assert not extra, f"{rel} imports {sorted(extra)}"


def test_layering_cli_uses_only_the_library() -> None:
    """The CLI does not reach into stage internals other than through pipeline and thin helpers."""
    imported = _imports(SRC / "cli.py")
    assert "pipeline" in imported
    assert not imported & {"corpus", "documents", "extract", "resolve", "graph"}
