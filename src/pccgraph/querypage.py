"""The query page of ``pccgraph serve``: every saved query as a tab, run on the local server.

Oxigraph's own page (YASGUI) asks prefix.cc for prefixes and knows nothing of the saved
queries. This page is pccgraph's own: a small HTTP server on 127.0.0.1 (standard library,
in a thread) serves one HTML page with the saved queries embedded, and runs them through
``queries.run_query`` against the local SPARQL endpoint, so parameters are bound exactly
as ``pccgraph query --param`` binds them (labels of entities included). Nothing on the
page loads from anywhere else: a Content-Security-Policy allows only its own script and
style (by hash) and requests to its own origin.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import html
import json
import re
import threading
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .errors import PccgraphError
from .queries import DEFAULT_QUERIES, SavedQuery, load_queries, run_query

HOST = "127.0.0.1"
MAX_REQUEST_BYTES = 1_000_000

_PARAM_LINE = re.compile(r"#\s*param\s*:\s*[?$]?([A-Za-z_][A-Za-z0-9_]*)\s*(.*)$", re.IGNORECASE)
_HEADER_LINE = re.compile(r"#\s*(title|description|param)\s*:", re.IGNORECASE)


def param_help(saved: SavedQuery) -> dict[str, str]:
    """What each parameter means: its ``# param:`` line and the comment lines that continue it."""
    found: dict[str, str] = {}
    current = ""
    for line in saved.text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _PARAM_LINE.match(stripped)
        if match:
            current = match.group(1)
            found[current] = match.group(2).strip()
        elif _HEADER_LINE.match(stripped):
            current = ""
        elif current:
            found[current] = f"{found[current]} {stripped.lstrip('#').strip()}".strip()
    return {name: found.get(name, "") for name in saved.params}


_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
header { background: #234; color: #fff; padding: 8px 16px; }
header h1 { font-size: 18px; margin: 0; }
#tabs { display: flex; flex-wrap: wrap; gap: 4px; padding: 8px 16px; border-bottom: 1px solid #ccc; }
#tabs button { border: 1px solid #bbb; background: #f4f4f4; padding: 4px 8px; cursor: pointer; border-radius: 3px; }
#tabs button[aria-selected="true"] { background: #fff; border-color: #234; font-weight: bold; }
main { padding: 8px 16px; }
.param { margin: 6px 0; }
.param label { font-weight: bold; display: inline-block; min-width: 8em; }
.param input { width: 24em; }
.param p { margin: 2px 0 0 0; color: #555; }
textarea { width: 100%; height: 16em; font: 12px/1.3 monospace; }
table { border-collapse: collapse; margin-top: 8px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
#status { margin-left: 1em; color: #555; }
#status.error { color: #b00; }
"""

_SCRIPT = """
"use strict";
const queries = JSON.parse(document.getElementById("queries").textContent);
const tabs = document.getElementById("tabs");
const panel = document.getElementById("panel");
function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}
function show(q, button) {
  for (const b of tabs.querySelectorAll("button")) b.setAttribute("aria-selected", "false");
  button.setAttribute("aria-selected", "true");
  panel.replaceChildren();
  panel.append(el("h2", {id: "title"}, q.title));
  panel.append(el("p", {id: "description"}, q.description));
  const inputs = {};
  if (q.params.length) panel.append(el("h3", {}, "Parameters"));
  for (const p of q.params) {
    const box = el("div", {class: "param"});
    const input = el("input", {id: "param-" + p.name, name: p.name});
    box.append(el("label", {for: "param-" + p.name}, p.name), input, el("p", {class: "help"}, p.help));
    panel.append(box);
    inputs[p.name] = input;
  }
  const text = el("textarea", {id: "text", spellcheck: "false"});
  text.value = q.text;
  const run = el("button", {id: "run"}, "Run");
  const status = el("span", {id: "status"});
  const result = el("div", {id: "result"});
  panel.append(text, run, status, result);
  run.addEventListener("click", async () => {
    status.className = ""; status.textContent = "running…"; result.replaceChildren();
    const params = {};
    for (const [k, input] of Object.entries(inputs)) if (input.value !== "") params[k] = input.value;
    try {
      const response = await fetch("run", {method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({name: q.name, text: text.value, params: params})});
      const data = await response.json();
      if (!response.ok) throw new Error(data.error || response.statusText);
      const table = el("table", {id: "rows"});
      const head = el("tr");
      for (const c of data.columns) head.append(el("th", {}, c));
      table.append(head);
      for (const row of data.rows) {
        const tr = el("tr");
        for (const v of row) tr.append(el("td", {}, v));
        table.append(tr);
      }
      result.append(table);
      status.textContent = data.rows.length + " rows";
    } catch (err) {
      status.className = "error"; status.textContent = String(err.message || err);
    }
  });
}
for (const q of queries) {
  const b = el("button", {role: "tab", "aria-selected": "false", "data-query": q.name, title: q.name}, q.title);
  b.addEventListener("click", () => show(q, b));
  tabs.append(b);
}
if (queries.length) show(queries[0], tabs.querySelector("button"));
"""


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


CSP = (
    f"default-src 'none'; script-src '{_sha256(_SCRIPT)}'; style-src '{_sha256(_STYLE)}'; "
    "connect-src 'self'; img-src 'none'; base-uri 'none'; form-action 'none'"
)
# frame-ancestors works only as an HTTP header (a <meta> policy ignores it, with a console error)
CSP_HEADER = CSP + "; frame-ancestors 'none'"


def render_page(saved: list[SavedQuery]) -> str:
    """The page: one tab per saved query (its ``# title:``), parameters explained, no outside requests."""
    data = [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "params": [{"name": n, "help": h} for n, h in param_help(q).items()],
            "text": q.text,
        }
        for q in saved
    ]
    # "<" escaped: no text in a query can close the script element that holds them
    embedded = json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{html.escape(CSP)}\">\n"
        "<title>pccgraph saved queries</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        "<header><h1>pccgraph saved queries</h1></header>\n"
        "<nav id=\"tabs\" role=\"tablist\"></nav>\n<main id=\"panel\"></main>\n"
        f"<script type=\"application/json\" id=\"queries\">{embedded}</script>\n"
        f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


@dataclasses.dataclass
class PageServer:
    """The query page's HTTP server, running in a thread."""

    httpd: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        """Where to open the page."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"


def _handler(page: bytes, saved: dict[str, SavedQuery], endpoint: str, port_ref: list[int]) -> type:
    class Handler(BaseHTTPRequestHandler):
        server_version = "pccgraph"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            return

        def _local_host(self) -> bool:
            # A page on another site that rebinds its name to 127.0.0.1 sends its own Host.
            return self.headers.get("Host", "") in (f"127.0.0.1:{port_ref[0]}", f"localhost:{port_ref[0]}")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", CSP_HEADER)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data: object) -> None:
            self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            if not self._local_host():
                self._json(HTTPStatus.FORBIDDEN, {"error": "unknown host"})
            elif self.path in ("/", "/index.html"):
                self._send(HTTPStatus.OK, page, "text/html; charset=utf-8")
            else:
                self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})

        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            if not self._local_host():
                self._json(HTTPStatus.FORBIDDEN, {"error": "unknown host"})
                return
            if self.path != "/run":
                self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})
                return
            if not self.headers.get("Content-Type", "").startswith("application/json"):
                self._json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "send JSON"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_REQUEST_BYTES:
                self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "request too large"})
                return
            try:
                request = json.loads(self.rfile.read(length).decode("utf-8"))
                query = saved[str(request["name"])]
                text = str(request.get("text") or query.text)
                params = {str(k): str(v) for k, v in dict(request.get("params") or {}).items()}
            except (ValueError, KeyError, TypeError, AttributeError):
                self._json(HTTPStatus.BAD_REQUEST, {"error": "expected {name, text, params} naming a saved query"})
                return
            try:
                result = run_query(dataclasses.replace(query, text=text), endpoint, params=params)
            except PccgraphError as exc:
                self._json(HTTPStatus.BAD_REQUEST, {"error": str(exc)})
                return
            self._json(HTTPStatus.OK, {"columns": list(result.columns), "rows": [list(r) for r in result.rows]})

    return Handler


@contextlib.contextmanager
def serve_page(
    endpoint: str, folder: Path | str = DEFAULT_QUERIES, *, host: str = HOST, port: int = 0, or_free: bool = False
) -> Iterator[PageServer]:
    """Serve the query page for the SPARQL ``endpoint`` until the block ends.

    Args:
        endpoint: the local SPARQL query endpoint (``Server.query_url`` of ``store.serve``).
        folder: the saved queries.
        host: the address to bind (keep 127.0.0.1).
        port: the TCP port; 0 picks a free one.
        or_free: when ``port`` is taken, use a free one instead of failing.

    Raises:
        QueryError: the folder of saved queries is missing or a query has no title.
        PccgraphError: the port cannot be bound.
    """
    saved = load_queries(Path(folder))
    page = render_page(saved).encode("utf-8")
    port_ref = [port]
    handler = _handler(page, {q.name: q for q in saved}, endpoint, port_ref)
    try:
        httpd = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if not (or_free and port):
            raise PccgraphError(f"cannot serve the query page on {host}:{port}: {exc}") from exc
        httpd = ThreadingHTTPServer((host, 0), handler)
    port_ref[0] = int(httpd.server_address[1])
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="pccgraph-query-page", daemon=True)
    thread.start()
    try:
        yield PageServer(httpd, thread)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


__all__ = ["CSP", "PageServer", "param_help", "render_page", "serve_page"]
