"""SYNTHETIC archive: N published PCC responses to inspection reports, seeded and deterministic.

Not real responses. Every file's first line says SYNTHETIC. The archive spreads N
responses (default 10,000) over the 43 territorial forces of England and Wales and
the years 2013-2025, in the three shapes commissioners' offices publish:

* letters ("Dear Home Secretary" ... "Yours sincerely"), about 35 %, one to four to a file;
* statements and press releases (office line, date line, headline, "Commissioner <Name>
  said: ..."), about 45 %;
* s.55 response forms ("Title of Inspection: ... Date Inspection Published: DD/MM/YYYY
  Deadline for Response: ... PCC comments: ..."), about 20 %.

What they say comes from the reference data (data/reference/): the PCC who held the
force's post on the response's date (people.csv / posts.csv, terms read from each
person's description), national and thematic report titles from reports.csv (the same
title answered by many forces), force-specific PEEL reports with their grade lists,
tallies of recommendations and areas for improvement, commitments with deadlines and
programmes from programmes.csv. Wording varies by a seeded RNG over small phrase
banks written for this file. Same count and seed, same bytes.

    python benchmarks/synthetic_archive.py OUT_DIR [--count 10000] [--seed 20130101]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"
FIRST_YEAR, LAST_YEAR = 2013, 2025
MARK = "SYNTHETIC, not a real publication (benchmarks/synthetic_archive.py, seed {seed}, file {n})"
SHAPES = (("letter", 35), ("statement", 45), ("form", 20))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

# --------------------------------------------------------------------------- reference data


def _rows(name: str, reference: Path) -> list[dict[str, str]]:
    with (reference / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Holder:
    """A person who held a force's commissioner post (or exercised its functions) for some years."""

    name: str
    role: str  # "Police and Crime Commissioner for Kent"
    terms: tuple[tuple[dt.date, dt.date], ...]


@dataclass(frozen=True)
class Force:
    id: str
    label: str
    area: str
    holders: tuple[Holder, ...]

    def holder(self, day: dt.date) -> Holder | None:
        """Who held the post on ``day`` (the nearest term when none covers it)."""
        return holder_on(self.holders, day)


def holder_on(holders: tuple[Holder, ...], day: dt.date) -> Holder | None:
    """The holder whose term covers ``day``, else the one whose term is nearest."""
    best: tuple[int, str, Holder] | None = None
    for h in holders:
        for start, end in h.terms:
            gap = 0 if start <= day < end else min(abs((day - start).days), abs((day - end).days))
            if best is None or (gap, h.name) < best[:2]:
                best = (gap, h.name, h)
    return best[2] if best else None


@dataclass(frozen=True)
class Report:
    id: str
    title: str
    issued: dt.date
    kind: str  # national kind from reports.csv, or "peel"
    programme: str
    force: str = ""  # a force-specific (PEEL) report
    pillar: str = ""
    grades: tuple[tuple[str, str], ...] = ()  # (area, grade) in the order an office lists them


_RANGE = re.compile(r"\bfrom (\d{4})\b[^.;]*?\b(?:to|until)\b[^.;]*?\b(\d{4})\b|\bin (\d{4}) and (\d{4})\b")
_OPEN = re.compile(r"\b(?:elected|appointed|became|since|again|succeeded)\b[^.;]*?\b(\d{4})\b")


def terms(description: str) -> tuple[tuple[dt.date, dt.date], ...]:
    """Terms of office read from a description: "from 2012 to 2016", "elected ... in 2021"."""
    out: list[tuple[dt.date, dt.date]] = []
    rest = description
    for m in _RANGE.finditer(description):
        first, last = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        out.append((dt.date(int(first), 5, 6), dt.date(int(last), 11, 1) if m.group(3) else dt.date(int(last), 5, 6)))
        rest = rest.replace(m.group(0), " ")
    for m in _OPEN.finditer(rest):
        year = int(m.group(1))
        end = dt.date(year, 11, 1) if "resigned later that year" in description else dt.date(2030, 1, 1)
        if not any(a.year <= year < b.year for a, b in out):
            out.append((dt.date(year, 5, 6), end))
        break
    return tuple(sorted(out))


def _area(label: str) -> str:
    area = re.sub(r"\s+(?:Constabulary|Police Service|Police)$", "", label)
    return {"Metropolitan": "London", "City of London": "the City of London"}.get(area, area)


def load_forces(reference: Path) -> list[Force]:
    """The 43 territorial forces with the people who held their commissioner post."""
    posts = {r["id"]: r for r in _rows("posts.csv", reference)}
    people = _rows("people.csv", reference)
    forces = []
    for row in _rows("forces.csv", reference):
        if row["id"] == "british-transport-police":
            continue  # not territorial: no PCC
        area = _area(row["label"])
        holders = []
        for person in people:
            post = posts.get(person["holds"])
            desc = person["description"]
            own = post is not None and post["organisation"] == row["id"] and post["kind"] in ("pcc", "pfcc")
            london = row["id"] == "metropolitan-police-service" and "London's Deputy Mayor" in desc
            if not (own or london):
                continue
            if "Deputy Mayor" in desc:
                role = ("Deputy Mayor for Policing, Fire and Crime" if "Fire" in desc
                        else "Deputy Mayor for Policing and Crime")
            elif post is not None and post["kind"] == "pfcc" or "Police, Fire and Crime" in desc:
                role = f"Police, Fire and Crime Commissioner for {area}"
            else:
                role = f"Police and Crime Commissioner for {area}"
            found = terms(desc)
            if found:
                holders.append(Holder(person["label"], role, found))
        forces.append(Force(row["id"], row["label"], area, tuple(sorted(holders, key=lambda h: h.name))))
    return forces


def _date(text: str, rng: random.Random) -> dt.date:
    parts = [int(p) for p in text.split("-")] if text else []
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], rng.randint(1, 28))
    return dt.date(rng.randint(FIRST_YEAR, LAST_YEAR - 1), rng.randint(1, 12), rng.randint(1, 28))


def national_reports(reference: Path, seed: int) -> list[Report]:
    """The catalogue's reports that every force answers (consultations left out)."""
    out = []
    for row in _rows("reports.csv", reference):
        if row["kind"] == "inspection-programme":
            continue
        rng = random.Random(f"{seed}:{row['id']}")
        issued = _date(row["issued"], rng)
        if not FIRST_YEAR <= issued.year <= LAST_YEAR:
            continue
        out.append(Report(row["id"], row["label"], issued, row["kind"], row["programme"]))
    return out


OLD_GRADES = ("Outstanding", "Good", "Good", "Good", "Requires improvement", "Requires improvement", "Inadequate")
NEW_GRADES = ("Outstanding", "Good", "Good", "Adequate", "Adequate", "Adequate", "Requires improvement",
              "Requires improvement", "Inadequate")
QUESTIONS_2021 = (
    "Engaging with and treating the public with fairness and respect", "Preventing crime and anti-social behaviour",
    "Responding to the public", "Investigating crime", "Protecting vulnerable people",
    "Managing offenders and suspects", "Developing a positive workplace", "Good use of resources",
)
QUESTIONS_2023 = (
    "Police legitimacy", "Preventing crime", "Responding to the public", "Investigating crime",
    "Protecting vulnerable people", "Managing offenders", "Building, supporting and protecting the workforce",
    "Leadership and force management",
)
# (year, pillar, month published, title pattern, grade areas)
PEEL_ROUNDS = (
    (2014, "effectiveness", (2015, 3), "PEEL: Police effectiveness 2014 – {force}", ()),
    (2014, "efficiency", (2014, 11), "PEEL: Police efficiency 2014 – {force}", ()),
    (2015, "effectiveness", (2016, 2), "PEEL: Police effectiveness 2015 – {force}",
     ("Preventing crime and tackling anti-social behaviour", "Investigating crime and reducing re-offending",
      "Protecting vulnerable people", "Tackling serious and organised crime")),
    (2015, "efficiency", (2015, 10), "PEEL: Police efficiency 2015 – {force}", ("Efficiency",)),
    (2015, "legitimacy", (2016, 2), "PEEL: Police legitimacy 2015 – {force}", ("Legitimacy",)),
    (2016, "efficiency", (2016, 11), "PEEL: Police efficiency 2016 – {force}", ("Efficiency",)),
    (2016, "legitimacy", (2016, 12), "PEEL: Police legitimacy 2016 – {force}", ("Legitimacy",)),
    (2016, "effectiveness", (2017, 3), "PEEL: Police effectiveness 2016 – {force}", ("Effectiveness",)),
    (2017, "efficiency", (2017, 11), "PEEL: Police efficiency 2017 – {force}", ("Efficiency",)),
    (2017, "legitimacy", (2017, 12), "PEEL: Police legitimacy 2017 – {force}", ("Legitimacy",)),
    (2017, "effectiveness", (2018, 3), "PEEL: Police effectiveness 2017 – {force}", ("Effectiveness",)),
    (2019, "", (2019, 9), "PEEL: Police effectiveness, efficiency and legitimacy 2018/19 – {force}",
     ("Effectiveness", "Efficiency", "Legitimacy")),
    (2022, "", (2022, 3), "PEEL 2021/22: An inspection of {force}", QUESTIONS_2021),
    (2024, "", (2024, 6), "PEEL 2023–25: An inspection of {force}", QUESTIONS_2023),
)


def peel_reports(forces: list[Force], seed: int) -> list[Report]:
    """Each force's own PEEL reports with a grade per pillar or question."""
    out = []
    for force in forces:
        for year, pillar, (py, pm), pattern, areas in PEEL_ROUNDS:
            rng = random.Random(f"{seed}:{force.id}:{pattern}")
            month = min(12, pm + rng.randint(0, 5)) if year >= 2022 else pm
            issued = dt.date(py, month, rng.randint(1, 28))
            scale = NEW_GRADES if year >= 2022 else OLD_GRADES
            grades = tuple((area, rng.choice(scale)) for area in areas)
            slug = re.sub(r"[^a-z0-9]+", "-", pattern.format(force="").lower()).strip("-")
            out.append(Report(f"{slug}-{force.id}", pattern.format(force=force.label), issued, "peel", "PEEL",
                              force.id, pillar, grades))
    return out


def programmes(reference: Path) -> list[str]:
    """Programme names any force might mention (the West Mercia alliance's own left out)."""
    return [r["label"] for r in _rows("programmes.csv", reference)
            if "alliance" not in r["label"].lower() and "alliance" not in r["description"].lower()]


def home_secretaries(reference: Path) -> tuple[Holder, ...]:
    return tuple(Holder(r["label"], "Home Secretary", terms(r["description"])) for r in _rows("people.csv", reference)
                 if r["holds"] == "home-secretary" and terms(r["description"]))


# --------------------------------------------------------------------------- phrase banks

def day_text(d: dt.date, rng: random.Random) -> str:
    style = rng.randrange(4)
    if style == 0:
        suffix = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
        return f"{d.day}{suffix} {MONTHS[d.month - 1]} {d.year}"
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def counted(n: int, noun: str) -> str:
    """"4 recommendations", "1 area for improvement"."""
    if n == 1:
        return f"{n} {noun}"
    return f"{n} " + (noun.replace("area ", "areas ", 1) if noun.startswith("area ") else noun + "s")


def numeric(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


WELCOME = (
    "I welcome the inspectorate's report and the clear picture it gives of where {force} stands.",
    "I am grateful to the inspectorate for this report, which I have read closely with the Chief Constable.",
    "This report is a useful independent check on the service the public of {area} receive.",
    "I have considered the report carefully and discussed its findings with the Chief Constable.",
    "The report sets out findings that matter to everyone who lives and works in {area}.",
)
ASSURE = (
    "I am assured that the force has understood what the inspectors found and has a plan to respond.",
    "The Chief Constable has accepted the findings and I will hold him to account for the work that follows.",
    "I will scrutinise progress at my accountability meetings and publish what I find.",
    "My office will follow the force's action plan closely and report on it to the police and crime panel.",
    "Where the findings touch services I commission, my office will review them with our partners.",
)
TALLY = (
    "The report made {r} and identified {a}.",
    "HMICFRS made {r} and {a} for forces to consider.",
    "The inspectors made {r} and {a}, all of which the force has accepted.",
    "In all the report makes {r} and sets out {a}.",
)
COMMIT = (
    "I will ask the Chief Constable to report to me on each recommendation by {due}.",
    "I will ask the Chief Constable to set out how the force will meet these findings by {due}.",
    "I have asked the Chief Constable to bring a full action plan to my performance board by {due}.",
    "I will review the force's progress against every recommendation by {due}.",
)
PROGRAMME = (
    "The force's work on {programme} is already addressing part of what the inspectors describe.",
    "I have asked for an update on {programme}, which bears directly on these findings.",
    "Investment in {programme} will help the force respond to the report.",
    "The inspectors noted the contribution of {programme} to this area of work.",
)
QUOTE_OPEN = (
    "This report gives the people of {area} an honest account of how their police service is doing.",
    "I want everyone in {area} to be able to trust the service they receive, and this report helps me check that.",
    "The findings are a fair reflection of the work under way, and of what still needs to change.",
    "I will make sure the lessons from this inspection are acted on.",
)
GRADE_LEADS = (
    "The inspectorate graded the force as follows:",
    "The grades given to {force} were:",
    "The inspectors' judgements for {force} were:",
)
HEADLINES = (
    "Commissioner responds to ‘{title}’",
    "PCC welcomes ‘{title}’",
    "Response to ‘{title}’",
    "Commissioner's statement on ‘{title}’",
)
PEEL_HEADLINES = (
    "{force} PEEL inspection: Commissioner responds",
    "Commissioner comments on {force} PEEL report",
    "PEEL report on {force} published",
)
CHIEF_LINES = (
    "The force accepts the report's findings and has appointed a chief officer to lead the work.",
    "The Constabulary has reviewed its practice against the report and will report progress to the Commissioner.",
    "Work on the recommendations that apply to the force is already under way.",
)
TYPES = {"thematic": "National thematic", "joint-thematic": "Joint thematic", "national": "National",
         "peel-national": "PEEL national", "spotlight": "Spotlight report", "super-complaint": "Super-complaint",
         "peel": "PEEL force inspection"}


# --------------------------------------------------------------------------- responses


@dataclass(frozen=True)
class Response:
    force: Force
    report: Report
    shape: str
    date: dt.date
    holder: Holder | None


def _para(rng: random.Random, bank: tuple[str, ...], **values: str) -> str:
    return rng.choice(bank).format(**values)


def _grade_lines(report: Report, rng: random.Random, force: Force) -> list[str]:
    if not report.grades:
        return []
    lead = _para(rng, GRADE_LEADS, force=force.label)
    sep = rng.choice((": ", " – "))
    return [lead, *(f"{area}{sep}{grade}" for area, grade in report.grades)]


def _facts(resp: Response, rng: random.Random) -> list[str]:
    """Third-person paragraphs: the grades and the tally."""
    paras = []
    grades = _grade_lines(resp.report, rng, resp.force)
    if grades:
        paras.append("\n".join(grades))
    if rng.random() < 0.7:
        paras.append(_para(rng, TALLY, r=counted(rng.randint(1, 12), "recommendation"),
                           a=counted(rng.randint(1, 14), "area for improvement")))
    return paras


def _voice(resp: Response, rng: random.Random, progs: list[str]) -> list[str]:
    """First-person paragraphs: programme, commitment, assurance."""
    paras = []
    if rng.random() < 0.6:
        paras.append(_para(rng, PROGRAMME, programme=rng.choice(progs)))
    due = resp.date + dt.timedelta(days=rng.randint(60, 240))
    paras.append(_para(rng, COMMIT, due=day_text(due, rng)))
    paras.append(_para(rng, ASSURE))
    return paras


def _body(resp: Response, rng: random.Random, progs: list[str]) -> list[str]:
    """Paragraphs letters and forms share: welcome, grades, tally, programme, commitment, assurance."""
    f = resp.force
    return [_para(rng, WELCOME, force=f.label, area=f.area), *_facts(resp, rng), *_voice(resp, rng, progs)]


def _sign(resp: Response) -> list[str]:
    if resp.holder is None:
        return [f"Chair of the Police Authority Board, {resp.force.area}"]
    return [resp.holder.name, resp.holder.role]


def letter_text(resp: Response, rng: random.Random, progs: list[str], secretary: str) -> str:
    addressee = rng.random()
    if addressee < 0.8:
        head = [f"Rt Hon {secretary} MP", "Home Office", "2 Marsham Street", "London SW1P 4DF"]
        dear = "Dear Home Secretary,"
    else:
        head = ["HM Chief Inspector of Constabulary", "HMICFRS", "London"]
        dear = "Dear Chief Inspector,"
    date = rng.choice(("Date: {d}", "{d}"))
    subject = rng.choice(("HMICFRS INSPECTION: {t}", "Re: {t}", "Response to {t}", "{t}"))
    title = resp.report.title.upper() if subject.startswith("HMICFRS") else resp.report.title
    lines = [*head, "", date.format(d=day_text(resp.date, rng)), "", dear, "", subject.format(t=title), "",
             rng.choice(("As required by section 55 of the Police Act 1996, I set out my comments on this report.",
                         f"I write in response to the report published on {day_text(resp.report.issued, rng)}.",
                         "Thank you for the opportunity to comment on this report."))]
    for para in _body(resp, rng, progs):
        lines += ["", para]
    lines += ["", rng.choice(("Yours sincerely,", "Yours sincerely", "Yours faithfully,")), "", *_sign(resp)]
    return "\n".join(lines)


def statement_text(resp: Response, rng: random.Random, progs: list[str]) -> str:
    f, r = resp.force, resp.report
    office = (resp.holder.role if resp.holder else f"Police Authority Board, {f.area}")
    office = re.sub(r"^Deputy Mayor for (.*)$", rf"Office of the Mayor – \1 ({f.area})", office)
    dateline = rng.choice(("{d}", "News release – {d}", "Published: {d}", "Press release, {d}"))
    if r.force and rng.random() < 0.5:
        headline = _para(rng, PEEL_HEADLINES, force=f.label)
    else:
        headline = _para(rng, HEADLINES, title=r.title)
    lines = [office, dateline.format(d=day_text(resp.date, rng)), "", headline, ""]
    lines.append(rng.choice((
        "HM Inspectorate of Constabulary and Fire & Rescue Services published ‘{t}’ on {d}.",
        "The inspectorate's report ‘{t}’ was published on {d}.",
        "HMICFRS has published its report ‘{t}’ ({d}).",
    )).format(t=r.title, d=day_text(r.issued, rng)))
    for para in _facts(resp, rng):
        lines += ["", para]
    who = resp.holder.name if resp.holder else "The Chair of the Police Authority Board"
    speaker = rng.choice(("Commissioner {n} said", "{role} {n} said", "Commenting on the report, {n} said"))
    role = resp.holder.role.split(" for ")[0] if resp.holder else ""
    quote = _para(rng, QUOTE_OPEN, area=f.area) + " " + _para(rng, WELCOME, force=f.label, area=f.area)
    lines += ["", speaker.format(n=who, role=role) + f": “{quote}", "", "“" + " ".join(_voice(resp, rng, progs)) + "”"]
    return "\n".join(lines)


def form_text(resp: Response, rng: random.Random, progs: list[str]) -> str:
    f, r = resp.force, resp.report
    deadline = r.issued + dt.timedelta(days=56)
    office = (f"OFFICE OF THE {resp.holder.role.upper()}" if resp.holder
              else f"POLICE AUTHORITY BOARD, {f.area.upper()}")
    fields = [("Title of Inspection", r.title), ("Date Inspection Published", numeric(r.issued)),
              ("Deadline for Response", numeric(deadline)), ("Type of Inspection", TYPES.get(r.kind, "Thematic")),
              ("Date of Response", numeric(resp.date))]
    lines = [office, rng.choice(("Section 55 Response", "HMICFRS REPORT: PCC AND CHIEF CONSTABLE RESPONSE",
                                 "Response to HMICFRS inspection report under section 55 of the Police Act 1996"))]
    if rng.random() < 0.5:  # flattened, as PDF extraction leaves it
        lines.append("   ".join(f"{k}: {v}" for k, v in fields[:4]))
        lines.append(f"{fields[4][0]}: {fields[4][1]}")
    else:
        for k, v in fields:
            lines += ["", f"{k}:", v]
        lines.append("")
    lines += ["PCC comments:", "\n\n".join(_body(resp, rng, progs)), "", *_sign(resp), "",
              "Chief Constable's response:", rng.choice(CHIEF_LINES)]
    return "\n".join(lines)


# --------------------------------------------------------------------------- the archive


def plan(count: int, seed: int, reference: Path = REFERENCE) -> list[Response]:
    """``count`` responses: (force, report, shape, date), in a fixed order."""
    forces = load_forces(reference)
    national = national_reports(reference, seed)
    peel = peel_reports(forces, seed)
    pairs = [(f, r) for r in national for f in forces] + [(f, r) for r in peel for f in forces if f.id == r.force]
    pairs.sort(key=lambda p: (p[1].issued, p[1].id, p[0].id))
    rng = random.Random(seed)
    order = list(range(len(pairs)))
    out: list[Response] = []
    shapes = [s for s, w in SHAPES for _ in range(w)]
    round_ = 0
    while len(out) < count:
        rng.shuffle(order)
        for i in order[: count - len(out)]:
            force, report = pairs[i]
            date = report.issued + dt.timedelta(days=rng.randint(10, 70) + 30 * round_)
            date = min(date, dt.date(LAST_YEAR, 12, 31))
            out.append(Response(force, report, rng.choice(shapes), date, force.holder(date)))
        round_ += 1  # a second round: a force answering again (a follow-up) in another shape
    out.sort(key=lambda x: (x.force.id, x.date, x.report.id, x.shape))
    return out


def write_archive(out_dir: Path | str, count: int = 10_000, seed: int = 20130101,
                  reference: Path = REFERENCE) -> list[Path]:
    """Write the archive into ``out_dir``; the files written, in order."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    responses = plan(count, seed, reference)
    progs = programmes(reference)
    secretaries = home_secretaries(reference)
    rng = random.Random(f"{seed}:text")
    files: list[Path] = []
    i = 0
    while i < len(responses):
        resp = responses[i]
        group = [resp]
        if resp.shape == "letter":  # a file of a few letters from one office, as offices publish them
            want = rng.choice((1, 1, 2, 3, 4))
            j = i + 1
            while len(group) < want and j < len(responses) and responses[j].shape == "letter" \
                    and responses[j].force is resp.force:
                group.append(responses[j])
                j += 1
        texts = []
        for r in group:
            if r.shape == "letter":
                secretary = holder_on(secretaries, r.date)
                texts.append(letter_text(r, rng, progs, secretary.name if secretary else "Home Secretary"))
            elif r.shape == "statement":
                texts.append(statement_text(r, rng, progs))
            else:
                texts.append(form_text(r, rng, progs))
        n = len(files)
        path = out / f"{n:05d}-{resp.force.id}-{resp.date.isoformat()}-{resp.shape}.txt"
        path.write_text(MARK.format(seed=seed, n=n) + "\n\n" + "\n\n\n".join(texts) + "\n", encoding="utf-8")
        files.append(path)
        i += len(group)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=10_000, help="responses to write (default 10,000)")
    parser.add_argument("--seed", type=int, default=20130101)
    parser.add_argument("--reference", type=Path, default=REFERENCE)
    args = parser.parse_args(argv)
    files = write_archive(args.out_dir, args.count, args.seed, args.reference)
    print(f"wrote {args.count} SYNTHETIC responses in {len(files)} files to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
