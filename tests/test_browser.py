"""The views in a real browser: headless Debian Chromium driven by Playwright, over file://.

Every request that is not file:// is counted and blocked (there must be none), the
console must stay free of errors, the network must hold what Python computed, the
search box must find "Athena", and a letter full of markup must not run any of it.
Screenshots go to tests/_artifacts/ (and docs/graph.png with PCCGRAPH_SCREENSHOT=1).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pccgraph import analytics as an
from pccgraph.pipeline import BuildResult, build
from pccgraph import views
from pccgraph.views import letter_view_name

from .conftest import FIXTURES, REFERENCE, ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "_artifacts"


@dataclass
class Visit:
    """A page opened in the browser, with what it asked for and what it complained about."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def out(built: BuildResult) -> Path:
    """The output folder of the bundled build."""
    return built.outputs["pccgraph.ttl"].parent


@pytest.fixture(scope="module")
def data(built: BuildResult) -> an.GraphData:
    """What the views were made from."""
    return an.read_graph(built.dataset)


def visit(browser: Any, path: Path, *, bypass_csp: bool = False, settle: bool = True) -> Visit:
    """Open ``path`` over file://, blocking and counting every other request."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=bypass_csp)
    page = context.new_page()
    seen = Visit(page)
    page.on("requestfinished", lambda r: seen.loaded.append(r.url))

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith("file://") or url.startswith("data:"):
            request_route.continue_()
        else:
            seen.blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: seen.errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.errors.append(f"pageerror: {e}"))
    page.on("request", lambda r: None if r.url.startswith(("file://", "data:")) else seen.blocked.append(r.url))
    page.goto(path.as_uri())
    if settle and page.query_selector("#pccgraph-data"):
        page.wait_for_selector("body[data-stabilized]", state="attached", timeout=20_000)
    return seen


def _screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_browser_graph_is_offline_and_complete(browser: Any, out: Path, data: an.GraphData) -> None:
    """graph.html loads nothing from the network, logs no error and draws every node and edge."""
    seen = visit(browser, out / "graph.html")
    page = seen.page
    counts = page.evaluate(
        "() => ({nodes: pccgraph.network.body.data.nodes.length, edges: pccgraph.network.body.data.edges.length,"
        " drawn: Object.keys(pccgraph.network.getPositions()).length})"
    )
    assert counts == {"nodes": len(data.entities), "edges": len(data.relations), "drawn": len(data.entities)}
    assert page.evaluate("() => pccgraph.network.physics.physicsEnabled") is False  # settled, then stopped
    _screenshot(page, "graph.png")
    if os.environ.get("PCCGRAPH_SCREENSHOT") == "1":
        page.screenshot(path=str(ROOT / "docs" / "graph.png"))
    assert seen.blocked == []
    assert seen.errors == []
    page.context.close()


def test_browser_search_selects_athena(browser: Any, out: Path, data: an.GraphData) -> None:
    """Typing "Athena" in the search box selects the Athena node and shows its evidence."""
    athena = next((iri for iri, e in data.entities.items() if e.label == "Athena"), None)
    name, target = ("Athena", athena) if athena else ("West Mercia Police", str(an.ID["force/west-mercia-police"]))
    seen = visit(browser, out / "graph.html")
    page = seen.page
    page.fill("#search", name)
    assert page.evaluate("() => pccgraph.network.getSelectedNodes()") == [target]
    assert page.inner_text("#search-status") == "1 match"
    details = page.inner_text("#details")
    assert name in details and data.entities[target].quote[:40] in details
    _screenshot(page, "graph-search.png")
    assert seen.blocked == [] and seen.errors == []
    page.context.close()


def test_browser_class_filter_hides_a_class(browser: Any, out: Path, data: an.GraphData) -> None:
    """Unticking "Letter" in the legend hides exactly the letters."""
    seen = visit(browser, out / "graph.html")
    page = seen.page
    page.uncheck('#legend input[data-kind="letter"]')
    hidden = page.evaluate("() => pccgraph.nodes.get({filter: n => n.hidden === true}).map(n => n.id).sort()")
    assert hidden == sorted(x.iri for x in data.letters)
    page.check('#legend input[data-kind="letter"]')
    assert page.evaluate("() => pccgraph.nodes.get({filter: n => n.hidden === true}).length") == 0
    page.context.close()


def test_browser_letter_view_is_offline_and_marks_the_text(browser: Any, out: Path, data: an.GraphData) -> None:
    """A letter view draws the letter and what it names; clicking a node highlights its marks."""
    letter = max(data.letters, key=lambda x: len(data.named.get(x.iri, {})))
    seen = visit(browser, out / "views" / letter_view_name(letter))
    page = seen.page
    nodes = page.evaluate("() => pccgraph.network.body.data.nodes.getIds().sort()")
    assert nodes == sorted({letter.iri, *data.named[letter.iri]})
    entity = next(m.entity for m in letter.marks if data.entities[m.entity].kind != "letter")
    position = page.evaluate(
        "(id) => { const p = pccgraph.network.getPosition(id); return pccgraph.network.canvasToDOM(p); }", entity
    )
    box = page.locator("#network").bounding_box()
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    active = page.evaluate("() => [...document.querySelectorAll('a.mark.active')].map(a => a.dataset.entity)")
    assert active and set(active) == {data.entities[entity].key}
    _screenshot(page, "letter.png")
    assert seen.blocked == [] and seen.errors == []
    page.context.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of one letter whose text and subject carry <script> and <img onerror> payloads."""
    folder = tmp_path_factory.mktemp("hostile-site")
    build([FIXTURES / "hostile"], folder, reference_dir=REFERENCE)
    return folder


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_browser_hostile_letter_never_runs(browser: Any, hostile: Path, bypass_csp: bool) -> None:
    """No page built from a hostile letter runs its markup, even with the CSP switched off."""
    pages = (sorted(hostile.glob("*.html")) + sorted((hostile / "views").glob("*.html"))
             + sorted((hostile / "site").glob("*.html")))
    assert len(pages) >= 5
    for path in pages:
        seen = visit(browser, path, bypass_csp=bypass_csp)
        page = seen.page
        page.wait_for_timeout(100)
        assert page.evaluate("() => typeof window.__pwned") == "undefined", path.name
        assert page.evaluate("() => document.querySelectorAll('img[src=x], b[onmouseover]').length") == 0
        assert seen.blocked == [], (path.name, seen.blocked)
        assert seen.errors == [], (path.name, seen.errors)
        if path.name.startswith("letter-") or path.name == "graph.html":
            # hover the report node: vis shows its title (which holds the markup) as text
            report = page.evaluate(
                "() => pccgraph.nodes.getIds().find(id => id.includes('/report/'))"
            )
            position = page.evaluate(
                "(id) => pccgraph.network.canvasToDOM(pccgraph.network.getPosition(id))", report
            )
            box = page.locator("#network").bounding_box()
            page.mouse.move(box["x"] + position["x"], box["y"] + position["y"])
            tooltip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
            assert "<script>window.__pwned=1</script>" in tooltip.inner_text()
            assert tooltip.query_selector("script, img") is None
            assert page.evaluate("() => typeof window.__pwned") == "undefined"
            if not bypass_csp and path.name.startswith("letter-"):
                _screenshot(page, "hostile-letter.png")
        page.context.close()


def test_browser_shared_script_loads_from_file(browser: Any, out: Path, data: an.GraphData) -> None:
    """A letter page loads the one shared vis-network and page script from assets/ over file://."""
    letter = data.letters[0]
    seen = visit(browser, out / "views" / letter_view_name(letter))
    page = seen.page
    assert page.evaluate("() => typeof vis.Network") == "function"
    scripts = sorted(u for u in seen.loaded if u.endswith(".js"))
    assert scripts == sorted([(out / views.APP_JS_NAME).as_uri(), (out / views.VIS_JS).as_uri()])
    assert page.evaluate("() => pccgraph.network.physics.physicsEnabled") is False
    assert seen.blocked == [] and seen.errors == []
    page.context.close()


def test_browser_paging_links_reach_a_letter(browser: Any, out: Path, data: an.GraphData) -> None:
    """index.html -> a year page -> a response's page, by clicking; the page draws its network."""
    seen = visit(browser, out / "index.html")
    page = seen.page
    page.click('a[href="site/year-2015.html"]')
    page.wait_for_load_state()
    assert page.url.endswith("/site/year-2015.html")
    letter = next(x for x in data.letters if x.date.startswith("2015"))
    page.click(f'tr#letter-{letter.slug} a[href$="{letter_view_name(letter)}"]')
    page.wait_for_selector("body[data-stabilized]", state="attached", timeout=20_000)
    assert page.url == (out / "views" / letter_view_name(letter)).as_uri()
    ids = page.evaluate("() => pccgraph.nodes.getIds()")
    assert letter.iri in ids
    page.go_back()
    page.click('a[href="../index.html#by-force"]')
    page.click('a[href="site/force-west-mercia-police.html"]')
    assert page.locator("tbody tr").count() == len(data.letters)
    assert seen.blocked == [] and seen.errors == []
    page.context.close()


def test_browser_aggregate_graph_is_usable(browser: Any, built: BuildResult, data: an.GraphData,
                                         tmp_path: Path) -> None:
    """The aggregate whole graph (here the top 40 entities) settles, stops, searches and loads nothing."""
    from pccgraph.views import write_views

    write_views(built.dataset, tmp_path, graph_limit=40)
    seen = visit(browser, tmp_path / "graph.html")
    page = seen.page
    ids = page.evaluate("() => pccgraph.nodes.getIds()")
    assert len(ids) == 40 and not {x.iri for x in data.letters} & set(ids)
    assert page.evaluate("() => pccgraph.network.physics.physicsEnabled") is False
    top = max(ids, key=lambda i: (data.entities[i].letters, i))
    page.fill("#search", data.entities[top].label)
    assert top in page.evaluate("() => pccgraph.network.getSelectedNodes()")
    assert "left out" in page.inner_text("#details") or data.entities[top].label in page.inner_text("#details")
    _screenshot(page, "graph-aggregate.png")
    assert seen.blocked == [] and seen.errors == []
    page.context.close()
