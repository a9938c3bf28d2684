"""The recommendation tracker page in a real headless Chromium: one table per report,
findings × forces, coloured status cells linked to the evidence, offline, escaped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pccgraph.pipeline import BuildResult, build
from pccgraph.tracker import read_tracker, status_counts, tracker_html

from .conftest import FIXTURES, REFERENCE

pytestmark = pytest.mark.browser

CORPUS = FIXTURES / "findings" / "corpus"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The findings fixtures built with the site (so write_site writes tracker.html)."""
    return build([CORPUS], tmp_path_factory.mktemp("tracker"), reference_dir=REFERENCE)


def _open(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page()
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file://", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return page, blocked, errors


def test_tracker_written_by_the_site(built: BuildResult) -> None:
    assert built.outputs["tracker.html"].name == "tracker.html"
    assert built.outputs["tracker.html"].is_file()


def test_tracker_table_in_chromium(built: BuildResult, browser: Any) -> None:
    """One table: 11 findings × the 4 forces that answered; cells coloured by status and linked to the evidence."""
    page, blocked, errors = _open(browser, built.outputs["tracker.html"])
    assert blocked == [] and errors == []
    assert page.locator("table.tracker").count() == 1
    heads = page.locator("table.tracker thead th").all_inner_texts()
    assert heads == ["Finding", "Due", "Essex Police", "Northumbria Police", "Suffolk Constabulary", "Wiltshire Police"]
    assert page.locator("table.tracker tbody tr").count() == 11
    row = page.locator('tr:has(th:has-text("Recommendation 3"))')
    cells = row.locator("td").all_inner_texts()
    assert cells == ["2024-06-30", "in progress", "accepted", "accepted (all)", "not accepted"]
    colour = row.locator('td[data-force="Wiltshire Police"]').evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(178, 24, 43)"  # not accepted: red, the style sheet applied under the CSP
    # the cell's link goes to the evidence: Wiltshire's own words
    row.locator('td[data-force="Wiltshire Police"] a').click()
    target = page.evaluate("location.hash")
    assert page.locator(f"li{target} blockquote").inner_text() == "Status: Not accepted."
    assert page.locator("li" + target + " strong").inner_text() == "Wiltshire Police"
    page.close()


def test_tracker_escapes_document_text(built: BuildResult, browser: Any, tmp_path: Path) -> None:
    """Words from a response that look like markup are shown as text, and no script runs."""
    tracker = read_tracker(built.dataset)
    force, response, date, status, _ = tracker.evidence[0]
    tracker.evidence[0] = (force, response, date, status, '<script>document.title="owned"</script><img src=x onerror="document.title=1">')
    tracker.reports[0].title = "<b>bold</b> report"
    path = tmp_path / "tracker.html"
    path.write_text(tracker_html(tracker), encoding="utf-8")
    page, blocked, errors = _open(browser, path)
    assert page.title() == "pccgraph — recommendation tracker"
    assert page.locator("section h2").first.inner_text() == "<b>bold</b> report"
    assert "<script>" in page.locator("li#ev-0 blockquote").inner_text()
    assert page.locator("script, img").count() == 0
    assert blocked == []
    page.close()


def test_tracker_counts(built: BuildResult) -> None:
    """Every stated status is a cell; Suffolk's "all accepted" fills its five recommendation cells."""
    counts = status_counts(read_tracker(built.dataset))
    assert counts == {"accepted": 3 + 5, "complete": 4, "in progress": 3, "not accepted": 2, "partially": 1, "superseded": 1}
