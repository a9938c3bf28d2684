"""Inspection reports read as documents: the report itself, not a response to it.

An HMIC/HMICFRS report opens with a title page (title, the inspectorate, a publication
date) and is built of sections a response never has as its own headings: "Our
judgements" (or a grade table), "Causes of concern", "Areas for improvement",
numbered "Recommendations". It speaks as the inspectorate ("we found", "we
recommend"), never as a commissioner answering ("Our response:", "Dear …").

:func:`parse_report` returns the same :class:`~pccgraph.model.ParsedLetter` shape as the
responses, with ``kind`` = :attr:`DocumentKind.REPORT`, the report's title as its only
title (its publication date as ``issued``), the publication date as its date and the
whole text as its body; the findings and grades are read by the extractors.
"""

from __future__ import annotations

import re

from ..dates import find_dates
from ..model import DatePrecision, DocumentKind, LetterDate, ParsedLetter, Problem, RawLetter, Severity, Span, TitleRef
from .common import split_lines

__all__ = ["is_report", "parse_report"]

_SECTION = re.compile(
    r"^[ \t#*]*(?:\d+\.?\s+)?(?P<head>Our\s+judge?ments|Causes?\s+(?:of|for)\s+concern|Areas?\s+for\s+improvement|"
    r"Recommendations|Summary\s+of\s+(?:findings|judge?ments)|Grades?|Our\s+findings)[ \t*]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_NUMBERED = re.compile(
    r"^[ \t#*]*(?:Recommendation|Area\s+for\s+improvement|Cause\s+of\s+concern)(?:\s+\d{1,3})?[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_INSPECTORATE = re.compile(
    r"\bHMICFRS\b|\bHMIC\b|Majesty['’]s\s+Inspectorate\s+of\s+Constabulary|Majesty['’]s\s+Inspector", re.IGNORECASE
)
# the voice of a response, never of a report
_RESPONSE_VOICE = re.compile(
    r"^\s*Dear\s|\b(?:our|force|pcc|commissioner['’]s)\s+response\s*:|^\s*Status\s*:|\bresponse\s+from\s*:|"
    r"\bsection\s+55\s+response\b|\bI\s+(?:welcome|am\s+pleased|have\s+asked|will\s+(?:monitor|hold|continue))\b",
    re.IGNORECASE | re.MULTILINE,
)
_PUBLISHED = re.compile(
    r"^[ \t*]*(?:Published|Publication\s+date|Date\s+of\s+publication|Date\s+published)\b[ \t]*(?:on)?[ \t]*:?[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
_TITLE_PAGE_CHARS = 1500


def is_report(text: str) -> bool:
    """An inspection report: the inspectorate on its title page, at least two of the
    report's own section headings, a finding set as a heading of its own, and nothing a
    response would say."""
    head = text[:_TITLE_PAGE_CHARS]
    if not _INSPECTORATE.search(head) or _RESPONSE_VOICE.search(text):
        return False
    sections = {re.sub(r"\W+", " ", m.group("head").lower()).rstrip("s") for m in _SECTION.finditer(text)}
    return len(sections) >= 2 and bool(_NUMBERED.search(text))


def parse_report(raw: RawLetter) -> ParsedLetter:
    """Read an inspection report's title page: title, publication date."""
    text = raw.text
    lines = split_lines(text)
    problems: list[Problem] = []
    title_lines = []
    for ln in lines:
        if not ln.stripped:
            if title_lines:
                break
            continue
        if _INSPECTORATE.fullmatch(ln.stripped) or _PUBLISHED.match(ln.text):
            break
        title_lines.append(ln)
        if len(title_lines) == 3:
            break
    titles: tuple[TitleRef, ...] = ()
    date: LetterDate | None = None
    published = _PUBLISHED.search(text, 0, _TITLE_PAGE_CHARS)
    if published:
        found = [d for d in find_dates(text, published.end(), min(len(text), published.end() + 40)) if d.start == published.end()]
        if found:
            d = found[0]
            date = LetterDate(d.iso, DatePrecision(d.precision), Span(d.start, d.end))
    if date is None and raw.get("date"):
        iso = raw.get("date")[:10]
        if re.fullmatch(r"\d{4}-\d\d-\d\d", iso):
            date = LetterDate(iso, DatePrecision.DAY, Span(0, 0))
    if title_lines:
        start, end = title_lines[0].start, title_lines[-1].end
        while end > start and text[end - 1] in " \t":
            end -= 1
        # a subtitle on its own line: "Keys to the kingdom" / "An inspection of …"
        title = " ".join(ln.stripped.strip("#* ") for ln in title_lines)
        titles = (TitleRef(title, Span(start, end), Span(start, end), issued=date.iso if date else None),)
    else:
        problems.append(Problem(raw.source, raw.start_line, Severity.WARNING, "no title found on the report's title page"))
    if date is None:
        problems.append(Problem(raw.source, raw.start_line, Severity.WARNING, "no publication date found on the report's title page"))
    return ParsedLetter(
        raw=raw,
        date=date,
        salutation=None,
        addressee=None,
        copied_to=(),
        titles=titles,
        signatory=None,
        signatory_titles=(),
        body=Span(0, len(text)),
        problems=tuple(problems),
        kind=DocumentKind.REPORT,
        date_source="text" if date and date.span.end > date.span.start else "page metadata",
    )
