"""Stage 5c: interactive network views (pyvis / vis-network), self-contained and offline.

pyvis builds the nodes, edges and vis-network options; the page around them is
ours, because pyvis 0.3.2 loads Bootstrap (and tom-select) from CDNs even with
``cdn_resources="in_line"``. vis-network's JS (from the pyvis package) and our
small page script are written once into ``assets/`` and every page loads them
by a relative path, so a letter page holds only its own data and text. Each page
carries its data as escaped JSON (never run), and a Content-Security-Policy
forbids every network request and allows scripts only from the output folder
('self' over file://) and no inline script, so text from a letter can never
run, even if it were not escaped (it is).

Views written by :func:`write_views`:

* ``graph.html`` — every entity and letter, linked by the graph's relations; above
  ``GRAPH_LIMIT`` nodes an aggregate: the most linked entities with their response
  counts, and a note saying what was left out;
* ``views/letter-<slug>.html`` — one response, what it names, and its text with those names marked;
* ``views/programmes.html`` — programmes × the reports whose letters mention them;
* ``assets/vis-network.min.js``, ``assets/pccgraph-view.js`` — the shared scripts.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyvis
from pyvis.network import Network

from .analytics import (
    COLOURS,
    KIND_LABELS,
    RELATION_LABELS,
    Analytics,
    GraphData,
    GraphSource,
    LetterInfo,
    Mark,
    analyse,
    context,
    node_size,
    project,
    read_graph,
)
from .output import atomic_write_text

#: vis-network options shared by every view: fixed seed, physics that settles then stops.
OPTIONS: dict[str, Any] = {
    "layout": {"randomSeed": 20140512, "improvedLayout": True},
    "physics": {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -95,
            "centralGravity": 0.015,
            "springLength": 140,
            "springConstant": 0.05,
            "avoidOverlap": 0.5,
        },
        "minVelocity": 1.0,
        "stabilization": {"enabled": True, "iterations": 500, "updateInterval": 50, "fit": True},
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "multiselect": True, "hideEdgesOnDrag": True},
    "nodes": {
        "shape": "dot",
        "borderWidth": 1,
        "font": {"size": 18, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
    },
    "edges": {
        "smooth": False,
        "color": {"color": "#c4c4c4", "highlight": "#333333", "hover": "#666666"},
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
    },
}

LABEL_LENGTH = 38

#: Above this many nodes graph.html shows the most linked entities only (responses not drawn).
GRAPH_LIMIT = 300
#: At most this many co-mention lines in the aggregate graph (the strongest).
COMENTION_EDGES = 1200
ASSETS = "assets"
VIS_JS = f"{ASSETS}/vis-network.min.js"
APP_JS_NAME = f"{ASSETS}/pccgraph-view.js"


def shorten(text: str, length: int = LABEL_LENGTH) -> str:
    """``text`` cut at a word boundary to at most ``length`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0] if " " in text[: length - 1] else text[: length - 1]
    return cut.rstrip(" ,;:–-") + "…"


def letter_view_name(letter: LetterInfo) -> str:
    """``letter-<slug>.html``."""
    return f"letter-{letter.slug}.html"


def letter_href(letter: LetterInfo, prefix: str = "") -> str:
    """The link to a response's own page from a page ``prefix`` (``"../"``) below the output folder."""
    return f"{prefix}views/{letter_view_name(letter)}"


def entity_page(kind: str) -> str:
    """The site page that lists every entity of a kind: ``site/entities-<kind>.html``."""
    return f"site/entities-{kind}.html"


def entity_href(entity: Any, prefix: str = "") -> str:
    """The link to an entity's row on its kind's page."""
    return f"{prefix}{entity_page(entity.kind)}#e-{entity.key}"


# --------------------------------------------------------------------------- escaping


def script_json(value: object) -> str:
    """JSON that is safe inside ``<script>``: no ``</``, ``<!--``, ``&`` or line separators."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def esc(text: object) -> str:
    """HTML-escape text for element content and quoted attributes."""
    return html.escape(str(text), quote=True)


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(scripts: Sequence[str] = (), *, own_files: bool = False) -> str:
    """A Content-Security-Policy allowing no requests and only the given inline scripts.

    ``own_files`` also allows scripts loaded from the output folder itself ('self'),
    which is how the views load the shared vis-network and page script.
    """
    script_src = " ".join(["'self'"] * own_files + [_hash(s) for s in scripts]) or "'none'"
    return (
        "default-src 'none'; "
        f"script-src {script_src}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
    )


def visible_marks(letter: LetterInfo, data: GraphData) -> list[Mark]:
    """The spans a letter's text shows marked: where spans overlap, the longest (then earliest) wins."""
    chosen: list[Mark] = []
    end = -1
    for mark in sorted(letter.marks, key=lambda m: (m.start, -(m.end - m.start), m.entity)):
        if mark.start < end or mark.end <= mark.start or mark.entity not in data.entities:
            continue
        chosen.append(mark)
        end = mark.end
    return chosen


def letter_text_html(
    letter: LetterInfo,
    data: GraphData,
    href: Callable[[str], str],
) -> str:
    """The letter's text, escaped, with every span that names an entity marked and linked.

    Overlapping spans keep the longest (then earliest); ``href(entity_iri)`` gives each link.
    """
    text = letter.text
    parts: list[str] = []
    pos = 0
    for mark in visible_marks(letter, data):
        entity = data.entities[mark.entity]
        parts.append(esc(text[pos : mark.start]))
        roles = ", ".join(RELATION_LABELS.get(r, r) for r in mark.roles)
        tip = f"{entity.kind_label}: {entity.label}" + (f" ({roles})" if roles else "")
        parts.append(
            f'<a class="mark k-{esc(entity.kind)}" id="m-{esc(letter.slug)}-{mark.start}" '
            f'data-entity="{esc(entity.key)}" href="{esc(href(mark.entity))}" title="{esc(tip)}">'
            f"{esc(text[mark.start : mark.end])}</a>"
        )
        pos = mark.end
    parts.append(esc(text[pos:]))
    return "".join(parts)


# --------------------------------------------------------------------------- assets


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as shipped inside the pyvis package (no download)."""
    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # The stylesheet is mostly for the configurator, manipulation and navigation
    # widgets we do not use (220 kB); the tooltip rule is all a view needs.
    tooltip = [f"{sel.strip()}{{{body}}}" for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css) if "vis-tooltip" in sel]
    css = "\n".join(tooltip) or css
    if "</script" in js.lower() or "</style" in css.lower():  # cannot happen with 9.1.2; never inline it blind
        raise RuntimeError("vis-network assets contain a closing tag and cannot be inlined")
    return js, css


def write_assets(out_dir: Path) -> dict[str, Path]:
    """Write the scripts every view shares into ``assets/`` (written only when changed)."""
    js, _css = vis_assets()
    written: dict[str, Path] = {}
    for name, text in ((VIS_JS, js), (APP_JS_NAME, APP_JS.lstrip("\n"))):
        path = out_dir / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            atomic_write_text(path, text)
        written[name] = path
    return written


PAGE_CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
header { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: baseline; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.15rem; margin: 0; }
header nav a { margin-right: .8rem; }
#controls { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .5rem 1rem; border-bottom: 1px solid var(--line); }
#search { font: inherit; padding: .25rem .5rem; width: 16rem; }
#search-status { color: var(--muted); min-width: 6rem; }
#legend { display: flex; flex-wrap: wrap; gap: .2rem .8rem; }
#legend label { white-space: nowrap; cursor: pointer; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 50%; margin: 0 .25rem 0 .15rem; vertical-align: -1px; border: 1px solid #0003; }
.swatch.letter { border-radius: 2px; }
main { display: flex; min-height: 0; }
#network { flex: 1 1 auto; height: calc(100vh - 7.5rem); min-height: 420px; background: #fff; }
#details { flex: 0 0 22rem; max-width: 40vw; padding: .8rem 1rem; border-left: 1px solid var(--line); overflow: auto; height: calc(100vh - 7.5rem); }
#details h2 { font-size: 1.05rem; margin: .2rem 0 .4rem; }
#details .kind { color: var(--muted); margin: 0; }
#details blockquote { margin: .6rem 0; padding-left: .7rem; border-left: 3px solid var(--line); color: #333; }
#details .hint { color: var(--muted); }
.vis-tooltip { white-space: pre-wrap !important; max-width: 26rem; font-family: system-ui, sans-serif !important; font-size: 13px !important; }
section.letter { padding: 1rem; border-top: 1px solid var(--line); }
.letter-meta { color: var(--muted); }
.letter-text { white-space: pre-wrap; font-family: Georgia, "Times New Roman", serif; max-width: 52rem; line-height: 1.55; }
a.mark { color: inherit; text-decoration: none; border-bottom: 2px solid #888; background: #f4f4f4; }
a.mark.active { background: #ffe066; }
"""

APP_JS = """
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("pccgraph-data").textContent);
  var info = payload.info;
  var nodes = new vis.DataSet(payload.nodes);
  var edges = new vis.DataSet(payload.edges);
  var container = document.getElementById("network");
  // The data goes in after the listener: a small graph can settle inside setData.
  var network = new vis.Network(container, {}, payload.options);
  var state = {network: network, nodes: nodes, edges: edges, counts: payload.counts, stabilized: false};
  window.pccgraph = state;

  function settled() {
    if (state.stabilized) { return; }
    network.setOptions({physics: {enabled: false}});
    state.stabilized = true;
    document.body.setAttribute("data-stabilized", "true");
  }
  network.once("stabilizationIterationsDone", settled);
  network.setData({nodes: nodes, edges: edges});
  if (payload.nodes.length === 0) { settled(); }

  var details = document.getElementById("details");
  function add(tag, text, cls) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (cls) { el.className = cls; }
    details.appendChild(el);
    return el;
  }
  function showDetails(id) {
    var d = info[id];
    if (!d) { return; }
    details.textContent = "";
    add("p", d.kind, "kind");
    add("h2", d.label);
    if (d.letters !== "") { add("p", d.letters); }
    if (d.quote) { add("blockquote", d.quote); }
    (d.links || []).forEach(function (link) {
      var p = document.createElement("p");
      var a = document.createElement("a");
      a.href = link[1];
      a.textContent = link[0];
      p.appendChild(a);
      details.appendChild(p);
    });
    var marks = document.querySelectorAll("a.mark");
    for (var i = 0; i < marks.length; i++) {
      marks[i].classList.toggle("active", marks[i].getAttribute("data-entity") === d.key);
    }
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(params.nodes[0]); }
  });

  var box = document.getElementById("search");
  var status = document.getElementById("search-status");
  function matches(query) {
    var q = query.trim().toLowerCase();
    if (q.length < 2) { return []; }
    var exact = [], partial = [];
    Object.keys(info).forEach(function (id) {
      var node = nodes.get(id);
      if (!node || node.hidden) { return; }
      var label = info[id].label.toLowerCase();
      if (label === q) { exact.push(id); }
      else if (label.indexOf(q) !== -1) { partial.push(id); }
    });
    partial.sort(function (a, b) {
      return info[a].label.length - info[b].label.length || (info[a].label < info[b].label ? -1 : 1);
    });
    return exact.length ? exact : partial;
  }
  function search() {
    var found = matches(box.value);
    network.selectNodes(found);
    status.textContent = box.value.trim().length < 2 ? "" :
      found.length + (found.length === 1 ? " match" : " matches");
    if (found.length) {
      network.focus(found[0], {scale: 1.2, animation: false});
      showDetails(found[0]);
    }
  }
  box.addEventListener("input", search);
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); search(); }
  });

  var boxes = document.querySelectorAll("#legend input[type=checkbox]");
  Array.prototype.forEach.call(boxes, function (checkbox) {
    checkbox.addEventListener("change", function () {
      var kind = checkbox.getAttribute("data-kind");
      var updates = [];
      nodes.forEach(function (node) {
        if (info[node.id] && info[node.id].k === kind) {
          updates.push({id: node.id, hidden: !checkbox.checked});
        }
      });
      nodes.update(updates);
      state.hidden = nodes.get({filter: function (n) { return n.hidden === true; }}).length;
    });
  });
})();
"""


# --------------------------------------------------------------------------- building views


@dataclass(slots=True)
class View:
    """One network page: the pyvis network plus what our page shows around it."""

    name: str  # path relative to the output folder
    title: str
    net: Network
    info: dict[str, dict[str, Any]] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)  # kind -> nodes shown
    intro: str = ""  # plain text shown beside the network (escaped when rendered)
    below: str = ""  # escaped HTML shown under it
    left_out: dict[str, int] = field(default_factory=dict)  # what an aggregate view does not draw

    @property
    def depth(self) -> int:
        return self.name.count("/")


class _Network(Network):  # type: ignore[misc]
    """pyvis's Network; ``add_edge`` checks both ends with ``in get_nodes()``, a list scan per edge."""

    def get_nodes(self) -> Any:
        return self.node_map.keys()  # same members, constant-time lookup (7x faster at 20 k edges)


def _new_network() -> Network:
    # directed: arrows run from a letter to what it names, and pyvis skips its
    # quadratic duplicate-edge scan (our edges are unique already)
    net = _Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.options = json.loads(json.dumps(OPTIONS))  # a dict: pyvis dumps it as is
    return net


def _letters_phrase(n: int, kind: str) -> str:
    if kind == "letter":
        return ""
    return "named in no letter (reference data)" if n == 0 else f"named in {n} letter{'s' if n != 1 else ''}"


class _Builder:
    """Adds nodes and edges to a view with tooltips, sizes and links filled in."""

    def __init__(self, view: View, data: GraphData, analytics: Analytics) -> None:
        self.view = view
        self.data = data
        self.analytics = analytics
        self.prefix = "../" * view.depth

    def links(self, iri: str, *, quoted_here: bool = False) -> list[list[str]]:
        entity = self.data.entities[iri]
        out: list[list[str]] = []
        if entity.kind == "letter":
            letter = self.data.letter(iri)
            own = letter_href(letter)
            if own != self.view.name:
                out.append([f"Open this {letter.kind} (its text, names marked)", self.prefix + own])
        else:
            out.append(["Where it is named (site)", entity_href(entity, self.prefix)])
            if not quoted_here and entity.quote_letter and entity.quote_letter in self.data.entities:
                letter = self.data.letter(entity.quote_letter)
                out.append([f"Open the quoted {letter.kind} ({letter.date})", letter_href(letter, self.prefix)])
        return out

    def node(self, iri: str, *, size_degree: int | None = None, quote: str | None = None) -> None:
        if iri in self.view.info:
            return
        e = self.data.entities[iri]
        degree = self.analytics.degree.get(iri, 0)
        quoted_here = quote is not None
        quote = e.quote if quote is None else quote
        letters = _letters_phrase(e.letters, e.kind)
        tip = [e.kind_label, e.label]
        if e.kind == "letter":
            letter = self.data.letter(iri)
            tip = [f"{letter.kind.capitalize()} · {letter.date}", e.quote or e.label,
                   f"names {len(self.data.named.get(iri, {}))} entities"]
        else:
            tip.append(f"{letters} · {degree} links")
            if quote:
                tip.append(f"“{quote}”")
        self.view.net.add_node(
            iri,
            label=shorten(e.label if e.kind != "letter" or self.view.depth else self.data.letter(iri).date),
            title="\n".join(tip),
            color=COLOURS.get(e.kind, "#999999"),
            # a square of size s is as wide as a dot of size s, so it looks heavier: scale it down
            size=round(node_size(degree if size_degree is None else size_degree) * (0.7 if e.kind == "letter" else 1), 2),
            shape="square" if e.kind == "letter" else "dot",
        )
        self.view.info[iri] = {  # what the details panel shows (text only: set with textContent)
            "k": e.kind,
            "key": e.key,
            "kind": e.kind_label,
            "label": e.label,
            "letters": letters,
            "quote": quote,
            "links": self.links(iri, quoted_here=quoted_here),
        }
        self.view.kinds[e.kind] = self.view.kinds.get(e.kind, 0) + 1

    def edge(self, a: str, b: str, title: str, *, width: float = 1.0, dashes: bool = False) -> None:
        self.view.net.add_edge(a, b, title=title, width=width, dashes=dashes)


def _relation_title(props: set[str]) -> str:
    return ", ".join(sorted({RELATION_LABELS.get(p, p) for p in props}))


def graph_view(data: GraphData, analytics: Analytics, *, limit: int = GRAPH_LIMIT) -> View:
    """Every entity and letter, linked by the graph's relations; an aggregate above ``limit`` nodes."""
    if len(data.entities) > limit:
        return aggregate_view(data, analytics, limit=limit)
    view = View("graph.html", "pccgraph — the whole graph", _new_network())
    b = _Builder(view, data, analytics)
    for iri in data.entities:  # sorted by IRI
        b.node(iri)
    for (s, o), props in data.relations.items():
        b.edge(s, o, _relation_title(props))
    view.intro = (
        f"{len(data.letters)} responses and {len(data.entities) - len(data.letters)} things they name. "
        "Squares are responses (letters, statements, forms); arrows run from a response to what it names. "
        "Size follows the number of links."
    )
    return view


def aggregate_view(data: GraphData, analytics: Analytics, *, limit: int = GRAPH_LIMIT) -> View:
    """The whole graph at scale: the ``limit`` most linked entities, sized by the responses naming them.

    Responses are not drawn (each has its own page); lines are the relations between
    the entities shown and the pairs named together in two or more responses (the
    strongest ``COMENTION_EDGES``). The page says what was left out.
    """
    view = View("graph.html", "pccgraph — the whole graph (most linked entities)", _new_network())
    b = _Builder(view, data, analytics)
    letters = {x.iri for x in data.letters}
    ranked = sorted((iri for iri in data.entities if iri not in letters),
                    key=lambda iri: (-analytics.degree.get(iri, 0), iri))
    shown = sorted(ranked[:limit])
    chosen = set(shown)
    for iri in shown:
        b.node(iri, size_degree=min(data.entities[iri].letters, 100))
    relations = 0
    for (s, o), props in data.relations.items():
        if s in chosen and o in chosen:
            b.edge(s, o, _relation_title(props))
            relations += 1
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for things in data.mentioned.values():
        named = sorted(things & chosen)
        for i, a in enumerate(named):
            for c in named[i + 1 :]:
                pairs[(a, c)] += 1
    strong = [(n, a, c) for (a, c), n in pairs.items() if n >= 2 and (a, c) not in data.relations
              and (c, a) not in data.relations]
    strong.sort(key=lambda t: (-t[0], t[1], t[2]))
    kept = sorted(strong[:COMENTION_EDGES], key=lambda t: (t[1], t[2]))
    for n, a, c in kept:
        b.edge(a, c, f"named together in {n} responses", width=min(8.0, 1.0 + math.log2(n)), dashes=True)
    left = len(ranked) - len(shown)
    least = analytics.degree.get(ranked[len(shown) - 1], 0) if shown else 0
    view.intro = (
        f"The whole graph has {len(data.letters)} responses and {len(ranked)} things they name, too many to "
        f"draw at once. Shown: the {len(shown)} most linked entities, sized by the number of responses that "
        f"name them (hover for the count). Left out: the {len(data.letters)} responses themselves (each has its "
        f"own page; see the site's pages by year and by force) and {left} entities with {least} links or fewer. "
        f"Solid arrows are the {relations} relations among the entities shown; dashed lines join the "
        f"{len(kept)} pairs named together most often (of {len(strong)} pairs named together in two or more "
        "responses)."
    )
    view.left_out = {"responses": len(data.letters), "entities": left, "pairs": len(strong) - len(kept)}
    return view


def letter_view(data: GraphData, analytics: Analytics, letter: LetterInfo) -> View:
    """One letter, everything it names, the relations among those, and its marked text."""
    view = View(letter_href(letter), f"{letter.date} — {shorten(letter.title, 90)}", _new_network())
    b = _Builder(view, data, analytics)
    texts: dict[str, Any] = {}
    for mark in letter.marks:  # the first span naming each entity
        texts.setdefault(mark.entity, mark)
    b.node(letter.iri)
    named = data.named.get(letter.iri, {})
    for iri in named:
        mark = texts.get(iri)
        quote = None
        if mark is not None:
            quote = context(letter.text, mark.start, mark.end)
        b.node(iri, quote=quote)
    for iri, props in named.items():
        b.edge(letter.iri, iri, _relation_title(props), dashes=props <= {"pcc:mentions", "dcterms:subject"})
    shown = set(named) | {letter.iri}
    for (s, o), props in data.relations.items():
        if s in shown and o in shown and s != letter.iri:
            b.edge(s, o, _relation_title(props))
    where = f"{letter.source}, line {letter.start_line}" if letter.source else ""
    view.intro = (
        f"What this {letter.kind} names: {len(named)} entities. Solid arrows are header roles and reports "
        "answered; dashed arrows are mentions in the text. " + (f"Source: {where}." if where else "")
    )
    body = letter_text_html(letter, data, lambda iri: entity_href(data.entities[iri], "../"))
    view.below = (
        f'<section class="letter" id="text"><h2>{esc(letter.title or letter.slug)}</h2>'
        f'<p class="letter-meta">{esc(letter.kind)} · {esc(letter.date)} · {esc(where)} · {len(letter.marks)} marked spans; '
        "click a node to highlight where it is named.</p>"
        f'<div class="letter-text">{body}</div></section>'
    )
    return view


def programme_report_links(data: GraphData) -> dict[tuple[str, str], list[str]]:
    """(programme, report) -> letters that answer or cite the report and mention the programme."""
    links: dict[tuple[str, str], list[str]] = defaultdict(list)
    for info in data.letters:
        named = data.named.get(info.iri, {})
        reports = [e for e, props in named.items() if props & {"pcc:respondsTo", "pcc:cites"}]
        programmes = [e for e in sorted(data.mentioned.get(info.iri, ())) if data.entities[e].kind == "programme"]
        for p in programmes:
            for r in reports:
                links[(p, r)].append(info.iri)
    return dict(sorted(links.items()))


def programmes_view(data: GraphData, analytics: Analytics) -> View:
    """Programmes × reports: which programmes come up in the letters about which reports."""
    view = View("views/programmes.html", "pccgraph — programmes × reports", _new_network())
    b = _Builder(view, data, analytics)
    links = programme_report_links(data)
    degree: dict[str, int] = defaultdict(int)
    for p, r in links:
        degree[p] += 1
        degree[r] += 1
    for iri in sorted(degree):
        b.node(iri, size_degree=degree[iri])
    for (p, r), letters in links.items():
        dates = ", ".join(data.entities[letter].label.split(" ", 1)[0] for letter in letters)
        title = (f"{data.entities[p].label} — {data.entities[r].label}\n"
                 f"in {len(letters)} letter{'s' if len(letters) != 1 else ''}: {dates}")
        b.edge(p, r, title, width=min(8.0, 1.0 + 1.5 * (len(letters) - 1)))
    programmes = sum(1 for iri in degree if data.entities[iri].kind == "programme")
    view.intro = (
        f"{programmes} programmes and {len(degree) - programmes} reports. A line joins a programme to a report "
        "when a letter answering (or citing) the report mentions the programme; thicker lines, more letters."
        if links else "No letter mentions a programme together with a report it answers yet."
    )
    return view


# --------------------------------------------------------------------------- rendering


def _legend(view: View) -> str:
    items = []
    for kind in KIND_LABELS:
        if kind in view.kinds:
            items.append(
                f'<label><input type="checkbox" data-kind="{esc(kind)}" checked>'
                f'<span class="swatch {esc(kind)}" style="background:{COLOURS[kind]}"></span>'
                f"{esc(KIND_LABELS[kind])} ({view.kinds[kind]})</label>"
            )
    return "".join(items)


def render(view: View) -> str:
    """The view as an HTML page: its data inline as JSON, the shared scripts from ``assets/``."""
    _js, css = vis_assets()
    nodes, edges, _heading, _height, _width, options = view.net.get_network_data()
    payload = {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "info": view.info,
        "counts": {"nodes": len(nodes), "edges": len(edges)},
    }
    if view.left_out:
        payload["left_out"] = view.left_out
    prefix = "../" * view.depth
    nav = (
        f'<a href="{prefix}index.html">Site</a><a href="{prefix}graph.html">Whole graph</a>'
        f'<a href="{prefix}views/programmes.html">Programmes × reports</a>'
        f'<a href="{prefix}index.html#by-year">Responses by year</a>'
        f'<a href="{prefix}index.html#by-force">by force</a>'
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp(own_files=True))}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(view.title)}</title>\n"
        f"<style>\n{css}\n</style>\n<style>{PAGE_CSS}</style>\n"
        f'<script src="{prefix}{VIS_JS}"></script>\n'
        "</head>\n<body>\n"
        f"<header><h1>{esc(view.title)}</h1><nav>{nav}</nav></header>\n"
        '<div id="controls"><label>Search <input id="search" type="search" autocomplete="off" '
        'placeholder="a name, e.g. Athena" aria-describedby="search-status"></label>'
        f'<span id="search-status" aria-live="polite"></span><div id="legend">{_legend(view)}</div></div>\n'
        '<main><div id="network" aria-label="network"></div>'
        f'<aside id="details"><p class="hint">{esc(view.intro)}</p>'
        '<p class="hint">Hover a node for its evidence; click it for details; search or untick a class to filter.</p>'
        "</aside></main>\n"
        f"{view.below}\n"
        f'<script type="application/json" id="pccgraph-data">{script_json(payload)}</script>\n'
        f'<script src="{prefix}{APP_JS_NAME}"></script>\n'
        "</body>\n</html>\n"
    )


def build_views(data: GraphData, analytics: Analytics, *, graph_limit: int = GRAPH_LIMIT) -> list[View]:
    """Every view, in a fixed order: whole graph, programmes, one per letter (date order)."""
    views = [graph_view(data, analytics, limit=graph_limit), programmes_view(data, analytics)]
    views.extend(letter_view(data, analytics, letter) for letter in data.letters)
    return views


def write_views(
    source: GraphSource | GraphData,
    out_dir: Path,
    *,
    analytics: Analytics | None = None,
    graph_limit: int = GRAPH_LIMIT,
) -> dict[str, Path]:
    """Write ``graph.html``, ``views/programmes.html``, ``views/letter-*.html`` and the shared ``assets/``.

    Letter views left over from an earlier build (letters no longer in the graph)
    are removed, so the folder always matches the graph. Each view is made and
    written in turn, so memory does not grow with the number of letters.

    Returns:
        The written files by name relative to ``out_dir``.
    """
    data = source if isinstance(source, GraphData) else read_graph(source)
    if analytics is None:
        analytics = analyse(data, project(data))
    written = write_assets(out_dir)
    makers: list[Callable[[], View]] = [
        lambda: graph_view(data, analytics, limit=graph_limit),
        lambda: programmes_view(data, analytics),
    ]
    makers.extend((lambda letter=letter: letter_view(data, analytics, letter)) for letter in data.letters)
    for make in makers:
        view = make()
        path = out_dir / view.name
        atomic_write_text(path, render(view))
        written[view.name] = path
    views_dir = out_dir / "views"
    for stale in sorted(views_dir.glob("letter-*.html")):
        if f"views/{stale.name}" not in written:
            stale.unlink()
    return written


def view_names(data: GraphData) -> list[str]:
    """The pages :func:`write_views` writes, relative to the output folder (assets not included)."""
    return ["graph.html", "views/programmes.html", *(letter_href(x) for x in data.letters)]
