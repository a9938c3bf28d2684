"""Finding dates written in English letters, with their character spans.

A plain regular-expression reader: it returns the exact span of each date, which
the evidence model needs, and it never guesses a missing year or uses "today".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_PATTERNS = [
    # 2nd October 2014, 30 March 2015, 1st of March 2022
    ("day", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE)),
    # March 1, 2022 / March 1st 2022
    ("day", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE)),
    # 2019-07-26
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    # 26/07/2019, 26.07.2019 (UK order)
    ("numeric", re.compile(r"\b(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.](?P<year>(?:19|20)\d\d)\b")),
    # October 2015
    ("month", re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.IGNORECASE)),
]


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in text: ISO value, precision ("day"/"month") and span."""

    iso: str
    precision: str
    start: int
    end: int


def _month_number(raw: str) -> int:
    return MONTHS[raw.lower().rstrip(".")] if not raw.isdigit() else int(raw)


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMatch]:
    """Every valid date in ``text[start:end]``, in order, longest reading first.

    Month-only dates inside a day-precision date are not reported twice.
    """
    end = len(text) if end is None else end
    found: list[DateMatch] = []
    # spans taken so far; they never overlap, so sorted by start they are sorted by end too
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text, start, end):
            i = bisect_left(taken_starts, m.start())
            if (i > 0 and taken_ends[i - 1] > m.start()) or (i < len(taken_starts) and taken_starts[i] < m.end()):
                continue
            try:
                year = int(m.group("year"))
                month = _month_number(m.group("month"))
                if kind == "month":
                    date(year, month, 1)
                    found.append(DateMatch(f"{year:04d}-{month:02d}", "month", m.start(), m.end()))
                else:
                    day = int(m.group("day"))
                    date(year, month, day)
                    found.append(
                        DateMatch(f"{year:04d}-{month:02d}-{day:02d}", "day", m.start(), m.end())
                    )
            except (ValueError, KeyError):
                continue
            taken_starts.insert(i, m.start())
            taken_ends.insert(i, m.end())
    return sorted(found, key=lambda d: (d.start, d.end))


_LONGEST_DATE = 100  # characters: no date reading is longer ("Wednesday 12th September 2015" is 29)


def first_date(text: str, start: int = 0, end: int | None = None) -> DateMatch | None:
    """``find_dates(text, start, end)[0]``, reading only as far as it must: windows that
    double in size, a date counting once it ends well inside its window (so no longer or
    earlier reading can be cut off at the window's edge). A huge line is not read to its end."""
    end = len(text) if end is None else end
    width = 2_000
    while True:
        stop = min(end, start + width)
        found = find_dates(text, start, stop)
        if stop == end:
            return found[0] if found else None
        if found and found[0].end <= stop - _LONGEST_DATE:
            return found[0]
        width *= 4


def any_date(text: str, start: int = 0, end: int | None = None) -> bool:
    """True when ``find_dates`` would find a date in ``text[start:end]``; stops at the first.

    The first valid reading of any pattern is one: nothing taken before it can hide it
    unless that was a date already.
    """
    end = len(text) if end is None else end
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text, start, end):
            try:
                year, month = int(m.group("year")), _month_number(m.group("month"))
                date(year, month, 1 if kind == "month" else int(m.group("day")))
            except (ValueError, KeyError):
                continue
            return True
    return False


DATE_ONLY_LINE = re.compile(
    r"^\s*(?:\*\*)?(?:date[d]?\s*[:\-]?\s*)?(?:\*\*)?\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?P<rest>.{4,40}?)\s*(?:\*\*)?\s*$",
    re.IGNORECASE,
)


def is_date_line(line: str) -> bool:
    """True when a line holds only a date, optionally after "Date:"."""
    m = DATE_ONLY_LINE.match(line)
    if not m:
        return False
    rest = m.group("rest")
    found = find_dates(rest)
    return len(found) == 1 and found[0].start == 0 and found[0].end == len(rest.rstrip(".,"))
