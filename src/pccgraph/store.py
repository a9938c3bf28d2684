"""The graph in a real triplestore: serve it with Oxigraph, push it to any SPARQL 1.1 store.

``serve`` runs the ``oxigraph`` server (the PyPI package ``oxigraph``) on 127.0.0.1
with the graph loaded into a temporary on-disk store, one named graph per letter and
the union of all of them as the default graph. ``push`` uploads a TriG file through
the SPARQL 1.1 Graph Store HTTP Protocol (``PUT {store}?graph=<iri>``), one request
per named graph; a PUT replaces that graph, so pushing twice leaves the same store.
It then deletes (``DELETE {store}?graph=<iri>``) the response graphs the store still
holds that the file no longer has: a letter removed from the corpus leaves the store too.
Only the standard library speaks HTTP here; ``fetch`` sends a user's credentials
with basic or digest authentication, whichever the store asks for.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import PccgraphError

DEFAULT_INPUT = Path("output/pccgraph.trig")
DEFAULT_PORT = 7878
HOST = "127.0.0.1"
START_TIMEOUT = 30.0
LOAD_TIMEOUT = 600.0
STOP_TIMEOUT = 10.0
HTTP_TIMEOUT = 60.0


class StoreError(PccgraphError):
    """The triplestore could not be started, reached or written to."""


class AuthError(StoreError):
    """The store refused the request: 401 (credentials missing or wrong) or 403 (no permission).

    Attributes:
        status: 401 or 403.
        url: the URL that was refused.
        user: the user name sent, or ``None`` when the request carried no credentials.
    """

    def __init__(self, message: str, *, status: int, url: str, user: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.url = url
        self.user = user


@dataclass(frozen=True)
class PushResult:
    """What a push sent: named graphs replaced, triples in them, response graphs deleted."""

    endpoint: str
    graphs: int
    triples: int
    deleted: tuple[str, ...] = ()


# Named graphs that hold one response each: the ones a push may delete when they are gone.
RESPONSE_GRAPH_PREFIXES = tuple(
    f"https://w3id.org/pccgraph/id/{kind}/" for kind in ("letter", "statement", "form")
)


@dataclass
class Server:
    """A running ``oxigraph serve`` process and its URLs."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    location: Path

    @property
    def url(self) -> str:
        """The server root; its page in a browser is a SPARQL query editor."""
        return f"http://{self.host}:{self.port}/"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 query endpoint."""
        return f"http://{self.host}:{self.port}/query"

    @property
    def update_url(self) -> str:
        """The SPARQL 1.1 update endpoint."""
        return f"http://{self.host}:{self.port}/update"

    @property
    def store_url(self) -> str:
        """The SPARQL 1.1 Graph Store Protocol endpoint (for ``push``)."""
        return f"http://{self.host}:{self.port}/store"

    def running(self) -> bool:
        """True while the server process is alive."""
        return self.process.poll() is None

    def wait(self) -> int:
        """Block until the server exits (or Ctrl-C); its exit code."""
        return self.process.wait()


def oxigraph_command() -> str:
    """The ``oxigraph`` server executable: beside this Python first, then on PATH.

    Raises:
        StoreError: it is not installed.
    """
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise StoreError("the `oxigraph` server is not installed (pip install oxigraph)")


def free_port(host: str = HOST) -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the server gets SIGTERM if pccgraph dies without cleaning up."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _check_input(path: Path) -> None:
    if not path.is_file():
        raise StoreError(f"{path}: no such graph file (run `pccgraph build` first, or pass --input)")


def load(path: Path | str, location: Path | str, *, timeout: float = LOAD_TIMEOUT) -> None:
    """Load a graph file into an on-disk Oxigraph store with ``oxigraph load``.

    Raises:
        StoreError: the file is missing or the loader failed.
    """
    path = Path(path)
    _check_input(path)
    try:
        done = subprocess.run(
            [oxigraph_command(), "load", "--location", str(location), "--file", str(path)],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise StoreError(f"{path}: `oxigraph load` took more than {timeout:.0f} s") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()
        raise StoreError(f"{path}: `oxigraph load` failed: {detail}")


def _wait_until_up(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    ask = urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if not server.running():
            raise StoreError(f"`oxigraph serve` exited with code {server.process.returncode} "
                             f"(is port {server.port} already in use?)")
        try:
            with urllib.request.urlopen(f"{server.query_url}?{ask}", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise StoreError(f"`oxigraph serve` did not answer on {server.url} within {timeout:.0f} s")


def stop(server: Server, *, timeout: float = STOP_TIMEOUT) -> int:
    """Stop the server: SIGTERM, then SIGKILL after ``timeout``; its exit code."""
    process = server.process
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
    return int(process.returncode)


@contextlib.contextmanager
def serve(
    input_path: Path | str | None = DEFAULT_INPUT,
    *,
    port: int = DEFAULT_PORT,
    host: str = HOST,
    timeout: float = START_TIMEOUT,
) -> Iterator[Server]:
    """Run ``oxigraph serve`` with the graph loaded; stop it and delete its store on exit.

    Args:
        input_path: a TriG (or other RDF) file to load first; ``None`` starts empty.
        port: the TCP port; ``0`` picks a free one.
        host: the address to bind; keep the default (127.0.0.1) unless you mean to
            expose a read-write store.
        timeout: seconds to wait for the server to answer.

    Yields:
        The running server (``query_url``, ``store_url``, ``url`` for the browser).

    Raises:
        StoreError: oxigraph is missing, the load failed, or the server did not start.
    """
    if input_path is not None:
        _check_input(Path(input_path))
    command = oxigraph_command()
    location = Path(tempfile.mkdtemp(prefix="pccgraph-oxigraph-"))
    server: Server | None = None
    try:
        if input_path is not None:
            load(input_path, location)
        port = port or free_port(host)
        process = subprocess.Popen(
            [command, "serve", "--location", str(location), "--bind", f"{host}:{port}", "--union-default-graph"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509
        )
        server = Server(process=process, host=host, port=port, location=location)
        _wait_until_up(server, timeout)
        yield server
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(location, ignore_errors=True)


def _graphs(path: Path) -> dict[str, list[ox.Triple]]:
    """Triples per graph name ("" for the default graph) from an RDF file."""
    suffix = path.suffix.lower()
    formats = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
               ".nt": ox.RdfFormat.N_TRIPLES}
    if suffix not in formats:
        raise StoreError(f"{path}: push reads .trig, .nq, .ttl or .nt files")
    graphs: dict[str, list[ox.Triple]] = {}
    try:
        for quad in ox.parse(path=str(path), format=formats[suffix]):
            name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name.value)
            graphs.setdefault(name, []).append(quad.triple)
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"{path}: cannot read graph: {exc}") from exc
    return graphs


def store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL: ``endpoint`` as given, or ``…/store`` for a bare server root."""
    parsed = urllib.parse.urlsplit(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise StoreError(f"not an http(s) URL: {endpoint!r}")
    if parsed.path in ("", "/") and not parsed.query:
        return endpoint.rstrip("/") + "/store"  # Oxigraph's Graph Store endpoint
    return endpoint


def error_detail(exc: urllib.error.HTTPError, limit: int = 300) -> str:
    """The text of an error answer, shortened; an HTML page's markup and line breaks left out."""
    try:
        body = exc.read() if exc.fp is not None else b""
    except OSError:
        body = b""
    text = body.decode("utf-8", "replace")
    kind = exc.headers.get("Content-Type", "") if exc.headers is not None else ""
    if "html" in kind.lower() or re.match(r"\s*<(!DOCTYPE|html)", text, re.IGNORECASE):
        text = " ".join(re.sub(r"<[^>]*>", " ", text).split())
    return text.strip()[:limit]


def fetch(request: urllib.request.Request, *, user: str | None = None, password: str | None = None,
          timeout: float = HTTP_TIMEOUT) -> bytes:
    """Send ``request`` (with credentials when ``user`` is given) and return the answer's body.

    The credentials go only in answer to a 401 challenge, with the scheme the store's
    ``WWW-Authenticate`` names: digest or basic (digest first when it offers both).

    Raises:
        AuthError: the store answered 401 (no or wrong credentials) or 403 (no permission).
        urllib.error.HTTPError: any other error status, for the caller to explain.
        urllib.error.URLError, OSError: the store could not be reached.
        StoreError: ``user`` without a ``password``.
    """
    url = request.full_url
    opener = urllib.request.build_opener()
    if user is not None:
        if password is None:
            raise StoreError(f"a password is needed for user {user!r}")
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        parts = urllib.parse.urlsplit(url)
        manager.add_password(None, f"{parts.scheme}://{parts.netloc}/", user, password)
        opener = urllib.request.build_opener(
            urllib.request.HTTPDigestAuthHandler(manager), urllib.request.HTTPBasicAuthHandler(manager)
        )
    target = url.split("?", 1)[0]
    try:
        with opener.open(request, timeout=timeout) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            if user is None:
                raise AuthError(f"{target} asks for credentials (401 Unauthorized)",
                                status=401, url=target, user=None) from exc
            raise AuthError(f"the store refused the credentials for {user} at {target}",
                            status=401, url=target, user=user) from exc
        if exc.code == 403:
            detail = error_detail(exc)
            who = f"user {user}" if user is not None else "an anonymous request"
            raise AuthError(f"the store at {target} refused {who} permission (403 Forbidden)"
                            + (f": {detail}" if detail else ""), status=403, url=target, user=user) from exc
        raise
    except ValueError as exc:  # urllib's digest handler meets a scheme it does not speak
        if "does not support" not in str(exc):
            raise
        raise StoreError(f"{target} asks for an authentication scheme other than basic or digest: {exc}") from exc


def _put(url: str, body: bytes, timeout: float, user: str | None, password: str | None) -> None:
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "text/turtle; charset=utf-8"}
    )
    try:
        fetch(request, user=user, password=password, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise StoreError(f"PUT {url} answered {exc.code}: {error_detail(exc)}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise StoreError(f"cannot reach {url}: {exc}") from exc


def _delete(url: str, timeout: float, user: str | None, password: str | None) -> None:
    request = urllib.request.Request(url, method="DELETE")
    try:
        fetch(request, user=user, password=password, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:  # already gone
            return
        raise StoreError(f"DELETE {url} answered {exc.code}: {error_detail(exc)}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise StoreError(f"cannot reach {url}: {exc}") from exc


def query_url_for(store_endpoint: str) -> str | None:
    """The SPARQL query endpoint beside a Graph Store endpoint, for the stores we know.

    Oxigraph ``…/store`` -> ``…/query``; Fuseki ``…/DATASET/data`` -> ``…/DATASET/query``;
    Virtuoso ``…/sparql-graph-crud[-auth]`` -> ``…/sparql``; GraphDB
    ``…/repositories/ID/rdf-graphs/service`` -> ``…/repositories/ID``; otherwise ``None``.
    """
    parts = urllib.parse.urlsplit(store_endpoint)
    path = parts.path.rstrip("/")
    for tail, replacement in (("/store", "/query"), ("/data", "/query"), ("/sparql-graph-crud", "/sparql"),
                              ("/sparql-graph-crud-auth", "/sparql"), ("/rdf-graphs/service", "")):
        if path.endswith(tail):
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path[: -len(tail)] + replacement, "", ""))
    return None


_RESPONSE_GRAPHS = """SELECT DISTINCT ?g WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(%s)
}""" % " || ".join(f'STRSTARTS(STR(?g), "{prefix}")' for prefix in RESPONSE_GRAPH_PREFIXES)


def response_graphs(query_url: str, *, timeout: float = HTTP_TIMEOUT, user: str | None = None,
                    password: str | None = None) -> set[str]:
    """The response graphs (``pccid:letter/…``, ``statement/…``, ``form/…``) a store holds.

    Raises:
        StoreError: the query endpoint refused or could not be reached.
    """
    url = f"{query_url}?{urllib.parse.urlencode({'query': _RESPONSE_GRAPHS})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        body = fetch(request, user=user, password=password, timeout=timeout)
        rows = json.loads(body.decode("utf-8"))["results"]["bindings"]
    except urllib.error.HTTPError as exc:
        raise StoreError(f"listing the graphs at {query_url} answered {exc.code}: {error_detail(exc)}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise StoreError(f"cannot reach {query_url}: {exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"{query_url} did not answer with SPARQL JSON results: {exc}") from exc
    return {row["g"]["value"] for row in rows if row.get("g", {}).get("type") == "uri"}


def push(input_path: Path | str = DEFAULT_INPUT, endpoint: str = "", *, timeout: float = HTTP_TIMEOUT,
         user: str | None = None, password: str | None = None, prune: bool = True,
         sparql_endpoint: str | None = None) -> PushResult:
    """Upload every named graph of ``input_path`` with ``PUT {store}?graph=<iri>``, then
    delete the response graphs the store holds that the file no longer has.

    Each PUT replaces the graph of that name, so pushing the same file twice leaves
    the same store. Triples outside any named graph replace the default graph. Only
    response graphs (``pccid:letter/…``, ``pccid:statement/…``, ``pccid:form/…``) are
    ever deleted; other graphs in the store are left alone.

    Args:
        input_path: the TriG file (``output/pccgraph.trig``).
        endpoint: the store's Graph Store Protocol URL, e.g. Oxigraph
            ``http://localhost:7878/store``, Fuseki ``http://localhost:3030/ds/data``,
            GraphDB ``http://localhost:7200/repositories/ID/rdf-graphs/service``.
            A bare server root gets Oxigraph's ``/store``.
        timeout: seconds allowed for each request.
        user: a user name for a store that needs credentials (e.g. Virtuoso's
            ``/sparql-graph-crud-auth``); sent with basic or digest authentication,
            whichever the store asks for.
        password: that user's password.
        prune: delete the response graphs that are gone (default); ``False`` keeps them.
        sparql_endpoint: the store's SPARQL query URL, used to list its graphs; by
            default derived from ``endpoint`` for Oxigraph, Fuseki, Virtuoso and GraphDB.

    Raises:
        AuthError: the store refused the credentials (401) or the permission (403).
        StoreError: the file cannot be read, or the store refused or could not be reached,
            or ``prune`` needs a query endpoint that cannot be derived from ``endpoint``.
    """
    path = Path(input_path)
    _check_input(path)
    url = store_url(endpoint)
    query_url = sparql_endpoint or query_url_for(url)
    if prune and query_url is None:
        raise StoreError(f"cannot tell the SPARQL query endpoint of {url}: pass it (--sparql URL), "
                         "or keep gone responses (--keep-gone)")
    graphs = _graphs(path)
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    triples = 0
    for name in sorted(graphs):
        body = ox.serialize(graphs[name], format=ox.RdfFormat.TURTLE)
        target = f"{url}{separator}default" if not name else f"{url}{separator}{urllib.parse.urlencode({'graph': name})}"
        _put(target, body if isinstance(body, bytes) else body.encode("utf-8"), timeout, user, password)
        triples += len(graphs[name])
    deleted: list[str] = []
    if prune and query_url is not None:
        for name in sorted(response_graphs(query_url, timeout=timeout, user=user, password=password) - set(graphs)):
            _delete(f"{url}{separator}{urllib.parse.urlencode({'graph': name})}", timeout, user, password)
            deleted.append(name)
    return PushResult(endpoint=url, graphs=sum(1 for n in graphs if n), triples=triples, deleted=tuple(deleted))


__all__ = [
    "AuthError",
    "DEFAULT_INPUT",
    "DEFAULT_PORT",
    "PushResult",
    "RESPONSE_GRAPH_PREFIXES",
    "Server",
    "StoreError",
    "error_detail",
    "fetch",
    "free_port",
    "load",
    "oxigraph_command",
    "push",
    "query_url_for",
    "response_graphs",
    "serve",
    "stop",
    "store_url",
]
