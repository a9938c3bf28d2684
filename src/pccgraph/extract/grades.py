"""Grades on the five-point PEEL scale, the way letters and statements state them.

Each heuristic is a small named rule (``GRADE_RULES``) that reads one :class:`Passage`
and yields judgement facts with the span that supports them; the fact's ``rule`` names
the rule that made it. A grade from an earlier inspection ("last year's inspection
rated it good", "up from requires improvement") carries a ``period`` as written and no
``report``: it is never attached to the report answered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..model import Fact, Span
from .facts import _NUM, _NUM_CAPTURE, number
from .header import fact

GRADE_WORDS = {
    "outstanding": "outstanding",
    "good": "good",
    "adequate": "adequate",
    "requires improvement": "requires-improvement",
    "requiring improvement": "requires-improvement",
    "require improvement": "requires-improvement",
    "inadequate": "inadequate",
}
_GRADE_RE = r"(?:outstanding|good|adequate|requires? improvement|requiring improvement|inadequate)"
_GRADE = rf"(?P<grade>{_GRADE_RE})"
_Q = r"['\"‘’“”]?"
_YEAR = r"(?:19|20)\d\d(?:\s*[/-]\s*(?:\d\d){1,2})?"
_PILLAR = r"(?:efficiency|effectiveness|legitimacy|leadership)"


def grade_of(word: str) -> str:
    """The grade id of a grade as written ("requiring improvement" -> "requires-improvement")."""
    return GRADE_WORDS[re.sub(r"\s+", " ", word.lower())]


@dataclass(frozen=True, slots=True)
class Passage:
    """What a grade rule reads: the text, its sentences and body, and whom grades are about."""

    text: str
    sents: tuple[Span, ...]
    body: Span
    report: str  # the report answered; "" if none
    force: str

    def judgement(self, span: Span, rule: str, grade: str, area: str = "", period: str = "") -> Fact:
        """A judgement fact; an earlier grade (with a period) is attached to no report."""
        return fact(
            "judgement", span, rule, grade=grade, area=area, period=period,
            report="" if period else self.report, force=self.force,
        )


GradeRule = Callable[[Passage], Iterator[Fact]]

# --- periods: when an earlier grade was given --------------------------------------------

_PERIOD = re.compile(
    rf"(?P<lastyear>\blast\s+year(?:['’]s)?)"
    rf"|(?P<year>(?<![\w£$/-]){_YEAR}(?![\w/-]|\s*%))"
    r"|(?P<last>\b(?:its|the|their|our|his|her)\s+(?:last|previous|earlier|prior)\s+(?:PEEL\s+)?(?:inspection|assessment|report|grading|grade|rating))"
    r"|(?P<inspected>\bwhen\s+(?:it\s+was\s+|they\s+were\s+)?(?:last|previously)\s+inspected)"
    r"|(?P<previous>\b(?:previous(?:ly)?|formerly)\b)"
    r"|(?P<had>\bhad\s+(?:\w+\s+)?been\s+(?:graded|rated|judged|assessed|found|deemed))"
    rf"|(?P<span>\b(?:over|in|during|for)\s+(?:each\s+of\s+)?the\s+(?:last|past|previous)\s+(?:\w+\s+)?(?:years?|reports?|inspections?|assessments?))"
    rf"|(?P<both>\b(?:both|each\s+of)\s+{_YEAR}\s+and\s+{_YEAR})"
    r"|(?P<ago>\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:months?|years?)\s+ago)",
    re.IGNORECASE,
)


def _period_value(m: re.Match[str]) -> str:
    if m.group("lastyear"):
        return "last year"
    if m.group("year"):
        return re.sub(r"\s+", "", m.group("year"))
    if m.group("last"):
        words = m.group("last").lower().split()
        return "last inspection" if words[1] == "last" else "previous"
    if m.group("inspected"):
        return "last inspection"
    for name in ("span", "both", "ago"):
        if m.group(name):
            return " ".join(m.group(name).split())
    return "previous"


def _report_years(report: str) -> set[str]:
    """Years in the answered report's key ("peel-2021-22-…" -> {"2021", "2022"})."""
    years = set(re.findall(r"(?:19|20)\d\d", report))
    for m in re.finditer(r"(20\d\d)-(\d\d)(?!\d)", report):
        years.add(m.group(1)[:2] + m.group(2))
    return years


def _earlier(p: Passage, window: str) -> str:
    """The period of the first earlier-inspection marker in ``window``, or ""."""
    for m in _PERIOD.finditer(window):
        if m.group("year") and re.search(r"\b(?:both|each\s+of)\s+$", window[: m.start()], re.I):
            continue  # "in both 2014 and 2016": the group "both" reads it whole
        if m.group("year"):
            years = set(re.findall(r"(?:19|20)\d\d", m.group("year")))
            if years & _report_years(p.report):
                continue  # the answered report's own year
            if re.search(r"(?:\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?|\d)\s*,?\s*$", window[: m.start()], re.I):
                continue  # a full date ("on 12 March 2019") dates the publication, not an earlier grade
        return _period_value(m)
    return ""


_CLAUSE_BREAK = re.compile(
    r"[;:]|,\s+(?:but|and|while|whilst|whereas|now|however|although|though)\b|\s(?:but|whereas|now|this\s+year|however|today)\b",
    re.IGNORECASE,
)
_PERIOD_AFTER = re.compile(
    rf"\s*(?:overall\s+)?(?:(?:grade|grading|rating)\s+)?(?:(?:just|only|some)\s+)?(?:(?:in|at|during|from|for)\s+)?(?:(?P<year>{_YEAR})\b|(?P<lastyear>last\s+year)\b|"
    r"(?P<last>(?:its|the|their)\s+(?:last|previous|earlier|prior)\s+(?:PEEL\s+)?(?:inspection|assessment))\b|"
    r"(?P<inspected>when\s+(?:it\s+was\s+)?last\s+inspected)\b|"
    r"(?P<span>(?:over|in|during|for)\s+(?:each\s+of\s+)?the\s+(?:last|past|previous)\s+(?:\w+\s+)?(?:years?|reports?|inspections?|assessments?))\b|"
    rf"(?P<both>(?:both|each\s+of)\s+{_YEAR}\s+and\s+{_YEAR})\b|"
    r"(?P<ago>(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:months?|years?)\s+ago)\b)",
    re.IGNORECASE,
)

# --- areas -------------------------------------------------------------------------------

_RUNNING = re.compile(
    r"\s*,?\s*(?:for\s+)?(?:the\s+)?(?:\w+|\d+(?:st|nd|rd|th))\s+(?:year|time|inspection)s?\s+(?:running|in\s+a\s+row)\b.*$"
    r"|\s*,?\s*(?:for\s+)?(?:a|the)\s+(?:\w+\s+)?consecutive\s+(?:year|time|inspection)\b.*$"
    r"|\s*,?\s*(?:once\s+)?again\b.*$|\s*,?\s*(?:for\s+the\s+first\s+time)\b.*$",
    re.IGNORECASE,
)
_LIST_OPENERS = r"(?:including|such\s+as|especially|particularly|in\s+particular|notably|which|who|where|with)\b"


def area_after(s_text: str, pos: int) -> str:
    """The area named after a grade: "good at treating the public fairly" -> "treating the public fairly"."""
    m = re.match(
        r"\s*(?:when\s+judged\s+)?(?:(?:grade|grading|rating|judgement)\s+)?"
        r"(?:in\s+relation\s+to|at|for|in|in\s+terms\s+of|on|when\s+it\s+comes\s+to)\s+(?P<area>[^.;]+)",
        s_text[pos:],
        re.I,
    )
    if not m:
        return ""
    area = re.split(r",\s+(?:saying|but|however|and the|which|the|it|they|this|up|down|an?|having|compared|since|"
                    r"and\s+(?:this|it|its|in|last|now|then|since|was|is|that))\b",
                    m.group("area"))[0]
    area = re.split(r",?\s+(?:specifically|particularly|notably|especially|including|such\s+as)\b|,\s+with\b", area, flags=re.I)[0]
    area = re.split(rf"(?:,|\s+and|\s+but)\s+(?:as\s+)?{_Q}{_GRADE}{_Q}", area, flags=re.I)[0]
    area = re.split(r",?\s+(?:while|whilst|whereas|up\s+from|down\s+from|compared\s+(?:with|to))\b|,?\s+(?:and\s+)?(?:today|now)\b", area, flags=re.I)[0]
    listed = re.match(r"^(?:all\s+)?\w+\s+(?:areas|pillars|categories)\s*[-–—:]\s*(?P<list>.+)$", area, re.I)
    if listed:  # "three areas – effectiveness, efficiency and legitimacy"
        area = listed.group("list")
    if re.match(rf"{_NUM}\b", area, re.I):
        area = re.split(r",|\s+and\s+|\s+but\s+", area)[0]  # "four areas, adequate in three …"
    area = re.split(r"\s+by\s+(?:the\s+)?(?:inspectorate|inspectors|HMIC)|,?\s+in\s+['‘\"“]|"
                    r"\s+in\s+(?:the\s+|its\s+|their\s+)?(?:inspectorate['’]s\s+|HMIC(?:FRS)?['’]s\s+)?(?:latest\s+|new\s+)?report\b",
                    area, flags=re.I)[0]
    area = _RUNNING.sub("", area)
    return area.strip(" ,'\"’”‘“")


# Areas the inspectorate graded as one, whose names hold a comma or an "and" (PEEL 2014–2025
# questions and their short forms): a list is never split inside one of them.
KNOWN_AREAS = (
    "reducing crime and preventing offending",
    "investigating offending",
    "tackling anti-social behaviour",
    "preventing crime and tackling anti-social behaviour",
    "preventing crime, tackling anti-social behaviour and keeping people safe",
    "investigating crime and reducing re-offending",
    "protecting those who are vulnerable from harm, and supporting victims",
    "protecting vulnerable people and supporting victims",
    "tackling serious and organised crime",
    "preventing crime and anti-social behaviour",
    "engaging with and treating the public with fairness and respect",
    "treating the public fairly and respectfully",
    "managing offenders and suspects",
    "managing offenders and dangerous people",
    "ethical and lawful workforce behaviour",
    "leadership and force management",
    "building, supporting and protecting the workforce",
    "disrupting serious and organised crime",
    "strategic planning, organisational management and value for money",
    "crime prevention and anti-social behaviour",
    "protecting vulnerable people",
)
def _fold_area(words: str) -> str:
    """Words of an area compared loosely: case, punctuation and the fillers "and", "the", "tackling" dropped."""
    return " ".join(w for w in re.sub(r"\W+", " ", words.lower()).split() if w not in ("and", "the", "tackling"))


_KNOWN = {_fold_area(a) for a in KNOWN_AREAS}
_AREA_FRAME = re.compile(
    r"^(?:(?:its|their|the\s+force['’]s)\s+(?:ability|work|approach)\s+to|how\s+(?:well\s+)?(?:it|the\s+force)|the\s+way\s+it|in)\s+",
    re.IGNORECASE,
)


def _known(words: str) -> bool:
    return _fold_area(words) in _KNOWN


def split_areas(area: str) -> list[str]:
    """One area per item of a list: "efficiency and legitimacy", "A, B and C", "A, B, C and D".

    Items that together name one graded area ("reducing crime, preventing offending" of
    "reducing crime and preventing offending") stay one area (``KNOWN_AREAS``).
    """
    if re.fullmatch(rf"{_PILLAR}(?:(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+){_PILLAR})+", area, re.I):
        return [a for a in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", area) if a]
    if _known(_AREA_FRAME.sub("", area)):
        return [area]
    parts = re.split(r"\s*,\s+(?:and\s+)?", area)
    if len(parts) >= 2 and " and " in parts[-1] and not _known(parts[-1]):
        last, rest = re.split(r"\s+and\s+", parts[-1], maxsplit=1)
        if len(parts) == 2 or _known(last) or _known(rest):  # "A, B and C"; "A, B, C and <a known area>"
            parts[-1:] = [last, rest]
    if len(parts) >= 3 and not any(re.match(_LIST_OPENERS, p, re.I) for p in parts[1:]):
        out: list[str] = []
        i = 0
        while i < len(parts):
            for j in range(len(parts), i + 1, -1):  # the longest run of items naming one known area
                if _known(" and ".join(_AREA_FRAME.sub("", x) for x in parts[i:j])):
                    out.append(", ".join(parts[i:j]))
                    i = j
                    break
            else:
                p = parts[i]
                out.extend(split_areas(p) if re.fullmatch(rf"{_PILLAR}\s+and\s+{_PILLAR}", p, re.I) else [p])
                i += 1
        return out
    return [area]


# "two out of the four categories": a count of the areas the response names elsewhere
_COUNTED_AREA = re.compile(rf"^{_NUM}\s+(?:out\s+)?of\s+the\s+{_NUM}\s+(?:areas|categories|pillars|questions)$", re.I)

# --- rules -------------------------------------------------------------------------------

_GRADE_LIST = re.compile(
    rf"^[\W_]*(?P<area>[A-Z][^:|\t\n]{{3,90}}?)[*_\s]*(?:[:\-–—|\t]|\s{{2,}})[*_\s|]*{_Q}{_GRADE}{_Q}[\W_]*$",
    re.IGNORECASE | re.MULTILINE,
)
_GRADE_FIRST = re.compile(
    rf"^[\W_]*{_Q}{_GRADE}{_Q}[*_\s]*(?:[:\-–—|\t]|\s{{2,}})[*_\s|]*(?P<area>[A-Z][^|\t\n]{{3,90}}?)[\W_]*$",
    re.IGNORECASE | re.MULTILINE,
)


# "• How effective is the force at tackling serious crime? (Good)": the grade in brackets ends the line
_GRADE_PAREN = re.compile(
    rf"^[^\S\n]*(?:[•·*▪‣◦-]|\d{{1,2}}[.)])?[^\S\n]*(?P<area>[A-Z][^\n()]{{3,200}}?)[\s?.:–-]*\(\s*{_Q}{_GRADE}{_Q}\s*\)[\W_]*$",
    re.IGNORECASE | re.MULTILINE,
)
_QUESTION_FRAME = re.compile(
    r"^(?:how\s+(?:well|effective|efficient|legitimate|good)\s+is\s+(?:the\s+force|it|[A-Z][\w'’ -]{0,40}?(?:Police|Constabulary))\s+(?:at|in)\s+|"
    r"the\s+extent\s+to\s+which\s+(?:the\s+force|[A-Z][\w'’ -]{0,40}?(?:Police|Constabulary))\s+(?:is\s+)?)",
    re.IGNORECASE,
)
_PILLAR_OF = {"effective": "effectiveness", "efficient": "efficiency", "legitimate": "legitimacy"}


def _list_area_ok(area: str) -> bool:
    return len(area.split()) <= 14 and not area.lower().startswith(("i ", "we ", "the force "))


def line_area(area: str) -> str:
    """The area of a graded line: a PEEL question's frame dropped ("How effective is the force at
    X?" -> "X"); "<Force> is effective at keeping people safe" -> "effectiveness"."""
    area = area.strip(" *_?:")
    pillar = re.match(r"^(?:the\s+force|it|[A-Z][\w'’ -]{0,40}?(?:Police|Constabulary))\s+(?:is|was)\s+(?P<p>effective|efficient|legitimate)\b",
                      area, re.I)
    if pillar:
        return _PILLAR_OF[pillar.group("p").lower()]
    return _QUESTION_FRAME.sub("", area).strip(" ?")


def grade_lines(p: Passage) -> Iterator[Fact]:
    """A line per area: "Preventing crime – Good", "Effectiveness: Requires improvement", "| Area | Good |",
    "• How effective is the force at preventing crime? (Good)"."""
    for line in _GRADE_PAREN.finditer(p.text, p.body.start, p.body.end):
        area = line_area(line.group("area"))
        if not area or len(area.split()) > 20 or re.search(r"\b(?:I|we|my|our)\b", area):
            continue
        yield p.judgement(Span(line.start("area"), line.end("grade")), "grade-list", grade_of(line.group("grade")), area)
    for pattern in (_GRADE_LIST, _GRADE_FIRST):
        for line in pattern.finditer(p.text, p.body.start, p.body.end):
            area = line.group("area").strip(" *_")
            if not _list_area_ok(area):
                continue
            area = line_area(area) or area
            span = Span(min(line.start("area"), line.start("grade")), max(line.end("area"), line.end("grade")))
            yield p.judgement(span, "grade-list", grade_of(line.group("grade")), area)


_ROW = re.compile(r"^[ \t]*\|?(?P<cells>[^\n]*\|[^\n]*?)\|?[ \t]*$", re.MULTILINE)


def table_rows(p: Passage) -> Iterator[Fact]:
    """Pipe tables of three or more columns: the area in the first cell, a grade in a later one.

    A header row of years ("| Area | 2017 | 2019 |") marks which column is which
    inspection: the last year column is the current grade, earlier ones keep their year.
    """
    years: list[str] = []
    for row in _ROW.finditer(p.text, p.body.start, p.body.end):
        cells = [(m.start() + row.start("cells"), m.group()) for m in re.finditer(r"[^|]+", row.group("cells"))]
        cells = [(s + len(c) - len(c.lstrip()), c.strip()) for s, c in cells if c.strip()]
        if len(cells) < 3:
            continue
        head = [c for _, c in cells[1:]]
        if all(re.fullmatch(_YEAR, c) for c in head):
            years = head
            continue
        if re.fullmatch(r"[-:\s|]+", row.group("cells")):
            continue
        area_start, area = cells[0]
        area = area.strip("*_ ")
        if re.fullmatch(_GRADE_RE, area, re.I) or not _list_area_ok(area):
            continue
        graded = [(i, s, c) for i, (s, c) in enumerate(cells[1:]) if re.fullmatch(rf"[*_]*{_Q}{_GRADE_RE}{_Q}[*_]*", c, re.I)]
        for k, (i, start, cell) in enumerate(graded):
            word = re.search(_GRADE_RE, cell, re.I)
            assert word is not None
            period = ""
            if years and len(years) == len(cells) - 1 and i < len(years) - 1:
                period = years[i]
            elif not years and k < len(graded) - 1:
                continue  # two grades and no header to tell them apart: keep the last
            span = Span(area_start, start + word.end())
            yield p.judgement(span, "grade-table", grade_of(word.group()), area, period)


_VERB = (
    r"\b(?:graded|grades|grading|rated|rates|rating|ratings|judged|judges|deemed|assessed|assesses|achieved|gave|gives|given|"
    r"received|receives|receiving|awarded|found|finds|scored|retained|maintained|remains|remained|identifies|identified)\b"
)
_GRADING = re.compile(
    rf"{_VERB}[^.;]{{0,60}}?(?:as\s+|an?\s+|of\s+|to\s+be\s+|be\s+)?{_Q}{_GRADE}{_Q}",
    re.IGNORECASE,
)
_MORE_GRADES = re.compile(
    rf"(?:,|;|\band\b|\bbut\b|\bwhile\b|\bwhilst\b|\bwhereas\b)\s+(?:(?:the\s+force|it)\s+(?:is\s+|was\s+)?)?(?:as\s+)?"
    rf"{_Q}{_GRADE}{_Q}\s+(?=(?:in|for|at|on)\b)",
    re.IGNORECASE,
)
# "rated the force inadequate", "graded West Mercia Police good": the graded body between verb and grade
_GRADED_OBJECT = re.compile(
    r"\b(?:graded|grades|rated|rates|judged|judges|deemed|assessed|assesses|found|finds|considered)\s+(?:the\s+|its\s+)?(?:[A-Z][\w'’-]*\s+){0,4}"
    r"(?:force|constabulary|service|police|organisation|it)\s+$",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(?:not|never|n['’]t|no\s+longer|avoided|avoid|escaped)\b(?:\s+\w+){0,2}\s*$", re.IGNORECASE)
_AREA_BEFORE = re.compile(
    r"(?:^|,\s*|\band\s+|\bwhile\s+|\bwhilst\s+|\bwhereas\s+)(?:the\s+force['’]s\s+|its\s+|their\s+)?"
    rf"(?P<area>(?:[\w'’-]+\s+){{0,5}}?(?:{_PILLAR}|[\w'’-]+\s+(?:crime|people|victims|public|behaviour|offenders|resources|demand|workforce)))"
    r"\s+(?:(?:was|were|is|are|has\s+been|have\s+been)\s+(?:also\s+)?)$",
    re.IGNORECASE,
)


def _change_spans(s_text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end("old")) for m in _CHANGE.finditer(s_text)] + [
        (m.start(), m.end()) for m in _PREVIOUS_GRADE.finditer(s_text)
    ]


def grade_verbs(p: Passage) -> Iterator[Fact]:
    """A grade after a verb: "assessed as requiring improvement", "rated ‘good’ at …", "judged to be adequate"."""
    for n, sent in enumerate(p.sents):
        s_text = p.text[sent.start : sent.end]
        changes = _change_spans(s_text)
        found = list(_GRADING.finditer(s_text))
        found += [f for f in _GRADING_FAR.finditer(s_text) if all(x.start("grade") != f.start("grade") for x in found)]
        scale = _scale_spans(s_text)
        for m in found:
            grade = grade_of(m.group("grade"))
            if any(a <= m.start("grade") < b for a, b in scale):
                continue  # "graded outstanding, good, requires improvement or inadequate": the scale, not a grade
            if any(a <= m.start("grade") < b for a, b in changes):
                continue  # the old grade of "up from requires improvement": rule grade_changes
            lead = s_text[: m.start("grade")]
            quoted = lead.endswith(("'", '"', "‘", "“", "’"))
            if not quoted and not re.search(
                r"\b(?:as|be|of|graded|rated|judged|deemed|assessed|overall|is|was|remains|were|are|it)\s+$", lead, re.I
            ) and not (grade == "requires-improvement" and re.search(r"\b(?:force|it|constabulary|service)\s+$", lead, re.I)) and not (
                _GRADED_OBJECT.search(lead)
            ):
                continue  # "gave detainees good access" is praise, not a grade
            if re.search(r"\bit\s+$", lead, re.I) and not re.search(r"\b(?:rated|graded|judged|deemed|assessed|found)\s+it\s+$", lead, re.I):
                continue
            if re.search(r"\b(?:below|above|than|nor|not)\s+['\"‘“]?$", lead, re.I):
                continue
            if re.match(r"\s*(?:no|none)\b", s_text, re.I) or re.search(r"\b(?:no|none\s+of\s+the)\s+(?:[\w-]+\s+){1,5}(?:was|were|is|are|has\s+been|have\s+been)\s+$", s_text[: m.start()], re.I):
                continue  # "No area was graded inadequate."
            if re.search(r"\b(?:them|cases|files|records|of\s+(?:the|these|those)|quarters?|half|per\s+cent)\b|%", m.group(0)[: m.start("grade") - m.start()], re.I):
                continue  # "assessed three quarters of them as requiring improvement": cases, not the force
            tail = s_text[m.end() :]
            if not lead.endswith(("'", '"', "‘", "“")) and _ADJECTIVE_USE.match(tail):
                continue  # "areas of good practice", "found outstanding work": praise, not a grade
            span = Span(sent.start + m.start(), sent.start + m.end())
            each = re.match(r"\W*(?:ratings?|grades?|gradings?)?\s*in\s+(?:each\s+of\s+)?(?:these|the|those)\s+"
                            rf"{_NUM_CAPTURE}\s+(?:categories|areas|pillars|questions)", tail, re.I)
            if each:
                listed = _listed_areas(p.text, list(p.sents[max(0, n - 2) : n]))
                if listed and len(listed) == number(each.group("num")):
                    for area in listed:
                        yield p.judgement(span, "grade-each", grade, area)
                    continue
            verbs = [v for v in re.finditer(_VERB, m.group(0), re.I) if not v.group().lower().startswith(("grading", "rating"))]
            if len(verbs) > 1:
                span = Span(sent.start + m.start() + verbs[-1].start(), span.end)
            before = s_text[: m.start()]
            if _NEGATED.search(before[-30:]) or re.search(r"\b(?:not|never)\b", s_text[m.start() : m.start("grade")], re.I):
                continue
            rel = span.start - sent.start
            clause_start = max([0, *(b.end() for b in _CLAUSE_BREAK.finditer(s_text, 0, rel))])
            if _other_forces(s_text[clause_start : m.start("grade")]):
                continue  # "15 forces were rated good": a national count, not this force's grade
            if re.search(r"\b(?:most|many|some|several|others?)\s+(?:of\s+(?:them|these|which)\s+)?(?:(?:were|are|being)\s+)?$", before, re.I):
                continue  # "with most deemed good": how many areas is not said
            period = _earlier(p, s_text[clause_start : m.start("grade")])
            after = _PERIOD_AFTER.match(tail)
            if not period and after:
                period = _earlier(p, after.group())
            overall = re.search(r"\boverall\b", s_text[max(0, rel - 30) : m.end()], re.I)
            cats = re.match(
                rf"\s*in\s+(?P<area>{_NUM}\s+(?:out\s+)?of\s+the\s+{_NUM}\s+(?:categories|areas|questions))", tail, re.I
            )
            area_at = m.end() + (after.end() if after and period else 0)
            across = _across_areas(s_text, area_at)
            if across is not None:
                for one in across or [""]:
                    yield p.judgement(span, "grade-across", grade, one, period or _other_pillar(p, one))
                continue
            area = "" if overall else (cats.group("area") if cats else area_after(s_text, area_at))
            if _VAGUE_AREA.match(area):
                continue  # "requires improvement in a number of other areas"
            if _FORCE_AREA.match(area):
                area = ""  # "a grading of requires improvement for Example Police": the force, not an area
            if area:
                trailing = re.search(rf"\s+last\s+year$|\s+(?:in|during|at|over)\s+(?:{_YEAR}|(?:its|the)\s+(?:last|previous)\s+inspection|"
                                     rf"(?:both|each\s+of)\s+{_YEAR}\s+and\s+{_YEAR}|the\s+(?:last|past)\s+(?:\w+\s+)?(?:years?|reports?))$", area, re.I)
                if trailing:
                    period = period or _earlier(p, trailing.group())
                    area = area[: trailing.start()]
            if not area and not overall:
                ab = _AREA_BEFORE.search(s_text[clause_start : m.start()])
                if ab:
                    area = ab.group("area")
            for one in split_areas(area) if area else [""]:
                yield p.judgement(span, "grade-verb", grade, one, period or _other_pillar(p, one))
            # "graded good in four areas, adequate in three and requires improvement in two"
            for more in _MORE_GRADES.finditer(s_text, m.end()):
                more_area = area_after(s_text, more.end())
                more_span = Span(sent.start + more.start("grade"), sent.start + more.end("grade"))
                for one in split_areas(more_area) if more_area else [""]:
                    yield p.judgement(more_span, "grade-verb", grade_of(more.group("grade")), one, period)


_ADJECTIVE_USE = re.compile(
    r"\s+(?:practice|progress|work|service|services|examples?|understanding|awareness|job|start|news|results?|"
    r"performance|relationships?|partnerships?|level|standards?|quality|use|knowledge|record|support|access|care|"
    r"leadership|value|reason|example|effort|efforts|outcomes?|position)\b",
    re.IGNORECASE,
)
_GRADING_FAR = re.compile(
    rf"\b(?:graded|rated|rates|judged|assessed|assesses)\b[^.;]{{40,160}}?\bas\s+{_Q}{_GRADE}{_Q}(?=\s+(?:overall|across)\b)",
    re.IGNORECASE,
)
_SCALE = re.compile(
    rf"{_Q}{_GRADE_RE}{_Q}(?:(?:\s*,\s*(?:or\s+|and\s+)?|\s+(?:or|and)\s+){_Q}{_GRADE_RE}{_Q}){{2,}}",
    re.IGNORECASE,
)


def _scale_spans(s_text: str) -> list[tuple[int, int]]:
    """Runs naming three or more different grades: the scale itself, not a judgement."""
    out = []
    for m in _SCALE.finditer(s_text):
        if len({grade_of(g) for g in re.findall(_GRADE_RE, m.group(), re.I)}) >= 3:
            out.append((m.start(), m.end()))
    return out


def _other_forces(clause: str) -> bool:
    """The clause grades forces in general ("two forces were graded", "25% of forces were judged")."""
    if not re.search(r"\bforces\b", clause, re.I):
        return False
    return not re.search(r"\bone\s+of\s+(?:only\s+|just\s+)?(?:the\s+)?(?:\w+\s+){0,2}forces\b", clause, re.I)


_VAGUE_AREA = re.compile(
    r"^(?:a\s+(?:number|range|series)\s+of|some|several|many|certain|various|most)\s+(?:of\s+(?:the\s+)?)?(?:other\s+|key\s+|critical\s+)?(?:areas?|aspects?)$",
    re.IGNORECASE,
)
_FORCE_AREA = re.compile(
    r"^(?:the\s+)?(?:[A-Z][\w'’&-]*\s+){0,4}(?:Police|Constabulary|force)\b(?!\s+(?:management|leadership))",
)
_ACROSS = re.compile(
    r"\s*(?:overall\s+)?(?:across|in|for|on)\s+(?:(?:the\s+)?board\b|(?:all|each|every\s+one)(?:\s+of)?(?:\s+(?:the|its|these))?"
    rf"(?:\s+(?P<num>{_NUM}))?\s+(?:\w+\s+)?(?:areas?|strands?|pillars?|categories|questions|elements|parts)\b)",
    re.IGNORECASE,
)
_ACROSS_LIST = re.compile(
    r"^[^.;]*?(?:\(\s*(?P<paren>[^()]+?)\s*\)|:\s*(?P<colon>[^.;]+)|\b(?:which\s+)?include[sd]?\s+(?P<incl>[^.;]+))"
    r"|^\s*(?:for|in|of)\s+(?P<for>[^.;]+)",
    re.IGNORECASE,
)


def _across_areas(s_text: str, pos: int) -> list[str] | None:
    """ "good across all three areas: A, B and C", "across the board for A, B and C", "across all
    the strands (A, B and C)": the areas listed, else the pillars the sentence names, else
    "three areas"; [] for a grade across the board with nothing named. None: no such phrase."""
    m = _ACROSS.match(s_text, pos)
    if not m:
        return None
    rest = s_text[m.end() :]
    pillars = []
    for w in re.findall(_PILLAR, s_text, re.I):
        if w.lower() not in pillars and w.lower() != "leadership":
            pillars.append(w.lower())
    lm = _ACROSS_LIST.match(rest)
    if lm and not (lm.group("for") and len(pillars) >= 2):
        listed = next(g for g in lm.groups() if g)
        items = split_areas(area_after("in " + listed, 0) if lm.group("for") else listed.strip())
        if len(items) >= 2 and all(len(i.split()) <= 12 for i in items):
            return items
    if len(pillars) >= 2:
        return pillars
    if m.group("num"):
        return [f"{m.group('num').lower()} areas"]
    return []


def _other_pillar(p: Passage, area: str) -> str:
    """A pillar grade named in the response to another pillar's report ("having been rated good
    for efficiency" in answer to the effectiveness report) is that other report's: "earlier report"."""
    own = set(re.findall(_PILLAR, p.report, re.I))
    if len(own) != 1 or not re.fullmatch(_PILLAR, area, re.I) or area.lower() in own:
        return ""
    pillar = re.escape(area)
    if re.search(rf"\bpolice\s+{pillar}\s+(?:19|20)\d\d|\b{pillar}\s+(?:and\s+{_PILLAR}\s+)?(?:reports|report|inspection)\b",
                 p.text, re.I):
        return ""  # the response answers that pillar's report too
    return "earlier report"


def _listed_areas(text: str, sents: list[Span]) -> list[str]:
    for sent in reversed(sents):
        s_text = text[sent.start : sent.end]
        if ":" in s_text:
            items = s_text.split(":", 1)[1].strip().rstrip(".")
            parts = [p.strip() for p in re.split(r";\s*(?:and\s+)?|,\s*and\s+|,\s+", items) if p.strip()]
            parts = [re.sub(r"^and\s+", "", p) for p in parts]
            if len(parts) >= 2:
                return parts
    return []


_FORCE_NEEDS = re.compile(
    r"\b(?:the\s+force|the\s+constabulary|the\s+service|it)\s+(?:still\s+|now\s+|also\s+|overall\s+|continues\s+to\s+|currently\s+)?"
    rf"{_Q}(?P<grade>requires\s+improvement)\b{_Q}",
    re.IGNORECASE,
)


def force_requires_improvement(p: Passage) -> Iterator[Fact]:
    """No verb but the grade itself: "the force requires improvement in how it protects vulnerable people"."""
    for sent in p.sents:
        s_text = p.text[sent.start : sent.end]
        for m in _FORCE_NEEDS.finditer(s_text):
            if _NEGATED.search(s_text[: m.start("grade")][-30:]) or re.search(r"\b(?:if|whether)\b[^,]*$", s_text[: m.start()], re.I):
                continue
            if re.search(rf"{_VERB}[^.;]{{0,60}}$", s_text[: m.start()], re.I):
                continue  # "rated … the force requires improvement" is rule grade_verbs'
            area = area_after(s_text, m.end())
            clause_start = max([0, *(b.end() for b in _CLAUSE_BREAK.finditer(s_text, 0, m.start()))])
            period = _earlier(p, s_text[clause_start : m.start("grade")])
            span = Span(sent.start + m.start("grade"), sent.start + m.end("grade"))
            for one in split_areas(area) if area else [""]:
                yield p.judgement(span, "grade-force-requires", "requires-improvement", one, period)


_CHANGE = re.compile(
    r"\b(?:(?:went|gone|moved|moving|going|goes|has\s+gone|risen|rising|rose|climbed)\s+)?"
    r"(?P<dir>up|down|raised|lifted|upgraded|downgraded|improved|improving|improvement|move|moved|moving|risen|rising|rose|fell|fallen|falling|dropped|dropping|changed|changing|climbed|progressed|progressing)\s+"
    r"from\s+(?:(?:a|an|its|the|their|being)\s+)?(?:(?:previous|earlier|last|former|prior)\s+)?"
    r"(?:(?:grade|grading|rating|judgement)\s+of\s+)?(?:(?:rated|graded|judged)\s+(?:as\s+)?)?"
    rf"{_Q}(?P<old>{_GRADE_RE}){_Q}(?=\s*(?:[.,;:)'’\"”]|$|to\b|into\b|in\b|last\b|at\b|grade|rating|for\b|and\b|when\b))"
    rf"(?P<when>\s+(?:in\s+{_YEAR}|last\s+year|(?:at|in)\s+(?:its|the)\s+(?:last|previous)\s+inspection))?"
    rf"(?:\s+(?:to|into)\s+(?:an?\s+)?{_Q}(?P<new>{_GRADE_RE}){_Q})?",
    re.IGNORECASE,
)
_PREVIOUS_GRADE = re.compile(
    r"\b(?:an?\s+improvement\s+(?:on|from|over)|compared\s+(?:with|to)|better\s+than|up\s+on|down\s+on|a\s+decline\s+from)\s+"
    r"(?:(?P<whose>its|the|their|a|an|last\s+year['’]s)\s+)?(?:(?P<prev>previous|earlier|last|former|prior)\s+)?"
    r"(?:(?:grade|grading|rating|judgement|assessment)\s+(?:of\s+)?)?"
    rf"{_Q}(?P<old>{_GRADE_RE}){_Q}(?:\s+(?:grade|grading|rating))?(?P<when>\s+(?:in\s+{_YEAR}|last\s+year|(?:at|in)\s+(?:its|the)\s+(?:last|previous)\s+inspection))?",
    re.IGNORECASE,
)


def grade_changes(p: Passage) -> Iterator[Fact]:
    """An earlier grade named by the change from it: "up from requires improvement to good",
    "an improvement on the previous grade of inadequate" (the earlier one keeps its period)."""
    for sent in p.sents:
        s_text = p.text[sent.start : sent.end]
        for m in _CHANGE.finditer(s_text):
            if m.group("dir").lower() in ("improvement", "improving", "progressed", "progressing") and not m.group("new"):
                if not re.search(r"\b(?:grade|grading|rating|rated|graded)\b", m.group(), re.I):
                    continue  # "improvement from good practice" is not a grade change
            when = m.group("when") or ""
            period = _earlier(p, when) if when else "previous"
            area = _change_area(s_text[: m.start()])
            start = sent.start + m.start()
            yield p.judgement(Span(start, sent.start + m.end("old")), "grade-change", grade_of(m.group("old")), area, period or "previous")
            if m.group("new"):
                yield p.judgement(Span(start, sent.start + m.end("new")), "grade-change", grade_of(m.group("new")), area)
        for m in _PREVIOUS_GRADE.finditer(s_text):
            whose = (m.group("whose") or "").lower()
            if not (m.group("prev") or m.group("when") or whose.startswith("last")):
                continue  # "better than good" is no earlier grade
            period = _earlier(p, (m.group("whose") or "") + " " + (m.group("prev") or "") + " " + (m.group("when") or "")).strip()
            area = _change_area(s_text[: m.start()])
            span = Span(sent.start + m.start(), sent.start + m.end())
            yield p.judgement(span, "grade-previous", grade_of(m.group("old")), area, period or "previous")


def _change_area(before: str) -> str:
    m = re.search(rf"\b(?:its|the\s+force['’]s|their|the)\s+(?P<area>{_PILLAR}|[\w'’ -]{{3,40}}?)\s+(?:grade|grading|rating)\b[^.;,]*$", before, re.I)
    if m and not re.fullmatch(r"overall|PEEL|own|latest|new|current", m.group("area"), re.I):
        return m.group("area")
    return ""


def grade_headings(p: Passage) -> Iterator[Fact]:
    """"the two assessment categories requiring improvement" followed by question headings."""
    sents = list(p.sents)
    for n, sent in enumerate(sents):
        s_text = p.text[sent.start : sent.end]
        cats = re.search(rf"{_NUM_CAPTURE}\s+(?:assessment\s+)?(?:categories|areas|questions)\s+{_GRADE}", s_text, re.I)
        if cats:
            wanted = number(cats.group("num")) or 0
            grade = grade_of(cats.group("grade"))
            headings = [s for s in sents[n + 1 :] if p.text[s.start : s.end].rstrip().endswith("?")][:wanted]
            for h in headings:
                yield p.judgement(h, "grade-headings", grade, p.text[h.start : h.end].rstrip("?"))


_GRADE_COUNT = re.compile(
    rf"(?<![\w£$.,]){_NUM_CAPTURE}\s+{_Q}{_GRADE}{_Q}\s+(?:grades|gradings|ratings|judgements)\b",
    re.IGNORECASE,
)


def grade_counts(p: Passage) -> Iterator[Fact]:
    """"six outstanding grades and two good grades were awarded": n areas of that grade, no area named."""
    for sent in p.sents:
        s_text = p.text[sent.start : sent.end]
        if _other_forces(s_text):
            continue
        for m in _GRADE_COUNT.finditer(s_text):
            n = number(m.group("num")) or 0
            if n < 2:
                continue  # "the one inadequate grade" restates a grade named elsewhere
            period = _earlier(p, s_text)
            span = Span(sent.start + m.start(), sent.start + m.end())
            yield p.judgement(span, "grade-count", grade_of(m.group("grade")), f"{m.group('num').lower()} areas", period)


_REPORT_SAYS = re.compile(
    r"\b(?:report|inspectorate|inspectors|HMICF?R?S|HMIC)\s+(?:also\s+|further\s+)?(?:says|said|states|stated|concludes|concluded|notes|noted)\s+(?:that\s+)?"
    r"(?:the\s+force|the\s+constabulary|it|(?:[A-Z][\w'’-]*\s+){1,3}(?:Police|Constabulary))\s+(?:is|was|remains)\s+"
    rf"{_Q}{_GRADE}{_Q}\s+(?=(?:at|in|for)\b)",
)


def report_says(p: Passage) -> Iterator[Fact]:
    """The report's words reported: "the report says the force is outstanding in the way it records crime"."""
    for sent in p.sents:
        s_text = p.text[sent.start : sent.end]
        for m in _REPORT_SAYS.finditer(s_text):
            if m.group("grade").lower().startswith("requir"):
                continue  # rule force_requires_improvement reads it
            area = area_after(s_text, m.end())
            span = Span(sent.start + m.start(), sent.start + m.end("grade"))
            for one in split_areas(area) if area else [""]:
                yield p.judgement(span, "grade-report-says", grade_of(m.group("grade")), one, _earlier(p, s_text[: m.start("grade")]))


GRADE_RULES: tuple[GradeRule, ...] = (
    grade_lines,
    table_rows,
    grade_verbs,
    force_requires_improvement,
    grade_changes,
    grade_headings,
    grade_counts,
    report_says,
)


_PILLAR_INSPECTION = re.compile(rf"\b(?P<pillar>{_PILLAR})\s+(?:inspection|report|assessment)\b", re.IGNORECASE)


def _pillar_named_nearby(p: Passage, f: Fact) -> Fact:
    """A grade with no area, in a clause that names one pillar's inspection ("in the 2016
    efficiency inspection the force was assessed as requiring improvement"), grades that pillar."""
    if f.get("area"):
        return f
    sent = next((s for s in p.sents if s.start <= f.span.start < s.end), None)
    if sent is None:
        return f
    # the clause around the grade: from the last clause break before it to the next after it
    before = p.text[sent.start : f.span.start]
    after = p.text[f.span.end : sent.end]
    clause = re.split(r"[;]|,\s+(?:but|while|whilst|whereas)\b", before)[-1] + " " + re.split(r"[;]|,\s+(?:a|an|but|up|down)\b", after)[0]
    pillars = {m.group("pillar").lower() for m in _PILLAR_INSPECTION.finditer(clause)}
    if len(pillars) != 1:
        return f
    values = tuple(sorted((k, v) for k, v in (*f.values, ("area", pillars.pop())) if k != "area" or v))
    return Fact(f.kind, f.span, values, f.rule)


def judgements(text: str, sents: list[Span], body: Span, report: str, force: str) -> Iterator[Fact]:
    """Grades the response reports, each once; earlier grades carry their period.

    A grade restated in prose (same grade, same or similar area, same period) counts
    once, and "good in two of the four categories" gives way to the areas it counts.
    """
    p = Passage(text, tuple(sents), body, report, force)
    found = [_pillar_named_nearby(p, f) for rule in GRADE_RULES for f in rule(p)]
    kept: list[Fact] = []
    for f in found:
        if f.rule not in ("grade-list", "grade-table") and _other_service(text, f):
            continue
        if f.rule not in ("grade-list", "grade-table") and any(
            k.get("grade") == f.get("grade")
            and k.get("period") == f.get("period")
            and (_same_area(k.get("area"), f.get("area")) if k.span != f.span else k.get("area").lower() == f.get("area").lower())
            for k in kept
        ):
            continue
        kept.append(f)
    named = {(f.get("grade"), f.get("period")) for f in kept if f.get("area") and not _COUNTED_AREA.match(f.get("area"))}
    for f in kept:
        if _COUNTED_AREA.match(f.get("area")) and (f.get("grade"), f.get("period")) in named:
            continue  # "rated good in two out of the four categories" restates the areas named
        if f.rule == "grade-count":
            same = [k for k in kept if k.rule != "grade-count" and (k.get("grade"), k.get("period")) == (f.get("grade"), f.get("period"))]
            if len(same) >= (number(f.get("area").split()[0]) or 0):
                continue  # "two good grades" counts the good areas already named
        yield f


_OTHER_SERVICE = re.compile(r"\b(?:fire\s+and\s+rescue\s+service|the\s+service|fire\s+service)\b[^.;]{0,60}$", re.IGNORECASE)


def _other_service(text: str, f: Fact) -> bool:
    """A grade of the fire and rescue service (a PFCC's other inspection), not of the force."""
    start = max(0, text.rfind(".", 0, f.span.start) + 1, f.span.start - 120)
    return bool(_OTHER_SERVICE.search(text[start : f.span.start + 1]))


def _same_area(a: str, b: str) -> bool:
    """The same area restated: equal, or similar words ("efficiency" and "effectiveness" are two)."""
    if a.lower() == b.lower():
        return True
    if len(a.split()) == 1 and len(b.split()) == 1:
        return False
    return bool(a and b and fuzz.token_set_ratio(a.lower(), b.lower()) >= 60)
