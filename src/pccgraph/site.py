"""Stage 5d: the browsable output site, written after the graph files.

``write_site`` writes, into the output folder:

* ``pccgraph.graphml`` and ``pccgraph.gexf`` (for Gephi),
* the network views (``graph.html``, ``views/*.html``; see :mod:`pccgraph.views`),
* ``ontology.html``, the ontology's documentation made by pyLODE,
* ``index.html``: links to all of them, two charts (letters per month by topic,
  grades per report) as inline SVG, every saved query's results as a table,
  network measures, and the responses counted by year and by force, each count
  a link to its page;
* ``site/year-<YYYY>.html`` and ``site/force-<force>.html``: the responses of a year
  or of a force's commissioner, each linked to its own page (where its text is);
* ``site/entities-<kind>.html``: every entity of a kind with the responses that name it,
  each a link to the exact place in that response's page.

The site is paged so that no page grows with the whole archive: a response's text
is only on its own page (``views/letter-<slug>.html``). Every page works offline: no
scripts on the site pages, no request allowed by their Content-Security-Policy, and
every piece of letter text escaped.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import io
import logging
import re
import sys
import types
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .analytics import (
    COLOURS,
    KIND_LABELS,
    Analytics,
    GraphData,
    LetterInfo,
    analyse,
    annotate,
    curie,
    project,
    read_graph,
    write_exports,
)
from .errors import PccgraphError
from .output import as_store, atomic_write_text
from .tracker import write_tracker
from .views import (
    GRAPH_LIMIT,
    csp,
    entity_href,
    entity_page,
    esc,
    letter_href,
    script_json,
    shorten,
    visible_marks,
    write_views,
)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ONTOLOGY = ROOT / "ontology" / "pccgraph.ttl"
DEFAULT_QUERIES = ROOT / "queries"
MAX_ROWS = 500

GRADE_ORDER = ("Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate")
GRADE_COLOURS = {
    "Outstanding": "#1a9850",
    "Good": "#91cf60",
    "Adequate": "#d9ef8b",
    "Requires improvement": "#fc8d59",
    "Inadequate": "#d73027",
}


# --------------------------------------------------------------------------- charts


def _svg(fig: object, salt: str) -> str:
    """A matplotlib Figure as deterministic inline SVG (no date, no version, fixed ids)."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")  # type: ignore[attr-defined]
    text = buffer.getvalue()
    return text[text.index("<svg") :].strip()


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


_RC = {"font.family": "sans-serif", "font.size": 9, "text.parse_math": False, "axes.spines.top": False,
       "axes.spines.right": False}


def topics_chart(data: GraphData, *, top: int = 14) -> str:
    """Letters per month (bars) and, below, letters per month for each of the commonest topics."""
    import matplotlib
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.figure import Figure

    dated = [x for x in data.letters if re.match(r"\d{4}-\d{2}", x.date)]
    if not dated:
        return '<p class="empty">No dated letters to chart.</p>'
    months = _months(min(x.date[:7] for x in dated), max(x.date[:7] for x in dated))
    per_month = Counter(x.date[:7] for x in dated)
    by_topic: dict[str, Counter[str]] = defaultdict(Counter)
    for x in dated:
        for topic in data.topics.get(x.iri, ()):
            by_topic[topic][x.date[:7]] += 1
    ranked = sorted(by_topic, key=lambda t: (-sum(by_topic[t].values()), data.entities[t].label))[:top]
    with matplotlib.rc_context(_RC):
        rows = len(ranked)
        fig = Figure(figsize=(max(6.5, 0.22 * len(months) + 3), 1.9 + 0.28 * rows))
        if rows:
            ax_bar, ax_map = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1.6, max(1.0, 0.28 * rows)]})
        else:
            ax_bar, ax_map = fig.subplots(1, 1), None
        xs = list(range(len(months)))
        ax_bar.bar(xs, [per_month[m] for m in months], color=COLOURS["letter"], width=0.8)
        ax_bar.set_ylabel("letters")
        ax_bar.set_title("Letters per month" + (" and the topics they name" if rows else ""), loc="left")
        ax_bar.yaxis.get_major_locator().set_params(integer=True)
        step = max(1, len(months) // 12)
        ticks = xs[::step]
        if ax_map is not None:
            grid = [[by_topic[t][m] for m in months] for t in ranked]
            cmap = LinearSegmentedColormap.from_list("pcc", ["#ffffff", COLOURS["topic"], "#08519c"])
            ax_map.imshow(grid, aspect="auto", cmap=cmap, vmin=0, vmax=max(1, max(max(r) for r in grid)),
                          interpolation="nearest")
            ax_map.set_yticks(range(rows), [shorten(data.entities[t].label, 32) for t in ranked])
            high = max(max(r) for r in grid)
            for i, row in enumerate(grid):
                for j, value in enumerate(row):
                    if value:
                        ax_map.text(j, i, str(value), ha="center", va="center", fontsize=7,
                                    color="white" if value > high * 0.6 else "black")
            ax_map.set_xticks(ticks, [months[i] for i in ticks], rotation=60, ha="right")
            ax_map.spines[["left", "bottom"]].set_visible(False)
        else:
            ax_bar.set_xticks(ticks, [months[i] for i in ticks], rotation=60, ha="right")
        return _svg(fig, "pccgraph-topics")


def grades_chart(data: GraphData) -> str:
    """Each graded report as a bar of its judgements, coloured by grade."""
    import matplotlib
    from matplotlib.figure import Figure

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for j in data.judgements:
        counts[j.report][j.grade] += 1
    if not counts:
        return '<p class="empty">No graded judgements in these letters yet.</p>'
    reports = sorted(counts, key=lambda r: data.entities[r].label if r in data.entities else r)
    labels = [shorten(data.entities[r].label if r in data.entities else r, 48) for r in reports]
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(7.5, 0.9 + 0.32 * len(reports)))
        ax = fig.subplots()
        left = [0] * len(reports)
        grades = [g for g in GRADE_ORDER if any(counts[r][g] for r in reports)]
        grades += sorted({g for r in reports for g in counts[r]} - set(grades))
        for grade in grades:
            values = [counts[r][grade] for r in reports]
            ax.barh(range(len(reports)), values, left=left, label=grade,
                    color=GRADE_COLOURS.get(grade, "#bbbbbb"), edgecolor="white")
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(range(len(reports)), labels)
        ax.invert_yaxis()
        ax.set_xlabel("graded areas")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_title("Grades per report", loc="left")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
        return _svg(fig, "pccgraph-grades")


# --------------------------------------------------------------------------- ontology


@contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """pyLODE calls ``logging.basicConfig(level=DEBUG)`` on import; keep the root logger as it was."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    guard = logging.NullHandler()
    if not handlers:
        root.addHandler(guard)  # basicConfig does nothing when the root logger has a handler
    try:
        yield
    finally:
        root.removeHandler(guard)
        root.setLevel(level)


def _ontpub() -> type:
    """pyLODE's OntPub class.

    pyLODE 3.4.1 reads its version from a ``pyproject.toml`` that is not installed
    (RDFLib/pyLODE#260, fixed upstream); give it its version from the package metadata.
    """
    if "pylode.version" not in sys.modules:
        spec = importlib.util.find_spec("pylode")
        if spec is not None and spec.origin and not (Path(spec.origin).parent.parent / "pyproject.toml").exists():
            stub = types.ModuleType("pylode.version")
            stub.__version__ = importlib.metadata.version("pylode")  # type: ignore[attr-defined]
            sys.modules["pylode.version"] = stub
    with _quiet_root_logger():
        from pylode import OntPub

    return OntPub  # type: ignore[no-any-return]


def ontology_html(ontology: Path) -> str:
    """The ontology's documentation (pyLODE OntPub), made offline and version-free."""
    ontpub = _ontpub()
    with _quiet_root_logger():
        try:
            page: str = ontpub(ontology=str(ontology)).make_html()
        except Exception as exc:  # pyLODE raises many types for a bad ontology
            raise PccgraphError(f"{ontology}: pyLODE cannot document the ontology: {exc}") from exc
    title = _ontology_title(ontology)
    page = re.sub(r"<title>.*?</title>", f"<title>{esc(title)}</title>", page, count=1, flags=re.S)
    page = re.sub(r'<a href="https://github\.com/rdflib/pyLODE/release/[^"]*" id="version">[^<]*</a>', "", page)
    head = f'<head>\n    <meta http-equiv="Content-Security-Policy" content="{esc(csp())}">'
    return _sort_jsonld(_sort_class_sets(page.replace("<head>", head, 1)))


_SET_ITEM = r'<span>\s*<a [^>]*>[^<]*</a>\s*(?:<sup[^>]*>[^<]*</sup>\s*)?</span>'
_SET = re.compile(rf'{_SET_ITEM}(?:\s*<span class="cardinality">(?:or|and)</span>\s*{_SET_ITEM})+')


def _sort_class_sets(page: str) -> str:
    """Put the members of each "A or B or C" list in a fixed order.

    pyLODE collects the members of an owl:unionOf in a Python set, so their order
    changes from run to run; sorting them keeps ontology.html byte-identical.
    """

    def fix(match: re.Match[str]) -> str:
        block = match.group(0)
        items = re.findall(_SET_ITEM, block)
        gaps = re.split(_SET_ITEM, block)  # text before, between and after the items
        ordered = sorted(items, key=lambda item: re.sub(r"\s+", " ", item))
        return "".join(gap + item for gap, item in zip(gaps, ordered)) + gaps[-1]

    return _SET.sub(fix, page)


_JSONLD = re.compile(r'(<script id="schema.org" type="application/ld\+json">)(.*?)(</script>)', re.S)


def _sort_jsonld(page: str) -> str:
    """pyLODE's embedded schema.org JSON-LD, with its nodes in a fixed order (rdflib's varies)."""
    import json

    def fix(match: re.Match[str]) -> str:
        try:
            data = json.loads(match.group(2))
        except ValueError:
            return match.group(0)
        nodes = data if isinstance(data, list) else data.get("@graph", [data])
        nodes = sorted(nodes, key=lambda n: json.dumps(n, sort_keys=True))
        return match.group(1) + "\n" + script_json(nodes) + "\n" + match.group(3)

    return _JSONLD.sub(fix, page)


def _ontology_title(ontology: Path) -> str:
    from .vocab import DCTERMS, ONTOLOGY_IRI

    g = Graph().parse(ontology)
    return str(g.value(ONTOLOGY_IRI, DCTERMS.title) or "pccgraph ontology")


# --------------------------------------------------------------------------- queries


def query_tables(source: Graph | Dataset | ox.Store, queries_dir: Path, data: GraphData) -> str:
    """Each saved query (without parameters) run on the graph, as an HTML table."""
    from .errors import QueryError
    from .queries import load_queries, oxigraph_store, run_query

    if not queries_dir.is_dir():
        return '<p class="empty">No saved queries folder.</p>'
    try:
        saved = load_queries(queries_dir)
    except QueryError as exc:
        return f'<p class="error">{esc(exc)}</p>'
    if not saved:
        return '<p class="empty">No saved queries yet.</p>'
    store = oxigraph_store(source)
    letters = {x.iri: x for x in data.letters}
    out: list[str] = ['<nav class="toc">' + " · ".join(
        f'<a href="#q-{esc(q.name)}">{esc(q.title or q.name)}</a>' for q in saved) + "</nav>"]
    for q in saved:
        out.append(f'<section class="query" id="q-{esc(q.name)}"><h3>{esc(q.title or q.name)} '
                   f'<small><code>queries/{esc(q.path.name)}</code></small></h3>')
        if q.description:
            out.append(f"<p>{esc(q.description)}</p>")
        if q.params:
            example = " ".join(f"--param {p}=…" for p in q.params)
            out.append(f'<p class="empty">Takes parameters ({esc(", ".join(q.params))}): run '
                       f"<code>pccgraph query {esc(q.name)} {esc(example)}</code>.</p></section>")
            continue
        try:
            result = run_query(q, store)
        except QueryError as exc:
            out.append(f'<p class="error">{esc(exc)}</p></section>')
            continue
        if not result.rows:
            out.append('<p class="empty">No rows: nothing in these letters answers it.</p></section>')
            continue
        out.append(f"<p>{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
                   + (f", first {MAX_ROWS} shown" if len(result.rows) > MAX_ROWS else "") + ".</p>")
        out.append("<table><thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in result.columns)
                   + "</tr></thead><tbody>")
        for row in result.rows[:MAX_ROWS]:
            out.append("<tr>" + "".join(f"<td>{_cell(v, data, letters)}</td>" for v in row) + "</tr>")
        out.append("</tbody></table></section>")
    return "\n".join(out)


def _cell(value: str, data: GraphData, letters: dict[str, object]) -> str:
    if value in letters:
        letter = data.letter(value)
        return f'<a href="{esc(letter_href(letter))}">{esc(letter.date or letter.slug)}</a>'
    if value in data.entities:
        entity = data.entities[value]
        return f'<a href="{esc(entity_href(entity))}">{esc(entity.label)}</a>'
    if re.match(r"https?://", value):
        return f"<code>{esc(curie(value))}</code>"
    return esc(value)


# --------------------------------------------------------------------------- index


INDEX_CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; }
body { margin: 0 auto; max-width: 68rem; padding: 0 1.2rem 4rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
header { padding: 1.2rem 0 .4rem; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 .3rem; font-size: 1.6rem; }
h2 { margin-top: 2.2rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
h3 small { font-weight: normal; color: var(--muted); }
.lead, .empty, .letter-meta, .muted { color: var(--muted); }
.error { color: #b00020; }
nav.toc { margin: .4rem 0 1rem; }
ul.cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .6rem; }
ul.cards li { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
figure { margin: 1rem 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
details { margin: .3rem 0 1rem; }
summary { cursor: pointer; color: #0550ae; }
section.letter { border-top: 1px solid var(--line); padding-top: .4rem; }
.letter-text { white-space: pre-wrap; font-family: Georgia, "Times New Roman", serif; line-height: 1.55; max-width: 52rem; }
a.mark { color: inherit; text-decoration: none; border-bottom: 2px solid #888; background: #f4f4f4; }
a.mark:target, .entity:target { background: #ffe066; }
.swatch { display: inline-block; width: .75rem; height: .75rem; border-radius: 50%; margin-right: .3rem; border: 1px solid #0003; vertical-align: -1px; }
"""


_PLURALS = {"person": "people", "legislation": "Acts and sections", "report": "inspection reports",
            "force": "police forces", "unit": "units of a force"}


def _plural(kind: str, n: int) -> str:
    singular = KIND_LABELS[kind].lower() if kind != "legislation" else "Act or section"
    if n == 1:
        return singular
    return _PLURALS.get(kind, singular + "s")


def _mark_css() -> str:
    return "\n".join(f"a.mark.k-{kind} {{ border-bottom-color: {colour}; }}" for kind, colour in COLOURS.items())


def _measures(data: GraphData, analytics: Analytics, *, n: int = 10) -> str:
    letters = {x.iri for x in data.letters}

    def name(iri: str) -> str:
        e = data.entities[iri]
        href = letter_href(data.letter(iri)) if e.kind == "letter" else entity_href(e)
        return f'<a href="{esc(href)}">{esc(shorten(e.label, 60))}</a> <span class="muted">{esc(e.kind_label)}</span>'

    rows = ["<h3>Most connected</h3><table><thead><tr><th>entity</th><th>links</th><th>betweenness</th>"
            "</tr></thead><tbody>"]
    for iri, value in analytics.top("degree", n, exclude=letters):
        rows.append(f"<tr><td>{name(iri)}</td><td>{int(value)}</td>"
                    f"<td>{analytics.betweenness.get(iri, 0.0):.3f}</td></tr>")
    rows.append("</tbody></table>")
    if analytics.top_pairs:
        rows.append("<h3>Named together most often</h3><table><thead><tr><th>a</th><th>b</th>"
                    "<th>letters</th></tr></thead><tbody>")
        for a, b, count in analytics.top_pairs[:n]:
            rows.append(f"<tr><td>{name(a)}</td><td>{name(b)}</td><td>{count}</td></tr>")
        rows.append("</tbody></table>")
    groups = [c for c in analytics.communities if len(c) > 1]
    if groups:
        rows.append(f"<h3>Communities</h3><p class=\"muted\">Louvain communities of the network "
                    f"(relations and co-mentions, weighted by letters; fixed seed): {len(groups)} groups of two "
                    "or more. The best-connected members of each:</p><ol>")
        for members in groups[:12]:
            top = sorted(members, key=lambda m: (-analytics.degree.get(m, 0), m))[:6]
            rows.append(f"<li>{len(members)} members: " + ", ".join(name(m) for m in top) + "</li>")
        rows.append("</ol>")
    return "\n".join(rows)


def _page(title: str, body: str, *, prefix: str = "") -> str:
    """A site page: no scripts, nothing loaded, everything in ``body`` already escaped."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp())}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>{INDEX_CSS}\n{_mark_css()}</style>\n</head>\n<body>\n"
        f'<header><p class="muted"><a href="{prefix}index.html">pccgraph</a> · '
        f'<a href="{prefix}index.html#by-year">responses by year</a> · '
        f'<a href="{prefix}index.html#by-force">by force</a> · '
        f'<a href="{prefix}index.html#entities">entities</a> · <a href="{prefix}graph.html">whole graph</a></p>'
        f"<h1>{esc(title)}</h1></header>\n{body}\n"
        '<footer class="muted"><p>Made by pccgraph. Opens offline; nothing on these pages '
        "loads from the network.</p></footer>\n</body>\n</html>\n"
    )


def _year(letter: LetterInfo) -> str:
    return letter.date[:4] if re.match(r"\d{4}", letter.date) else "undated"


def _force_key(letter: LetterInfo, data: GraphData) -> str:
    return data.entities[letter.force].key.removeprefix("force-") if letter.force in data.entities else "unknown"


def year_page_name(year: str) -> str:
    """``site/year-<YYYY>.html`` (``year-undated.html`` for responses with no full date)."""
    return f"site/year-{year}.html"


def force_page_name(key: str) -> str:
    """``site/force-<force key>.html`` (``force-unknown.html`` when no respondent force was found)."""
    return f"site/force-{key}.html"


def _responses_table(letters: list[LetterInfo], data: GraphData, *, prefix: str, show: str) -> str:
    """A table of responses, each linked to its own page; ``show`` is "force" or "year" (the other axis)."""
    rows = ["<table><thead><tr><th>date</th><th>kind</th>"
            + ("<th>commissioner of</th>" if show == "force" else "<th>year</th>")
            + "<th>title</th><th>names</th></tr></thead><tbody>"]
    for letter in letters:
        if show == "force":
            key = _force_key(letter, data)
            label = data.entities[letter.force].label if letter.force in data.entities else "not found"
            other = f'<a href="{esc(prefix + force_page_name(key))}">{esc(label)}</a>'
        else:
            other = f'<a href="{esc(prefix + year_page_name(_year(letter)))}">{esc(_year(letter))}</a>'
        rows.append(
            f'<tr id="letter-{esc(letter.slug)}"><td>{esc(letter.date or "undated")}</td><td>{esc(letter.kind)}</td>'
            f"<td>{other}</td>"
            f'<td><a href="{esc(letter_href(letter, prefix))}">{esc(letter.title or letter.slug)}</a></td>'
            f"<td>{len(data.named.get(letter.iri, {}))}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _kinds_phrase(letters: list[LetterInfo]) -> str:
    counts = Counter(x.kind for x in letters)
    return ", ".join(f"{counts[k]} {k}{'s' if counts[k] != 1 else ''}" for k in sorted(counts))


def paged_responses(data: GraphData) -> tuple[dict[str, list[LetterInfo]], dict[str, list[LetterInfo]]]:
    """Responses grouped by year and by respondent force key (each group in date order)."""
    by_year: dict[str, list[LetterInfo]] = defaultdict(list)
    by_force: dict[str, list[LetterInfo]] = defaultdict(list)
    for letter in data.letters:  # date order
        by_year[_year(letter)].append(letter)
        by_force[_force_key(letter, data)].append(letter)
    return dict(sorted(by_year.items())), dict(sorted(by_force.items()))


def year_pages(data: GraphData) -> dict[str, str]:
    """One page per year of responses (and one for the undated), with links to the next and previous."""
    by_year, _ = paged_responses(data)
    years = list(by_year)
    pages = {}
    for i, year in enumerate(years):
        letters = by_year[year]
        near = []
        if i > 0:
            near.append(f'<a rel="prev" href="year-{esc(years[i - 1])}.html">← {esc(years[i - 1])}</a>')
        if i + 1 < len(years):
            near.append(f'<a rel="next" href="year-{esc(years[i + 1])}.html">{esc(years[i + 1])} →</a>')
        body = (f'<nav class="toc">{" · ".join(near)}</nav>'
                f'<p class="lead">{len(letters)} responses ({esc(_kinds_phrase(letters))}). Each title opens '
                "the response's own page: its text with the names in it marked, and its network.</p>"
                + _responses_table(letters, data, prefix="../", show="force"))
        title = f"Responses of {year}" if year != "undated" else "Responses with no full date"
        pages[year_page_name(year)] = _page(title, body, prefix="../")
    return pages


def force_pages(data: GraphData) -> dict[str, str]:
    """One page per respondent force (the force whose commissioner's office published the response)."""
    _, by_force = paged_responses(data)
    pages = {}
    for key, letters in by_force.items():
        iri = letters[0].force
        label = data.entities[iri].label if iri in data.entities else "no respondent force found"
        years = Counter(_year(x) for x in letters)
        body = (f'<p class="lead">{len(letters)} responses ({esc(_kinds_phrase(letters))}) by year: '
                + ", ".join(f'<a href="{esc(year_page_name(y).removeprefix("site/"))}">{esc(y)}</a> ({n})'
                            for y, n in sorted(years.items()))
                + (f'. <a href="{esc(entity_href(data.entities[iri], "../"))}">Where the force is named</a>.'
                   if iri in data.entities else ".")
                + "</p>" + _responses_table(letters, data, prefix="../", show="year"))
        pages[force_page_name(key)] = _page(f"Responses from the commissioner for {label}"
                                            if iri in data.entities else "Responses with no respondent force found",
                                            body, prefix="../")
    return pages


def entity_pages(data: GraphData) -> dict[str, str]:
    """One page per class of entity: each entity, its evidence, and links to where each response names it."""
    first_mark: dict[tuple[str, str], int] = {}
    for letter in data.letters:
        for mark in visible_marks(letter, data):
            first_mark.setdefault((mark.entity, letter.iri), mark.start)
    named_in: dict[str, list[str]] = defaultdict(list)
    for letter in data.letters:
        for iri in data.named.get(letter.iri, {}):
            named_in[iri].append(letter.iri)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for iri, e in data.entities.items():
        if e.kind != "letter":
            by_kind[e.kind].append(iri)
    pages = {}
    for kind in KIND_LABELS:
        if kind not in by_kind:
            continue
        items = sorted(by_kind[kind], key=lambda i: (data.entities[i].label.lower(), i))
        out = [f'<p class="lead">{len(items)} {esc(_plural(kind, len(items)))}. “Where it is named” links to '
               "the first place in each response that names it.</p>",
               "<table><thead><tr><th>name</th><th>responses</th><th>where it is named</th><th>evidence</th>"
               "</tr></thead><tbody>"]
        for iri in items:
            e = data.entities[iri]
            links = []
            for letter_iri in named_in.get(iri, []):
                letter = data.letter(letter_iri)
                start = first_mark.get((iri, letter_iri))
                href = letter_href(letter, "../") + (f"#m-{letter.slug}-{start}" if start is not None else "")
                links.append(f'<a href="{esc(href)}">{esc(letter.date or letter.slug)}</a>')
            where = ", ".join(links) if links else '<span class="muted">reference data only</span>'
            out.append(
                f'<tr class="entity" id="e-{esc(e.key)}"><td>{esc(e.label)}<br><code class="muted">'
                f"{esc(curie(iri))}</code></td><td>{e.letters}</td><td>{where}</td>"
                f"<td>{esc(e.quote)}</td></tr>"
            )
        out.append("</tbody></table>")
        pages[entity_page(kind)] = _page(KIND_LABELS[kind] + (" entities" if kind != "person" else "s"),
                                         "\n".join(out), prefix="../")
    return pages


def _paging_section(data: GraphData) -> str:
    by_year, by_force = paged_responses(data)
    years = "".join(
        f'<li><a href="{esc(year_page_name(y))}"><b>{esc(y)}</b></a><br>{len(x)} responses '
        f'<span class="muted">({esc(_kinds_phrase(x))})</span></li>' for y, x in by_year.items())
    forces = []
    for key, letters in sorted(by_force.items(), key=lambda kv: (kv[0] == "unknown", kv[0])):
        iri = letters[0].force
        label = data.entities[iri].label if iri in data.entities else "no respondent force found"
        forces.append(f'<tr><td><a href="{esc(force_page_name(key))}">{esc(label)}</a></td><td>{len(letters)}</td>'
                      f'<td class="muted">{esc(_kinds_phrase(letters))}</td></tr>')
    return (
        f'<h2 id="by-year">Responses by year</h2><ul class="cards">{years}</ul>\n'
        '<h2 id="by-force">Responses by force</h2><p class="muted">The force whose commissioner’s office '
        "published the response.</p><table><thead><tr><th>force</th><th>responses</th><th>kinds</th></tr>"
        f"</thead><tbody>{''.join(forces)}</tbody></table>\n"
    )


def _entities_index(data: GraphData) -> str:
    by_kind = Counter(e.kind for e in data.entities.values() if e.kind != "letter")
    items = "".join(
        f'<li><span class="swatch" style="background:{COLOURS[k]}"></span>'
        f'<a href="{esc(entity_page(k))}">{esc(KIND_LABELS[k])}</a> ({by_kind[k]})</li>'
        for k in KIND_LABELS if by_kind[k])
    return (f'<h2 id="entities">Entities</h2><p class="muted">Everything the responses name, one page per '
            f"class, with links to where each response names it.</p><ul>{items}</ul>\n")


def index_html(
    data: GraphData,
    analytics: Analytics,
    *,
    queries: str,
    has_ontology: bool,
    network_size: tuple[int, int],
    graph_limit: int = GRAPH_LIMIT,
) -> str:
    """The site's front page (no scripts; everything escaped; no response text)."""
    entities = len(data.entities) - len(data.letters)
    downloads = [
        ("pccgraph.ttl", "Turtle, canonical and sorted"),
        ("pccgraph.trig", "TriG, one named graph per letter"),
        ("pccgraph.jsonld", "JSON-LD"),
        ("pccgraph.graphml", "GraphML network (yEd, Cytoscape, networkx)"),
        ("pccgraph.gexf", "GEXF network with colours and sizes (Gephi)"),
    ]
    whole = (f"{network_size[0]} nodes, {network_size[1]} links" if network_size[0] <= graph_limit
             else f"the {graph_limit} most linked of {network_size[0] - len(data.letters)} entities")
    cards = [
        f'<li><a href="graph.html"><b>The whole graph</b></a><br>{whole}; search and filter by class.</li>',
        '<li><a href="views/programmes.html"><b>Programmes × reports</b></a><br>which programmes come up '
        "in the letters about which reports.</li>",
        f'<li><a href="#by-year"><b>Responses</b></a><br>{len(data.letters)} responses by year and by force, '
        "each with its own page: its text with names marked, and its network.</li>",
    ]
    if has_ontology:
        cards.append('<li><a href="ontology.html"><b>The ontology</b></a><br>classes and properties '
                     "(documentation made with pyLODE).</li>")
    by_kind = Counter(e.kind for e in data.entities.values() if e.kind != "letter")
    kinds = ", ".join(f"{by_kind[k]} {esc(_plural(k, by_kind[k]))}" for k in KIND_LABELS if by_kind[k])
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp())}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>pccgraph — Police and Crime Commissioners’ responses to inspection reports</title>\n"
        f"<style>{INDEX_CSS}\n{_mark_css()}</style>\n</head>\n<body>\n"
        "<header><h1>pccgraph</h1>"
        '<p class="lead">What Police and Crime Commissioners wrote about HM Inspectorate of Constabulary '
        f"reports: {len(data.letters)} responses ({esc(_kinds_phrase(data.letters))}) naming {entities} things "
        f"({kinds}); {data.triples} triples. Every name is marked in the response it comes from.</p>"
        '<nav class="toc"><a href="#explore">Explore</a> · <a href="#charts">Charts</a> · '
        '<a href="#queries">Saved queries</a> · <a href="#measures">Network</a> · '
        '<a href="#by-year">Responses by year</a> · <a href="#by-force">by force</a> · '
        '<a href="#entities">Entities</a> · <a href="#downloads">Downloads</a></nav></header>\n'
        f'<h2 id="explore">Explore</h2><ul class="cards">{"".join(cards)}</ul>\n'
        f'<h2 id="charts">Charts</h2><figure>{topics_chart(data)}</figure>'
        f"<figure>{grades_chart(data)}</figure>\n"
        f'<h2 id="queries">Saved queries</h2>{queries}\n'
        f'<h2 id="measures">Network</h2>{_measures(data, analytics)}\n'
        f"{_paging_section(data)}"
        f"{_entities_index(data)}"
        '<h2 id="downloads">Downloads</h2><ul>'
        + "".join(f'<li><a href="{name}">{name}</a> — {esc(what)}</li>' for name, what in downloads)
        + "</ul>\n<footer class=\"muted\"><p>Made by pccgraph. Opens offline; nothing on these pages "
        "loads from the network.</p></footer>\n</body>\n</html>\n"
    )


# --------------------------------------------------------------------------- writing


def write_site(
    source: ox.Store | Graph | Dataset,
    out_dir: Path | str,
    *,
    ontology: Path | str | None = DEFAULT_ONTOLOGY,
    queries_dir: Path | str | None = DEFAULT_QUERIES,
    graph_limit: int = GRAPH_LIMIT,
) -> dict[str, Path]:
    """Write the exports, the views, the ontology page, ``index.html`` and the ``site/`` pages into ``out_dir``.

    Args:
        source: the build's pyoxigraph Store (``BuildResult.store``); an rdflib Dataset or Graph
            is copied into a Store once. Everything is read from the store with SPARQL and
            quad patterns over the union of its graphs, never through rdflib's memory store.
        out_dir: the output folder (the graph files are already there).
        ontology: the ontology to document; ``None`` or a missing file skips ``ontology.html``.
        queries_dir: saved queries to tabulate; ``None`` skips them.
        graph_limit: above this many nodes ``graph.html`` shows only the most linked entities.

    Returns:
        Files written, by name relative to ``out_dir`` (letter views as one ``views/`` entry,
        the year, force and entity pages as one ``site/`` entry).
    """
    out = Path(out_dir)
    store = as_store(source)  # an rdflib source is copied once; the build's Store is read as it is
    data = read_graph(store)
    network = project(data)
    analytics = analyse(data, network, source=store)
    annotate(network, analytics)
    written = write_exports(network, out)
    views = write_views(data, out, analytics=analytics, graph_limit=graph_limit)
    written["graph.html"] = views["graph.html"]
    written["views/"] = out / "views"
    written["assets/"] = out / "assets"
    has_ontology = ontology is not None and Path(ontology).is_file()
    if has_ontology:
        atomic_write_text(out / "ontology.html", ontology_html(Path(ontology)))  # type: ignore[arg-type]
        written["ontology.html"] = out / "ontology.html"
    queries = (query_tables(store, Path(queries_dir), data) if queries_dir is not None
               else '<p class="empty">Saved queries were not run.</p>')
    relations = sum(1 for _ in data.relations)
    page = index_html(data, analytics, queries=queries, has_ontology=has_ontology,
                      network_size=(len(data.entities), relations), graph_limit=graph_limit)
    atomic_write_text(out / "index.html", page)
    written["index.html"] = out / "index.html"
    pages = {**year_pages(data), **force_pages(data), **entity_pages(data)}
    for name, text in pages.items():
        atomic_write_text(out / name, text)
    for stale in sorted((out / "site").glob("*.html")):
        if f"site/{stale.name}" not in pages:
            stale.unlink()
    written["site/"] = out / "site"
    written.update(write_tracker(store, out))
    return written
