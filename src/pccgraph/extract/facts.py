"""Facts in the body, each with the span that supports it: recommendation tallies,
commitments, sums of money, statistics and cited reports (grades: ``grades.py``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..dates import find_dates
from ..model import Fact, Span
from .header import fact

if TYPE_CHECKING:  # spaCy is imported only when something is extracted
    from spacy.tokens import Doc


NUMBER_WORDS = {
    "no": 0, "one": 1, "a single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
}  # fmt: skip
_NUM = r"(?:\d{1,3}|" + "|".join(sorted((k for k in NUMBER_WORDS if k not in ("no",)), key=len, reverse=True)) + r")"
_NUM_CAPTURE = rf"(?P<num>{_NUM}(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)"

_KIND = (
    r"(?P<kind>recommendations?|areas?\s+for\s+improvement|AFIs?|causes?\s+of\s+concern)"
)
_TALLY = re.compile(
    rf"(?<![\w-])(?:{_NUM_CAPTURE}|(?P<none>no))\s+(?:(?:new|main|national|specific|further|key|separate|force[- ]specific|"
    rf"formal|overarching|clear|individual)\s+){{0,2}}{_KIND}(?![\w-])",
    re.IGNORECASE,
)
_TALLY_CONTEXT = re.compile(
    r"\b(?:makes?|made|making|contains?|provides?|identif(?:y|ies|ied)|highlights?|highlighted|sets? out|"
    r"includes?|including|lists?|listed|issued|raised|gave|gives|of the|with|were|are|there (?:are|were)|"
    r"report(?:ed|s)?|resulted in|outlines?|outlined|found|finds|total of|comprising|produced|record(?:s|ed)?|noted?|"
    r"number of[\w ]*:)\b[^.;]*$",
    re.IGNORECASE,
)
_SUB_TALLY = re.compile(
    rf"(?P<num>{_NUM}|all)\s+of\s+which\b(?P<rest>[^.;:]*)|of\s+which\s+(?P<num2>{_NUM})\b(?P<rest2>[^.;:]*)",
    re.IGNORECASE,
)
_APPLIES = re.compile(
    r"\b(?:for|to|by|applies to|apply to|relate to|relates to|for action by)\s+(?P<who>(?:all\s+|both\s+|police\s+)?"
    r"(?:chief constables|police forces|forces|force|chief officers|the home office|the college of policing|"
    r"police and crime commissioners|pccs|both forces|the force))\b",
    re.IGNORECASE,
)

_COMMIT = re.compile(
    r"(?:^|[\s,;(])(?P<subject>I|we|We|[Mm]y\s+office|The\s+OPCC|my\s+team|"
    r"The\s+(?:Police,?\s+(?:Fire\s+)?and\s+Crime\s+)?Commissioner|The\s+P(?:F)?CC)\s+"
    r"(?:(?:also|will|shall|intend|am|are|plan|would|fully|now|therefore|continue|personally)\s+)*?"
    r"(?P<modal>will|shall|intend\s+to|intends\s+to|is\s+committed\s+to|am\s+committed\s+to|are\s+committed\s+to|plan\s+to|'ll|’ll|am\s+determined\s+to|"
    r"will\s+continue|shall\s+continue)\b",
)
_DUE = re.compile(
    r"\b(?:by|before|no later than|until)\s+(?:the\s+(?:end|start|beginning|middle)\s+of\s+)?", re.IGNORECASE
)
_MONEY = re.compile(r"£\s?(?P<amount>\d[\d,]*(?:\.\d+)?)\s?(?P<unit>k|m|bn|million|billion|thousand)?(?![\w])", re.I)
_PERCENT = re.compile(r"(?<![\w.])(?P<value>\d+(?:\.\d+)?)\s?(?:%|per\s?cent|percent)", re.I)
_OUT_OF = re.compile(
    r"\b(?:of\s+the\s+(?P<den>\d+)\b[^.;]{0,80}?\bonly\s+(?P<num>\d+))|"
    r"\b(?P<num2>\d+)\s+(?:out\s+)?of\s+(?:the\s+)?(?P<den2>\d+)\b",
    re.I,
)
_QUOTED_TITLE = re.compile(r"(?<![\w])(?P<q>['‘\"“*])(?P<title>[A-Za-z][^\n\"“”*]{3,150}?)(?P<close>['’\"”*])(?![\w])")
_NAMED_REPORT = re.compile(
    r"\b[Tt]he\s+(?P<title>(?:[A-Z][\w'’-]*\s+){1,6}?)[Rr]eport\b"
)


def number(text: str) -> int | None:
    """An integer from digits or English words ("six", "twenty-one")."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    parts = re.split(r"[- ]", text)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return NUMBER_WORDS.get(text)


def _kind(raw: str) -> str:
    raw = raw.lower()
    if raw.startswith("recommendation"):
        return "recommendations"
    if raw.startswith("cause"):
        return "causes of concern"
    return "areas for improvement"


def sentences(doc: Doc, body: Span, text: str) -> Iterator[Span]:
    """Sentence spans within the body, split also at blank lines."""
    for sent in doc.sents:
        start, end = max(sent.start_char, body.start), min(sent.end_char, body.end)
        if start >= end:
            continue
        chunk = text[start:end]
        pos = 0
        for part in re.split(r"(\n\s*\n)", chunk):
            if part.strip() and not re.fullmatch(r"\n\s*\n", part):
                lead = len(part) - len(part.lstrip())
                s = start + pos + lead
                e = start + pos + len(part.rstrip())
                if e > s:
                    yield Span(s, e)
            pos += len(part)


_DONE_VERB = r"(?:implemented|completed|complete|addressed|discharged|closed|achieved|delivered|met|actioned|signed\s+off)"
_DONE_ADV = r"(?:(?:now|already|since|so\s+far|to\s+date|all|fully|successfully|been)\s+)*"
_DONE_BEFORE = re.compile(
    rf"(?:\b(?:have|has|had)\s+{_DONE_ADV}{_DONE_VERB}\s+)?(?<![\w-])(?P<done>{_NUM}|all)\s+(?:(?:out\s+)?of\s+)?(?:the\s+|these\s+|its\s+|their\s+)?$",
    re.IGNORECASE,
)
_DONE_AFTER = re.compile(rf"^\s*(?:have|has|had|are|were|is)\s+{_DONE_ADV}{_DONE_VERB}\b", re.IGNORECASE)
_DONE_PART = re.compile(
    rf"^(?P<lead>[^.;]{{0,60}}?),\s*(?:(?P<done>{_NUM}|all)\s+of\s+which|(?:and\s+)?of\s+(?:these|them|which)\s+(?P<done2>{_NUM}|all)|(?P<done3>{_NUM}|all))"
    rf"\s+(?:have|has|are|were|is)\s+{_DONE_ADV}{_DONE_VERB}\b",
    re.IGNORECASE,
)


def completed(before: str, after: str, count: int) -> tuple[int, int, int] | None:
    """How many of a tally the text says are done, as (number, characters before, characters after).

    "10 of the 16 recommendations have been implemented", "all 5 recommendations have been
    completed", "has completed 4 of the 6 areas for improvement", "7 recommendations, all of
    which have been completed", "Of the 16 recommendations, 10 have been implemented".
    """
    pre = _DONE_BEFORE.search(before)
    post = _DONE_AFTER.match(after)
    if pre and (post or re.match(r"\b(?:have|has|had)\b", pre.group(), re.I)):
        raw = pre.group("done")
        n = count if raw.lower() == "all" else number(raw)
        if n is not None and n <= count:
            return n, len(before) - pre.start(), post.end() if post else 0
    part = _DONE_PART.match(after)
    if part and not re.search(r"[,.;]", part.group("lead")):
        raw = part.group("done") or part.group("done2") or part.group("done3")
        n = count if raw.lower() == "all" else number(raw)
        if n is not None and n <= count:
            return n, 0, part.end()
    return None


def tallies(text: str, sents: list[Span], report: str) -> Iterator[Fact]:
    """Counts of recommendations, areas for improvement and causes of concern (each once)."""
    kept: dict[tuple[str, str, str], Fact] = {}
    for f in _tallies(text, sents, report):
        key = (f.get("count"), f.get("tally_kind"), f.get("applies_to") if f.rule == "tally-of-which" else "")
        if key not in kept or (f.get("completed") and not kept[key].get("completed")):
            kept[key] = f  # the count stated with how many are done wins
    yield from kept.values()


_COUNT_FIELD = re.compile(
    r"^[ \t]*(?:total\s+)?number\s+of\s+(?P<kind>recommendations|areas\s+for\s+improvement|causes\s+of\s+concern)"
    r"(?:\s+made)?\s*:\s*(?P<num>\d{1,3})\b",
    re.IGNORECASE | re.MULTILINE,
)


def _tallies(text: str, sents: list[Span], report: str) -> Iterator[Fact]:
    for m in _COUNT_FIELD.finditer(text):  # a form's "Number of recommendations: 22"
        yield fact("tally", Span(m.start("kind"), m.end("num")), "tally-field", count=str(int(m.group("num"))),
                   tally_kind=_kind(m.group("kind")), report=report)
    for sent in sents:
        s_text = text[sent.start : sent.end]
        for m in _TALLY.finditer(s_text):
            if m.group("none"):
                lead = s_text[: m.start()]
                listed = re.search(r"\band\s+$", lead) and _TALLY.search(lead)
                if not listed and not re.search(r"\b(?:contains?|contained|makes?|made|were|are|was|identified|identifies|found|finds|raised|gave|includes?|recorded|records)\s+$", lead, re.I):
                    continue
                count = 0
            else:
                count = number(m.group("num"))
            if count is None:
                continue
            before = s_text[: m.start()]
            after = s_text[m.end() :]
            done = completed(before, after, count)
            if not done and not _TALLY_CONTEXT.search(before) and not re.match(r"\s*(?:the\s+)?report", before[-40:], re.I):
                if not re.search(r"\b(?:of the|the)\s*$", before, re.I):
                    continue
            applies = _APPLIES.match(after.lstrip(" ,")) or _APPLIES.search(after.split(",")[0])
            span = Span(sent.start + m.start(), sent.start + m.end())
            if done:
                span = Span(sent.start + m.start() - done[1], sent.start + m.end() + done[2])
            yield fact(
                "tally", span, "tally-completed" if done else "tally", count=str(count), tally_kind=_kind(m.group("kind")),
                applies_to=applies.group("who") if applies and not re.match(r"\s*,?\s*(?:\w+\s+)?of\s+which", after) else "",
                report=report, completed=str(done[0]) if done else "",
            )
            sub = _SUB_TALLY.search(after)
            if sub and sub.start() < 40:
                raw = sub.group("num") or sub.group("num2")
                rest = sub.group("rest") or sub.group("rest2") or ""
                sub_count = count if raw.lower() == "all" else number(raw)
                who = _APPLIES.search(rest)
                if sub_count is not None and who:  # "…, eleven of which HMIC asked …" names no one: a part, not a tally
                    end = sent.start + m.end() + sub.end()
                    yield fact(
                        "tally", Span(span.start, end), "tally-of-which", count=str(sub_count),
                        tally_kind=_kind(m.group("kind")), applies_to=who.group("who") if who else "",
                        report=report,
                    )


# Forces whose chief officer is styled "Commissioner": there "the Commissioner" is not the PCC.
COMMISSIONER_LED = ("metropolitan-police-service", "city-of-london-police")


def commitments(text: str, sents: list[Span], force: str = "") -> Iterator[Fact]:
    """Sentences in which the PCC commits to act, with a due date when one is written."""
    for sent in sents:
        s_text = text[sent.start : sent.end]
        if force in COMMISSIONER_LED:
            # the Met's and the City's "Commissioner" is their chief officer, not the PCC
            s_text = re.sub(r"\bThe\s+Commissioner\b", lambda m: "The " + "x" * (len(m.group()) - 4), s_text)
        promise = _COMMIT.search(s_text)
        due = None
        for d in _DUE.finditer(s_text):
            found = [x for x in find_dates(s_text, d.end(), min(len(s_text), d.end() + 20)) if x.start == d.end()]
            if found:
                due = found[0].iso
                break
        dated_promise = due is not None and re.search(r"\bwill\b|\bshall\b", s_text) and re.search(
            r"\bI\b|\bmy\b", s_text
        )
        asked = re.search(
            r"(?:^|[\s,;])I\s+have\s+(?:also\s+)?(?:asked|requested|instructed|tasked|commissioned)\s+(?:the|my|our|an?)\s[^.;]{0,80}?\bto\s+[a-z]+",
            s_text,
        )
        elliptic = re.search(r"\bI\b[^.;]*?\b(?:and|but)\s+(?:will|shall)\s+(?:continue|ensure|monitor|keep|work|seek|be)\b", s_text)
        if not promise and not dated_promise and not elliptic and not asked:
            continue
        yield fact("commitment", sent, "commitment", due=due or "")


def money_and_statistics(text: str, body: Span) -> Iterator[Fact]:
    """Sums of money (£200k) and statistics (17%, 74 of 100) as typed values."""
    scale = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000, "bn": 10**9, "billion": 10**9}
    for m in _MONEY.finditer(text, body.start, body.end):
        value = float(m.group("amount").replace(",", "")) * scale.get((m.group("unit") or "").lower(), 1)
        amount = f"{value:.2f}".rstrip("0").rstrip(".")
        yield fact("money", Span(m.start(), m.end()), "money", amount=amount)
    for m in _PERCENT.finditer(text, body.start, body.end):
        yield fact("statistic", Span(m.start(), m.end()), "percentage", percentage=m.group("value"))
    for m in _OUT_OF.finditer(text, body.start, body.end):
        num = m.group("num") or m.group("num2")
        den = m.group("den") or m.group("den2")
        if int(num) <= int(den):
            yield fact("statistic", Span(m.start(), m.end()), "count-of-total", numerator=num, denominator=den)


def cited_titles(text: str, sents: list[Span]) -> Iterator[tuple[Span, str, str]]:
    """Report titles named in the body: quoted, emphasised, or "The X report"."""
    for sent in sents:
        s_text = text[sent.start : sent.end]
        for m in _QUOTED_TITLE.finditer(s_text):
            title = m.group("title").strip()
            after = s_text[m.end() : m.end() + 40]
            before = s_text[max(0, m.start() - 40) : m.start()]
            is_report = re.match(r"\s*(?:report|inspection|review|study|thematic|in\s+\w+\s+(?:19|20)\d\d|published)", after, re.I) or re.search(
                r"\b(?:report|publication of|inspection|entitled|titled|called)\s*$", before, re.I
            )
            if not is_report or len(title.split()) < 2:
                continue
            if title[0].islower() and (len(title.split()) < 3 or not re.match(r"\s*report", after, re.I)):
                continue  # "'on site' inspection", "'no crime' reports"
            issued = ""
            when = re.match(r"\s*(?:report\s*,?\s*)?(?:(?:was\s+)?published\s+)?(?:in|on)\s+", after, re.I)
            if when:
                dates = [d for d in find_dates(s_text, m.end() + when.end(), min(len(s_text), m.end() + when.end() + 20))]
                if dates and dates[0].start == m.end() + when.end():
                    issued = dates[0].iso
            s = sent.start + m.start("title")
            yield Span(s, s + len(m.group("title").rstrip())), title, issued
        for m in _NAMED_REPORT.finditer(s_text):
            title = m.group("title").strip()
            if len(title.split()) < 2 or title.split()[0] in ("HMIC", "HMICFRS", "National", "Inspectorate"):
                continue
            after = s_text[m.end() : m.end() + 40]
            issued = ""
            when = re.match(r"\s*,?\s*published\s+(?:in|on)\s+", after, re.I)
            if when:
                dates = find_dates(s_text, m.end() + when.end(), min(len(s_text), m.end() + when.end() + 20))
                if dates and dates[0].start == m.end() + when.end():
                    issued = dates[0].iso
            s = sent.start + m.start("title")
            yield Span(s, s + len(title)), title, issued
