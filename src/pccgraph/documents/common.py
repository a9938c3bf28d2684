"""Small header helpers shared by the document kinds: who speaks, for which office,
when, and which lines are page furniture rather than content.

Every pattern is compiled once, here; every value keeps the span it was read from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..corpus import PAGE_FURNITURE, is_boilerplate
from ..dates import MONTHS, find_dates, is_date_line
from ..model import DatePrecision, LetterDate, NameRef, Span


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a document: 0-based index, start offset, text."""

    index: int
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def stripped(self) -> str:
        return self.text.strip()


def split_lines(text: str) -> list[Line]:
    """The lines of ``text`` with their offsets."""
    out: list[Line] = []
    pos = 0
    for i, line in enumerate(text.split("\n")):
        out.append(Line(i, pos, line))
        pos += len(line) + 1
    return out


# --- page furniture -----------------------------------------------------------------

# Lines a web page or a press office wraps round a statement; never content.
FURNITURE = re.compile(
    r"^\W*(?:skip to (?:main )?(?:content|menu|navigation)|accessibility(?: tools| options| menu)?|"
    r"text size|change (?:text|font) size|a\s*a\s*a|increase text|decrease text|reset text|high contrast|"
    r"contrast|listen(?: to this page)?|translate(?: this page)?|select language|search|menu|close|"
    r"back to (?:top|news|all news)|share(?: this)?(?: page| article| story| post)?(?: on \w+)?|"
    r"(?:share on |tweet|email this|print this)\w*|facebook|twitter|x \(formerly twitter\)|linkedin|whatsapp|"
    r"related (?:news|articles|stories|content|links)|latest news|more news|you might also be interested in|"
    r"tags?:.*|categor(?:y|ies):.*|filed under:?.*|home(?:\s*[>»/|](?!\s*\d).*)?|news(?:\s*[>»/|](?!\s*\d).*)?|"
    r"accept(?: all)?(?: cookies)?|reject(?: all)?(?: cookies)?|cookie settings|manage cookies|"
    r"we use cookies.*|this (?:web)?site uses cookies.*|notes? to editors?:?|ends?|-+\s*ends\s*-+|#+ends#*|"
    r"quick(?:ly)? exit.*|sorry, there was a technical problem.*|banner image|english|cymraeg|options|open menu|"
    r"youtube|instagram|linkedin|get involved|contact(?: us)?|complaints|careers|newsletters?|about(?: us)?|"
    r"(?:text size|font size)\W*(?:a\s*){0,3})\W*$",
    re.IGNORECASE,
)
# Once one of these starts a line, the rest of a statement is a footer.
FOOTER_START = re.compile(
    r"^\W*(?:notes? to editors?|ends\b|-+\s*ends|for (?:further|more) information|media (?:enquiries|contact)|"
    r"related (?:news|articles|stories)|share this|you might also|latest news|more news|back to (?:top|news))",
    re.IGNORECASE,
)


def is_furniture(line: str) -> bool:
    """True for a line of page furniture: menus, cookie banners, share links, breadcrumbs."""
    text = line.strip()
    if not text:
        return False
    if FURNITURE.match(text) or PAGE_FURNITURE.match(text) or (len(text) < 160 and is_boilerplate(text)):
        return True
    return len(text) < 600 and "cookie" in text.lower()


_NAV_ITEM = re.compile(r"^\s*(?:[•·▪◦*-]\s*)+\S+(?:\s+\S+){0,4}\s*$")


def is_navigation(line: str) -> bool:
    """A menu item: a bullet with a few words and no sentence, or a lone word."""
    text = line.strip()
    if _NAV_ITEM.match(line) and not re.search(r"[.:;]$|\b(?:good|outstanding|inadequate|adequate|requires)\b", text, re.I):
        return True
    return bool(re.fullmatch(r"[A-Z][\w'’]*", text)) and len(text) < 20


# --- who speaks -------------------------------------------------------------------

_HONORIFIC = r"(?:(?:Lord|Lady|Baroness|Dame|Sir|Dr|Mr|Mrs|Ms|Miss|Cllr|Councillor|Rt\.? Hon\.?)\s+)"
NAME = rf"(?P<name>{_HONORIFIC}?[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*(?:[ \t]+(?:[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*|de|van|von)){{1,3}})"
_ROLE = (
    r"(?:(?:Deputy\s+)?Police(?:,)?\s+(?:Fire\s+and\s+)?(?:Crime\s+)?(?:and\s+)?(?:Crime\s+)?(?:and\s+Victims['’]?\s+)?Commissioner"
    r"|P(?:F)?CC|Commissioner|Mayor|Deputy\s+Mayor\s+for\s+Policing\s+and\s+Crime)"
)
_SAID = r"(?:said|says|commented|added|stated|explained|responded|welcomed|told)"
_AREA = r"(?P<area>(?:the\s+)?[A-Z][\w&'’,-]*(?:\s+(?:and|&|of|the|[A-Z][\w&'’-]*)){0,6})"

# Speaker rules, tried in order on the whole text; the first that finds a name wins.
SPEAKER_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Alison Hernandez, Police and Crime Commissioner for Devon and Cornwall, said"
    ("name-comma-role-for-area", re.compile(
        rf"{NAME},\s+(?:the\s+)?(?P<role>{_ROLE}\s+for\s+{_AREA})\s*,?\s+(?:has\s+|who\s+)?\w*\s*{_SAID}?", re.M)),
    # "Lord Willy Bach, Leicestershire’s Police and Crime Commissioner"
    ("name-comma-area-role", re.compile(rf"{NAME},\s+(?P<role>{_AREA}['’]s?\s+(?:{_ROLE}))\b")),
    # "Greater Manchester's Deputy Mayor for Policing and Crime, Beverley Hughes, has responded"
    ("role-comma-name", re.compile(
        rf"(?:{_AREA}['’]s\s+|\b(?:the|The)\s+)?(?P<role>(?:Deputy\s+Mayor\s+for\s+Policing\s+and\s+Crime|{_ROLE})(?:\s+for\s+[A-Z][\w&'’ -]{{1,60}}?)?)"
        rf"(?:\s+\([A-Z]+\))?,\s+{NAME},")),
    # "Michael Lane, Police and Crime Commissioner," (no area written)
    ("name-comma-role", re.compile(rf"{NAME},[ \t]+(?:the[ \t]+)?(?P<role>(?:Deputy\s+)?Police(?:,)?\s+(?:Fire\s+and\s+)?(?:and\s+)?Crime\s+Commissioner|P(?:F)?CC)\b(?!\s+for)")),
    # "West Mercia's PCC John Campion said", "Commissioner Jo Bloggs said", "PCC Clare Moody held"
    ("role-name", re.compile(
        rf"(?:(?P<area>[A-Z][\w&'’-]*(?:\s+(?:and|&|[A-Z][\w&'’-]*)){{0,4}})['’]s?\s+)?"
        rf"(?<![Cc]hief\s)(?P<role>(?:(?:Deputy\s+)?Police(?:,)?\s+(?:Fire\s+and\s+)?(?:and\s+)?Crime\s+Commissioner|P(?:F)?CC|Commissioner|Mayor))"
        rf"\s+{NAME}(?=\s*,?\s+(?:{_SAID}|has|who|welcomed|responded|held|wrote|is)\b)")),
    # "said Jo Bloggs, the Police and Crime Commissioner"
    ("said-name-role", re.compile(rf"\b{_SAID}\s+{NAME},\s+(?:the\s+)?(?P<role>(?:{_AREA}['’]s?\s+)?{_ROLE}(?:\s+for\s+[A-Z][\w ,&'’-]+)?)")),
    # "By Jo Bloggs, Police and Crime Commissioner" / "Posted by Jo Bloggs" / "Response by Jo Bloggs, PFCC:"
    ("byline", re.compile(rf"^\W*(?:posted\s+|response\s+|statement\s+|comments?\s+)?(?:by|from)\s+{NAME}(?:,\s+(?P<role>[^\n:]+))?(?::|\s+to\b|$)", re.I | re.M)),
)


@dataclass(frozen=True, slots=True)
class Speaker:
    """A named commissioner and the role words written with the name."""

    name: NameRef
    role: NameRef | None
    rule: str


_NOT_A_NAME = re.compile(
    r"^(?:The|This|His|Her|Their|Our|Chief|HMIC|HMICFRS|Inspectorate|Police|Crime|Office|Force|Constabulary|"
    r"Report|Inspection|Commissioner|Deputy|Home|PEEL|Majesty|Majesty's|Fire|Rescue)\b"
)


_ORG_WORD = re.compile(
    r"\b(?:Police|Constabulary|Crime|Commissioner|Office|Council|Service|Services|Authority|Panel|Yorkshire|Midlands|"
    r"Wales|England|Inspectorate|HMIC|HMICFRS|Government|Home|Ministry|Department|Force)\b"
)


def _chief_constable_near(text: str, start: int) -> bool:
    return bool(re.search(r"chief\s+constable\W*$", text[max(0, start - 20) : start], re.I))


# A commissioner is quoted or named within the first 100,000 characters (a long press release
# is a tenth of that): the search stops there, so a huge one-line file costs no more.
SPEAKER_WINDOW = 100_000


def find_speaker(text: str, start: int = 0, end: int | None = None) -> Speaker | None:
    """The commissioner quoted or named as author, by the first rule that finds one,
    within :data:`SPEAKER_WINDOW` characters of ``start``.

    The Chief Constable, quoted beside the commissioner, is never the speaker.
    """
    end = min(len(text) if end is None else end, start + SPEAKER_WINDOW)
    best: tuple[int, int, Speaker] | None = None
    for order, (rule, pattern) in enumerate(SPEAKER_RULES):
        for m in pattern.finditer(text, start, end):
            name = re.sub(r"^(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr|Lord|Lady|Baroness|Dame|Sir)\.?\s+", "", m.group("name"))
            if _NOT_A_NAME.match(name) or _ORG_WORD.search(name) or _chief_constable_near(text, m.start()):
                continue
            role = m.groupdict().get("role") or ""
            if rule == "byline" and role and not re.search(r"commissioner|p(?:f)?cc|mayor", role, re.I):
                continue
            if re.search(r"chief\s+constable", role, re.I):
                continue
            ns = m.start("name") + len(m.group("name")) - len(name)
            name_ref = NameRef(name, Span(ns, ns + len(name)))
            role_ref = None
            if role:
                rs = m.start("role")
                role_text = role.rstrip(" ,")
                role_ref = NameRef(role_text, Span(rs, rs + len(role_text)))
            found = Speaker(name_ref, role_ref, rule)
            if best is None or (m.start(), order) < (best[0], best[1]):
                best = (m.start(), order, found)
            break
    return best[2] if best else None


# --- which office ---------------------------------------------------------------------

# "Response from: Office of the Police and Crime Commissioner, Kent"; "The Kent Police and
# Crime Commissioner has responded"; "Police and Crime Commissioner for Kent"; "Kent's PCC".
OFFICE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("response-from-field", re.compile(
        r"\bresponse\s+from\s*:\s*(?:the\s+)?(?:office\s+of\s+the\s+)?(?:{role}\s*(?:for|,|–|-)\s*)?(?P<area>[^\n:]+?)\s*(?=$|\n|\s+[A-Z][a-z]+(?:\s+[a-z]+)*\s*:)".format(role=_ROLE), re.I)),
    ("role-for-area", re.compile(rf"\b{_ROLE}\s+for\s+{_AREA}")),
    ("area-role", re.compile(
        r"\b(?:the\s+)?(?P<area>[A-Z][\w&'’-]*(?:\s+(?:and|&|[A-Z][\w&'’-]*)){0,5}?)(?:['’]s)?\s+"
        r"(?:(?:Deputy\s+)?Police(?:,)?\s+(?:Fire\s+and\s+)?(?:and\s+)?Crime\s+Commissioner|P(?:F)?CC|OPCC|OPFCC)\b")),
)


def find_office(text: str, start: int = 0, end: int | None = None,
                accept: Callable[[str], bool] | None = None) -> tuple[NameRef, str] | None:
    """The area of the publishing office, as written, and the rule that found it.

    ``accept`` tells whether a candidate area names a known force area.
    """
    end = len(text) if end is None else end
    for rule, pattern in OFFICE_RULES:
        for m in pattern.finditer(text, start, end):
            area = m.group("area").strip(" ,.")
            area = re.sub(r"^(?:the|office of the)\s+", "", area, flags=re.I)
            if not area or _NOT_A_NAME.match(area) and not area.startswith("Police"):
                continue
            if accept is not None and not accept(area):
                continue
            s = m.start("area") + m.group("area").index(area) if area in m.group("area") else m.start("area")
            return NameRef(area, Span(s, s + len(area)), f"office:{rule}"), rule
    return None


# --- dates ------------------------------------------------------------------------

_BYLINE_DATE = re.compile(
    r"^\W*(?:posted|published|date(?:d)?|issued|released|updated|last updated|news|press release|"
    r"(?:the\s+)?(?:commissioner|p(?:f)?cc|mayor)(?:['’]s)?\s+(?:comments?|response|statement))?\s*(?:on|:|,|\()?\s*"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?",
    re.IGNORECASE,
)


DATE_OPENING_WINDOW = 200  # characters of a line in which a date that opens it is looked for


def date_at(text: str, line: Line) -> LetterDate | None:
    """A date that opens the line (a date line, a byline or a dateline before the first sentence)."""
    m = _BYLINE_DATE.match(line.text)
    # only a date near the start of the line can open it: a huge line is not searched to its end
    found = find_dates(text, line.start, min(line.end, line.start + DATE_OPENING_WINDOW))
    if not found:
        return None
    d = found[0]
    lead = text[line.start : d.start]
    if (m and d.start <= line.start + m.end() + 1) or is_date_line(line.stripped) or len(lead.strip(" *_#|-–—:,")) == 0:
        return LetterDate(d.iso, DatePrecision(d.precision), Span(d.start, d.end))
    # "Kent PCC | 12 May 2022", "News – 12 May 2022": a short lead before the date
    if len(lead.strip()) <= 40 and re.search(r"[|–—•·]\s*$", lead.rstrip()) and len(line.stripped) < 80:
        return LetterDate(d.iso, DatePrecision(d.precision), Span(d.start, d.end))
    return None


_MONTH_NAMES = "|".join(sorted((m for m in MONTHS if len(m) > 3), key=len, reverse=True))
YEARLESS_DATE = re.compile(
    rf"\b(?:on\s+)?(?P<date>[0-3]?\d(?:st|nd|rd|th)?\s+(?:{_MONTH_NAMES})|(?:{_MONTH_NAMES})\s+[0-3]?\d(?:st|nd|rd|th)?)\b"
    r"(?!,?\s+(?:19|20)\d\d)(?!\s*[/.-]\d)",
    re.IGNORECASE,
)


def yearless_date(text: str, start: int, end: int) -> Span | None:
    """A day and month written without a year ("On 4 September"), kept as text only."""
    m = YEARLESS_DATE.search(text, start, end)
    return Span(m.start("date"), m.end("date")) if m else None


def date_from_meta(iso: str) -> LetterDate | None:
    """A date from page metadata; it has no span in the text (an empty span at 0)."""
    m = re.fullmatch(r"((?:19|20)\d\d)-(\d\d)(?:-(\d\d))?(?:T.*)?", iso.strip())
    if not m:
        return None
    if m.group(3):
        return LetterDate(f"{m.group(1)}-{m.group(2)}-{m.group(3)}", DatePrecision.DAY, Span(0, 0))
    return LetterDate(f"{m.group(1)}-{m.group(2)}", DatePrecision.MONTH, Span(0, 0))


# --- titles ------------------------------------------------------------------------

_REPORT_WORDS = re.compile(
    r"\b(?:PEEL|HMIC(?:FRS)?|inspection|inspectorate|report|review|audit|assessment|thematic|"
    r"inquiry|investigation|super-?complaint|spotlight)\b",
    re.IGNORECASE,
)
_FIELD_LABEL = re.compile(r"\b[A-Z][A-Za-z'’ ]{2,40}:\s")


def is_title_shaped(title: str) -> bool:
    """A report title, not a sentence of speech, a lone word or a line of form fields."""
    t = title.strip(" \t'\"‘’“”*_")
    words = t.split()
    if len(words) < 2 and not re.match(r"PEEL\b", t):
        return False
    if len(t) > 220 or re.fullmatch(r"(?:the\s+)?(?:hmic(?:frs)?\s+)?(?:report|inspection|review)s?", t, re.I):
        return False
    if re.search(r"\b(?:said|says|I|we|my|our|you)\b", t) and not re.search(r"['\"‘“]", t):
        return False
    if len(_FIELD_LABEL.findall(t + " ")) >= 2:
        return False
    if t.endswith(".") and len(words) > 8:
        return False
    return True


def names_a_report(text: str) -> bool:
    """Words that say a line is about an inspection or report."""
    return bool(_REPORT_WORDS.search(text))
