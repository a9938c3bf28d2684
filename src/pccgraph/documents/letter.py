"""Stage 2: understand a letter's header: date, addressee, Cc, subject lines, sign-off.

Pure functions over a :class:`RawLetter`; every value keeps the span of the text
it was read from, as offsets into ``RawLetter.text``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..corpus import PAGE_FURNITURE, SALUTATION, SIGN_OFF, is_header_line
from ..dates import find_dates, first_date, is_date_line
from ..model import (
    DatePrecision,
    LetterDate,
    NameRef,
    ParsedLetter,
    Problem,
    RawLetter,
    Severity,
    Span,
    TitleRef,
)
from .common import Line, split_lines

_PREFIX_WORDS = {
    "re", "subject", "response", "responses", "reply", "to", "the", "a", "an", "hmic", "hmicfrs",
    "hmip", "hmcpsi", "hm", "her", "his", "majesty's", "majesty’s", "majestys", "inspectorate",
    "inspectorates", "of", "constabulary", "and", "fire", "rescue", "services", "&", "inspection",
    "inspections", "report", "reports", "joint", "pcc", "pfcc", "comments", "comment", "on",
    "letter", "section", "55", "s55", "s.55", "published", "hmic's", "hmicfrs's", "hmicfrs’",
    "for", "police", "crime", "commissioner's", "commissioner’s", "statement", "ref",
}  # fmt: skip
_BODY_OPENERS = re.compile(
    r"^(?:I|I'm|I’m|We|As|Thank|Thanks|Following|Further|Please|Having|In response|On behalf|"
    r"This letter|My|Enclosed|Attached|With reference|You will)\b"
)
_TITLE_LINE = re.compile(
    r"commissioner|\bp(?:f)?cc\b|\bdeputy\b|\bchief constable\b|\bmayor\b|comisiynydd|heddlu|"
    r"\boffice of\b|^\W*(?:OBE|MBE|CBE|QPM|TD|DL)\W*$",
    re.IGNORECASE,
)
_HONORIFIC = r"(?:(?:The\s+)?Rt\.?\s+Hon\.?|Dr|Mr|Mrs|Ms|Miss|Sir|Dame|Cllr|Councillor|Lord|Baroness)\.?\s+"
_POST_NOMINALS = r"(?:,?\s+(?:OBE|MBE|CBE|KCB|KBE|DBE|CB|CVO|QPM|JP|KC|QC|TD|DL|MP|MS|AM|BEM|KPM|FRSA|PhD))+"
_NAME = re.compile(
    rf"^(?:{_HONORIFIC})*"
    r"[A-Z][^\W\d_'’-]*(?:['’-][^\W\d_]+)*(?:\s+(?:[A-Z][^\W\d_'’.-]*(?:['’.-][^\W\d_]*)*|de|van|von)){1,3}?"
    rf"(?:{_POST_NOMINALS})?$"
)
_RT_HON = re.compile(
    r"(?:The\s+)?Rt\.?\s+Hon\.?\s+(?P<name>(?:Dr\s+|Sir\s+|Dame\s+)?[A-Z][a-zA-Z'’-]+(?:\s+[A-Z][a-zA-Z'’-]+){0,2}?)"
    r"(?=\s+(?:MP|QC|KC|OBE|CBE|House|Home|Secretary|,)|\s*$|,)"
)
_CC = re.compile(r"^(?P<label>(?:cc|c\.c\.|copy to|copied to)\s*[:.\-]?)\s*(?P<rest>.+)$", re.I)
_QUOTED = re.compile(
    r"(?<![\w])(?P<open>['\"‘“*])(?P<title>(?:[^\n]|\n(?!\s*\n))+?)(?P<close>['\"’”*])(?![\w])"
)
_FORCE_SUFFIX = re.compile(
    r"\s*(?:[-–—:,]\s*)?(?:An\s+)?inspection\s+of\s+(?P<force>(?:the\s+)?[A-Z][\w&'’ -]*?"
    r"(?:Police|Constabulary|Police Service))\s*$",
)
_RESPONSE_SUFFIX = re.compile(
    r"\s+[-–—:]\s+(?:the\s+)?(?:P(?:F)?CC['’]?s?\s+|Commissioner['’]?s?\s+)?(?:formal\s+)?(?:response|reply|comments?)(?:\s+(?:from|of|by)\b.*)?$",
    re.IGNORECASE,
)
_ISSUED = re.compile(r"\s*\((?P<when>(?:[A-Za-z]+\s+)?(?:19|20)\d\d)\)\s*$")


def _trim(text: str, start: int, end: int, chars: str = " \t*_#>") -> tuple[int, int]:
    """Shrink ``[start, end)`` past surrounding ``chars``."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


_RESPONSE_PREFIX = re.compile(
    r"(?:the\s+)?(?:(?:(?:deputy\s+)?police(?:,)?\s+(?:fire\s+)?and\s+crime\s+commissioner|commissioner|o?p(?:f)?cc)(?:['’]s)?\s+)?"
    r"(?:formal\s+|published\s+)?(?:response|reply|comments?)\s+(?:to|on)\s+(?:the\s+)?",
    re.IGNORECASE,
)


def _strip_prefix(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop "HMIC Inspection report:", "Re:", "Response to HMIC …" prefixes."""
    lead = _RESPONSE_PREFIX.match(text, start, end)
    if lead and end - lead.end() > 3:
        start = lead.end()
    changed = True
    while changed:
        changed = False
        segment = text[start:end]
        m = re.search(r"\s*:\s*|\s+[–—-]\s+", segment)
        q = re.search(r"['\"‘“]", segment)
        cut: int | None = None
        if m and (not q or m.start() < q.start()):
            head, cut = segment[: m.start()], m.end()
        elif q and q.start() > 0:
            head, cut = segment[: q.start()], q.start()
        else:
            head = ""
        words = re.findall(r"[^\s]+", head.lower().replace("’", "'"))
        if cut is not None and words and all(w.strip(".,") in _PREFIX_WORDS for w in words):
            start += cut
            changed = True
        else:
            lead = re.match(r"(?:HMIC|HMICFRS|HMIP|HMCPSI)(?:['’]s)?\s+(?=\S)", segment)
            if lead and len(segment) > lead.end() + 3:
                start += lead.end()
                changed = True
        start, end = _trim(text, start, end)
    return start, end


_FIELD_TITLE = re.compile(
    r"\W*(?:re|subject|report(?:\s+title)?|title(?:\s+of\s+(?:the\s+)?report)?|inspection(?:\s+report)?|"
    r"name\s+of\s+(?:the\s+)?report)\s*[:\-–]\s*\S",
    re.IGNORECASE,
)


def _field_title(text: str, line: Line) -> list[TitleRef]:
    """Titles from a labelled field such as "Report title: …" or "Re: …"."""
    m = _FIELD_TITLE.match(line.stripped)
    if not m:
        return []
    offset = line.text.index(line.stripped) + m.end() - 1
    return _titles_in_line(text, Line(line.index, line.start + offset, line.text[offset:]))


def _one_line(title: str) -> str:
    """A title wrapped over lines, as one line."""
    return re.sub(r"\s*\n\s*", " ", title)


def _titles_in_line(text: str, line: Line) -> list[TitleRef]:
    """Split one subject line into report titles (several when several are quoted)."""
    start, end = _trim(text, line.start, line.end)
    start, end = _strip_prefix(text, start, end)
    if start >= end:
        return []
    line_span = Span(line.start, line.end)
    hint = None
    issued = None
    while end > start and text[end - 1] in ".;,":
        end -= 1
    m = _ISSUED.search(text, start, end)
    if m and m.start() > start:
        found = find_dates(m.group("when")) if " " in m.group("when").strip() else []
        issued = found[0].iso if found else m.group("when")[-4:]
        end = m.start()
    m = _RESPONSE_SUFFIX.search(text[start:end])
    if m and m.start() > 0:  # "PEEL 2021/22 – Response from the Police and Crime Commissioner"
        end = start + m.start()
    m = _FORCE_SUFFIX.search(text[start:end])
    if m and m.start() > 0:
        hint = m.group("force")
        end = start + m.start()
    start, end = _trim(text, start, end, " \t-–—:,")
    if start >= end:
        return []
    segment = text[start:end]
    quoted = [
        m
        for m in _QUOTED.finditer(segment)
        if (m.group("open") == "*") == (m.group("close") == "*") and len(m.group("title").strip()) > 3
    ]
    if quoted and sum(len(m.group(0)) for m in quoted) >= 0.6 * len(segment):
        titles = []
        for m in quoted:
            s, e = start + m.start("title"), start + m.end("title")
            inner = _FORCE_SUFFIX.search(text[s:e])
            title_hint = hint
            if inner and inner.start() > 0:
                title_hint = inner.group("force")
                e = s + inner.start()
            s, e = _trim(text, s, e, " \t-–—:,")
            titles.append(TitleRef(_one_line(text[s:e]), Span(s, e), line_span, issued, title_hint))
        return titles
    return [TitleRef(_one_line(text[start:end]), Span(start, end), line_span, issued, hint)]


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) / len(letters) > 0.85


def _subject_candidates(lines: list[Line]) -> list[Line]:
    """Paragraphs after the salutation, as lines; a subject wrapped over lines is one.

    Lines of one paragraph stay apart when each reads as a subject of its own
    ("CRIME RECORDING: …" above "CRIME DATA INTEGRITY: …"); a wrapped title, whose
    next line carries on the same phrase, is joined into one candidate.
    """
    out: list[Line] = []
    block: list[Line] = []
    for ln in [*lines, Line(-1, -1, "")]:
        if ln.stripped:
            block.append(ln)
            continue
        if block:
            wrapped = any(
                len(a.stripped) >= 50
                and not _BULLET.match(b.text)
                and (b.stripped[:1].islower() or not _looks_like_subject(b, strict=True))
                for a, b in zip(block, block[1:])
            )
            if len(block) > 1 and wrapped:
                first, last = block[0], block[-1]
                out.append(Line(last.index, first.start, "\n".join(x.text for x in block)))
            else:
                out.extend(block)
            block = []
    return out


_BULLET = re.compile(r"^\s*(?:[-–•*·]|\(?\d{1,2}[.)])\s+")


def _bulleted_titles(candidates: list[Line]) -> list[Line]:
    """Report titles listed under an introducing subject line that ends with a colon."""
    if len(candidates) < 2:
        return []
    intro = candidates[0].stripped.strip("*_ ")
    if not intro.endswith(":") or not re.search(r"\b(?:reports?|inspections?|re|subject)\b", intro, re.I):
        return []
    out = []
    for ln in candidates[1:]:
        m = _BULLET.match(ln.text)
        if not m or len(ln.stripped) > 200:
            break
        out.append(Line(ln.index, ln.start + m.end(), ln.text[m.end() :]))
    return out


def _looks_like_subject(line: Line, *, strict: bool) -> bool:
    raw = re.sub(r"\s*\n\s*", " ", line.stripped)
    text = raw.strip("#*_> ")
    if not text or len(text) > 300:
        return False
    if re.search(r"[a-z]\.\s+[A-Z]", text):  # two sentences: prose
        return False
    lowered = text.lower()
    has_prefix = bool(
        re.match(r"(?:re|subject)\s*:|response to\b|(?:hmic(?:frs)?|hmip|hmcpsi)\b", lowered)
    )
    quoted = bool(re.match(r"['\"‘“*]", text))
    if not has_prefix and (_BODY_OPENERS.match(text) or SIGN_OFF.match(text)):
        return False
    if text.endswith(".") and not (has_prefix or _is_caps(text)):
        return False
    if text.endswith(":") or text.endswith(","):
        return False
    if strict:
        markdown_heading = raw.startswith(("#", "**"))
        return has_prefix or quoted or _is_caps(text) or markdown_heading or ":" in text
    return True


_OTHER_DATE = re.compile(r"publi|inspect|report|visit|fieldwork|received|deadline|due", re.IGNORECASE)


def _date_from(lines: list[Line], text: str) -> LetterDate | None:
    """The letter's own date: a date-only line first, then a date on any other line,
    leaving for last lines that date something else ("Date of publication: …")."""
    for line in lines:
        if line.stripped and is_date_line(line.stripped):
            d = first_date(text, line.start, line.end)
            if d is not None:
                return LetterDate(d.iso, DatePrecision(d.precision), Span(d.start, d.end))
    for other in (False, True):
        for line in lines:
            if bool(_OTHER_DATE.search(line.text)) is not other:
                continue
            d = first_date(text, line.start, line.end)
            if d is not None:
                return LetterDate(d.iso, DatePrecision(d.precision), Span(d.start, d.end))
    return None


_PUBLISHED = re.compile(
    r"\b(?:date\s+of\s+publication\s*:?|publication\s+date\s*:?|published)(?:(?!(?<![\w])['\"‘“*])[^.\n]){0,70}?(?=\b\d|\b[A-Z][a-z]+\s+(?:19|20)\d\d)",
    re.IGNORECASE,
)


def _issued(lines: list[Line], text: str) -> str | None:
    """When the answered report was published, if the heading or opening says so."""
    for line in lines:
        m = _PUBLISHED.search(line.text)
        if m:
            found = find_dates(text, line.start + m.end(), min(line.end, line.start + m.end() + 25))
            if found and found[0].start == line.start + m.end():
                return found[0].iso
    return None


def _bare_name(name: str) -> str:
    """A name without honorifics or post-nominals: "Rt Hon Alun Michael" -> "Alun Michael"."""
    return re.sub(rf"{_POST_NOMINALS}$", "", re.sub(rf"^(?:{_HONORIFIC})+", "", name))


def _addressee(lines: list[Line], text: str) -> NameRef | None:
    """The recipient: a "Rt Hon …" name, else the first name-like line of an address block."""
    for line in lines:
        m = _RT_HON.search(line.text)
        if m:
            s = line.start + m.start("name")
            return NameRef(m.group("name"), Span(s, s + len(m.group("name"))), "Rt Hon")
    previous_blank = True
    for line in lines:
        value = line.stripped.strip("*_ ")
        if previous_blank and value and _NAME.match(value) and not _TITLE_LINE.search(value):
            bare = _bare_name(value)
            following = lines[line.index - lines[0].index + 1 :][:3] if lines else []
            if any(is_header_line(f.text) or _TITLE_LINE.search(f.text) or "Inspector" in f.text for f in following):
                s = line.start + line.text.index(bare)
                return NameRef(bare, Span(s, s + len(bare)))
        previous_blank = not line.stripped
    return None


def _split_names(text: str, start: int, end: int) -> list[NameRef]:
    refs: list[NameRef] = []
    for m in re.finditer(r"[^,;]+", text[start:end]):
        part_start, part_end = start + m.start(), start + m.end()
        for piece in re.finditer(r"(?:(?!\s+and\s+).)+", text[part_start:part_end]):
            s, e = _trim(text, part_start + piece.start(), part_start + piece.end(), " \t*_.")
            if e > s:
                value = text[s:e]
                role = None
                r = re.match(r"(HMI|HM Inspector(?: of Constabulary)?|Chief Constable)\s+", value)
                if r and len(value) > r.end():
                    role = r.group(1)
                refs.append(NameRef(value, Span(s, e), role))
    return refs


def _signature(lines: list[Line], text: str, floor: int) -> tuple[NameRef | None, tuple[NameRef, ...], int]:
    """Find the signatory and title lines; return them and the index where the sign-off starts."""
    non_blank = [ln for ln in lines if ln.stripped and ln.index > floor]
    titles: list[NameRef] = []
    signatory: NameRef | None = None
    cut = len(lines)
    for ln in reversed([x for x in non_blank if not PAGE_FURNITURE.match(x.stripped)][-8:]):
        value = ln.stripped.strip("*_ ")
        s = ln.start + ln.text.index(value[0]) if value else ln.start
        if _CC.match(value) or re.match(r"(?:enc|encl|enclosure)s?\b", value, re.I) or is_date_line(value):
            if signatory is None and not titles:
                cut = ln.index  # a Cc line or a date below the signature
                continue
            break
        label = re.match(r"(?:signed|signature|name)\s*[:\-]\s*", value, re.I)
        if label and signatory is None and _NAME.match(value[label.end() :]):
            value = value[label.end() :]  # "Signed: Jo Bloggs"
            s += label.end()
        if SIGN_OFF.match(value):
            cut = ln.index
            break
        joined = re.match(
            r"^(?P<name>[A-Z][a-zA-Z'’-]+(?:\s+[A-Z][a-zA-Z'’.-]+){1,2})(?:,\s*|\s+)"
            r"(?P<title>P(?:F)?CC|(?:Deputy\s+)?Police(?:,)?(?: Fire)? and Crime Commissioner\b.*)$",
            value,
        )
        above = next((x.stripped.strip("*_ ") for x in reversed(non_blank) if x.index < ln.index), "")
        if signatory is None and joined and _NAME.match(above) and not _TITLE_LINE.search(above):
            # "South Yorkshire Police and Crime Commissioner" under the name: a title line, not a name
            titles.insert(0, NameRef(value, Span(s, s + len(value))))
            cut = ln.index
            continue
        if signatory is None and joined:
            signatory = NameRef(joined.group("name"), Span(s, s + len(joined.group("name"))))
            ts = s + joined.start("title")
            titles.insert(0, NameRef(joined.group("title"), Span(ts, ts + len(joined.group("title")))))
            cut = ln.index
            continue
        if signatory is None and _TITLE_LINE.search(value):
            titles.insert(0, NameRef(value, Span(s, s + len(value))))
            cut = ln.index
            continue
        name_part = re.split(r",\s*|\s+(?=P(?:F)?CC$)", value, maxsplit=1)
        if signatory is None and _NAME.match(name_part[0]) and not SIGN_OFF.match(name_part[0]):
            bare = _bare_name(name_part[0])
            s += name_part[0].index(bare)
            signatory = NameRef(bare, Span(s, s + len(bare)))
            if len(name_part) > 1:
                rest = value[len(name_part[0]) :].lstrip(", ")
                rs = s + value.index(rest, len(name_part[0]))
                titles.insert(0, NameRef(rest, Span(rs, rs + len(rest))))
            cut = ln.index
            continue
        if signatory is not None and len(value) < 25 and len(value.split()) <= 2:
            # a garbled or unusual sign-off ("Mongress") directly above the name
            cut = ln.index
            continue
        break
    return signatory, tuple(titles), cut


def parse_letter(raw: RawLetter) -> ParsedLetter:
    """Read a letter's header and sign-off.

    Args:
        raw: a letter cut from a document by :func:`pccgraph.corpus.split_letters`.

    Returns:
        The parsed letter; what could not be found is reported in ``problems``
        with the file and line.
    """
    text = raw.text
    lines = split_lines(text)
    problems: list[Problem] = []

    def problem(line_index: int, message: str) -> None:
        problems.append(Problem(raw.source, raw.start_line + line_index, Severity.WARNING, message))

    sal_match = SALUTATION.search(text)
    sal_index = text.count("\n", 0, sal_match.start()) if sal_match else None
    header = lines[:sal_index] if sal_index is not None else []
    salutation = None
    if sal_match:
        s, e = _trim(text, sal_match.start(), sal_match.end(), " \t*_,")
        salutation = NameRef(text[s:e], Span(s, e))
    else:
        problem(0, "no salutation ('Dear …') found")

    # Subject lines: straight after the salutation, or labelled ("Re:", "Report title:")
    # in the heading; a letter without a salutation may open with its title.
    titles: list[TitleRef] = []
    body_start_index = (sal_index + 1) if sal_index is not None else 0
    if sal_index is not None:
        candidates = _subject_candidates(lines[body_start_index:])
        bullets = _bulleted_titles(candidates)
        if bullets:
            # "Re: HMICFRS reports published in March 2022:" then "- title" lines
            for ln in bullets:
                titles.extend(_titles_in_line(text, ln))
            body_start_index = bullets[-1].index + 1
        for n, ln in enumerate([] if bullets else candidates):
            if not _looks_like_subject(ln, strict=n > 0):
                break
            titles.extend(_titles_in_line(text, ln))
            body_start_index = ln.index + 1
    titles_after_salutation = bool(titles)
    if not titles and header:
        above = [ln for ln in header if ln.stripped]
        if above:
            last = above[-1]
            if (
                _looks_like_subject(last, strict=True)
                and not is_header_line(last.text)
                and not _NAME.match(last.stripped.strip("*_ "))
                and not re.search(r"\boffice of\b|\bcommissioner\b", last.stripped, re.I)
            ):
                titles.extend(_titles_in_line(text, last))
    if not titles:
        zone = header if sal_index is not None else lines[: min(len(lines), 25)]
        for ln in zone:
            if _FIELD_TITLE.match(ln.stripped):
                titles.extend(_field_title(text, ln))
                if sal_index is None:
                    body_start_index = max(body_start_index, ln.index + 1)
    if not titles and sal_index is None:
        for ln in lines[:25]:
            if ln.stripped and _looks_like_subject(ln, strict=True):
                found = _titles_in_line(text, ln)
                if found:
                    titles.extend(found)
                    body_start_index = ln.index + 1
                    break
    if not titles:
        # "… the HMICFRS report 'Fraud: Time to choose', which …" in the opening paragraph
        opening_end = min(len(text), (sal_match.end() if sal_match else 0) + 600)
        for m in _QUOTED.finditer(text, sal_match.end() if sal_match else 0, opening_end):
            around = text[max(0, m.start() - 30) : m.start()] + " " + text[m.end() : m.end() + 20]
            if re.search(r"\b(?:report|inspection|review)\b", around, re.I) and len(m.group("title").split()) >= 2:
                s, e = m.start("title"), m.end("title")
                line_no = text.count("\n", 0, s)
                titles.append(TitleRef(_one_line(text[s:e]), Span(s, e), Span(lines[line_no].start, lines[line_no].end)))
                break
    if sal_index is None:
        # skip the heading fields ("Date of response: …") before the first paragraph
        while body_start_index < len(lines) and (
            not lines[body_start_index].stripped or is_header_line(lines[body_start_index].text)
        ):
            body_start_index += 1
    if not titles:
        problem(body_start_index, "no subject line naming a report found")

    # the heading: before the salutation, or (a statement) before the first paragraph
    date_zone = header if sal_index is not None else lines[: min(max(body_start_index, 1), 12)]
    letter_date = _date_from(date_zone, text)
    if sal_index is None:
        # a statement: a "Date: …" line among its opening fields wins over a publication date
        dated = [ln for ln in lines[:12] if ln.stripped and is_date_line(ln.stripped)]
        if dated:
            letter_date = _date_from(dated, text)
    if letter_date is None:
        # "… sent the following letter to the Home Secretary on 26 July 2019"
        lead_in = [
            ln for ln in lines[max(0, body_start_index - 3) : body_start_index + 3]
            if re.search(r"\b(?:letter|wrote|sent|write|writing)\b", ln.text, re.I) and not _PUBLISHED.search(ln.text)
        ]
        letter_date = _date_from(lead_in, text)
    if letter_date is None:
        # a template signed and dated at the foot ("Signed: … Date: 12/05/2022")
        foot = [ln for ln in lines[-8:] if ln.stripped and re.search(r"\bdate[d]?\b", ln.stripped, re.I)]
        letter_date = _date_from(foot, text)
    if letter_date is None:
        problem(0, "no date found in the letter's heading")

    if len(titles) == 1 and (titles[0].issued is None or len(titles[0].issued) == 4):
        opening = lines[: body_start_index + 4]
        issued = _issued(opening, text)
        if issued and (titles[0].issued is None or issued.startswith(titles[0].issued)):
            titles = [replace(titles[0], issued=issued)]

    addressee = _addressee(header, text)
    copied: list[NameRef] = []
    tail = [ln for ln in lines[max(body_start_index, len(lines) - 8) :] if ln.stripped]
    for ln in [*header, *tail]:
        m = _CC.match(ln.stripped.strip("*_"))
        if m:
            rest = m.group("rest")
            s = ln.start + ln.text.index(rest)
            copied.extend(_split_names(text, s, s + len(rest)))

    signatory, sig_titles, cut = _signature(lines, text, body_start_index)
    if signatory is None:
        problem(len(lines) - 1, "no signatory name found at the end of the letter")
    body_lines = [ln for ln in lines[body_start_index:cut] if ln.stripped]
    body = Span(body_lines[0].start, body_lines[-1].end) if body_lines else Span(len(text), len(text))
    if sal_match and sal_index is not None and not titles_after_salutation:
        line_end = lines[sal_index].end
        after = text[sal_match.end() : line_end]
        if after.strip(" \t,"):  # "Dear Priti, I write …": the body starts on the salutation's line
            lead = len(after) - len(after.lstrip(" \t,"))
            body = Span(sal_match.end() + lead, body.end if body_lines else line_end)
    return ParsedLetter(
        raw=raw,
        date=letter_date,
        salutation=salutation,
        addressee=addressee,
        copied_to=tuple(copied),
        titles=tuple(titles),
        signatory=signatory,
        signatory_titles=sig_titles,
        body=body,
        problems=tuple(problems),
    )
