"""Response forms: the s.55 template with labelled fields.

PDF and web extraction often flatten the fields onto one line ("Title of Inspection: …
Date Inspection Published: … Deadline for Response: …"), so fields are found by their
labels wherever they stand, and a value runs to the next label or the end of its line.
The response's own date, the report's publication date and the deadline are three
different fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..dates import find_dates
from ..model import DatePrecision, DocumentKind, LetterDate, NameRef, ParsedLetter, Problem, RawLetter, Severity, Span, TitleRef
from .common import date_from_meta, find_office, find_speaker, is_title_shaped, split_lines
from .letter import _signature, _strip_prefix, parse_letter
from .statement import headline_titles, quoted_titles

# field name -> label patterns (as labels, they are followed by a colon)
FIELD_LABELS: dict[str, str] = {
    "title": r"title\s+of\s+(?:the\s+)?(?:inspection|report)(?:\s+report)?|(?:inspection|report)\s+(?:title|name)|"
    r"name\s+of\s+(?:the\s+)?(?:inspection|report)|report|inspection",
    "issued": r"date\s+(?:of\s+)?(?:the\s+)?(?:inspection|report)?\s*(?:was\s+)?published|date\s+of\s+publication|"
    r"publication\s+date|(?:inspection|report)\s+publi(?:shed|cation)\s+date|date\s+published",
    "deadline": r"deadline\s+for\s+(?:the\s+)?response|response\s+deadline|(?:date\s+)?response\s+due(?:\s+by)?|"
    r"deadline(?:\s+date)?|due\s+date",
    "type": r"type\s+of\s+(?:inspection|report)|inspection\s+type|report\s+type",
    "date": r"date\s+of\s+(?:the\s+)?response|response\s+date|date\s+(?:of\s+)?(?:submission|submitted|signed)|"
    r"date\s+(?:of\s+)?response\s+(?:sent|submitted)|date\s+sent|date",
    "from": r"response\s+from|(?:name\s+of\s+)?(?:pcc|pfcc|commissioner)(?:['’]s)?\s+name|submitted\s+by|signed(?:\s+by)?",
    "force": r"(?:police\s+)?force(?:\s+name)?",
    "pcc_comments": r"(?:the\s+)?(?:pcc|pfcc|police(?:,)?\s+(?:fire\s+and\s+)?crime\s+commissioner|commissioner|mayor)(?:['’]s)?\s+"
    r"(?:comments?|response|summary|statement|view)",
    "chief_response": r"(?:the\s+)?chief\s+constable(?:['’]s)?\s+(?:comments?|response|update)|force\s+response",
    "recommendations": r"recommendations?|areas?\s+for\s+improvement|causes?\s+of\s+concern",
}
_LABEL = re.compile(
    r"(?<![\w])(?P<label>" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in FIELD_LABELS.items()) + r")\s*:",
    re.IGNORECASE,
)
_FORM_LABELS = ("title", "issued", "deadline", "type", "pcc_comments", "chief_response")


@dataclass(frozen=True, slots=True)
class Field:
    """A labelled field: its name, the label's span and the value's span."""

    name: str
    label: Span
    value: Span


def find_fields(text: str) -> list[Field]:
    """Every labelled field, in order; a value runs to the next label on its line or the line's end.

    A section field ("PCC comments:") runs to the next section or the end of the text.
    """
    hits = []
    for m in _LABEL.finditer(text):
        name = next(n for n in FIELD_LABELS if m.group(n) is not None)
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start : m.start()]
        # a label starts a line, or follows another field's value on a flattened line
        if before.strip() and not hits:
            continue
        if before.strip() and hits and text.count("\n", hits[-1].label.start, m.start()) and not re.search(r"\s{2,}$|[|•]\s*$", before):
            if name not in _FORM_LABELS:
                continue
        hits.append(Field(name, Span(m.start(), m.end()), Span(m.end(), m.end())))
    out: list[Field] = []
    for n, f in enumerate(hits):
        limit = hits[n + 1].label.start if n + 1 < len(hits) else len(text)
        if f.name not in ("pcc_comments", "chief_response", "recommendations"):
            eol = text.find("\n", f.value.start)
            value_end = min(limit, eol if eol != -1 else len(text))
            if not text[f.value.start : value_end].strip():  # the value on the next line
                nl = text.find("\n", value_end + 1)
                value_end = min(limit, nl if nl != -1 else len(text))
        else:
            value_end = limit
        s, e = f.value.start, value_end
        while s < e and text[s] in " \t\n":
            s += 1
        while e > s and text[e - 1] in " \t\n":
            e -= 1
        out.append(Field(f.name, f.label, Span(s, e)))
    return out


# A template's comments section as a heading of its own: "1. Police and Crime Commissioner's
# Comments", "Local Policing Body's Comments", "PCC response" (no colon)
SECTION_HEADING = re.compile(
    r"^[ \t]*(?:\d+[.)]\s*(?:the\s+)?(?:police(?:,)?\s+(?:fire\s+and\s+)?(?:and\s+)?crime\s+commissioner|p(?:f)?cc|commissioner|"
    r"local\s+policing\s+body|mayor|deputy\s+mayor)(?:['’]s)?\s+(?:comments?|response)|"
    r"(?:the\s+)?local\s+policing\s+body(?:['’]s)?\s+(?:comments?|response))\s*:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def is_form(text: str) -> bool:
    """A response form: at least two of its distinctive labels, or a template's comments section."""
    head = text[:6000]
    names = {f.name for f in find_fields(head)}
    if len(names & set(_FORM_LABELS)) >= 2 and bool(names & {"title", "pcc_comments"}):
        return True
    return bool(SECTION_HEADING.search(head))


def _field_date(text: str, field: Field | None) -> LetterDate | None:
    if field is None:
        return None
    found = find_dates(text, field.value.start, field.value.end)
    if not found:
        return None
    d = found[0]
    return LetterDate(d.iso, DatePrecision(d.precision), Span(d.start, d.end))


def parse_form(raw: RawLetter) -> ParsedLetter:
    """Read a response form's fields: title, publication date, deadline, response date, author.

    Args:
        raw: a response form cut from a document.

    Returns:
        A parsed response of kind ``response form``; the report's publication date goes to
        its title (``issued``), the deadline to ``deadline``, the response date to ``date``.
    """
    base = parse_letter(raw)
    text = raw.text
    lines = split_lines(text)
    problems: list[Problem] = []

    def problem(offset: int, message: str) -> None:
        problems.append(Problem(raw.source, raw.start_line + text.count("\n", 0, offset), Severity.WARNING, message))

    fields = find_fields(text)
    by_name: dict[str, Field] = {}
    for f in fields:
        by_name.setdefault(f.name, f)
    issued = _field_date(text, by_name.get("issued"))
    deadline = _field_date(text, by_name.get("deadline"))
    date = _field_date(text, by_name.get("date"))
    date_source = "labelled field"
    if date is None:
        # a date at the foot, beside the signature
        foot = [ln for ln in lines[-8:] if ln.stripped]
        for ln in reversed(foot):
            found = find_dates(text, ln.start, ln.end)
            if found and not any(f.value.start <= found[0].start < f.value.end for f in fields if f.name in ("issued", "deadline")):
                d = found[0]
                date, date_source = LetterDate(d.iso, DatePrecision(d.precision), Span(d.start, d.end)), "text"
                break
    if date is None and raw.get("date"):
        date, date_source = date_from_meta(raw.get("date")), "page metadata"
    if date is None:
        problem(0, "no date of response on the form (its publication date and deadline date other things)")

    titles: list[TitleRef] = []
    field = by_name.get("title")
    if field is not None and field.value.end > field.value.start:
        s, e = _strip_prefix(text, field.value.start, field.value.end)
        while e > s and text[e - 1] in " .;,":
            e -= 1
        if e > s and is_title_shaped(text[s:e]):
            line_start = text.rfind("\n", 0, field.label.start) + 1
            titles.append(TitleRef(re.sub(r"\s*\n\s*", " ", text[s:e]), Span(s, e), Span(line_start, field.value.end),
                                   issued=issued.iso if issued else None))
    if not titles:
        titles = [replace(t, issued=issued.iso if issued else t.issued) for t in base.titles if is_title_shaped(t.title)]
    if not titles:  # a template headed "Commissioner's response to <report>"
        first = next((ln for ln in lines if ln.stripped), None)
        titles = headline_titles(text, first) or quoted_titles(text, 0, min(len(text), 1500))
    if not titles:
        problem(0, "no title of inspection on the form")

    sections = [f for f in fields if f.name in ("pcc_comments", "chief_response")]
    body = base.body
    if sections:  # from the first comments section to the end of the letter reader's body
        start = sections[0].value.start
        body = Span(start, max(base.body.end, sections[-1].value.end, start))
    speaker = find_speaker(text, 0, len(text))
    signatory, sig_titles = base.signatory, base.signatory_titles
    who = by_name.get("from")
    if who is not None and who.value.end > who.value.start:
        value = text[who.value.start : who.value.end]
        m = re.match(r"(?P<name>(?:[A-Z][a-zA-Z'’-]+\s+){1,3}[A-Z][a-zA-Z'’-]+)(?=\s*(?:,|$|\(|–|-))", value)
        if m and not re.search(r"office|commissioner|police", m.group("name"), re.I):
            signatory = NameRef(m.group("name"), Span(who.value.start, who.value.start + m.end("name")))
            rest = value[m.end() :].strip(" ,()–-")
            if rest:
                rs = who.value.start + value.index(rest, m.end())
                sig_titles = (NameRef(rest, Span(rs, rs + len(rest))),)
    if signatory is None and speaker is not None:
        signatory, sig_titles = speaker.name, ((speaker.role,) if speaker.role else ())
    if signatory is None:
        signatory, sig_titles, _ = _signature(lines, text, 0)
    office = find_office(text, 0, min(len(text), 4000))
    return replace(
        base,
        kind=DocumentKind.FORM,
        date=date,
        date_source=date_source,
        deadline=deadline,
        titles=tuple(titles),
        signatory=signatory,
        signatory_titles=tuple(sig_titles),
        body=body,
        office=office[0] if office else None,
        salutation=None,
        problems=tuple(problems),
    )
