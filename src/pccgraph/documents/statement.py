"""Statements: press releases, news items and web "Commissioner's response" pages.

A statement has no salutation: a headline, a date line or byline, paragraphs that
report the inspection and quote the commissioner (often beside the Chief Constable),
and sometimes a signature. Each heuristic below is a small named rule, tried in the
order of its table; the rule that found a value is kept with it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..dates import find_dates, is_date_line
from ..model import DatePrecision, DocumentKind, LetterDate, NameRef, ParsedLetter, Problem, RawLetter, Severity, Span, TitleRef
from .common import (
    FOOTER_START,
    Line,
    date_at,
    date_from_meta,
    find_office,
    find_speaker,
    is_furniture,
    is_navigation,
    is_title_shaped,
    names_a_report,
    split_lines,
    yearless_date,
)
from .letter import _FIELD_TITLE, _QUOTED, _field_title, _issued, _one_line, _signature, _titles_in_line, parse_letter

# "Commissioner responds to …", "PCC welcomes …", "Response to …" before a title in a headline
_HEADLINE_LEAD = re.compile(
    r"^.{0,120}?\b(?:responds?|responding|response|reacts?|reacting|reaction|comments?|commenting|statement|"
    r"welcomes?|welcoming|statement)(?:\s+(?:from|by)\s+[^\n]{1,60}?\s+to\s+|\s+(?:to|on|following|after|about)\s+|\s*[-–—:]\s*)(?:the\s+|a\s+|its\s+|latest\s+|new\s+|recent\s+)*",
    re.IGNORECASE | re.MULTILINE,  # "^" at the headline's own line, which need not start the text
)
# "… – Lord Bach responds", "…: PCC's response", "(Commissioner's statement)"
_HEADLINE_TAIL = re.compile(
    r"\s*(?:[-–—:|]\s*|\(\s*)(?:[A-Z][\w'’.]*\s+){0,4}(?:responds?|response|comments?|statement|reacts?|welcomes)\)?\s*$",
    re.IGNORECASE,
)
# Words that only describe a report; a headline made of them alone is a description, not a title
_DESCRIPTIVE_ONLY = re.compile(
    r"^(?:(?:the|a|an|its|their|latest|new|recent|most|hmic(?:frs)?(?:['’]s)?|his|her|majesty['’]s|inspectorate|"
    r"of|constabulary|and|fire|rescue|services?|police|force(?:['’]s)?|peel|annual|inspections?|reports?|reviews?|"
    r"assessments?|findings|rating|ratings|grades?|grading|judgements?|effectiveness|efficiency|legitimacy|leadership|"
    r"vulnerability|on|into|for|\d{4}(?:[/-]\d{2,4})?)\s*)+$"
    # "inspection report on Warwickshire Police": a report word heads it, a force follows
    r"|^(?:\w+\s+){0,3}?(?:inspection|report|assessment|review)s?\s+(?:on|into|of|for)\s+(?:the\s+)?[A-Z][\w&'’ -]*?(?:Police|Constabulary|Police\s+Service|force)$"
    r"|^.*\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+(?:19|20)\d\d$",
    re.IGNORECASE,
)
# "PEEL 2021/22", "PEEL 2023–2025": the inspectorate's own title of a PEEL round, not a description
_NAMED_PEEL = re.compile(r"^\s*PEEL\s+(?:19|20)\d\d(?:\s*[/–-]\s*(?:20)?\d\d)?\b", re.IGNORECASE)
_GRADE_WORDS = re.compile(r"outstanding|good|adequate|requires?\s+improvement|requiring\s+improvement|inadequate", re.I)
_YEAR = r"(?:19|20)\d\d(?:\s*[/–-]\s*(?:20)?\d\d)?"
_PERIOD_TOKEN = re.compile(r"(?<![\d/])(?:19|20)\d\d\s*[/–-]\s*(?:20)?\d\d(?![\d/])")
_PILLAR_NOUNS = re.compile(
    r"\b(?P<pillar>effectiveness|efficiency|legitimacy|leadership|vulnerability|(?<=how\s)(?:effective|efficient|legitimate))\b", re.I
)
_ONE_OF_THREE = r"(?:effective(?:ness)?|efficien(?:cy|t)|legitima(?:cy|te))"
_THREE_PILLARS = re.compile(rf"\b{_ONE_OF_THREE}(?:\W+(?:and\W+)?{_ONE_OF_THREE}){{2}}\b", re.IGNORECASE)
_ADJECTIVE = {"effective": "effectiveness", "efficient": "efficiency", "legitimate": "legitimacy"}
_REPORT_NOUN = r"(?:report|inspection|assessment|review|programme|grading|rating|judgement|inspectors?|category|element|strand|pillar)"


def _names_pillar_report(sentence: str, m: re.Match[str]) -> bool:
    """A pillar word that names a report: "PEEL efficiency report", "report into Kent Police's
    effectiveness", "how legitimate the force is" beside the inspectorate; not any use of the word."""
    before, after = sentence[: m.start()], sentence[m.end() :]
    if re.match(rf"\s+(?:\w+\s+)?{_REPORT_NOUN}", after, re.I) or re.search(r"\b(?:PEEL|police)\W*$", before, re.I):
        return True
    if re.search(rf"\b{_REPORT_NOUN}\b(?:\s+by\s+[^.;]{{0,130}}?)?\s+(?:on|into|of|for)\s+(?:[\w'’]+\s+){{0,5}}$", before, re.I):
        return True
    if m.group("pillar").lower() in _ADJECTIVE:
        return bool(re.search(r"\b(?:HMIC(?:FRS)?|inspectorate|inspection|inspectors)\b", sentence, re.I))
    return False
_PEEL = re.compile(r"\bPEEL\b", re.I)
_REPORT_CUE = re.compile(
    r"\b(?:report|inspection|inspected|assessment|assessed|review|HMIC(?:FRS)?|inspectorate|inspectors|PEEL|grad(?:ed|ing)|rated|rating|judged)\b",
    re.I,
)
_YEAR_NEAR = re.compile(rf"(?<![\d/£$])(?P<year>{_YEAR})(?![\d%])")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")


def _year(text: str) -> str:
    """A year or period as PEEL names it: "2021/22"."""
    m = re.fullmatch(r"((?:19|20)\d\d)\s*(?:[/–-]\s*(?:20)?(\d\d))?", text.strip())
    if not m:
        return text
    return f"{m.group(1)}/{m.group(2)}" if m.group(2) else m.group(1)


def _written_year(sentence: str, anchors: list[int]) -> str:
    """A year written within a few words of the PEEL or pillar words, not part of a full date."""
    dated = [(d.start, d.end) for d in find_dates(sentence)]
    best = ""
    for m in _YEAR_NEAR.finditer(sentence):
        if any(a <= m.start() < b for a, b in dated):
            continue
        if any(abs(m.start() - a) <= 45 for a in anchors):
            best = _year(m.group("year"))
            break
    return best


# The questions PEEL has graded since 2021/22; a response that names several answers a PEEL report.
_PEEL_QUESTIONS = re.compile(
    r"\b(?:providing\s+a\s+service\s+to\s+(?:the\s+)?victims|treating\s+the\s+public\s+with\s+fairness|"
    r"prevent(?:ing)?\s+crime\s+and\s+anti-?\s?social\s+behaviour|respon(?:ding|se)\s+to\s+the\s+public|"
    r"investigat(?:ing|e)\s+crime|protect(?:ing)?\s+vulnerable\s+people|manag(?:ing|e)\s+(?:suspects\s+and\s+)?offenders|"
    r"disrupting\s+serious\s+(?:and\s+)?organised\s+crime|supporting\s+and\s+protecting\s+the\s+workforce|"
    r"recording\s+data\s+about\s+crime|value\s+for\s+money)\b",
    re.IGNORECASE,
)


def peel_questions_title(text: str, start: int, end: int) -> list[TitleRef]:
    """Rule: no report named, but the grades are given for several PEEL questions ("good at
    preventing crime and anti-social behaviour but must do better in its response to the
    public"): the response answers the force's PEEL report."""
    found = list(_PEEL_QUESTIONS.finditer(text, start, end))
    if len({re.sub(r"\s+", " ", m.group(0).lower())[:12] for m in found}) < 2:
        return []
    if not re.search(r"\b(?:good|adequate|outstanding|inadequate|requires?\s+improvement|requiring\s+improvement)\b", text[start:end], re.I):
        return []
    m = found[0]
    ls = text.rfind("\n", 0, m.start()) + 1
    le = text.find("\n", m.end())
    return [TitleRef("PEEL", Span(m.start(), m.end()), Span(ls, le if le != -1 else len(text)),
                     rule="peel-questions", described=True)]


def described_titles(text: str, start: int, end: int) -> list[TitleRef]:
    """Rule: a report described, not titled ("the HMICFRS legitimacy report", "its latest PEEL
    assessment", "the 2021/22 PEEL inspection"): programme, pillar and year as far as written.

    The title is completed in extraction (the year from the PEEL round of the response's date,
    the force); here it is "PEEL: Police <pillar> [year]" or "PEEL [year]".
    """
    for m in _SENTENCE.finditer(text, start, end):
        sentence = m.group(0)
        if not _REPORT_CUE.search(sentence):
            continue
        pillars = []
        for p in _PILLAR_NOUNS.finditer(sentence):
            name = p.group("pillar").lower()
            name = _ADJECTIVE.get(name, name)
            if name not in [x for x, _ in pillars] and _names_pillar_report(sentence, p):
                pillars.append((name, p.start()))
        peel = [x.start() for x in _PEEL.finditer(sentence)]
        # "effectiveness, efficiency and legitimacy" named together (in any order): the whole of PEEL
        integrated = bool(_THREE_PILLARS.search(sentence))
        if integrated and not pillars:
            pillars = [("effectiveness", sentence.lower().find("effective"))]
        if not peel and not pillars:
            continue
        if not peel and not re.search(r"\b(?:HMIC(?:FRS)?|inspectorate|inspectors|inspection|report|assessment)\b", sentence, re.I):
            continue
        anchors = peel + [a for _, a in pillars]
        year = _written_year(sentence, anchors)
        if not year and (integrated or not pillars):
            period = _PERIOD_TOKEN.search(text, start, end) or _PERIOD_TOKEN.search(text)  # "2021/22" written in the text
            year = _year(period.group(0)) if period else ""
        s = m.start() + min(anchors)
        e = m.start() + max(a for a in anchors) + 4
        e = min(m.end(), max(e, m.start() + max(anchors) + len(max(pillars, key=lambda x: x[1])[0]) if pillars else e))
        ls = text.rfind("\n", 0, s) + 1
        le = text.find("\n", e)
        line_span = Span(ls, le if le != -1 else len(text))
        if integrated or not pillars:
            title = f"PEEL {year}".strip()
            return [TitleRef(title, Span(s, e), line_span, rule="described-report", described=True)]
        return [
            TitleRef(f"PEEL: Police {name} {year}".strip(), Span(s, e), line_span, rule="described-report", described=True)
            for name, _ in pillars[:2]
        ]
    return []


def _is_prose(ln: Line) -> bool:
    """A line of sentences (a long title line without a full stop is not)."""
    t = ln.stripped
    sentences = bool(re.search(r"[.!?][\"”’]?\s+[A-Z“\"‘]|[.!?][\"”’]?$", t))
    return (len(t) > 160 and sentences) or len(t) > 400 or (t.endswith((".", "”", '"', "’")) and len(t.split()) > 12)


def _heading(lines: list[Line]) -> tuple[list[Line], Line | None]:
    """The heading lines just above the first paragraph of prose (headline, date line, byline,
    fields), past any menus and page furniture; and that first paragraph's line."""
    content = [ln for ln in lines if ln.stripped and not is_furniture(ln.text) and not is_navigation(ln.text)]
    first_prose = next((ln for ln in content if _is_prose(ln)), None)
    before = [ln for ln in content if first_prose is None or ln.index < first_prose.index]
    return before[-5:], first_prose


def _headline(zone: list[Line]) -> Line | None:
    """The zone's line that names a report, else its first line that is not a date or byline."""
    candidates = [ln for ln in zone if not is_date_line(ln.stripped) and not re.match(r"\W*(?:posted|published|by)\b", ln.stripped, re.I)]
    return next((ln for ln in candidates if names_a_report(ln.text)), candidates[0] if candidates else None)


_NEWS_VERBS = re.compile(
    r"\b(?:welcomes?|praises?|shows?|says?|urges?|calls?|performing|performs|maintains?|receives?|rated|graded|judged|"
    r"found|achieves?|retains?|remains?|hails?|backs?|celebrates?|reacts?|gives?|given|highlights?|rating|good|"
    r"outstanding|inadequate|improvement|improves?|questions?|pleased|disappointed|grades|results|verdict)\b",
    re.IGNORECASE,
)


def headline_titles(text: str, headline: Line | None) -> list[TitleRef]:
    """Rule: the headline names the report ("Response to PEEL 2021/22 – An inspection of …",
    "PEEL: Police Effectiveness 2016 - Lord Bach responds"). A news headline ("Force rated good",
    "PCC welcomes report") is not a title; a headline that only describes the report is left
    to the description rule."""
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
    if not segment or (_DESCRIPTIVE_ONLY.match(segment) and not _NAMED_PEEL.search(segment)):
        return []
    framed = bool(lead or (tail and tail.start() > headline.start))
    quoted = bool(re.match(r"\s*['\"‘“]", segment))
    titled = bool(re.match(r"(?:PEEL|HMIC(?:FRS)?\b|State of Policing)", segment)) or ":" in segment
    if not (framed or quoted or titled) or (not quoted and _NEWS_VERBS.search(segment) and ":" not in segment):
        return []
    found = _titles_in_line(text, Line(headline.index, start, text[start:end]))
    return [
        replace(t, rule="headline")
        for t in found
        if is_title_shaped(t.title) and len(t.title) > 6 and (not _DESCRIPTIVE_ONLY.match(t.title) or _NAMED_PEEL.match(t.title))
    ]


def quoted_titles(text: str, start: int, end: int) -> list[TitleRef]:
    """Rule: quoted titles beside "report" or "inspection" in the opening paragraphs
    (all those of the first paragraph that has one)."""
    found: list[TitleRef] = []
    for m in _QUOTED.finditer(text, start, end):
        if found and "\n\n" in text[found[-1].span.end : m.start()]:
            break
        inner = m.group("title")
        pair = m.group("open") + m.group("close")
        if pair not in ("''", '""', "‘’", "“”", "**", "'’", "‘'"):
            continue
        if re.search(r"['\"‘’“”]", inner) and not re.search(r"\w['’]\w", inner):
            continue
        if re.search(r"\b(?:I|we|my|our|us|you)\b", inner) or re.search(r"\b(?:said|says)\b", inner):
            continue
        before = text[max(0, m.start() - 30) : m.start()]
        after = text[m.end() : m.end() + 20]
        named = re.search(
            r"\b(?:report|inspection|review|PEEL|HMIC(?:FRS)?|thematic|entitled|titled|called|published|comments?\s+on|"
            r"respon(?:se|ded|ds)\s+to|welcomed?s?)\W{0,3}$",
            before, re.I,
        )
        if not (named or re.match(r"\W{0,3}(?:report|inspection|review)\b", after, re.I)):
            continue
        if inner.rstrip().endswith("?") or _DESCRIPTIVE_ONLY.match(inner) or _GRADE_WORDS.fullmatch(inner.strip()):
            continue
        if (
            len(inner.split()) >= 2
            and is_title_shaped(inner)
            and inner[:1].isupper()
            and not re.search(r"[.!?]\s+[A-Z]", inner)
        ):
            s, e = m.start("title"), m.end("title")
            ls = text.rfind("\n", 0, s) + 1
            le = text.find("\n", e)
            found.append(TitleRef(_one_line(text[s:e]), Span(s, e), Span(ls, le if le != -1 else len(text)), rule="quoted-title"))
    return found


def _body_end(lines: list[Line], after: int) -> int:
    """The index of the first footer line ("Notes to editors", "ENDS", "Related news")."""
    for ln in lines[after:]:
        if FOOTER_START.match(ln.stripped):
            return ln.index
    return len(lines)


_REPORT_DATE_LINE = re.compile(
    r"^\W*(?:(?:report\s+|inspection\s+)?published|date\s+(?:of\s+)?(?:publication|inspection|report)|publication\s+date|deadline|due)\b",
    re.IGNORECASE,
)


def _statement_date(text: str, zone: list[Line], body_lines: list[Line]) -> LetterDate | None:
    """Rule order: a date line or byline in the heading (a report's publication line dates the
    report, not the response); a dateline opening the first paragraph."""
    for ln in zone:
        if _REPORT_DATE_LINE.match(ln.stripped) and not re.match(r"\W*published\s*(?:on\s*)?:?\s*\d", ln.stripped, re.I):
            continue
        found = date_at(text, ln)
        if found:
            return found
    if body_lines:
        found = date_at(text, body_lines[0])
        if found and found.span.start - body_lines[0].start <= 3:
            return found
        # "… published today (27th November 2014)": the day of the report is the day of the response
        opening_end = min(len(text), body_lines[0].start + 1500)
        m = _TODAY.search(text, body_lines[0].start, opening_end)
        if m:
            found_dates = find_dates(text, m.start("when"), m.end("when"))
            if found_dates:
                d = found_dates[0]
                return LetterDate(d.iso, DatePrecision(d.precision), Span(d.start, d.end))
    return None


_TODAY = re.compile(r"\btoday\s*\((?P<when>[^()\n]{6,40})\)", re.IGNORECASE)


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

    zone, first_prose = _heading(lines)
    headline = _headline(zone)
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
    titles: list[TitleRef] = []
    rules = (
        lambda: section_title(text, lines) if raw.get("shape") == "section" else [],
        lambda: labelled_titles(text, lines[: (first_prose.index if first_prose else 0) + 25]),
        lambda: headline_titles(text, headline),
        lambda: quoted_titles(text, opening_start, opening_end),
        lambda: described_titles(text, headline.start if headline else opening_start, opening_end),
        lambda: peel_questions_title(text, opening_start, min(len(text), opening_start + 3000)),
        lambda: address_title(raw.get("url")),
    )
    for rule in rules:
        titles = rule()
        if titles:
            break
    if not titles:
        problem(body_start_index, "no inspection report named in the statement's headline or opening")
    elif len(titles) == 1 and titles[0].issued is None:
        issued = _issued(zone + body_lines[:3], text)
        if issued:
            titles = [replace(titles[0], issued=issued)]

    speaker = find_speaker(text, 0, body_lines[-1].end if body_lines else len(text))
    signatory, sig_titles = base.signatory, base.signatory_titles
    if speaker is not None:
        signatory, sig_titles = speaker.name, ((speaker.role,) if speaker.role else ())
    elif signatory is None:
        signatory, sig_titles, _ = _signature(lines, text, body_start_index)
    office = find_office(text, 0, min(len(text), 4000))
    if office is None and raw.get("page_office"):
        office = (NameRef(raw.get("page_office"), Span(0, 0), "office:page"), "page")
    if signatory is None and raw.get("page_speaker"):
        # a page of several responses names its commissioner once, above them all
        signatory = NameRef(raw.get("page_speaker"), Span(0, 0), "page")
        role = raw.get("page_speaker_role")
        sig_titles = (NameRef(role, Span(0, 0), "page"),) if role else ()
    if signatory is None:
        problem(len(lines) - 1, "no commissioner named as speaker or signatory")
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


def section_title(text: str, lines: list[Line]) -> list[TitleRef]:
    """Rule: a page of several responses: each begins with the title of the report it answers."""
    first = next((ln for ln in lines if ln.stripped), None)
    if first is None or not is_title_shaped(first.stripped.strip("#*_ ")):
        return []
    return [replace(t, rule="section-heading") for t in _titles_in_line(text, first)]


def address_title(url: str) -> list[TitleRef]:
    """Rule: a saved page whose text names no report, but whose address does
    (".../formal-response-to-the-hmic-report-core-business-an-inspection-into-…/"): the words of
    the last path segment, matched to the report catalogue in extraction. No span: the address
    is not in the text."""
    segment = next((part for part in reversed(url.split("?")[0].split("/")) if part), "") if url else ""
    words = re.sub(r"\.(?:html?|aspx|php)$", "", segment).replace("_", "-").split("-")
    if len(words) < 4 or not names_a_report(" ".join(words)):
        return []
    lead = _HEADLINE_LEAD.match(" ".join(words))
    title = " ".join(words)[lead.end() :] if lead else " ".join(words)
    return [TitleRef(title, Span(0, 0), Span(0, 0), rule="page-address")] if len(title.split()) >= 2 else []


def labelled_titles(text: str, lines: list[Line]) -> list[TitleRef]:
    """Rule: a labelled field in the heading ("Report title: …", "Re: …", "Title of Inspection: …")."""
    for ln in lines:
        if _FIELD_TITLE.match(ln.stripped):
            found = [replace(t, rule="labelled-field") for t in _field_title(text, ln) if is_title_shaped(t.title)]
            if found:
                return found
    return []
