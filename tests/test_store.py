"""A real triplestore: `oxigraph serve` on a free port, a Graph Store Protocol push,
every saved query over the SPARQL protocol, an idempotent second push, a clean stop."""

from __future__ import annotations

import base64
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pccgraph import store
from pccgraph.cli import cli
from pccgraph.errors import QueryError
from pccgraph.pipeline import BuildResult
from pccgraph.queries import load_queries, run_query

from .conftest import ROOT
from .test_queries import PARAMS, QUERIES

pytestmark = pytest.mark.slow

COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNT_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def trig(built: BuildResult) -> Path:
    """The freshly built TriG of the bundled letters."""
    return built.outputs["pccgraph.trig"]


def _count(endpoint: str, query: str) -> int:
    return int(run_query(query, endpoint).rows[0][0])


def _port_open(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1):
            return True
    except OSError:
        return False


def test_store_push_query_repush_stop(trig: Path) -> None:
    """Push into an empty Oxigraph server, compare every saved query with in-process, push again, stop."""
    saved = load_queries(QUERIES)
    expected = {q.name: run_query(q, trig, params=PARAMS.get(q.name)) for q in saved}
    with store.serve(None, port=store.free_port()) as server:
        assert server.running()
        assert _count(server.query_url, COUNT_QUADS) == 0
        first = store.push(trig, server.store_url)
        assert first.graphs == 25  # 24 letters + the reference graph
        quads = _count(server.query_url, COUNT_QUADS)
        assert quads == first.triples > 5000
        assert _count(server.query_url, COUNT_GRAPHS) == 25
        for query in saved:
            over_http = run_query(query, server.query_url, params=PARAMS.get(query.name))
            assert over_http == expected[query.name], query.name

        second = store.push(trig, server.url)  # a bare server root gets /store
        assert second == first
        assert _count(server.query_url, COUNT_QUADS) == quads
        assert _count(server.query_url, COUNT_GRAPHS) == 25
        for query in saved:
            assert run_query(query, server.query_url, params=PARAMS.get(query.name)) == expected[query.name]
        process, port, location = server.process, server.port, server.location
    assert process.poll() is not None, "oxigraph serve is still running"
    assert not location.exists(), "the temporary store was not deleted"
    assert not _port_open(port)


def test_store_serve_loads_the_trig(trig: Path) -> None:
    """`serve` with an input file answers queries at once, union default graph included."""
    with store.serve(trig, port=0) as server:
        letters = run_query("letters", server.query_url)
        assert len(letters.rows) == 24
        assert letters == run_query("letters", trig)
        assert _count(server.query_url, COUNT_GRAPHS) == 25
    assert not server.running()


def test_store_push_replaces_a_changed_graph(trig: Path, tmp_path: Path) -> None:
    """A PUT replaces a graph: triples added by hand disappear on the next push."""
    with store.serve(None, port=0) as server:
        result = store.push(trig, server.store_url)
        letter = run_query("letters", server.query_url).rows[0][0]
        update = urllib.request.Request(
            server.update_url,
            data=f"INSERT DATA {{ GRAPH <{letter}> {{ <urn:x> <urn:y> <urn:z> }} }}".encode(),
            headers={"Content-Type": "application/sparql-update"},
            method="POST",
        )
        with urllib.request.urlopen(update, timeout=10):
            pass
        assert _count(server.query_url, COUNT_QUADS) == result.triples + 1
        store.push(trig, server.store_url)
        assert _count(server.query_url, COUNT_QUADS) == result.triples


def test_store_errors(tmp_path: Path) -> None:
    """A missing file, a non-HTTP endpoint and an unreachable store are StoreErrors."""
    with pytest.raises(store.StoreError, match="pccgraph build"):
        store.push(tmp_path / "none.trig", "http://127.0.0.1:9/store")
    graph = tmp_path / "g.trig"
    graph.write_text("<urn:g> { <urn:a> <urn:b> <urn:c> . }\n", encoding="utf-8")
    with pytest.raises(store.StoreError, match="not an http"):
        store.push(graph, "ftp://example.org/store")
    with pytest.raises(store.StoreError, match="cannot reach"):
        store.push(graph, f"http://127.0.0.1:{store.free_port()}/store", timeout=5)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        found.extend(int(c) for c in children)
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("to_group", [False, True], ids=["signal-to-pccgraph", "ctrl-c-in-a-terminal"])
def test_store_cli_serve_stops_on_ctrl_c(trig: Path, to_group: bool) -> None:
    """`pccgraph serve` prints its URLs, answers, and on Ctrl-C leaves no process behind.

    In a terminal Ctrl-C reaches the whole process group, oxigraph included.
    """
    port = store.free_port()
    command = [str(Path(sys.executable).with_name("pccgraph")), "serve", "--port", str(port), "--input", str(trig)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        lines = []
        while time.monotonic() < deadline and len(lines) < 3:
            line = process.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            lines.append(line.strip())
        assert lines[0] == f"SPARQL endpoint:   http://127.0.0.1:{port}/query", lines
        # the query page is pccgraph's own, on the next port (or a free one when that is taken)
        page_url = lines[1].removeprefix("query page:        ")
        assert page_url.startswith("http://127.0.0.1:") and page_url != f"http://127.0.0.1:{port}/", lines
        with urllib.request.urlopen(page_url, timeout=10) as response:
            assert b"<title>pccgraph saved queries</title>" in response.read()
        children = _children(process.pid)
        assert len(children) == 1
        assert len(run_query("letters", f"http://127.0.0.1:{port}/query").rows) == 24
        if to_group:
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert not _port_open(port)
    for child in children:
        deadline = time.monotonic() + 10
        while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Path(f"/proc/{child}").exists() or "Z" in _state(child), f"oxigraph {child} still running"
    assert "stopped" in (process.stderr.read() if process.stderr else "")  # type: ignore[union-attr]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "Z"


def test_store_oxigraph_is_installed() -> None:
    """The oxigraph server comes with the project's dependencies."""
    assert os.access(store.oxigraph_command(), os.X_OK)


class _BasicAuthGate(http.server.BaseHTTPRequestHandler):
    """A gate in front of the real Oxigraph server that lets a request through only with
    the right basic credentials, the way a reverse proxy guards a production store."""

    upstream = ""
    expected = ""
    seen: list[str] = []  # noqa: RUF012 - one list per test, set by the fixture

    def _relay(self) -> None:
        given = self.headers.get("Authorization")
        self.seen.append(given or "")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if given != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="pccgraph test store"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        request = urllib.request.Request(self.upstream + self.path, data=body, method=self.command,
                                         headers={k: v for k, v in self.headers.items()
                                                  if k.lower() in ("content-type", "accept")})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload, kind = response.status, response.read(), response.headers.get("Content-Type")
        except urllib.error.HTTPError as exc:
            status, payload, kind = exc.code, exc.read(), exc.headers.get("Content-Type")
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = _relay  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture()
def gated_store() -> Iterator[tuple[str, store.Server, list[str]]]:
    """An empty Oxigraph server behind a basic-auth gate (user "analyst", password "s3cret")."""
    with store.serve(None, port=0) as server:
        seen: list[str] = []
        token = base64.b64encode(b"analyst:s3cret").decode("ascii")
        handler = type("Gate", (_BasicAuthGate,), {"upstream": server.url.rstrip("/"),
                                                   "expected": f"Basic {token}", "seen": seen})
        gate = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=gate.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{gate.server_address[1]}", server, seen
        finally:
            gate.shutdown()
            gate.server_close()
            thread.join(timeout=10)


def test_store_push_and_query_with_basic_auth(trig: Path, gated_store: tuple[str, store.Server, list[str]]) -> None:
    """A store asking for basic authentication gets it, after its challenge only; a wrong password is a 401 AuthError."""
    gate, server, seen = gated_store
    result = store.push(trig, f"{gate}/store", user="analyst", password="s3cret")
    assert result.graphs == 25
    assert _count(server.query_url, COUNT_QUADS) == result.triples
    assert seen[0] == ""  # no credentials before the store asks
    assert seen[1] == "Basic " + base64.b64encode(b"analyst:s3cret").decode("ascii")
    letters = run_query("letters", f"{gate}/query", user="analyst", password="s3cret")
    assert letters == run_query("letters", trig)

    with pytest.raises(store.AuthError, match=f"^the store refused the credentials for analyst at {gate}/store$"):
        store.push(trig, f"{gate}/store", user="analyst", password="wrong")
    with pytest.raises(store.AuthError, match=f"^{gate}/query asks for credentials"):
        run_query("letters", f"{gate}/query")
    with pytest.raises(QueryError, match="user= and password= are for a SPARQL endpoint"):
        run_query("letters", trig, user="analyst", password="s3cret")


def test_store_cli_user_needs_endpoint(trig: Path) -> None:
    """`query --user` without --endpoint is a usage error: a graph file takes no credentials."""
    result = CliRunner().invoke(cli, ["query", "letters", "--user", "analyst", "--input", str(trig)],
                                env={"PCCGRAPH_PASSWORD": "x"})
    assert result.exit_code == 2
    assert "--user needs --endpoint" in result.output
