"""The recommendation tracker page: for each report, its findings × the forces whose
commissioners answered it, each stated status a coloured cell linked to the words
that state it.

The page is one self-contained HTML file (``tracker.html``) with no script at all; a
Content-Security-Policy forbids every request and every script, and allows only the
page's own inline style. Every piece of text from a document is escaped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .output import as_store, atomic_write_text

__all__ = ["STATUS_LABELS", "Tracker", "read_tracker", "tracker_html", "write_tracker"]

# concept local name -> (label, CSS class, background colour)
STATUS_LABELS: dict[str, tuple[str, str, str]] = {
    "StatusComplete": ("complete", "st-complete", "#1b7837"),
    "StatusInProgress": ("in progress", "st-in-progress", "#2166ac"),
    "StatusAccepted": ("accepted", "st-accepted", "#5aae61"),
    "StatusPartially": ("partially", "st-partially", "#e08214"),
    "StatusNotAccepted": ("not accepted", "st-not-accepted", "#b2182b"),
    "StatusSuperseded": ("superseded", "st-superseded", "#6a6a6a"),
}

CSS = (
    "body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem;color:#222;max-width:80rem}"
    "table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;vertical-align:top}"
    "th{background:#f2f2f2;text-align:left}td.status a{color:#fff;text-decoration:none;display:block}"
    "td.none{color:#777;font-style:italic}.finding-text{color:#444;font-size:.9em}"
    + "".join(f"td.{cls},span.{cls}{{background:{colour};color:#fff}}" for _, cls, colour in STATUS_LABELS.values())
    + "span.legend{padding:.1rem .4rem;margin-right:.4rem;border-radius:3px}.all{font-size:.8em;opacity:.9}"
    "blockquote{margin:.2rem 0 .8rem 1rem;border-left:3px solid #ccc;padding-left:.6rem}"
)

_QUERY = """
PREFIX pcc: <https://w3id.org/pccgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?report ?title ?issued ?finding ?label ?kind ?number ?text ?due WHERE {
  ?report pcc:hasFinding ?finding .
  OPTIONAL { ?report dcterms:title ?title }
  OPTIONAL { ?report dcterms:issued ?issued }
  ?finding rdfs:label ?label ; pcc:findingKind ?kind .
  OPTIONAL { ?finding pcc:findingNumber ?number }
  OPTIONAL { ?finding pcc:text ?text }
  OPTIONAL { ?finding pcc:dueBy ?due }
}
"""
_STATUS_QUERY = """
PREFIX pcc: <https://w3id.org/pccgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?node ?response ?force ?force_label ?date ?status ?quote ?finding ?report ?all_kind WHERE {
  ?response pcc:addresses ?node .
  ?node pcc:status ?status .
  OPTIONAL { ?node pcc:text ?quote }
  OPTIONAL { ?node pcc:aboutFinding ?finding }
  OPTIONAL { ?node pcc:aboutReport ?report ; pcc:findingKind ?all_kind }
  OPTIONAL { ?response pcc:respondentForce ?force . OPTIONAL { ?force rdfs:label ?force_label } }
  OPTIONAL { ?response dcterms:date ?date }
}
"""
_KIND_ORDER = {"cause of concern": 0, "recommendation": 1, "area for improvement": 2}


@dataclass(slots=True)
class Cell:
    """One force's stated status on one finding, and where it is said."""

    status: str  # local name of the concept, e.g. "StatusComplete"
    evidence: int  # index into Tracker.evidence
    covers_all: bool = False


@dataclass(slots=True)
class ReportTable:
    """One report: its findings (rows) and the forces that answered it (columns)."""

    iri: str
    title: str
    issued: str
    findings: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # (iri, label, kind, text, due)
    forces: dict[str, str] = field(default_factory=dict)  # force IRI (or response IRI) -> label
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)  # (finding IRI, force key) -> cell


@dataclass(slots=True)
class Tracker:
    """Everything the page shows."""

    reports: list[ReportTable]
    evidence: list[tuple[str, str, str, str, str]]  # (force label, response IRI, date, status, quote)


def _local(iri: object) -> str:
    return str(iri).rsplit("#", 1)[-1]


class _Row:
    """A solution with each variable as its value's text (``None`` when unbound)."""

    __slots__ = ("_values",)

    def __init__(self, variables: list[str], solution: ox.QuerySolution) -> None:
        self._values = {name: (None if term is None else term.value) for name, term in zip(variables, solution)}

    def __getattr__(self, name: str) -> str | None:
        return self._values[name]  # type: ignore[no-any-return]

    @property
    def key(self) -> tuple[str, ...]:
        """Every value, to break ties in a fixed order (a report with two titles, say)."""
        return tuple("" if v is None else v for v in self._values.values())


def _rows(store: ox.Store, query: str) -> list[_Row]:
    """A SELECT over the union of the store's graphs (each named graph and the default graph)."""
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    return [_Row(names, solution) for solution in solutions]  # type: ignore[union-attr]


def read_tracker(source: Graph | Dataset | ox.Store) -> Tracker:
    """The findings, forces and stated statuses of a built graph (read through Oxigraph SPARQL)."""
    store = as_store(source)
    tables: dict[str, ReportTable] = {}
    finding_report: dict[str, str] = {}
    rows = sorted(_rows(store, _QUERY), key=lambda r: (str(r.report), _KIND_ORDER.get(str(r.kind), 9),
                                                   int(r.number) if r.number is not None else 0, str(r.label), r.key))
    for r in rows:
        report = str(r.report)
        table = tables.setdefault(report, ReportTable(report, str(r.title or report), str(r.issued or "")))
        if any(f[0] == str(r.finding) for f in table.findings):
            continue
        table.findings.append((str(r.finding), str(r.label), str(r.kind), str(r.text or ""), str(r.due or "")))
        finding_report[str(r.finding)] = report
    evidence: list[tuple[str, str, str, str, str]] = []
    statuses = sorted(_rows(store, _STATUS_QUERY), key=lambda r: (str(r.date or ""), str(r.response), str(r.node), r.key))
    pending_all: list[tuple[str, str, str, Cell]] = []
    for r in statuses:
        status = _local(r.status)
        if status not in STATUS_LABELS:
            continue
        force_key = str(r.force or r.response)
        force_label = str(r.force_label or r.force or r.response)
        report = finding_report.get(str(r.finding), "") if r.finding is not None else str(r.report or "")
        if report not in tables:
            continue
        evidence.append((force_label, str(r.response), str(r.date or ""), STATUS_LABELS[status][0], str(r.quote or "")))
        cell = Cell(status, len(evidence) - 1, covers_all=r.finding is None)
        table = tables[report]
        table.forces.setdefault(force_key, force_label)
        if r.finding is not None:
            table.cells.setdefault((str(r.finding), force_key), cell)
        else:
            pending_all.append((report, str(r.all_kind or ""), force_key, cell))
    for report, kind, force_key, cell in pending_all:  # "all the recommendations have been accepted"
        for finding, _, finding_kind, _, _ in tables[report].findings:
            if finding_kind == kind:
                tables[report].cells.setdefault((finding, force_key), cell)
    return Tracker(sorted(tables.values(), key=lambda t: (t.title, t.iri)), evidence)


def csp() -> str:
    """No requests and no scripts; the page's own inline style, as the other site pages have."""
    return ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; "
            "connect-src 'none'; base-uri 'none'; form-action 'none'")


def tracker_html(tracker: Tracker) -> str:
    """The tracker as a self-contained page."""
    out = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{escape(csp())}">\n',
        "<title>pccgraph — recommendation tracker</title>\n",
        f"<style>{CSS}</style>\n</head>\n<body>\n<h1>Recommendation tracker</h1>\n",
        "<p>For each inspection report: its recommendations, areas for improvement and causes of concern, "
        "and what each force's published response says about them. A cell links to the words that say it; "
        "<span class=\"all\">(all)</span> marks a status a response gives all the findings of that kind at once.</p>\n<p>",
        "".join(f'<span class="legend {cls}">{escape(label)}</span>' for label, cls, _ in STATUS_LABELS.values()),
        "</p>\n",
    ]
    if not tracker.reports:
        out.append('<p class="none">No findings in this graph.</p>\n')
    for n, table in enumerate(tracker.reports, 1):
        out.append(f'<section id="report-{n}">\n<h2>{escape(table.title)}</h2>\n')
        if table.issued:
            out.append(f"<p>Published {escape(table.issued)}.</p>\n")
        forces = sorted(table.forces.items(), key=lambda kv: kv[1])
        out.append('<table class="tracker">\n<thead><tr><th scope="col">Finding</th><th scope="col">Due</th>')
        out.extend(f'<th scope="col">{escape(label)}</th>' for _, label in forces)
        out.append("</tr></thead>\n<tbody>\n")
        for finding, label, _kind, text, due in table.findings:
            short = text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + " …"
            out.append(f'<tr data-finding="{escape(finding)}"><th scope="row">{escape(label)}'
                       f'<div class="finding-text">{escape(short)}</div></th><td>{escape(due)}</td>')
            for force_key, force_label in forces:
                cell = table.cells.get((finding, force_key))
                if cell is None:
                    out.append(f'<td class="none" data-force="{escape(force_label)}">not stated</td>')
                    continue
                label_text, cls, _ = STATUS_LABELS[cell.status]
                marker = ' <span class="all">(all)</span>' if cell.covers_all else ""
                out.append(f'<td class="status {cls}" data-force="{escape(force_label)}" data-status="{escape(label_text)}">'
                           f'<a href="#ev-{cell.evidence}">{escape(label_text)}{marker}</a></td>')
            out.append("</tr>\n")
        out.append("</tbody>\n</table>\n</section>\n")
    if tracker.evidence:
        out.append("<h2>Evidence</h2>\n<ol>\n")
        for i, (force, response, date, status, quote) in enumerate(tracker.evidence):
            out.append(f'<li id="ev-{i}"><strong>{escape(force)}</strong>, {escape(date)}: {escape(status)} '
                       f'(<code>{escape(response)}</code>)<blockquote>{escape(quote)}</blockquote></li>\n')
        out.append("</ol>\n")
    out.append("</body>\n</html>\n")
    return "".join(out)


def write_tracker(source: Graph | Dataset | ox.Store, out_dir: Path | str) -> dict[str, Path]:
    """Write ``tracker.html`` into ``out_dir``; returns it by name."""
    path = Path(out_dir) / "tracker.html"
    atomic_write_text(path, tracker_html(read_tracker(source)))
    return {"tracker.html": path}


def status_counts(tracker: Tracker) -> dict[str, int]:
    """How many cells show each status (a summary for tests and notebooks)."""
    counts: dict[str, int] = defaultdict(int)
    for table in tracker.reports:
        for cell in table.cells.values():
            counts[STATUS_LABELS[cell.status][0]] += 1
    return dict(counts)
