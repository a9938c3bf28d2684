"""The query page of ``pccgraph serve`` in headless Debian Chromium, against a real Oxigraph server.

Every saved query is a tab titled by its ``# title:``; a tab explains its parameters;
running a tab returns the rows the embedded engine gives; and the page asks nothing
of any host but 127.0.0.1 (every other request is counted and blocked).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pccgraph import querypage, store
from pccgraph.queries import find_query, load_queries, run_query

from .conftest import ROOT

GRAPH = ROOT / "output" / "pccgraph.trig"
QUERIES = ROOT / "queries"


def test_param_help_reads_the_param_lines_and_their_continuations() -> None:
    """A parameter's explanation is its ``# param:`` line and the comment lines under it."""
    saved = find_query("programme_timeline", QUERIES)
    helps = querypage.param_help(saved)
    assert list(helps) == ["programme"]
    assert helps["programme"].startswith("(pcc:Programme) — the programme: an IRI (pccid:programme/athena)")
    assert helps["programme"].endswith('or any of its labels, case-insensitive ("Athena", "athena it system")')
    assert querypage.param_help(find_query("grades", QUERIES)) == {}


def test_page_embeds_every_query_and_cannot_be_closed_by_one(tmp_path: Path) -> None:
    """Every saved query is in the page; a query holding ``</script>`` stays inside its JSON."""
    saved = load_queries(QUERIES)
    page = querypage.render_page(saved)
    for q in saved:
        assert json.dumps(q.title, ensure_ascii=False).replace("<", "\\u003c") in page
    (tmp_path / "evil.rq").write_text("# title: </script><script>alert(1)</script>\nSELECT * { ?s ?p ?o }\n",
                                      encoding="utf-8")
    evil = querypage.render_page(load_queries(tmp_path))
    assert evil.count("<script") == 2 and "alert(1)</script>" not in evil
    assert "prefix.cc" not in page and "http" not in querypage.CSP


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[store.Server, querypage.PageServer]]:
    """The bundled graph on a real Oxigraph server, and the query page in front of it."""
    with store.serve(GRAPH, port=0) as server, querypage.serve_page(server.query_url, QUERIES) as page:
        yield server, page


def _post(url: str, body: dict[str, Any], host: str | None = None) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    if host:
        request.add_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_page_server_runs_saved_queries_and_refuses_other_hosts(served: tuple[store.Server, querypage.PageServer]) -> None:
    """/run binds parameters like the CLI; a bad one is a readable error; a foreign Host is refused."""
    _, page = served
    status, data = _post(page.url + "run", {"name": "programme_timeline", "params": {"programme": "Athena"}})
    expected = run_query(find_query("programme_timeline", QUERIES), GRAPH, params={"programme": "Athena"})
    assert status == 200 and data == {"columns": list(expected.columns), "rows": [list(r) for r in expected.rows]}
    status, data = _post(page.url + "run", {"name": "programme_timeline", "params": {}})
    assert status == 400 and "missing parameter programme" in data["error"]
    status, data = _post(page.url + "run", {"name": "grades", "params": {}}, host="evil.example:80")
    assert status == 403


@pytest.mark.browser
def test_query_page_in_chromium_offline(served: tuple[store.Server, querypage.PageServer], browser: Any) -> None:
    """Every saved query is a tab; running two of them shows the embedded engine's rows; nothing leaves 127.0.0.1."""
    _, served_page = served
    saved = load_queries(QUERIES)
    outside: list[str] = []
    errors: list[str] = []
    requests: list[str] = []

    def route(request_route: Any) -> None:
        if urllib.parse.urlsplit(request_route.request.url).hostname == "127.0.0.1":
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    page = browser.new_context().new_page()
    page.route("**/*", route)
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served_page.url)
    tabs = page.locator("#tabs button")
    assert tabs.count() == len(saved)
    assert [tabs.nth(i).inner_text() for i in range(len(saved))] == [q.title for q in saved]

    page.click("#tabs button[data-query=grades]")
    assert page.inner_text("#title") == find_query("grades", QUERIES).title
    assert page.locator(".param").count() == 0
    page.click("#run")
    page.wait_for_selector("#rows")
    grades = run_query(find_query("grades", QUERIES), GRAPH)
    cells = page.eval_on_selector_all("#rows tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))")
    assert cells[0] == list(grades.columns)
    assert cells[1:] == [list(r) for r in grades.rows] and len(grades.rows) > 0
    assert page.inner_text("#status") == f"{len(grades.rows)} rows"

    page.click("#tabs button[data-query=programme_timeline]")
    help_text = page.inner_text(".param .help")
    assert "any of its labels" in help_text and "Athena" in help_text
    page.fill("#param-programme", "Athena")
    page.click("#run")
    page.wait_for_selector("#rows")
    timeline = run_query(find_query("programme_timeline", QUERIES), GRAPH, params={"programme": "Athena"})
    cells = page.eval_on_selector_all("#rows tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))")
    assert cells[1:] == [list(r) for r in timeline.rows] and len(timeline.rows) == 3

    assert errors == []
    page.fill("#param-programme", "")  # an empty box is a missing parameter: the server says so
    page.click("#run")
    page.wait_for_selector("#status.error")
    assert "missing parameter programme" in page.inner_text("#status")
    assert errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    artifacts = ROOT / "tests" / "_artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(artifacts / "query-page.png"), full_page=False)
    assert outside == []
    assert requests and all(urllib.parse.urlsplit(u).hostname == "127.0.0.1" for u in requests)
