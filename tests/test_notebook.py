"""The library from a notebook: ``pccgraph.query``, ``QueryResult.to_pandas`` and docs/quickstart.ipynb.

The notebook is executed on a real Jupyter kernel (ipykernel, this venv's Python) by
nbclient, from a copy in a temporary folder whose ``data`` and ``queries`` point at the
project's, so its build writes into the temporary folder and nothing in the repository changes.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from pathlib import Path

import nbclient
import nbformat
import pandas as pd
import pytest
from jupyter_client.manager import KernelManager

import pccgraph
from pccgraph.errors import QueryError
from pccgraph.queries import QueryResult, find_query, run_query

from .conftest import ROOT

GRAPH = ROOT / "output" / "pccgraph.trig"
NOTEBOOK = ROOT / "docs" / "quickstart.ipynb"
QUERIES = ROOT / "queries"


def test_query_runs_a_saved_query_by_name_with_params() -> None:
    """``pccgraph.query(name, **params)``: the same rows as run_query, labels resolved like the CLI's."""
    rows = pccgraph.query("programme_timeline", source=GRAPH, folder=QUERIES, programme="Athena")
    assert isinstance(rows, QueryResult)
    assert rows.columns == ("date", "letter", "quote", "kind")
    # Athena is named in the custody-suites letter (October 2015) and the domestic abuse
    # progress report letter of 10 March 2016 (twice: "Athena" and "Athena IT system").
    assert [r[0] for r in rows.rows] == ["2015-10", "2016-03-10", "2016-03-10"]
    assert {r[2] for r in rows.rows} == {"Athena process management system", "Athena", "Athena IT system"}
    by_iri = pccgraph.query("programme_timeline", source=GRAPH, folder=QUERIES,
                            programme="pccid:programme/athena")
    assert by_iri.rows == rows.rows
    saved = find_query("programme_timeline", QUERIES)
    assert run_query(saved, GRAPH, params={"programme": "Athena"}).rows == rows.rows


def test_query_takes_a_build_result_and_reports_bad_params(built: pccgraph.BuildResult) -> None:
    """A BuildResult (or its dataset) is a source; an unknown parameter is a QueryError naming it."""
    from_build = pccgraph.query("letters", source=built, folder=QUERIES)
    assert len(from_build.rows) == built.letters == 24
    assert from_build.rows == pccgraph.query("letters", source=GRAPH, folder=QUERIES).rows
    with pytest.raises(QueryError, match="unknown parameter colour"):
        pccgraph.query("letters", source=GRAPH, folder=QUERIES, colour="red")
    with pytest.raises(QueryError, match="no saved query 'nope'"):
        pccgraph.query("nope", source=GRAPH, folder=QUERIES)


def test_to_pandas_types_number_columns_and_keeps_strings() -> None:
    """Whole-number columns become numbers (an empty cell missing), others stay strings, rows in order."""
    result = pccgraph.query("recommendation_counts", source=GRAPH, folder=QUERIES)
    frame = result.to_pandas()
    assert list(frame.columns) == list(result.columns) == ["report_title", "count", "applies_to"]
    assert len(frame) == len(result.rows)
    assert pd.api.types.is_integer_dtype(frame["count"])
    assert list(frame["count"]) == [int(r[1]) for r in result.rows]
    assert list(frame["report_title"]) == [r[0] for r in result.rows]
    assert list(frame["applies_to"]) == [r[2] for r in result.rows]
    assert "" in set(frame["applies_to"])  # unbound stays "" in a text column

    made = QueryResult("t", ("n", "x", "label"), (("3", "1.5", "a"), ("", "2e3", ""), ("10", "", "007b")))
    typed = made.to_pandas()
    assert list(typed["n"][[0, 2]]) == [3, 10] and math.isnan(typed["n"][1])
    assert list(typed["x"][:2]) == [1.5, 2000.0] and math.isnan(typed["x"][2])
    assert list(typed["label"]) == ["a", "", "007b"]


def test_to_pandas_without_pandas_names_the_extra() -> None:
    """With pandas missing, the error says which extra to install."""
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "from pccgraph.queries import QueryResult\n"
        "from pccgraph.errors import QueryError\n"
        "try:\n    QueryResult('t', ('a',), (('1',),)).to_pandas()\n"
        "except QueryError as exc:\n    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert "pip install 'pccgraph[notebook]'" in done.stdout


def test_committed_notebook_has_no_outputs() -> None:
    """docs/quickstart.ipynb is committed with its outputs cleared."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) >= 6
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)


def _text(cell: dict) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output["text"])
        elif "data" in output:
            parts.append(output["data"].get("text/plain", ""))
    return "".join(parts)


@pytest.mark.slow
def test_quickstart_notebook_runs_on_a_real_kernel(tmp_path: Path) -> None:
    """The quickstart builds the graph, runs the saved queries, draws a chart and a network."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "data").mkdir()
    for link, target in (("queries", QUERIES), ("data/letters", ROOT / "data" / "letters"),
                         ("data/reference", ROOT / "data" / "reference")):
        (tmp_path / link).symlink_to(target, target_is_directory=True)
    copy = tmp_path / "docs" / "quickstart.ipynb"
    copy.write_bytes(NOTEBOOK.read_bytes())
    before = NOTEBOOK.read_bytes()

    nb = nbformat.read(copy, as_version=4)
    # the kernel talks to the client over Unix sockets in the temporary folder, not TCP
    kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(tmp_path / "kernel"))
    client = nbclient.NotebookClient(nb, km=kernel, timeout=600,
                                     resources={"metadata": {"path": str(tmp_path / "docs")}})
    started = time.perf_counter()
    client.execute()
    print(f"quickstart notebook: {time.perf_counter() - started:.1f} s")

    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(o.get("output_type") != "error" for c in code for o in c.outputs)
    out = tmp_path / "output"
    assert (out / "pccgraph.trig").is_file()
    # the graph it built is the bundled one, byte for byte
    assert (out / "pccgraph.ttl").read_bytes() == (ROOT / "output" / "pccgraph.ttl").read_bytes()
    texts = "\n".join(_text(c) for c in code)
    letters = run_query(find_query("letters", QUERIES), GRAPH)
    assert f"letters: {len(letters.rows)}" in texts
    assert "built: 24 letters" in texts
    for saved in pccgraph.load_queries(QUERIES):
        assert saved.name in texts  # the list of saved queries
    counts = run_query(find_query("recommendation_counts", QUERIES), GRAPH)
    reports = {r[0] for r in counts.rows}
    assert f"recommendation counts: {len(reports)} reports" in texts
    pairs = run_query(find_query("cooccurrence", QUERIES), GRAPH)
    assert f"{len(pairs.rows)} pairs" in texts
    # one chart and one network, drawn as images
    images = [c for c in code if any("image/png" in o.get("data", {}) for o in c.outputs)]
    assert len(images) == 2
    assert "barh" in images[0].source and "draw_networkx" in images[1].source
    assert NOTEBOOK.read_bytes() == before
