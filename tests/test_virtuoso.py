"""A second real triplestore: Virtuoso 7 (Debian's `virtuoso-opensource`, the store behind DBpedia).

One Virtuoso per session, started from a temporary database folder on 127.0.0.1 only:
the bundled TriG pushed twice through the Graph Store Protocol, every saved query over
`/sparql` compared with the embedded engine, and the authenticated endpoints
(`/sparql-graph-crud-auth`, `/sparql-auth`, digest) with right and wrong credentials.
`make test` installs Virtuoso (.ci/system-deps.sh); without it these tests fail.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
from collections import Counter
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from pccgraph import store
from pccgraph.cli import cli
from pccgraph.queries import format_result, load_queries, run_query

from .conftest import ROOT
from .test_queries import PARAMS, QUERIES

pytestmark = pytest.mark.slow

TRIG = ROOT / "output" / "pccgraph.trig"
PCCID = "https://w3id.org/pccgraph/id/"
INI_CANDIDATES = (Path("/etc/virtuoso-opensource-7/virtuoso.ini"),
                  Path("/usr/share/virtuoso-opensource-7/virtuoso.ini"))
START_TIMEOUT = 60.0
DBA = ("dba", "dba")  # a fresh database's administrator
READER = ("reader", "reader-pw")  # created below: may query, may not write
# Our graphs only: Virtuoso keeps system graphs of its own beside them.
COUNT_QUADS = f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{PCCID}")) }}'
COUNT_GRAPHS = (f'SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                f'FILTER(STRSTARTS(STR(?g), "{PCCID}")) }}')


@dataclass
class Virtuoso:
    """A running `virtuoso-t` and its URLs."""

    process: subprocess.Popen[bytes]
    folder: Path
    sql_port: int
    http_port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    @property
    def sparql_auth(self) -> str:
        return f"{self.base}/sparql-auth"

    @property
    def crud(self) -> str:
        return f"{self.base}/sparql-graph-crud"

    @property
    def crud_auth(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    def log_tail(self, lines: int = 15) -> str:
        log = self.folder / "virtuoso.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else "(no log written)"
        return "\n".join(text.splitlines()[-lines:])

    def isql(self, sql: str) -> str:
        """Run SQL as dba with isql-vt; fail the test on any SQL error."""
        done = subprocess.run(
            [_tool("isql-vt"), f"127.0.0.1:{self.sql_port}", *DBA, f"exec={sql}"],
            capture_output=True, text=True, timeout=60, check=False,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            pytest.fail(f"isql-vt failed ({done.returncode}) on {sql!r}:\n{output}")
        return output


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"`{name}` is not installed: run `make system-deps` (installs Debian's virtuoso-opensource)")
    return found


def _ini(folder: Path, sql_port: int, http_port: int) -> str:
    """The package's virtuoso.ini with every file in ``folder`` and both ports on 127.0.0.1."""
    source = next((p for p in INI_CANDIDATES if p.is_file()), None)
    if source is None:
        pytest.fail(f"no virtuoso.ini in {', '.join(map(str, INI_CANDIDATES))}: is virtuoso-opensource installed?")
    settings = {
        ("database", "databasefile"): folder / "virtuoso.db",
        ("database", "errorlogfile"): folder / "virtuoso.log",
        ("database", "lockfile"): folder / "virtuoso.lck",
        ("database", "transactionfile"): folder / "virtuoso.trx",
        ("database", "xa_persistent_file"): folder / "virtuoso.pxa",
        ("tempdatabase", "databasefile"): folder / "virtuoso-temp.db",
        ("tempdatabase", "transactionfile"): folder / "virtuoso-temp.trx",
        ("parameters", "serverport"): f"127.0.0.1:{sql_port}",
        ("httpserver", "serverport"): f"127.0.0.1:{http_port}",
        ("uriqa", "defaulthost"): f"127.0.0.1:{http_port}",
    }
    lines, section, seen = [], "", set()
    for line in source.read_text(encoding="utf-8").splitlines():
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            section = header.group(1).strip().lower()
        entry = re.match(r"\s*([A-Za-z_][\w]*)\s*=", line)
        if entry and (section, entry.group(1).lower()) in settings:
            key = (section, entry.group(1).lower())
            line = f"{entry.group(1)} = {settings[key]}"
            seen.add(key)
        lines.append(line)
    missing = set(settings) - seen
    if missing:
        pytest.fail(f"{source}: no {sorted(missing)} to point at the temporary database")
    return "\n".join(lines) + "\n"


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Virtuoso gets SIGTERM if pytest dies without running its teardown."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(server: Virtuoso) -> None:
    """SIGTERM (Virtuoso checkpoints and exits within a second or two), SIGKILL after 30 s."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


@contextlib.contextmanager
def running_virtuoso() -> Iterator[Virtuoso]:
    """Start Virtuoso from a new temporary database; stop it and delete the folder on exit."""
    command = _tool("virtuoso-t")
    _tool("isql-vt")
    folder = Path(tempfile.mkdtemp(prefix="pccgraph-virtuoso-"))
    server: Virtuoso | None = None
    try:
        sql_port, http_port = store.free_port(), store.free_port()
        while http_port == sql_port:
            http_port = store.free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(_ini(folder, sql_port, http_port), encoding="utf-8")
        process = subprocess.Popen(
            [command, "+configfile", str(ini), "+foreground"],
            cwd=folder, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,  # noqa: PLW1509
        )
        server = Virtuoso(process=process, folder=folder, sql_port=sql_port, http_port=http_port)
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(server.sparql):
            if process.poll() is not None:
                pytest.fail(f"virtuoso-t exited with code {process.returncode} before answering; "
                            f"its log:\n{server.log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"Virtuoso did not answer {server.sparql} within {START_TIMEOUT:.0f} s; "
                            f"its log:\n{server.log_tail()}")
            time.sleep(0.25)
        yield server
    finally:
        if server is not None:
            _stop(server)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def virtuoso() -> Iterator[Virtuoso]:
    """One Virtuoso for the session, with the Graph Store endpoint open to anonymous writes
    (it is bound to 127.0.0.1 and deleted afterwards) and a user who may only read."""
    with running_virtuoso() as server:
        server.isql('GRANT SPARQL_UPDATE TO "SPARQL"; '
                    "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7); "
                    f"DB.DBA.USER_CREATE ('{READER[0]}', '{READER[1]}'); "
                    f'GRANT SPARQL_SELECT TO "{READER[0]}";')
        yield server


def _ascii_rows(rows: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    return [row for row in rows if all(cell.isascii() for cell in row)]


def _count(endpoint: str, query: str, **credentials: str) -> int:
    return int(run_query(query, endpoint, **credentials).rows[0][0])


def test_virtuoso_push_twice_and_every_saved_query(virtuoso: Virtuoso) -> None:
    """Push the bundled TriG twice (same quads), then every saved query gives the embedded engine's rows."""
    assert _count(virtuoso.sparql, COUNT_QUADS) == 0
    first = store.push(TRIG, virtuoso.crud)
    assert first.graphs == 25  # 24 letters + the reference graph
    quads = _count(virtuoso.sparql, COUNT_QUADS)
    assert quads == first.triples > 5000
    assert _count(virtuoso.sparql, COUNT_GRAPHS) == 25

    second = store.push(TRIG, virtuoso.crud)
    assert second == first
    assert _count(virtuoso.sparql, COUNT_QUADS) == quads
    assert _count(virtuoso.sparql, COUNT_GRAPHS) == 25

    saved = load_queries(QUERIES)
    assert len(saved) == len(list(QUERIES.glob("*.rq"))) >= 24
    for query in saved:
        embedded = run_query(query, TRIG, params=PARAMS.get(query.name))
        over_http = run_query(query, virtuoso.sparql, params=PARAMS.get(query.name))
        assert over_http.columns == embedded.columns, query.name
        assert Counter(over_http.rows) == Counter(embedded.rows), query.name
        # Virtuoso's ORDER BY puts a string with non-ASCII characters (the en dash in
        # "Inspection – West Mercia…") apart from SPARQL's code-point order; every
        # other row keeps the embedded engine's order.
        assert _ascii_rows(over_http.rows) == _ascii_rows(embedded.rows), query.name


def test_virtuoso_push_with_credentials(virtuoso: Virtuoso) -> None:
    """dba's digest credentials write through /sparql-graph-crud-auth and read through /sparql-auth."""
    result = store.push(TRIG, virtuoso.crud_auth, user=DBA[0], password=DBA[1])
    assert result.graphs == 25
    assert _count(virtuoso.sparql_auth, COUNT_QUADS, user=DBA[0], password=DBA[1]) == result.triples
    grades = run_query("grades", virtuoso.sparql_auth, user=DBA[0], password=DBA[1])
    assert grades == run_query("grades", TRIG)
    assert len(grades.rows) > 0


def test_virtuoso_refuses_wrong_or_missing_credentials(virtuoso: Virtuoso) -> None:
    """A wrong password is a 401 AuthError naming the user and URL; none at all says credentials are needed."""
    with pytest.raises(store.AuthError) as refused:
        store.push(TRIG, virtuoso.crud_auth, user=DBA[0], password="not-the-password")
    assert refused.value.status == 401
    assert str(refused.value) == f"the store refused the credentials for dba at {virtuoso.crud_auth}"
    with pytest.raises(store.AuthError, match=r"asks for credentials \(401") as anonymous:
        store.push(TRIG, virtuoso.crud_auth)
    assert anonymous.value.user is None
    with pytest.raises(store.AuthError, match="refused the credentials for dba at .*/sparql-auth$"):
        run_query("letters", virtuoso.sparql_auth, user=DBA[0], password="wrong")


def test_virtuoso_user_without_write_rights(virtuoso: Virtuoso) -> None:
    """A user who may only query gets a 403 AuthError on push, yet reads through /sparql-auth."""
    with pytest.raises(store.AuthError, match=r"refused user reader permission \(403 Forbidden\)") as refused:
        store.push(TRIG, virtuoso.crud_auth, user=READER[0], password=READER[1])
    assert refused.value.status == 403
    assert "Permission denied" in str(refused.value)
    assert _count(virtuoso.sparql_auth, COUNT_GRAPHS, user=READER[0], password=READER[1]) == 25


def test_virtuoso_cli_push_and_query_with_user(virtuoso: Virtuoso) -> None:
    """`push --user` and `query --user` take the password from PCCGRAPH_PASSWORD or a hidden prompt."""
    runner = CliRunner()
    pushed = runner.invoke(cli, ["push", "--user", "dba", "--endpoint", virtuoso.crud_auth, "--input", str(TRIG)],
                           env={"PCCGRAPH_PASSWORD": "dba", "COLUMNS": "400"})
    assert pushed.exit_code == 0, pushed.output
    triples = sum(1 for _ in ox.parse(path=str(TRIG), format=ox.RdfFormat.TRIG))
    assert f"pushed 25 named graphs, {triples} triples to {virtuoso.crud_auth}" in pushed.output

    asked = runner.invoke(cli, ["query", "letters", "--format", "csv", "--user", "dba", "--endpoint",
                                virtuoso.sparql_auth, "--input", str(TRIG), "--queries", str(QUERIES)],
                          env={"PCCGRAPH_PASSWORD": None}, input="dba\n")
    assert asked.exit_code == 0, asked.output
    prompt, table = asked.output.split("\n", 1)
    assert prompt == f"password for dba at {virtuoso.sparql_auth}: "  # the typed password is not echoed
    assert table == format_result(run_query("letters", TRIG), "csv").replace("\r\n", "\n")


def test_virtuoso_cli_wrong_password_and_no_rights(virtuoso: Virtuoso) -> None:
    """A wrong password exits 2 with the 401 message; a user without write rights exits 2 with the 403 one."""
    runner = CliRunner()
    wrong = runner.invoke(cli, ["push", "--user", "dba", "--endpoint", virtuoso.crud_auth, "--input", str(TRIG)],
                          env={"PCCGRAPH_PASSWORD": "wrong", "COLUMNS": "400"})
    assert wrong.exit_code == 2
    assert (f"error: the store refused the credentials for dba at {virtuoso.crud_auth}: "
            "check --user and PCCGRAPH_PASSWORD") in wrong.output
    reader = runner.invoke(cli, ["push", "--user", "reader", "--endpoint", virtuoso.crud_auth, "--input", str(TRIG)],
                           env={"PCCGRAPH_PASSWORD": READER[1], "COLUMNS": "400"})
    assert reader.exit_code == 2
    assert f"error: the store at {virtuoso.crud_auth} refused user reader permission (403 Forbidden)" in reader.output
    query = runner.invoke(cli, ["query", "letters", "--user", "dba", "--endpoint", virtuoso.sparql_auth,
                                "--queries", str(QUERIES)], env={"PCCGRAPH_PASSWORD": "wrong", "COLUMNS": "400"})
    assert query.exit_code == 2
    assert "check --user and PCCGRAPH_PASSWORD" in query.output
    anonymous = runner.invoke(cli, ["push", "--endpoint", virtuoso.crud_auth, "--input", str(TRIG)],
                              env={"COLUMNS": "400"})
    assert anonymous.exit_code == 2
    assert "asks for credentials (401 Unauthorized): pass --user NAME" in anonymous.output


def test_virtuoso_stops_cleanly() -> None:
    """A second Virtuoso starts from its own folder and, on exit, leaves no process, port or folder behind."""
    with running_virtuoso() as server:
        assert _answers(server.sparql)
        process, folder, port = server.process, server.folder, server.http_port
    assert process.poll() is not None, "virtuoso-t is still running"
    assert not folder.exists()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, "something still listens on Virtuoso's port"
