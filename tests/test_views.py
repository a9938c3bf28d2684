"""The network views and the site: self-contained, offline, escaped, deterministic."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pccgraph import analytics as an
from pccgraph import site, views
from pccgraph.pipeline import BuildResult, build
from pccgraph.vocab import ID

from .conftest import FIXTURES, REFERENCE, ROOT

HOSTILE = FIXTURES / "hostile"
PAYLOADS = ("<script>window.__pwned", "<img src=x", "<b onmouseover", "</script><!--")


@pytest.fixture(scope="module")
def out(built: BuildResult) -> Path:
    """The output folder of the bundled build (views and site included)."""
    return built.outputs["pccgraph.ttl"].parent


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of one letter whose text and subject line carry live-looking markup."""
    folder = tmp_path_factory.mktemp("hostile")
    build([HOSTILE], folder, reference_dir=REFERENCE)
    return folder


def _pages(folder: Path) -> list[Path]:
    return (sorted(folder.glob("*.html")) + sorted((folder / "views").glob("*.html"))
            + sorted((folder / "site").glob("*.html")))


def _payload(page: Path) -> dict:  # type: ignore[type-arg]
    text = page.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="pccgraph-data">(.*?)</script>', text, re.S)
    assert found, f"{page.name} has no data block"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


class _Tags(HTMLParser):
    """Collects tags with their attributes, inline script bodies and the sources of external scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.sources: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "script" and dict(attrs).get("src"):
            self.sources.append(dict(attrs)["src"] or "")
            self._in_script = False
            return
        self._in_script = tag == "script" and not dict(attrs).get("type")
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def _parse(page: Path) -> _Tags:
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_views_every_file_is_written(built: BuildResult, out: Path) -> None:
    """graph.html, the programmes view, one view per letter, the shared scripts, the site pages, ontology, exports."""
    data = an.read_graph(built.dataset)
    for name in ("graph.html", "index.html", "ontology.html", "pccgraph.graphml", "pccgraph.gexf",
                 "views/programmes.html", views.VIS_JS, views.APP_JS_NAME, "site/year-2014.html",
                 "site/year-2016.html", "site/force-west-mercia-police.html", "site/entities-programme.html"):
        assert (out / name).is_file(), name
    letters = sorted(p.name for p in (out / "views").glob("letter-*.html"))
    assert letters == sorted(views.letter_view_name(x) for x in data.letters)
    assert len(letters) == 24
    assert (out / views.VIS_JS).read_text(encoding="utf-8") == views.vis_assets()[0]


def _own_file(page: Path, out: Path, src: str) -> Path:
    target = (page.parent / src).resolve()
    assert target.is_relative_to(out.resolve()), (page.name, src)
    return target


def test_views_load_nothing_from_the_network(out: Path) -> None:
    """No page references anything by URL: only files of the output folder; each forbids requests by CSP."""
    for page in _pages(out):
        parsed = _parse(page)
        for tag, attrs in parsed.tags:
            for attr in ("src", "srcset", "data", "poster"):
                value = attrs.get(attr, "").strip()
                if value and not value.startswith("data:"):
                    assert tag == "script" and attr == "src" and not re.match(r"[a-z]+:|//", value), (page.name, attrs)
                    assert _own_file(page, out, value).is_file(), (page.name, value)
            if tag == "link":
                assert attrs.get("href", "").startswith("data:"), (page.name, attrs)
        text = page.read_text(encoding="utf-8")
        for cdn in ("cdnjs", "jsdelivr", "unpkg", "bootstrap", "tom-select", "googleapis"):
            assert cdn not in text.lower(), (page.name, cdn)
        policy = next(a["content"] for t, a in parsed.tags
                      if t == "meta" and a.get("http-equiv", "").lower() == "content-security-policy")
        assert "default-src 'none'" in policy and "connect-src 'none'" in policy


def test_views_scripts_are_shared_files_allowed_by_policy(out: Path) -> None:
    """Views load the one shared vis-network and page script; no page has an inline script; site pages none."""
    for page in _pages(out):
        parsed = _parse(page)
        policy = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv"))
        hashes = sorted(re.findall(r"'(sha256-[^']+)'", policy))
        expected = sorted(
            "sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in parsed.scripts
        )
        assert hashes == expected == [], page.name
        script_src = re.search(r"script-src ([^;]*);", policy).group(1)  # type: ignore[union-attr]
        if parsed.sources:
            assert script_src == "'self'", page.name
            targets = [_own_file(page, out, src) for src in parsed.sources]
            assert targets == [(out / views.VIS_JS).resolve(), (out / views.APP_JS_NAME).resolve()], page.name
        else:
            assert script_src == "'none'", page.name
    for name in ("index.html", "ontology.html", "site/year-2015.html", "site/entities-force.html"):
        assert _parse(out / name).sources == [], name


def test_views_letter_pages_are_small(built: BuildResult, out: Path) -> None:
    """A letter page holds its own data and text only: no library inlined, well under 100 kB."""
    vis_js = views.vis_assets()[0]
    probe = vis_js[1000:1100]
    for page in sorted((out / "views").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert probe not in text, page.name
        assert len(text.encode("utf-8")) < 100_000, page.name
    assert probe not in (out / "graph.html").read_text(encoding="utf-8")


def test_views_network_matches_the_graph(built: BuildResult, out: Path) -> None:
    """graph.html holds every entity and letter as a node and every relation as an edge."""
    data = an.read_graph(built.dataset)
    payload = _payload(out / "graph.html")
    assert payload["counts"] == {"nodes": len(data.entities), "edges": len(data.relations)}
    assert [n["id"] for n in payload["nodes"]] == sorted(data.entities)
    assert payload["options"]["layout"]["randomSeed"] == views.OPTIONS["layout"]["randomSeed"]
    assert payload["options"]["physics"]["stabilization"]["enabled"] is True
    colours = {n["color"] for n in payload["nodes"]}
    assert colours <= set(an.COLOURS.values())
    athena = str(ID["programme/athena"])
    tips = {n["id"]: n["title"] for n in payload["nodes"]}
    if athena in tips:  # the tooltip: type, label, letters, evidence quote
        assert tips[athena].startswith("Programme\nAthena\nnamed in ")
        assert "“" in tips[athena] and "Athena" in tips[athena].split("“", 1)[1]


def test_views_letter_view_shows_what_the_letter_names(built: BuildResult, out: Path) -> None:
    """A letter view has the letter, everything it names, and its text with those names marked."""
    data = an.read_graph(built.dataset)
    letter = max(data.letters, key=lambda x: len(data.named.get(x.iri, {})))
    page = out / "views" / views.letter_view_name(letter)
    payload = _payload(page)
    ids = {n["id"] for n in payload["nodes"]}
    assert ids == {letter.iri, *data.named[letter.iri]}
    text = page.read_text(encoding="utf-8")
    assert text.count('class="mark ') >= len({m.entity for m in letter.marks}) > 5


def test_views_programmes_view_links_programmes_to_reports(built: BuildResult, out: Path) -> None:
    """programmes.html joins programmes to reports only, weighted by letters."""
    data = an.read_graph(built.dataset)
    payload = _payload(out / "views" / "programmes.html")
    kinds = {n["id"]: data.entities[n["id"]].kind for n in payload["nodes"]}
    assert set(kinds.values()) <= {"programme", "report"}
    for edge in payload["edges"]:
        assert {kinds[edge["from"]], kinds[edge["to"]]} == {"programme", "report"}
    assert len(payload["edges"]) == len(views.programme_report_links(data))


@pytest.mark.parametrize("hostile_text", ["</script><script>alert(1)</script>", "<!-- x", "a\u2028b & <b>", "]]>"])
def test_views_script_json_cannot_close_the_script(hostile_text: str) -> None:
    """JSON embedded in a page has no '<', '>' or '&' and reads back unchanged."""
    encoded = views.script_json({"t": hostile_text})
    assert not set("<>&\u2028") & set(encoded)
    assert json.loads(encoded) == {"t": hostile_text}


def test_views_hostile_letter_is_escaped_everywhere(hostile: Path) -> None:
    """Markup in a letter's text and title appears only as text in every page."""
    pages = _pages(hostile)
    assert len(pages) >= 5
    vis_js = views.vis_assets()[0]  # the library itself has `onerror=` handlers; only our text counts
    for page in pages:
        text = page.read_text(encoding="utf-8").replace(vis_js, "")
        for payload in PAYLOADS:
            assert payload not in text, (page.name, payload)
        assert "onerror=" not in re.sub(r"onerror=(&quot;|\\\")", "", text), page.name
    (letter,) = sorted((hostile / "views").glob("letter-*.html"))
    text = letter.read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;" in text
    listed = "".join(p.read_text(encoding="utf-8") for p in sorted((hostile / "site").glob("year-*.html")))
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in listed  # the subject line, as a title


def test_views_are_deterministic(built: BuildResult, tmp_path: Path) -> None:
    """Writing the views and the site twice gives byte-identical files."""
    for run in ("a", "b"):
        site.write_site(built.dataset, tmp_path / run)
    names = sorted(str(p.relative_to(tmp_path / "a")) for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(tmp_path / "b")) for p in (tmp_path / "b").rglob("*") if p.is_file())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
        text = (tmp_path / "a" / name).read_text(encoding="utf-8")
        assert str(tmp_path) not in text and "/work/" not in text and "/home/" not in text


def test_views_site_is_stable_across_hash_seeds(out: Path, tmp_path: Path) -> None:
    """Two processes with different PYTHONHASHSEED write byte-identical views, index and ontology page."""
    script = (
        "import sys; from pathlib import Path; from rdflib import Dataset; from pccgraph.site import write_site\n"
        "ds = Dataset(default_union=True); ds.parse(sys.argv[1], format='trig')\n"
        "write_site(ds, Path(sys.argv[2]))\n"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out / "pccgraph.trig"), str(tmp_path / seed)],
                       check=True, env=env, cwd=ROOT)
    first = sorted(p.relative_to(tmp_path / "1") for p in (tmp_path / "1").rglob("*.*"))
    assert len(first) > 25
    for name in first:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_views_stale_letter_views_are_removed(built: BuildResult, tmp_path: Path) -> None:
    """A letter view left from an earlier build disappears; other files stay."""
    (tmp_path / "views").mkdir()
    (tmp_path / "views" / "letter-gone.html").write_text("old")
    (tmp_path / "views" / "notes.txt").write_text("mine")
    views.write_views(built.dataset, tmp_path)
    assert not (tmp_path / "views" / "letter-gone.html").exists()
    assert (tmp_path / "views" / "notes.txt").exists()


def _ids(page: Path) -> set[str]:
    return {a["id"] for _, a in _parse(page).tags if "id" in a}


def test_site_links_resolve(out: Path) -> None:
    """Every link on every page points at a file that exists, and at an id that exists in it."""
    ids: dict[Path, set[str]] = {}
    total = 0
    for page in _pages(out):
        if page.name == "ontology.html":
            continue  # pyLODE's own page
        for tag, attrs in _parse(page).tags:
            href = attrs.get("href", "") if tag == "a" else ""
            if not href:
                continue
            total += 1
            assert not re.match(r"[a-z]+:|//", href), (page.name, href)
            path, _, anchor = href.partition("#")
            target = _own_file(page, out, path) if path else page.resolve()
            assert target.is_file(), (page.name, href)
            if anchor and target.suffix == ".html":
                if target not in ids:
                    ids[target] = _ids(target)
                assert anchor in ids[target], (page.name, href)
    assert total > 1000


def test_site_is_paged_by_year_and_force(built: BuildResult, out: Path) -> None:
    """index.html links to a page per year and per force; each response is listed on one of each, linked to its page."""
    data = an.read_graph(built.dataset)
    index = _parse(out / "index.html")
    hrefs = {a["href"] for t, a in index.tags if t == "a" and "href" in a}
    years = sorted({x.date[:4] for x in data.letters})
    assert years == ["2014", "2015", "2016"]
    for year in years:
        assert f"site/year-{year}.html" in hrefs
    assert "site/force-west-mercia-police.html" in hrefs
    listed: list[str] = []
    for year in years:
        page = _parse(out / "site" / f"year-{year}.html")
        rows = [a["id"] for t, a in page.tags if t == "tr" and a.get("id", "").startswith("letter-")]
        assert all(x.date.startswith(year) for x in data.letters if f"letter-{x.slug}" in rows)
        listed += rows
    assert sorted(listed) == sorted(f"letter-{x.slug}" for x in data.letters)
    force = _parse(out / "site" / "force-west-mercia-police.html")
    links = {a["href"] for t, a in force.tags if t == "a" and "href" in a}
    for letter in data.letters:
        assert letter.force.endswith("/force/west-mercia-police")
        assert f"../views/{views.letter_view_name(letter)}" in links


def test_site_index_has_queries_charts_and_no_letter_text(built: BuildResult, out: Path) -> None:
    """Saved query tables and charts are on the index; letter texts only on their own pages; entities on theirs."""
    from pccgraph.queries import load_queries

    text = (out / "index.html").read_text(encoding="utf-8")
    for query in load_queries(site.DEFAULT_QUERIES):
        assert f'id="q-{query.name}"' in text
    assert text.count("<svg") >= 1 and "<?xml" not in text
    data = an.read_graph(built.dataset)

    def plain(page: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", page))

    index = plain(text)
    for letter in data.letters:
        sentence = max(letter.text.split("\n"), key=len)[:80]
        assert sentence not in index, letter.slug
        page = (out / "views" / views.letter_view_name(letter)).read_text(encoding="utf-8")
        assert sentence in plain(page), letter.slug
    marks = sum(p.read_text(encoding="utf-8").count('class="mark ') for p in (out / "views").glob("letter-*.html"))
    assert marks >= sum(1 for x in data.letters for _ in x.marks) // 2
    for entity in data.entities.values():
        if entity.kind != "letter":
            assert f'id="e-{entity.key}"' in (out / views.entity_page(entity.kind)).read_text(encoding="utf-8")


def test_views_aggregate_graph_shows_the_most_linked(built: BuildResult) -> None:
    """Above the limit graph.html draws the top entities by degree, no responses, and says what it left out."""
    data = an.read_graph(built.dataset)
    analytics = an.analyse(data)
    view = views.graph_view(data, analytics, limit=40)
    nodes, edges, *_ = view.net.get_network_data()
    letters = {x.iri for x in data.letters}
    ranked = sorted((i for i in data.entities if i not in letters), key=lambda i: (-analytics.degree.get(i, 0), i))
    assert [n["id"] for n in nodes] == sorted(ranked[:40])
    assert not letters & {n["id"] for n in nodes}
    shown = {n["id"] for n in nodes}
    assert all(e["from"] in shown and e["to"] in shown for e in edges)
    assert view.left_out == {"responses": 24, "entities": len(ranked) - 40, "pairs": view.left_out["pairs"]}
    assert f"{len(ranked) - 40} entities with" in view.intro and "most linked" in view.intro
    page = views.render(view)
    assert '"left_out":' in page and views.esc(view.intro) in page
    full = views.graph_view(data, analytics)
    assert len(full.net.get_network_data()[0]) == len(data.entities)


def test_site_charts_are_deterministic_svg(built: BuildResult) -> None:
    """The charts are SVG with fixed ids and no date or matplotlib version."""
    data = an.read_graph(built.dataset)
    first = site.topics_chart(data) + site.grades_chart(data)
    assert first == site.topics_chart(data) + site.grades_chart(data)
    assert first.startswith("<svg")
    assert "<dc:date>" not in first and "Matplotlib v" not in first


def test_site_ontology_page_is_offline_and_titled(out: Path) -> None:
    """ontology.html comes from pyLODE, titled from the ontology, with no pyLODE version."""
    text = (out / "ontology.html").read_text(encoding="utf-8")
    assert "<title>pccgraph ontology</title>" in text
    assert "Inspection report" in text and "Commitment" in text
    assert 'id="version"' not in text
    assert "Content-Security-Policy" in text
