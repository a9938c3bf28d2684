"""Benchmark: score a build of real published PCC responses against hand-recorded facts.

The facts (address, query, office, force, kind, author, date, titles, grades, counts)
are committed in ``benchmarks/real_pages.json``; the page texts are not (they are
other people's words). They live in the git-ignored ``benchmarks/real_pages/pages/``,
one ``<id>.txt`` per record, holding the page text from its beginning as the search
tool returned it. The scorer builds that folder with the library and reads the
resulting graph with SPARQL, following the response contract:

Each grade in the facts is one judgement; ``"areas": n`` records a phrase such as
"inadequate in three areas" and counts as n judgements of that grade. A judgement found
in the build whose ``pcc:area`` is such a count ("three areas", "2 questions") counts the
same way, as n of its grade: the build states the count, it does not invent n nodes.

* a node typed ``pcc:Letter`` / ``pcc:Statement`` / ``pcc:ResponseForm`` whose
  ``pcc:sourceFile`` is the page file;
* ``dcterms:date`` (and ``pcc:dateText`` for a date with no year), ``pcc:respondentForce``,
  ``dcterms:creator`` with an ``rdfs:label``;
* reports it ``pcc:respondsTo`` with a ``dcterms:title``; their ``pcc:hasJudgement``
  (judgements derived from this response, without a ``pcc:period``) and
  ``pcc:hasRecommendationTally``.

    .venv/bin/python benchmarks/real_pages.py [--folder DIR] [--facts FILE] [--json OUT]

Always exits 0: it measures, it does not gate.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FACTS = ROOT / "benchmarks" / "real_pages.json"
DEFAULT_FOLDER = ROOT / "benchmarks" / "real_pages" / "pages"

KINDS = ("letter", "statement", "response form")
KIND_CLASS = {"Letter": "letter", "Statement": "statement", "ResponseForm": "response form"}
GRADE_WORDS = {
    "Outstanding": "outstanding",
    "Good": "good",
    "Adequate": "adequate",
    "RequiresImprovement": "requires improvement",
    "Inadequate": "inadequate",
}
HONORIFICS = {"sir", "dame", "lord", "lady", "baroness", "baron", "dr", "mr", "mrs", "ms", "miss",
              "rt", "hon", "the", "cllr", "councillor", "prof", "professor", "obe", "mbe", "cbe", "qpm"}
FORM_LABELS = re.compile(
    r"(title of inspection|date inspection published|deadline for response|type of inspection|"
    r"date response sent|pcc comments|chief constable'?s? response|force response)\s*:",
    re.I,
)

PREFIXES = """
PREFIX pcc: <https://w3id.org/pccgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

Q_NODES = PREFIXES + """
SELECT ?r ?src ?cls WHERE {
  ?r pcc:sourceFile ?src ; a ?cls .
  FILTER(?cls IN (pcc:Letter, pcc:Statement, pcc:ResponseForm))
}"""
Q_VALUES = PREFIXES + """
SELECT ?p ?v WHERE {
  VALUES ?p { dcterms:date pcc:dateText pcc:respondentForce }
  ?r ?p ?v .
}"""
Q_AUTHOR = PREFIXES + """
SELECT ?name WHERE {
  ?r dcterms:creator ?c .
  { ?c rdfs:label ?name } UNION { ?c foaf:name ?name }
}"""
Q_TITLES = PREFIXES + """
SELECT ?rel ?rep ?title WHERE {
  VALUES ?rel { pcc:respondsTo pcc:cites }
  ?r ?rel ?rep .
  OPTIONAL { ?rep dcterms:title ?title }
}"""
Q_GRADES = PREFIXES + """
SELECT ?j ?grade ?area WHERE {
  ?r pcc:respondsTo ?rep .
  ?rep pcc:hasJudgement ?j .
  ?j prov:wasDerivedFrom ?r ; pcc:grade ?grade .
  OPTIONAL { ?j pcc:area ?area }
  FILTER NOT EXISTS { ?j pcc:period ?p }
}"""
Q_TALLIES = PREFIXES + """
SELECT DISTINCT ?t ?n ?kind WHERE {
  { ?r pcc:respondsTo ?rep . ?rep pcc:hasRecommendationTally ?t . }
  UNION
  { ?t a pcc:RecommendationTally ; prov:wasDerivedFrom ?r . }
  ?t pcc:numberOfRecommendations ?n .
  OPTIONAL { ?t pcc:tallyKind ?kind }
}"""


# --------------------------------------------------------------------------- helpers


def fold(text: str) -> str:
    """Lower case, accents off, punctuation to spaces, dashes and quotes unified."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[\u2010-\u2015\-–—/]", " ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def person(name: str) -> list[str]:
    return [t for t in fold(name).split() if t not in HONORIFICS]


def same_person(expected: str, found: str) -> bool:
    e, f = person(expected), person(found)
    return bool(e) and (e == f or set(e) <= set(f))


def title_matches(found: str, expected: str) -> bool:
    from rapidfuzz import fuzz

    a, b = fold(found), fold(expected)
    if not a or not b:
        return False
    if a == b:
        return True
    # token_set_ratio scores a subset as 100: demand some substance on the found side
    return len(a.split()) >= 3 and fuzz.token_set_ratio(a, b) >= 90


def junk_title(title: str) -> str | None:
    """Why a report title is not a title (a sentence of speech, a form-field line, a lone word)."""
    t = " ".join(title.split())
    words = t.split()
    if len(FORM_LABELS.findall(t)) >= 1 or len(re.findall(r"\b[A-Z][\w ]{2,30}:\s", t)) >= 2:
        return "form-field line"
    if fold(t) in {"report", "the report", "hmicfrs report", "hmic report", "inspection report", "this report"}:
        return "lone 'report'"
    if len(words) == 1 or fold(t) in set(GRADE_WORDS.values()):
        return "fragment"
    if re.search(r"\b(I|I'm|I’m|we|our|my)\b", t) or re.search(r"\bsaid\b", t, re.I):
        return "speech"
    if len(words) >= 14 and re.search(r"[.!?]\s*$", t):
        return "sentence"
    if len(words) > 30:
        return "sentence"
    return None


WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def day_month(text: str) -> str:
    """A yearless date folded for comparison: weekday dropped, ordinals and word order ignored."""
    words = [re.sub(r"(\d+)(st|nd|rd|th)$", r"\1", w) for w in fold(text).split() if w not in WEEKDAYS]
    return " ".join(sorted(words))


def date_matches(expected: str, found: str) -> bool:
    return found[: len(expected)] == expected


def grade_of(iri) -> str | None:
    return GRADE_WORDS.get(str(iri).rsplit("#", 1)[-1])


NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
COUNTED_AREA = re.compile(r"^(?:in\s+)?(?:all\s+)?(?P<n>\d{1,2}|" + "|".join(NUMBER_WORDS) +
                          r")\s+(?:(?:out\s+)?of\s+the\s+\w+\s+)?(?:areas?|pillars?|questions?|categories|category)$", re.I)


def area_weight(area: str | None) -> int:
    """How many judgements a found area stands for: "three areas" -> 3, any other area -> 1."""
    m = COUNTED_AREA.match(" ".join((area or "").split()))
    if not m:
        return 1
    n = m.group("n").lower()
    return max(1, int(n) if n.isdigit() else NUMBER_WORDS[n])


def area_matches(expected: str | None, found: str | None) -> bool:
    from rapidfuzz import fuzz

    if not expected or not found:
        return False
    return fuzz.token_set_ratio(fold(expected), fold(found)) >= 80


# --------------------------------------------------------------------------- scoring


@dataclass
class Tally:
    n: int = 0
    total: int = 0

    def add(self, ok: bool | int, weight: int = 1) -> None:
        self.n += int(ok) if isinstance(ok, bool) else ok
        self.total += weight

    def pct(self) -> float | None:
        return None if self.total == 0 else 100.0 * self.n / self.total


@dataclass
class Scores:
    fields: dict[str, dict[str, Tally]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Tally)))
    misses: list[dict] = field(default_factory=list)

    def add(self, name: str, kind: str, ok: bool | int, weight: int = 1) -> None:
        self.fields[name]["all"].add(ok, weight)
        self.fields[name][kind].add(ok, weight)


FIELD_ORDER = [
    ("node", "response node built (any kind)"),
    ("kind", "node of the right kind"),
    ("responses", "right number of responses on the page"),
    ("no_response", "page commenting on no inspection: no node"),
    ("date", "date right (where the page states one)"),
    ("date_text", "yearless date kept as text"),
    ("force", "own force (pcc:respondentForce)"),
    ("author", "author (dcterms:creator)"),
    ("title", "report title right"),
    ("clean_titles", "report titles that are titles (no speech/form line)"),
    ("grades_recall", "grades recall (by grade)"),
    ("grades_precision", "grades precision (by grade)"),
    ("grades_area_recall", "grades recall (area and grade)"),
    ("counts", "recommendation / AFI / concern counts"),
]


def score(facts: list[dict], graph, folder: Path) -> Scores:
    from rdflib import URIRef

    scores = Scores()
    by_file: dict[str, list[tuple[URIRef, str]]] = defaultdict(list)
    for row in graph.query(Q_NODES):
        by_file[Path(str(row.src)).name].append((row.r, KIND_CLASS[str(row.cls).rsplit("#", 1)[-1]]))

    for rec in facts:
        kind = rec["kind"]
        nodes = by_file.get(rec["file"], [])
        node_iris = sorted({n for n, _ in nodes})
        miss: list[str] = []

        def note(name: str, ok: bool, detail: str = "") -> bool:
            if not ok:
                miss.append(f"{name}{': ' + detail if detail else ''}")
            return ok

        if rec["responses"] == 0:
            scores.add("no_response", kind, note("no_response", not node_iris, f"{len(node_iris)} node(s)"))
            if miss:
                scores.misses.append({"id": rec["id"], "misses": miss})
            continue

        scores.add("node", kind, note("node", bool(node_iris)))
        scores.add("kind", kind, note("kind", any(k == kind for _, k in nodes), ",".join(sorted({k for _, k in nodes})) or "none"))
        scores.add("responses", kind, note("responses", len(node_iris) == rec["responses"], f"{len(node_iris)} for {rec['responses']}"))

        values: dict[str, set[str]] = defaultdict(set)
        authors: set[str] = set()
        titles: list[str] = []
        found_grades: list[tuple[str, str | None]] = []
        tallies: set[tuple[int, str | None]] = set()
        seen_j: set = set()
        for r in node_iris:
            for row in graph.query(Q_VALUES, initBindings={"r": r}):
                values[str(row.p).rsplit("#", 1)[-1].rsplit("/", 1)[-1]].add(str(row.v))
            authors |= {str(row.name) for row in graph.query(Q_AUTHOR, initBindings={"r": r})}
            for row in graph.query(Q_TITLES, initBindings={"r": r}):
                if row.title is not None:
                    titles.append((str(row.rel).rsplit("#", 1)[-1], str(row.title)))
            for row in graph.query(Q_GRADES, initBindings={"r": r}):
                if row.j in seen_j:
                    continue
                seen_j.add(row.j)
                g = grade_of(row.grade)
                if g:
                    found_grades.append((g, str(row.area) if row.area is not None else None))
            for row in graph.query(Q_TALLIES, initBindings={"r": r}):
                tallies.add((int(row.n), str(row.kind) if row.kind is not None else None))

        if rec["date"]:
            got = values.get("date", set())
            scores.add("date", kind, note("date", any(date_matches(rec["date"], d) for d in got), f"{rec['date']} vs {sorted(got)}"))
        if rec.get("date_text"):
            got = values.get("dateText", set())
            scores.add("date_text", kind, note("date_text", any(day_month(rec["date_text"]) == day_month(d) for d in got), f"{rec['date_text']!r} vs {sorted(got)}"))
        forces = {v.rsplit("/", 1)[-1] for v in values.get("respondentForce", set())}
        scores.add("force", kind, note("force", rec["force"] in forces, f"{rec['force']} vs {sorted(forces)}"))
        if rec["author"]:
            scores.add("author", kind, note("author", any(same_person(rec["author"], a) for a in authors), f"{rec['author']} vs {sorted(authors)}"))

        expected_titles = list(rec["titles"]) + list(rec.get("title_aliases", []))
        answered = [t for rel, t in titles if rel == "respondsTo"]
        if expected_titles:
            ok = any(title_matches(t, e) for t in answered for e in expected_titles)
            scores.add("title", kind, note("title", ok, f"found {answered[:3]}"))
        for _, t in titles:
            why = junk_title(t)
            scores.add("clean_titles", kind, note("clean_titles", why is None, f"{why}: {t[:80]!r}") if why else True)

        expected: Counter[str] = Counter()
        for g in rec["grades"]:
            expected[g["grade"]] += g.get("areas") or 1
        found: Counter[str] = Counter()
        for g, a in found_grades:
            found[g] += area_weight(a)
        hit = sum((expected & found).values())
        if expected:
            scores.add("grades_recall", kind, hit, sum(expected.values()))
            if hit < sum(expected.values()):
                note("grades_recall", False, f"{dict(expected)} vs {dict(found)}")
        if found:
            scores.add("grades_precision", kind, hit, sum(found.values()))
            if hit < sum(found.values()):
                note("grades_precision", False, f"{dict(found)} vs {dict(expected)}")
        with_area = [g for g in rec["grades"] if g["area"]]
        if with_area:
            pool = list(found_grades)
            got = 0
            for g in with_area:
                for i, (fg, fa) in enumerate(pool):
                    if fg == g["grade"] and area_matches(g["area"], fa):
                        got += 1
                        pool.pop(i)
                        break
            scores.add("grades_area_recall", kind, got, len(with_area))
        for c in rec["counts"]:
            ok = any(n == c["count"] and (k is None or fold(k) == fold(c["kind"])) for n, k in tallies)
            scores.add("counts", kind, note("counts", ok, f"{c} vs {sorted(tallies)}"))

        if miss:
            scores.misses.append({"id": rec["id"], "misses": miss})
    return scores


# --------------------------------------------------------------------------- output


def figures(scores: Scores, facts: list[dict], build_note: str) -> dict:
    out: dict = {"pages": len(facts), "build": build_note, "fields": {}}
    for name, label in FIELD_ORDER:
        cols = scores.fields.get(name, {})
        out["fields"][name] = {
            "label": label,
            **{col: {"n": t.n, "of": t.total, "pct": None if t.pct() is None else round(t.pct(), 1)}
               for col, t in cols.items()},
        }
    out["misses"] = scores.misses
    return out


def print_table(scores: Scores, facts: list[dict], build_note: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    kinds = Counter(r["kind"] for r in facts)
    offices = len({r["office"] for r in facts})
    table = Table(title=f"real published responses: {len(facts)} pages, {offices} offices "
                        f"({', '.join(f'{k} {kinds[k]}' for k in KINDS)})")
    table.add_column("field")
    for col in ("all", *KINDS):
        table.add_column(col, justify="right")

    def cell(t: Tally | None) -> str:
        if t is None or t.total == 0:
            return "–"
        return f"{t.n}/{t.total} {t.pct():.0f}%"

    for name, label in FIELD_ORDER:
        cols = scores.fields.get(name, {})
        table.add_row(label, *(cell(cols.get(c)) for c in ("all", *KINDS)))
    console.print(table)
    console.print(f"build: {build_note}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", type=Path, default=DEFAULT_FOLDER, help="page texts, one <id>.txt per record")
    ap.add_argument("--facts", type=Path, default=DEFAULT_FACTS, help="the recorded facts (JSON list)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures (and each page's misses) here")
    ap.add_argument("--misses", action="store_true", help="print what each page missed")
    args = ap.parse_args(argv)

    facts = json.loads(args.facts.read_text(encoding="utf-8"))
    present = [r for r in facts if (args.folder / r["file"]).is_file()]
    if not present:
        print(
            f"No page texts in {args.folder}.\n"
            f"Fill it by hand: for each record in {args.facts}, save the page text (from its beginning)\n"
            f"as {args.folder}/<id>.txt. 'url' is the page's address; 'query' re-finds it in the\n"
            "search tool's 'pages' corpus. The folder is git-ignored: page texts are never committed."
        )
        return 0
    if len(present) < len(facts):
        print(f"note: {len(facts) - len(present)} of {len(facts)} page texts missing; scoring the {len(present)} present")
    facts = present

    import pccgraph
    from rdflib import Graph

    graph = Graph()
    build_note = "ok"
    try:
        result = pccgraph.build([str(args.folder)], None, views=False)
        for g in result.dataset.graphs():
            graph += g
        build_note = f"ok, {len(result.problems)} problems reported"
    except Exception as exc:  # the library raises; a failed build scores as an empty graph
        build_note = f"build failed: {type(exc).__name__}: {str(exc)[:200]}"

    scores = score(facts, graph, args.folder)
    print_table(scores, facts, build_note)
    if args.misses:
        for m in scores.misses:
            print(m["id"], "|", "; ".join(m["misses"]))
    if args.json:
        args.json.write_text(json.dumps(figures(scores, facts, build_note), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
