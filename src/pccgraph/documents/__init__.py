"""Stage 2: recognise each published response's kind and read it into one parsed shape.

A PCC office publishes letters, statements (press releases, news items, web pages)
and s.55 response forms. Each kind has its own module; all return a
:class:`~pccgraph.model.ParsedLetter`, so extraction, resolution and the graph stay
one path.

    letter.py      "Dear Home Secretary" … "Yours sincerely"
    statement.py   headline, date line or byline, the commissioner quoted
    form.py        labelled fields, flattened or one a line
    common.py      small shared helpers: speaker, office, dates, furniture, titles
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from ..corpus import SALUTATION, split_letters
from ..model import Document, DocumentKind, ParsedLetter, Problem, RawLetter, Severity, Span, TitleRef
from .common import FOOTER_START, find_office, find_speaker, is_furniture, is_navigation, names_a_report, split_lines
from .form import is_form, parse_form
from .letter import parse_letter
from .report import is_report, parse_report
from .statement import described_titles, parse_statement, quoted_titles

__all__ = ["detect_kind", "parse_document", "parse_letter", "split_document"]

# An inspection or inspectorate named: what makes a page a response rather than other news.
_INSPECTION = re.compile(
    r"\bHMIC(?:FRS)?\b|\bHMI\b|\bHM\s+Inspector|Majesty['’]s\s+Inspector|\binspectorate\b|\binspection\b|\bPEEL\b|"
    r"\bsection\s+55\b|\bs\.?\s?55\b|\binspectors\b|\brecommendations\b|\bareas?\s+for\s+improvement\b|"
    r"\bresponse\s+from\s*:|\bcommissioner['’]s\s+(?:response|comments)\b",
    re.IGNORECASE,
)
# a memorandum: "To: …", "From: …", "Subject: …" heading lines (a letter without "Dear")
MEMO = re.compile(r"^[ \t]*To:[^\n]+\n(?:[^\n]*\n){0,4}?[ \t]*From:[^\n]+\n(?:[^\n]*\n){0,4}?[ \t]*(?:Subject|Re):", re.I | re.M)
_NON_ENGLISH = re.compile(r"^(?!en\b)[a-z]{2,3}(?:[-_][A-Za-z]+)?$")


def detect_kind(raw: RawLetter) -> DocumentKind:
    """A letter has a salutation; a form has labelled fields; anything else is a statement."""
    if is_report(raw.text):  # an inspection report itself, checked first
        return DocumentKind.REPORT
    if SALUTATION.search(raw.text) or MEMO.search(raw.text[:2000]):
        return DocumentKind.LETTER
    if is_form(raw.text):
        return DocumentKind.FORM
    return DocumentKind.STATEMENT


def parse_document(raw: RawLetter) -> ParsedLetter:
    """Read one response by the module of its kind."""
    kind = detect_kind(raw)
    if kind is DocumentKind.REPORT:
        return parse_report(raw)
    if kind is DocumentKind.FORM:
        return parse_form(raw)
    if kind is DocumentKind.STATEMENT:
        return parse_statement(raw)
    letter = parse_letter(raw)
    if letter.signatory is None:
        # "Response by Roger Hirst, Police, Fire and Crime Commissioner:" above the letter
        speaker = find_speaker(raw.text, 0, min(len(raw.text), letter.body.start + 200))
        if speaker is not None:
            problems = tuple(p for p in letter.problems if "no signatory" not in p.message)
            letter = replace(letter, signatory=speaker.name, signatory_titles=(speaker.role,) if speaker.role else (),
                             problems=problems)
    if letter.titles:
        return letter
    # no subject line: a report described in the lead-in or the opening ("in response to
    # HMICFRS' annual assessment of Kent Police's Effectiveness, Efficiency and Legitimacy"),
    # or a page's address slug above the letter ("roads-policing-not-optional-an-inspection-of-…")
    opening_end = min(len(raw.text), letter.body.start + 1500)
    found = quoted_titles(raw.text, 0, opening_end) or described_titles(raw.text, 0, opening_end) or _slug_title(raw.text, letter)
    if not found:
        return letter
    problems = tuple(p for p in letter.problems if "no subject line" not in p.message)
    return replace(letter, titles=tuple(found), problems=problems)


_SLUG = re.compile(r"^[ \t]*(?P<slug>[A-Za-z0-9]+(?:-[a-z0-9]+){3,})[ \t]*$", re.MULTILINE)


def _slug_title(text: str, letter: ParsedLetter) -> list[TitleRef]:
    """A report named only by a page-address slug in the heading; matched to the catalogue by its words."""
    m = _SLUG.search(text, 0, letter.body.start)
    if not m:
        return []
    span = Span(m.start("slug"), m.end("slug"))
    return [TitleRef(m.group("slug").replace("-", " "), span, span, rule="address-slug")]


def _section_heads(lines: list, first: int, last: int) -> list[int]:  # type: ignore[type-arg]
    """Headings that each name a report, with a comment of prose under each (a page of several responses)."""
    heads: list[int] = []
    for i in range(first, last + 1):
        ln = lines[i]
        t = ln.stripped.strip("#*_ ")
        if not t or (i > first and lines[i - 1].stripped) or len(t) > 140 or t.endswith((".", ",", ":", "”", '"')):
            continue
        if re.match(r"['\"‘“]", t) or re.search(r"\b(?:said|says|say)\b|:\s*['\"‘“]", t, re.I):
            continue  # a quote or a sentence introducing one, not a heading
        words = t.split()
        capitalised = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit()) / max(1, len(words))
        if len(words) >= 2 and names_a_report(t) and (capitalised >= 0.5 or re.search(r"['\"‘“]|\b(?:19|20)\d\d\b", t)):
            heads.append(i)
    if len(heads) < 2:
        return []
    bounds = [*heads, last + 1]
    for a, b in zip(bounds, bounds[1:]):
        prose = [ln for ln in lines[a + 1 : b] if len(ln.stripped) >= 100]
        if not prose:
            return []
    return heads


def split_document(doc: Document) -> tuple[list[RawLetter], list[Problem]]:
    """Cut a document into responses.

    Letters are cut on their salutations (:func:`pccgraph.corpus.split_letters`). A page
    without one is one statement or form, with page furniture at its edges left out,
    or several when it lists reports with a comment under each. A page that names no
    inspection is reported, not read.
    """
    if is_report(doc.text):  # an inspection report is one document, whatever its headings
        whole = doc.text.rstrip()
        return [RawLetter(doc.path, 0, whole, 0, 1, whole.count("\n") + 1,
                          hashlib.sha256(whole.encode("utf-8")).hexdigest(), doc.meta)], []
    if SALUTATION.search(doc.text):
        return split_letters(doc)
    language = doc.get("language")
    if language and _NON_ENGLISH.match(language.lower()):
        return [], [Problem(doc.path, 1, Severity.WARNING,
                            f"skipped: a page in language {language!r} (a translated copy of a statement?)")]
    lines = split_lines(doc.text)
    content = [ln.index for ln in lines if ln.stripped and not is_furniture(ln.text)]
    if not content:
        return [], [Problem(doc.path, 1, Severity.WARNING, "no text but page furniture; nothing read from it")]
    first, last = content[0], content[-1]
    footer = next((ln.index for ln in lines[first + 1 : last + 1] if FOOTER_START.match(ln.stripped)), None)
    if footer is not None:
        last = max(i for i in content if i < footer) if any(i < footer for i in content) else first
    text = "\n".join(ln.text for ln in lines[first : last + 1])
    if not _INSPECTION.search(text):
        return [], [
            Problem(
                doc.path,
                first + 1,
                Severity.WARNING,
                "no response in this file: it names no inspection, inspectorate or report answered "
                "(no letter, statement or response form); nothing read from it",
            )
        ]
    not_a_response = _not_a_response(lines[first : last + 1])
    if not_a_response:
        return [], [Problem(doc.path, first + 1, Severity.WARNING,
                            f"no response in this file: {not_a_response}; nothing read from it")]
    problems: list[Problem] = []
    if first > 0 or last < len(lines) - 1:
        left = [i + 1 for i in range(len(lines)) if lines[i].stripped and not first <= i <= last]
        if left:
            problems.append(Problem(doc.path, left[0], Severity.INFO,
                                    f"left out {len(left)} line(s) of page furniture around the response"))
    heads = [] if is_form(text) else (_comment_sections(lines, first, last) or _section_heads(lines, first, last))
    spans = list(zip(heads, [h - 1 for h in heads[1:]] + [last])) if heads else [(first, last)]
    meta = doc.meta
    if heads:
        problems.append(Problem(doc.path, heads[0] + 1, Severity.INFO,
                                f"{len(heads)} reports with a comment under each: read as {len(heads)} responses"))
        # what the page's introduction says of all its responses: who comments, for which office
        intro_end = lines[heads[0]].start
        extra = [("shape", "section")]
        speaker = find_speaker(doc.text, 0, intro_end)
        if speaker is not None:
            extra.append(("page_speaker", speaker.name.text))
            if speaker.role is not None:
                extra.append(("page_speaker_role", speaker.role.text))
        office = find_office(doc.text, 0, intro_end)
        if office is not None:
            extra.append(("page_office", office[0].text))
        meta = tuple(sorted({*doc.meta, *extra}))
    out: list[RawLetter] = []
    for index, (a, b) in enumerate(spans):
        while b > a and not lines[b].stripped:
            b -= 1
        begin, end = lines[a].start, lines[b].end
        body = doc.text[begin:end]
        out.append(RawLetter(doc.path, index, body, begin, a + 1, b + 1,
                             hashlib.sha256(body.encode("utf-8")).hexdigest(), meta))
    return out, problems


def _not_a_response(lines: list) -> str:  # type: ignore[type-arg]
    """Why a page that names inspections answers none: an index of reports and responses
    (most of its lines are report or response titles), or a consultation answer."""
    content = [ln for ln in lines if ln.stripped and not is_furniture(ln.text) and not is_navigation(ln.text)]
    listed = [ln for ln in content if len(ln.stripped) <= 120 and not re.search(r"[.!?:]['\"”’]?$", ln.stripped)
              and (names_a_report(ln.text) or re.search(r"\bresponses?\b", ln.text, re.I))]
    if len(listed) >= 5 and len(listed) >= 0.5 * len(content):
        return "it lists reports and responses (an index page)"
    heading = next((ln.stripped for ln in content if len(ln.stripped) <= 200), "")
    if re.search(r"\bconsultation\b", heading, re.I) and not re.search(r"\b(?:report|inspection\s+of)\b", heading, re.I):
        return "it answers a consultation, not an inspection report"
    return ""


# "Commissioner's response, 28 May 2019", "Commissioner's comments (31 August 2017):", "PCC response:"
COMMENT_LABEL = re.compile(
    r"^\W*(?:the\s+)?(?:(?:deputy\s+)?police(?:,)?\s+(?:fire\s+and\s+)?(?:and\s+)?crime\s+commissioner|commissioner|p(?:f)?cc|"
    r"mayor|deputy\s+mayor)(?:['’]s)?\s+(?:comments?|response|statement)\b[^\n]{0,40}$",
    re.IGNORECASE,
)
_PUBLISHED_LINE = re.compile(r"^\W*(?:published|date\s+of\s+publication|publication\s+date|report\s+published)\b", re.I)


def _comment_sections(lines: list, first: int, last: int) -> list[int]:  # type: ignore[type-arg]
    """A page that lists reports, each with a labelled comment under it ("Commissioner's
    response, 28 May 2019"): each section starts at the report's title above its label."""
    labels = [i for i in range(first, last + 1) if COMMENT_LABEL.match(lines[i].text) and len(lines[i].stripped) <= 80]
    if len(labels) < 2:
        return []
    heads: list[int] = []
    floor = first
    for label in labels:
        i = label - 1
        head = None
        while i >= floor:
            t = lines[i].stripped
            if t and not _PUBLISHED_LINE.match(t) and not COMMENT_LABEL.match(lines[i].text):
                head = i
                break
            i -= 1
        if head is None or len(lines[head].stripped) > 200 or lines[head].stripped.endswith("."):
            return []
        heads.append(head)
        floor = label + 1
    return heads
