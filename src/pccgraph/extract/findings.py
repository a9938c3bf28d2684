"""Inspection findings (recommendations, areas for improvement, causes of concern) and
what a response says about each.

In an inspection report each finding is a numbered heading ("Recommendation 3") with its
text under it or after it. A response quotes or numbers the same findings, then says
where the force stands ("Our response: … This recommendation is complete", "Status: In
progress", "Recommendation 1 … has been accepted"). This module finds:

- ``finding`` facts: kind, number, label as written, the finding's text when it is
  quoted, its deadline ("By 31 March 2024" as an ISO date, "within six months" as text
  with the number of months), whom it is addressed to;
- ``finding_status`` facts: the stated status of one finding, or of all the findings of
  a kind ("all the recommendations have been accepted"), with the sentence that says so.

Every fact's span is an exact slice of the document's text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from ..dates import find_dates
from ..model import DocumentKind, EntityType, Fact, ParsedLetter, Span
from ..reference import Gazetteer
from .header import fact

__all__ = ["KINDS", "STATUSES", "add_months", "classify_status", "finding_facts", "page_of", "parse_label"]

# kind -> canonical label prefix
KINDS: dict[str, str] = {
    "recommendation": "Recommendation",
    "area for improvement": "Area for improvement",
    "cause of concern": "Cause of concern",
}
# the SKOS scheme's notations, in the order a tracker shows them
STATUSES = ("accepted", "in-progress", "complete", "partially", "not-accepted", "superseded")

_KIND = r"(?P<kind>recommendation|area\s+for\s+improvement|AFI|cause\s+(?:of|for)\s+concern|CoC)"
_NUMBER = r"(?P<num>\d{1,3})(?![\d/])"
LABEL = re.compile(rf"(?<![\w-]){_KIND}\s*(?:no\.?\s*)?{_NUMBER}(?:\s*(?:and|&)\s*(?P<num2>\d{{1,3}})(?![\d/]))?", re.IGNORECASE)
# an unnumbered heading of one cause of concern, the way force reports have it
_UNNUMBERED_COC = re.compile(r"^[ \t#*]*Cause\s+of\s+concern[ \t]*:?[ \t]*$", re.IGNORECASE | re.MULTILINE)

_RESPONSE_MARK = re.compile(
    r"^[ \t*•-]*(?:our|the\s+force['’]?s?|force|pcc['’]?s?|commissioner['’]?s?|chief\s+constable['’]?s?)?\s*"
    r"(?:response|status|update|progress|comment|comments|position)\b\s*[:–-]",
    re.IGNORECASE,
)
_SHOULD = re.compile(r"\b(?:should|must|needs?\s+to|to\s+address\s+this)\b", re.IGNORECASE)

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
}
_WITHIN = re.compile(
    r"\bwithin\s+(?P<n>\d{1,2}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")\s+(?P<unit>months?|years?)\b",
    re.IGNORECASE,
)
_BY = re.compile(r"\b(?:by|before|no\s+later\s+than)\s+(?:the\s+end\s+of\s+)?", re.IGNORECASE)
_ADDRESSEE = re.compile(
    r"(?:^|[,;:]\s*|\b(?:months?|years?|20\d\d)\s+)(?P<who>(?:the|all|every|each|both)?\s*[A-Za-z][\w'’&\s-]{1,80}?)\s+should\b",
)

# status -> patterns; the first status (in STATUS_ORDER) with a match wins
_STATUS_PATTERNS: dict[str, re.Pattern[str]] = {
    "superseded": re.compile(r"\bsuperseded\b|\bno\s+longer\s+(?:applies|relevant)\b", re.IGNORECASE),
    "not-accepted": re.compile(
        r"\bnot\s+(?:been\s+)?accept(?:ed)?\b|\b(?:does|do|did|will)\s+not\s+accept\b|\brejected?\b|\bdeclined?\b|"
        r"\bdisagrees?\s+with\b",
        re.IGNORECASE,
    ),
    "partially": re.compile(r"\bpartial(?:ly)?\b|\bpartly\b|\bin\s+part\b", re.IGNORECASE),
    "in-progress-not-yet": re.compile(
        r"\bnot\s+yet\s+(?:been\s+)?(?:complete[d]?|implemented|finished|met|achieved)\b", re.IGNORECASE
    ),
    "complete": re.compile(
        r"\bcomplete[d]?\b|\bfully\s+(?:implemented|met|addressed|achieved)\b|\bhas\s+been\s+(?:implemented|met|achieved|discharged)\b|"
        r"\bdischarged\b|\bclosed\b(?!\s+(?:within|without|before))",
        re.IGNORECASE,
    ),
    "in-progress": re.compile(
        r"\bin\s+progress\b|\bunder\s*way\b|\bongoing\b|\bon-going\b|\bprogressing\b|\bbeing\s+(?:implemented|addressed|developed|trialled|taken\s+forward)\b|"
        r"\bpartially\s+complete\b|\bwork\s+(?:has\s+)?(?:started|begun)\b",
        re.IGNORECASE,
    ),
    "accepted": re.compile(r"\baccept(?:ed|s)?\b|\bagree[ds]?\b(?!\s+to\s+disagree)|\bsupports?\s+(?:this|the)\s+recommendation", re.IGNORECASE),
}
_STATUS_ORDER = ("superseded", "not-accepted", "partially", "in-progress-not-yet", "complete", "in-progress", "accepted")

_ALL = re.compile(
    r"\ball\s+(?:of\s+)?(?:the\s+)?(?:(?P<n>\d{1,3}|" + "|".join(_NUMBERS) + r")\s+)?"
    r"(?P<kind>recommendations|areas\s+for\s+improvement|causes\s+of\s+concern)"
    r"(?:\s+(?:in|of|from|made\s+in|made\s+by)\s+(?:the|this)\s+report)?"
    r"\s+(?:have\s+been|has\s+been|are|were|had\s+been|is)\s+(?:now\s+|fully\s+|already\s+)?"
    r"(?P<status>accepted|agreed|completed|complete|implemented|discharged|superseded)\b"
    r"|\b(?:accepts?|accepted|has\s+accepted|have\s+accepted|agreed\s+to)\s+all\s+(?:of\s+)?(?:the\s+)?(?:(?:\d{1,3}|"
    + "|".join(_NUMBERS)
    + r")\s+)?(?P<kind2>recommendations|areas\s+for\s+improvement)",
    re.IGNORECASE,
)


def parse_label(raw_kind: str) -> str:
    """``"AFI"`` -> ``"area for improvement"``, ``"Cause for concern"`` -> ``"cause of concern"``."""
    k = re.sub(r"\s+", " ", raw_kind.lower())
    if k in ("afi", "afis") or k.startswith("area"):
        return "area for improvement"
    if k in ("coc", "cocs") or k.startswith("cause"):
        return "cause of concern"
    return "recommendation"


def canonical_label(kind: str, number: str) -> str:
    """``"Recommendation 3"``; a finding without a number is labelled by its kind."""
    return f"{KINDS[kind]} {number}".strip()


def add_months(iso: str, months: int) -> str:
    """``add_months("2023-10-12", 6) == "2024-04-12"`` (the day kept within the month)."""
    year, month, day = (int(x) for x in iso.split("-"))
    total = year * 12 + (month - 1) + months
    y, m = divmod(total, 12)
    lengths = [31, 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return f"{y:04d}-{m + 1:02d}-{min(day, lengths[m]):02d}"


def deadline(text: str, start: int, end: int) -> tuple[str, str, int]:
    """(ISO date, deadline as written, months) of a finding's text: "By 31 March 2024" gives
    the date; "within six months" the text and 6 (resolved later against the report's date)."""
    for m in _BY.finditer(text, start, end):
        dates = [d for d in find_dates(text, m.end(), min(end, m.end() + 40)) if d.start == m.end()]
        if dates:
            d = dates[0]
            return d.iso, text[m.start() : d.end], 0
    w = _WITHIN.search(text, start, end)
    if w:
        n = w.group("n").lower()
        months = int(n) if n.isdigit() else _NUMBERS[n]
        if w.group("unit").lower().startswith("year"):
            months *= 12
        return "", w.group(0), months
    return "", "", 0


def addressee(text: str, start: int, end: int, gazetteer: Gazetteer | None) -> tuple[str, str]:
    """(whom the finding is addressed to as written, reference entity ids '|'-joined)."""
    m = _ADDRESSEE.search(text, start, min(end, start + 400))
    if not m:
        return "", ""
    who = re.sub(r"\s+", " ", m.group("who")).strip()
    who = re.sub(r"^(?:By|Within)\b.*?,\s*", "", who)
    if len(who.split()) > 9:
        return "", ""
    ids: list[str] = []
    if gazetteer is not None:
        for part in re.split(r"\s*(?:,|\band\b|&)\s*", who):
            name = re.sub(r"^(?:the|all|every|each)\s+", "", part.strip(), flags=re.IGNORECASE)
            if not name:
                continue
            entity = gazetteer.lookup(name, EntityType.ORGANISATION, EntityType.INSPECTORATE, EntityType.POST)
            if entity is not None:
                ids.append(f"{entity.type.value}:{entity.id}")
    return who, "|".join(sorted(set(ids)))


def classify_status(text: str, start: int, end: int, skip: Span | None = None) -> tuple[str, Span] | None:
    """The stated status in ``text[start:end]`` and the sentence saying it, or None.

    ``skip`` (the quoted finding's own words) is never read as a status.
    """
    sentences = list(_sentences(text, start, end))
    found: list[tuple[int, int, Span]] = []  # (order, position, sentence)
    for s in sentences:
        if skip is not None and skip.start <= s.start and s.end <= skip.end:
            continue
        chunk = text[s.start : s.end]
        for order, status in enumerate(_STATUS_ORDER):
            m = _STATUS_PATTERNS[status].search(chunk)
            if m:
                found.append((order, s.start, s))
                break
    if not found:
        return None
    order, _, span = min(found)
    status = _STATUS_ORDER[order]
    return ("in-progress" if status == "in-progress-not-yet" else status), span


def _sentences(text: str, start: int, end: int) -> Iterator[Span]:
    """Sentence spans of ``text[start:end]``: at . ! ? before a capital, and at line ends."""
    pos = start
    for m in re.finditer(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n", text[start:end]):
        cut = start + m.start()
        yield from _trimmed(text, pos, cut)
        pos = start + m.end()
    yield from _trimmed(text, pos, end)


def _trimmed(text: str, a: int, b: int) -> Iterator[Span]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        yield Span(a, b)


def _paragraph_end(text: str, pos: int, limit: int) -> int:
    m = re.compile(r"\n[ \t]*\n").search(text, pos, limit)
    return m.start() if m else limit


def _line_start(text: str, pos: int) -> bool:
    head = text[text.rfind("\n", 0, pos) + 1 : pos]
    return not head.strip(" \t#*•-–")


def _finding_text(text: str, begin: int, limit: int, kind: str, in_report: bool) -> Span | None:
    """The finding's own words after its label: up to a response marker, and in a response
    up to the end of the sentence that says what should be done."""
    m = re.compile(r"[ \t]*(?:[:.)–—-][ \t]*)?(?:\n[ \t]*)?").match(text, begin)
    a = m.end() if m else begin
    if a >= limit:
        return None
    para_end = _paragraph_end(text, a, limit)
    if in_report and para_end == a:  # heading, blank line, then the text
        nxt = re.compile(r"\n[ \t]*\n[ \t]*").match(text, a)
        if nxt:
            a = nxt.end()
            para_end = _paragraph_end(text, a, limit)
    mark = next((a + r.start() for r in _lines_marked(text, a, para_end)), None)
    b = mark if mark is not None else para_end
    spans = list(_sentences(text, a, b))
    if not spans or not text[spans[0].start : spans[0].start + 1].isupper() and not text[spans[0].start].isdigit():
        return None
    if in_report:
        return Span(spans[0].start, spans[-1].end) if kind == "cause of concern" else _to_should(text, spans)
    return _to_should(text, spans)


def _to_should(text: str, spans: list[Span]) -> Span | None:
    for n, s in enumerate(spans):
        if _SHOULD.search(text, s.start, s.end):
            return Span(spans[0].start, s.end) if n < 3 else None
    return None


def _lines_marked(text: str, a: int, b: int) -> Iterator[re.Match[str]]:
    chunk = text[a:b]
    for line in re.finditer(r"(?:^|\n)([^\n]*)", chunk):
        if line.start(1) > 0 and _RESPONSE_MARK.match(line.group(1)):
            yield line


def page_of(offset: int, pages: str) -> int:
    """The page (from 1) holding ``offset`` of a document whose ``pages`` metadata lists
    its pages' start offsets ("0,1834,3920", a PDF's); 0 when there are none."""
    starts = [int(x) for x in pages.split(",") if x.strip().isdigit()]
    return bisect_right(starts, offset) if starts else 0


def finding_facts(text: str, letter: ParsedLetter, report: str, gazetteer: Gazetteer | None = None) -> list[Fact]:
    """The findings a document states or quotes, and the statuses a response gives them.

    Read from a PDF (a document with ``pages`` metadata), each fact also has the page its
    span starts on."""
    if not report:
        return []
    facts = _finding_facts(text, letter, report, gazetteer)
    pages = letter.raw.get("pages")
    if not pages:
        return facts
    return [Fact(f.kind, f.span, tuple(sorted({*f.values, ("page", str(page_of(letter.raw.offset + f.span.start, pages)))})), f.rule)
            for f in facts]


def _finding_facts(text: str, letter: ParsedLetter, report: str, gazetteer: Gazetteer | None) -> list[Fact]:
    in_report = letter.kind is DocumentKind.REPORT
    body = letter.body
    labels = [m for m in LABEL.finditer(text, body.start, body.end)]
    facts: list[Fact] = []
    bounds = [m.start() for m in labels] + [body.end]
    for i, m in enumerate(labels):
        kind = parse_label(m.group("kind"))
        numbers = [m.group("num")] + ([m.group("num2")] if m.group("num2") else [])
        limit = bounds[i + 1]
        label_span = Span(m.start(), m.end())
        line_initial = _line_start(text, m.start())
        quoted = None
        if line_initial and not m.group("num2"):
            quoted = _finding_text(text, m.end(), limit, kind, in_report)
        if in_report and not line_initial:
            continue  # "as recommendation 2 says": a cross-reference, not the finding
        values: dict[str, str] = {"finding_kind": kind, "label": text[m.start() : m.end()], "report": report}
        span = label_span
        if quoted is not None:
            span = Span(m.start(), quoted.end)
            values["text"] = text[quoted.start : quoted.end]
            values["text_start"] = str(quoted.start)
            iso, written, months = deadline(text, quoted.start, quoted.end)
            values.update(due=iso, due_text=written, due_months=str(months) if months else "")
            who, ids = addressee(text, quoted.start, quoted.end, gazetteer)
            values.update(addressee=who, addressee_ids=ids)
        elif in_report:
            continue
        values["source"] = "report" if in_report else "response"
        for number in numbers:
            facts.append(fact("finding", span, "finding-label", number=number, **values))
        if in_report:
            continue
        # what the response says about it
        if line_initial and quoted is not None:
            end = _status_region_end(text, quoted.end, limit)
            region = (quoted.end, end)
        elif line_initial:
            region = (m.end(), _status_region_end(text, m.end(), limit))
        else:
            sent = next((s for s in _sentences(text, body.start, body.end) if s.start <= m.start() < s.end), None)
            region = (m.start(), min(sent.end if sent else limit, limit))
        status = classify_status(text, region[0], region[1])
        if status:
            for number in numbers:
                facts.append(fact("finding_status", status[1], "finding-status", finding_kind=kind, number=number,
                                  label=text[m.start() : m.end()], status=status[0], report=report, scope="finding"))
    if in_report:
        facts.extend(_unnumbered_causes(text, body, report))
        return facts
    for m in _ALL.finditer(text, body.start, body.end):
        raw_kind = m.group("kind") or m.group("kind2")
        kind = parse_label(raw_kind.rstrip("s") if raw_kind.lower().endswith("recommendations") else raw_kind)
        word = (m.group("status") or "accepted").lower()
        status = {"agreed": "accepted", "completed": "complete", "implemented": "complete", "discharged": "complete"}.get(word, word)
        sent = next((s for s in _sentences(text, body.start, body.end) if s.start <= m.start() < s.end), Span(m.start(), m.end()))
        facts.append(fact("finding_status", sent, "all-findings-status", finding_kind=kind, status=status, report=report, scope="all"))
    return facts


def _status_region_end(text: str, pos: int, limit: int) -> int:
    """The response to a finding: the rest of its paragraph, and the next paragraph when it
    starts with a response marker ("Our response:", "Status:")."""
    end = _paragraph_end(text, pos, limit)
    nxt = re.compile(r"\n[ \t]*\n[ \t]*").match(text, end)
    if nxt and nxt.end() < limit and _RESPONSE_MARK.match(text, nxt.end()):
        end = _paragraph_end(text, nxt.end(), limit)
    return end


def _unnumbered_causes(text: str, body: Span, report: str) -> Iterator[Fact]:
    """A force report's unnumbered "Cause of concern" headings, numbered in order."""
    for n, m in enumerate(_UNNUMBERED_COC.finditer(text, body.start, body.end), 1):
        quoted = _finding_text(text, m.end(), body.end, "cause of concern", True)
        if quoted is None:
            continue
        iso, written, months = "", "", 0
        rec_end = _paragraph_end(text, quoted.end + 2, body.end)
        follow = re.compile(r"\s*(?:Recommendations?\s*\n\s*)?To\s+address\s+this", re.IGNORECASE).match(text, quoted.end)
        if follow:
            iso, written, months = deadline(text, follow.start(), rec_end)
        yield fact("finding", Span(m.start(), quoted.end), "finding-unnumbered", finding_kind="cause of concern", number=str(n),
                   label=text[m.start() : m.end()].strip(" \t#*:"), report=report, text=text[quoted.start : quoted.end],
                   text_start=str(quoted.start), due=iso, due_text=written, due_months=str(months) if months else "",
                   source="report")
