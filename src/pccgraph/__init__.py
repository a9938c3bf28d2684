"""pccgraph: a knowledge graph of PCC responses to HMIC inspection reports.

The library a notebook calls::

    import pccgraph
    result = pccgraph.build(["data/letters"], "output")
    result.store    # pyoxigraph Store, one named graph per response
    result.dataset  # the same as an rdflib Dataset (made on first use; small graphs)

    rows = pccgraph.query("programme_timeline", programme="Athena")
    rows.columns, rows.rows  # the table, values as strings
    rows.to_pandas()         # a DataFrame (pip install 'pccgraph[notebook]')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import PccgraphError, QueryError
from .pipeline import BuildResult, build
from .queries import DEFAULT_QUERIES, QueryResult, SavedQuery, find_query, load_queries, read_query, run_query

DEFAULT_GRAPH = Path("output/pccgraph.trig")


def query(
    name: str | Path | SavedQuery,
    *,
    source: Any = DEFAULT_GRAPH,
    folder: Path | str = DEFAULT_QUERIES,
    engine: str = "oxigraph",
    **params: Any,
) -> QueryResult:
    """Run a saved query on the built graph and return its rows.

    Args:
        name: a saved query's name (``"grades"``), a path to a ``.rq`` file, or a SavedQuery.
        source: the graph: a file written by ``build`` (default ``output/pccgraph.trig``),
            a ``BuildResult`` or its ``dataset``, a pyoxigraph Store, or a SPARQL endpoint URL.
        folder: where saved queries are looked up by name (default ``queries/``).
        engine: ``"oxigraph"`` (default) or ``"rdflib"``.
        **params: the query's parameters (``programme="Athena"``); values are turned into
            strings and bound as ``pccgraph query --param`` binds them (IRIs, whole numbers,
            labels of entities, plain strings).

    Returns:
        The columns and rows; ``.as_dicts()`` and ``.to_pandas()`` give other shapes.

    Raises:
        QueryError: unknown query, bad or missing parameter, or a graph that cannot be read.
    """
    if isinstance(name, SavedQuery):
        saved = name
    elif isinstance(name, Path) or str(name).endswith(".rq"):
        saved = read_query(name)
    else:
        saved = find_query(str(name), Path(folder))
    if isinstance(source, BuildResult):
        source = source.store  # the build's Oxigraph store: no rdflib copy needed
    return run_query(saved, source, params={k: str(v) for k, v in params.items()}, engine=engine)


__all__ = [
    "BuildResult",
    "PccgraphError",
    "QueryError",
    "QueryResult",
    "SavedQuery",
    "build",
    "load_queries",
    "query",
]
