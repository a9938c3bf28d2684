"""Statements: press releases, news items and web "Commissioner's response" pages.

A statement has no salutation: a headline, a date line or byline, paragraphs that
report the inspection and quote the commissioner (often beside the Chief Constable),
and sometimes a signature. Each heuristic below is a small named rule, tried in the
order of its table; the rule that found a value is kept with it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..dates import is_date_line
from ..model import DocumentKind, LetterDate, ParsedLetter, Problem, RawLetter, Severity, Span, TitleRef
from .common import (
    FOOTER_START,
    Line,
    date_at,
    date_from_meta,
    find_office,
    find_speaker,
    is_furniture,
    is_title_shaped,
    names_a_report,
    split_lines,
    yearless_date,
)
from .letter import _QUOTED, _one_line, _signature, _strip_prefix, _titles_in_line, parse_letter

# "Commissioner responds to …", "PCC welcomes …", "Response to …" before a title in a headline
_HEADLINE_LEAD = re.compile(
    r"^.{0,120}?\b(?:responds?|responding|response|reacts?|reacting|reaction|comments?|commenting|statement|"
    r"welcomes?|welcoming|statement)\s+(?:to|on|following|after|about)\s+(?:the\s+|a\s+|its\s+|latest\s+|new\s+|recent\s+)*",
    re.IGNORECASE,
)
# "… – Lord Bach responds", "…: PCC's response", "(Commissioner's statement)"
_HEADLINE_TAIL = re.compile(
    r"\s*(?:[-–—:|]\s*|\(\s*)(?:[A-Z][\w'’.]*\s+){0,4}(?:responds?|response|comments?|statement|reacts?|welcomes)\)?\s*$",
    re.IGNORECASE,
)
# Words that only describe a report; a headline made of them alone is a description, not a title
_DESCRIPTIVE_ONLY = re.compile(
    r"^(?:(?:the|a|an|its|their|latest|new|recent|most|hmic(?:frs)?(?:['’]s)?|his|majesty['’]s|inspectorate|"
    r"of|constabulary|and|fire|rescue|services?|police|force(?:['’]s)?|peel|annual|inspection|report|review|"
    r"assessment|findings|rating|ratings|grades?|grading|judgements?|\d{4}(?:[/-]\d{2,4})?)\s*)+$",
    re.IGNORECASE,
)
_PILLARS = r"effectiveness|efficiency|legitimacy|leadership|vulnerability"
_YEAR = r"(?:19|20)\d\d(?:\s*[/-]\s*(?:20)?\d\d)?"
# "the HMICFRS legitimacy report", "its latest PEEL assessment", "the 2021/22 PEEL inspection",
# "PEEL Efficiency 2017", "the Police Effectiveness, Efficiency and Legitimacy (PEEL) report"
DESCRIPTIVE_REFERENCE = re.compile(
    rf"\b(?:(?P<year1>{_YEAR})\s+)?(?:HMIC(?:FRS)?(?:['’]s)?\s+)?(?:latest\s+|most\s+recent\s+|annual\s+|new\s+)?"
    rf"(?:(?P<year2>{_YEAR})\s+)?"
    rf"(?:(?P<peel>PEEL|Police\s+Effectiveness,?\s+Efficiency\s+and\s+Legitimacy(?:\s+\(PEEL\))?)"
    rf"(?:\s*[:-]?\s*(?:Police\s+)?(?P<pillar1>{_PILLARS}))?|(?P<pillar2>{_PILLARS}))"
    rf"(?:\s+(?:{_PILLARS}|and|,))*"
    rf"(?:\s+(?P<year3>{_YEAR}))?"
    r"\s+(?:inspection|assessment|report|review|programme)s?"
    rf"(?:\s+(?:of|for|in)\s+(?P<year4>{_YEAR}))?",
    re.IGNORECASE,
)


def _year(text: str) -> str:
    """A year or period as PEEL names it: "2021/22"."""
    m = re.fullmatch(r"((?:19|20)\d\d)\s*(?:[/-]\s*(?:20)?(\d\d))?", text.strip())
    if not m:
        return text
    return f"{m.group(1)}/{m.group(2)}" if m.group(2) else m.group(1)


def descriptive_title(m: re.Match[str], fallback_year: str) -> str | None:
    """The report a descriptive reference identifies, as a title: programme, pillar, year."""
    pillar = (m.group("pillar1") or m.group("pillar2") or "").lower()
    if not (m.group("peel") or pillar):
        return None
    if not m.group("peel") and not re.search(r"\b(?:HMIC|PEEL|inspection|assessment)", m.group(0), re.I):
        return None  # "the efficiency report" alone is too vague unless an inspectorate is named
    year = next((m.group(g) for g in ("year1", "year2", "year3", "year4") if m.group(g)), "") or fallback_year
    year = _year(year) if year else ""
    if pillar == "vulnerability":
        return f"PEEL: Police effectiveness (vulnerability) {year}".strip()
    if pillar:
        return f"PEEL: Police {pillar} {year}".strip()
    return f"PEEL {year}".strip()


def _top_zone(lines: list[Line]) -> list[Line]:
    """The heading lines before the first paragraph of prose (headline, date line, byline, fields)."""
    zone: list[Line] = []
    for ln in lines:
        if not ln.stripped:
            continue
        prose = len(ln.stripped) > 160 or (ln.stripped.endswith((".", "”", '"')) and len(ln.stripped.split()) > 12)
        if prose or len(zone) >= 8:
            break
        zone.append(ln)
    return zone


def _headline(zone: list[Line]) -> Line | None:
    for ln in zone:
        if is_furniture(ln.text) or is_date_line(ln.stripped):
            continue
        return ln
    return None


def headline_titles(text: str, headline: Line | None) -> list[TitleRef]:
    """Rule: the headline names the report ("Commissioner responds to PEEL 2021/22 report")."""
    if headline is None or not names_a_report(headline.text):
        return []
    start, end = headline.start, headline.end
    lead = _HEADLINE_LEAD.match(text, start, end)
    if lead:
        start = lead.end()
    tail = _HEADLINE_TAIL.search(text, start, end)
    if tail and tail.start() > start:
        end = tail.start()
    segment = text[start:end].strip(" \t*_#:-–—")
    if not segment or _DESCRIPTIVE_ONLY.match(segment):
        return []
    found = _titles_in_line(text, Line(headline.index, start, text[start:end]))  # type: ignore[arg-type]
    return [t for t in found if is_title_shaped(t.title) and len(t.title) > 6 and not _DESCRIPTIVE_ONLY.match(t.title)]


def quoted_titles(text: str, start: int, end: int) -> list[TitleRef]:
    """Rule: quoted titles beside "report" or "inspection" in the opening paragraphs
    (all those of the first paragraph that has one)."""
    found: list[TitleRef] = []
    for m in _QUOTED.finditer(text, start, end):
        if found and "\n\n" in text[found[-1].span.end : m.start()]:
            break
        around = text[max(0, m.start() - 60) : m.start()] + " " + text[m.end() : m.end() + 30]
        inner = m.group("title")
        if (
            re.search(r"\b(?:report|inspection|review|PEEL|HMIC(?:FRS)?|thematic|entitled|titled|called)\b", around, re.I)
            and len(inner.split()) >= 2
            and is_title_shaped(inner)
            and inner[:1].isupper()
            and not re.search(r"[.!?]\s+[A-Z]", inner)
        ):
            s, e = m.start("title"), m.end("title")
            ls = text.rfind("\n", 0, s) + 1
            le = text.find("\n", e)
            found.append(TitleRef(_one_line(text[s:e]), Span(s, e), Span(ls, le if le != -1 else len(text))))
    return found


def descriptive_titles(text: str, start: int, end: int, fallback_year: str) -> list[TitleRef]:
    """Rule: "the HMICFRS legitimacy report", "the 2021/22 PEEL inspection": programme, pillar, year."""
    for m in DESCRIPTIVE_REFERENCE.finditer(text, start, end):
        title = descriptive_title(m, fallback_year)
        if title:
            s, e = m.start(), m.end()
            ls = text.rfind("\n", 0, s) + 1
            le = text.find("\n", e)
            return [TitleRef(title, Span(s, e), Span(ls, le if le != -1 else len(text)))]
    return []


def _body_end(lines: list[Line], after: int) -> int:
    """The index of the first footer line ("Notes to editors", "ENDS", "Related news")."""
    for ln in lines[after:]:
        if FOOTER_START.match(ln.stripped):
            return ln.index
    return len(lines)


def _statement_date(text: str, zone: list[Line], body_lines: list[Line]) -> LetterDate | None:
    """Rule order: a date line or byline in the heading; a dateline opening the first paragraph."""
    for ln in zone:
        found = date_at(text, ln)
        if found:
            return found
    if body_lines:
        found = date_at(text, body_lines[0])
        if found and found.span.start - body_lines[0].start <= 3:
            return found
    return None


def parse_statement(raw: RawLetter) -> ParsedLetter:
    """Read a statement's headline, date, speaker, office and the reports it answers.

    Args:
        raw: a statement cut from a document (no salutation).

    Returns:
        A parsed response of kind ``statement``; what could not be found is in ``problems``.
    """
    base = parse_letter(raw)  # the letter reader's no-salutation path: fields, signature, body
    text = raw.text
    lines = split_lines(text)
    problems: list[Problem] = []

    def problem(line_index: int, message: str) -> None:
        problems.append(Problem(raw.source, raw.start_line + line_index, Severity.WARNING, message))

    zone = _top_zone(lines)
    headline = _headline(zone)
    first_prose = next((ln for ln in lines if ln.stripped and ln not in zone), None)
    body_start_index = first_prose.index if first_prose else (zone[-1].index + 1 if zone else 0)
    end_index = _body_end(lines, body_start_index)
    body_lines = [ln for ln in lines[body_start_index:end_index] if ln.stripped and not is_furniture(ln.text)]

    # date: heading, then the opening dateline, then a labelled "Date:" field the letter reader
    # found in the heading, then the page's metadata; a date with no year stays text.
    date = _statement_date(text, zone, body_lines)
    date_source = "text"
    if date is None and base.date is not None and base.date.span.start < (first_prose.start if first_prose else len(text)):
        date = base.date
    if date is None and raw.get("date"):
        date = date_from_meta(raw.get("date"))
        date_source = "page metadata"
    partial = None
    if date is None:
        partial = yearless_date(text, 0, min(len(text), (body_lines[0].start if body_lines else 0) + 1500))
        problem(0, "no date found in the statement's heading or page metadata"
                + ("; a date without a year is kept as text" if partial else ""))

    # the reports answered: a labelled field, the headline, a quoted title, a description
    opening_start = body_lines[0].start if body_lines else 0
    opening_end = min(len(text), opening_start + 1500)
    year = date.iso[:4] if date else ""
    titles: list[TitleRef] = []
    rules = (
        lambda: [t for t in base.titles if _labelled(text, t) and is_title_shaped(t.title)],
        lambda: headline_titles(text, headline),
        lambda: quoted_titles(text, opening_start, opening_end),
        lambda: descriptive_titles(text, headline.start if headline else opening_start, opening_end, year),
    )
    for rule in rules:
        titles = rule()
        if titles:
            break
    if not titles:
        problem(body_start_index, "no inspection report named in the statement's headline or opening")

    speaker = find_speaker(text, 0, body_lines[-1].end if body_lines else len(text))
    signatory, sig_titles = base.signatory, base.signatory_titles
    if speaker is not None:
        signatory, sig_titles = speaker.name, ((speaker.role,) if speaker.role else ())
    elif signatory is None:
        signatory, sig_titles, _ = _signature(lines, text, body_start_index)  # type: ignore[arg-type]
    if signatory is None:
        problem(len(lines) - 1, "no commissioner named as speaker or signatory")
    office = find_office(text, 0, min(len(text), 4000))
    body = Span(body_lines[0].start, body_lines[-1].end) if body_lines else base.body
    return replace(
        base,
        kind=DocumentKind.STATEMENT,
        date=date,
        date_source=date_source,
        partial_date=partial,
        titles=tuple(titles),
        signatory=signatory,
        signatory_titles=tuple(sig_titles),
        body=body,
        office=office[0] if office else None,
        salutation=None,
        problems=tuple(problems),
    )


def _labelled(text: str, title: TitleRef) -> bool:
    """A title read from a labelled field ("Report title: …", "Re: …")."""
    head = text[title.line_span.start : title.span.start]
    return bool(re.search(r"\b(?:re|subject|report(?:\s+title)?|title(?:\s+of[\w ]+)?|inspection(?:\s+report)?|name\s+of[\w ]+)\s*[:\-–]\s*['\"‘“]?$", head, re.I))
