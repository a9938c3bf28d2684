"""Stage 4: one identity per real thing across all letters.

Gives each letter a stable id, merges reports named by several letters, and
collects the entities the graph needs (reference entities that are named,
entities discovered in the text, and the ones they point to).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .extract.findings import add_months, canonical_label
from .model import Entity, EntityType, Extraction
from .reference import Gazetteer, normalise
from .vocab import slugify


@dataclass(frozen=True, slots=True)
class Report:
    """An inspection report as the letters name it."""

    id: str
    title: str
    issued: str = ""
    inspects: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    scope: str = ""  # "force", "national" or ""
    kind: str = ""  # from the report catalogue: thematic, national, peel-national …
    programme: str = ""  # "PEEL", "Crime data integrity" …
    pillar: str = ""  # a PEEL pillar: effectiveness, efficiency, legitimacy, leadership
    period: str = ""  # the year or period the report covers: "2016", "2021/22"
    catalogue_title: str = ""  # the title as the inspectorate published it, when the catalogue knows it


@dataclass(slots=True)
class Resolved:
    """The whole corpus ready to become a graph.

    ``report_alias`` maps the key of a report as cited in a body ("PEEL
    Vulnerability") to the report it names when another letter answers it.
    """

    extractions: list[Extraction]
    letter_ids: list[str]
    reports: dict[str, Report] = field(default_factory=dict)
    entities: dict[tuple[EntityType, str], Entity] = field(default_factory=dict)
    report_alias: dict[str, str] = field(default_factory=dict)
    findings: dict[str, Finding] = field(default_factory=dict)
    finding_alias: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # the report catalogue (reference data): every national report the inspectorates published
    catalogue: dict[str, Entity] = field(default_factory=dict)

    def finding_id(self, report: str, kind: str, number: str, text: str = "") -> str:
        """The id of the finding a fact names: by report, kind and number, else by its text."""
        report = self.report_id(report)
        if number:
            return self.finding_alias.get((report, kind, number), "")
        return self.finding_alias.get((report, kind, "text:" + _text_key(text)), "")

    def report_id(self, key: str) -> str:
        """The canonical id of a report key."""
        return self.report_alias.get(key, key)


@dataclass(frozen=True, slots=True)
class Finding:
    """One recommendation, area for improvement or cause of concern of one report, however
    many documents state or quote it."""

    id: str  # "<report id>/<kind slug>-<number>", e.g. "…/recommendation-3"
    report: str
    kind: str  # "recommendation", "area for improvement", "cause of concern"
    number: str  # "" when the finding is known only by its text
    label: str  # "Recommendation 3"
    text: str = ""
    due: str = ""  # ISO date
    due_text: str = ""  # the deadline as written ("within six months")
    addressee: str = ""  # as written ("chief constables")
    addressee_ids: tuple[str, ...] = ()  # "organisation:home-office" …
    labels: tuple[str, ...] = ()  # every label as written ("AFI 2", "Area for improvement 2")


FINDING_SIMILARITY = 90  # rapidfuzz token_sort_ratio at or above which two texts are one finding


def _text_key(text: str) -> str:
    return slugify(text, max_length=60)


def resolve_findings(extractions: list[Extraction], resolved: Resolved) -> None:
    """One node per finding across the archive.

    Findings are keyed by report, kind and number; a finding quoted without a number joins
    the finding of the same report and kind whose text is similar enough (rapidfuzz, at least
    :data:`FINDING_SIMILARITY`), else stands alone under its text. Two different numbers of one
    report are never merged. "Within six months" becomes a date when the report's publication
    date is known.
    """
    groups: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    unnumbered: list[dict[str, str]] = []
    for extraction in extractions:
        for f in extraction.facts:
            if f.kind != "finding":
                continue
            values = dict(f.values)
            values["report"] = resolved.report_id(values["report"])
            if values.get("number"):
                groups[(values["report"], values["finding_kind"], values["number"])].append(values)
            elif values.get("text"):
                unnumbered.append(values)
    by_kind: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)  # the groups of a report and kind
    for key in groups:
        by_kind[(key[0], key[1])].append(key)
    for values in unnumbered:
        candidates = [
            (fuzz.token_sort_ratio(values["text"], v["text"]), key)
            for key in by_kind[(values["report"], values["finding_kind"])]
            for v in groups[key]
            if v.get("text")
        ]
        best = max(candidates, default=(0.0, None))
        if best[1] is not None and best[0] >= FINDING_SIMILARITY:
            groups[best[1]].append(values)
        else:
            key = (values["report"], values["finding_kind"], "text:" + _text_key(values["text"]))
            if key not in groups:
                by_kind[(key[0], key[1])].append(key)
            groups[key].append(values)
    for (report, kind, number), seen in sorted(groups.items()):
        # the report's own words first, then the longest quotation
        seen.sort(key=lambda v: (v.get("source") != "report", -len(v.get("text", ""))))
        first = seen[0]
        text = first.get("text", "")
        due = next((v["due"] for v in seen if v.get("due")), "")
        due_text = next((v["due_text"] for v in seen if v.get("due_text")), "")
        months = next((int(v["due_months"]) for v in seen if v.get("due_months")), 0)
        issued = resolved.reports[report].issued if report in resolved.reports else ""
        if not due and months and len(issued) == 10:
            due = add_months(issued, months)
        is_number = not number.startswith("text:")
        slug = f"{slugify(kind)}-{number}" if is_number else f"{slugify(kind)}-{number[5:]}"
        finding = Finding(
            id=f"{report}/{slug}",
            report=report,
            kind=kind,
            number=number if is_number else "",
            label=canonical_label(kind, number if is_number else ""),
            text=text,
            due=due,
            due_text=due_text,
            addressee=next((v["addressee"] for v in seen if v.get("addressee")), ""),
            addressee_ids=tuple(sorted({i for v in seen for i in v.get("addressee_ids", "").split("|") if i})),
            labels=tuple(sorted({v["label"] for v in seen if v.get("label")})),
        )
        resolved.findings[finding.id] = finding
        resolved.finding_alias[(report, kind, number)] = finding.id
        for v in seen:
            if not v.get("number"):
                resolved.finding_alias[(report, kind, "text:" + _text_key(v["text"]))] = finding.id


@functools.lru_cache(maxsize=65_536)
def _title_words(title: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """A title's words in order and as a set, computed once per title (known titles recur)."""
    words = tuple(t for t in re.split(r"[^a-z0-9]+", normalise(title).replace("'", "")) if t)
    return words, frozenset(words)


def cited_report(title: str, known: dict[str, str]) -> str | None:
    """The known report (key -> title) a cited title names, if exactly one fits.

    A cited title fits when all its words occur in the known title and both
    start with the same word ("PEEL Vulnerability" -> "PEEL: Police Effectiveness
    2015 (vulnerability)"), so "Everyone's business" does not fit "Increasingly
    everyone's business".
    """
    cited, cited_set = _title_words(title)
    if len(cited) < 2:
        return None
    fits = []
    for key, known_title in known.items():
        words, word_set = _title_words(known_title)
        if words and words[0] == cited[0] and cited_set <= word_set:
            fits.append(key)
    return fits[0] if len(fits) == 1 else None


def letter_slug(extraction: Extraction) -> str:
    """``<date>-<first report title>``, e.g. ``2014-10-02-core-business-inspection-report``."""
    facts = extraction.facts
    date = next((f.get("iso") for f in facts if f.kind == "date"), "undated")
    title = next((f.get("title") for f in facts if f.kind == "responds_to"), "letter")
    return f"{date}-{slugify(title, max_length=60)}"


ORGANISATION_TYPES = (EntityType.FORCE, EntityType.INSPECTORATE, EntityType.ORGANISATION, EntityType.UNIT)


def organisation_of(entity: Entity, gazetteer: Gazetteer) -> Entity | None:
    """The force or body a post belongs to (its ``organisation`` column), whatever its kind."""
    key = entity.attr("organisation")
    if not key:
        return None
    for type_ in ORGANISATION_TYPES:
        found = gazetteer.get(type_, key)
        if found:
            return found
    return None


def _related(entity: Entity, gazetteer: Gazetteer) -> list[Entity]:
    """Entities an entity points to in the reference data (post -> force, alliance -> forces …)."""
    out: list[Entity] = []
    organisation = organisation_of(entity, gazetteer)
    if organisation is not None:
        out.append(organisation)
    for key, type_ in (
        ("holds", EntityType.POST),
        ("parent", EntityType.FORCE),
        ("broader", EntityType.TOPIC),
    ):
        if entity.attr(key):
            found = gazetteer.get(type_, entity.attr(key))
            if found:
                out.append(found)
    for member in entity.attr("members").split("|"):
        found = gazetteer.get(EntityType.FORCE, member.strip()) if member.strip() else None
        if found:
            out.append(found)
    return out


def resolve(extractions: list[Extraction], gazetteer: Gazetteer) -> Resolved:
    """Merge the per-letter extractions into one corpus-wide set of identities."""
    ordered = sorted(
        extractions, key=lambda x: (x.letter.raw.source, x.letter.raw.index)
    )
    ids: list[str] = []
    seen: dict[str, int] = defaultdict(int)
    for extraction in ordered:
        slug = letter_slug(extraction)
        seen[slug] += 1
        ids.append(slug if seen[slug] == 1 else f"{slug}-{seen[slug]}")
    resolved = Resolved(ordered, ids)

    answered = {
        f.get("report"): f.get("title") for x in ordered for f in x.facts if f.kind == "responds_to"
    }
    for extraction in ordered:
        for f in extraction.facts:
            if f.kind == "cites" and f.get("report") not in answered:
                target = cited_report(f.get("title"), answered)
                if target:
                    resolved.report_alias[f.get("report")] = target
    by_report: dict[str, list[tuple[str, dict[str, str]]]] = defaultdict(list)
    for extraction in ordered:
        date = next((f.get("iso") for f in extraction.facts if f.kind == "date"), "9999")
        for f in extraction.facts:
            if f.kind == "responds_to" or (f.kind == "cites" and f.get("report") not in resolved.report_alias):
                by_report[f.get("report")].append((date, dict(f.values)))
    cited_issued: dict[str, str] = {}  # report -> the first publication date a citation of an alias gives
    for extraction in ordered:
        for f in extraction.facts:
            if f.kind == "cites" and f.get("issued"):
                target = resolved.report_alias.get(f.get("report"))
                if target is not None:
                    cited_issued.setdefault(target, f.get("issued"))
    for key, seen_as in sorted(by_report.items()):
        seen_as.sort(key=lambda item: item[0])
        titled = [v for _, v in seen_as if v.get("title")]
        # the fullest title any response gives ("Stolen freedom" in a headline, the whole title in another)
        first = max(titled, key=lambda v: len(v["title"])) if len({v["title"] for v in titled}) > 1 else (titled or [seen_as[0][1]])[0]
        inspects = tuple(sorted({i for _, v in seen_as for i in v.get("inspects", "").split("|") if i}))
        publishers = tuple(sorted({p for _, v in seen_as for p in v.get("publishers", "").split("|") if p}))
        scopes = {v["scope"] for _, v in seen_as if v.get("scope")}
        scope = "force" if inspects else ("national" if "national" in scopes else "")
        if len(inspects) > 1:
            scope = "force"
        issued = next((v["issued"] for _, v in seen_as if v.get("issued")), "")
        if not issued:  # "The PEEL Vulnerability report, published in December 2015"
            issued = cited_issued.get(key, "")
        def seen(field: str) -> str:
            return next((v[field] for _, v in seen_as if v.get(field)), "")

        resolved.reports[key] = Report(
            key, first.get("title", key), issued, inspects, publishers, scope,
            seen("report_kind"), seen("programme"), seen("pillar"), seen("period"), seen("catalogue_title"),
        )
    resolve_findings(ordered, resolved)

    pending: list[Entity] = []
    for extraction in ordered:
        for mention in extraction.mentions:
            if mention.type is EntityType.REPORT:
                continue
            entity = gazetteer.get(mention.type, mention.entity_id)
            if entity is None:
                entity = next(
                    (e for e in extraction.entities if e.type is mention.type and e.id == mention.entity_id),
                    None,
                )
            if entity is not None:
                pending.append(entity)
        for f in extraction.facts:
            for key, type_ in (("force", EntityType.FORCE), ("post", EntityType.POST), ("person", EntityType.PERSON)):
                if f.get(key):
                    entity = gazetteer.get(type_, f.get(key)) or next(
                        (e for e in extraction.entities if e.type is type_ and e.id == f.get(key)), None
                    )
                    if entity is not None:
                        pending.append(entity)
    for report in resolved.reports.values():
        for force_id in report.inspects:
            entity = gazetteer.get(EntityType.FORCE, force_id)
            if entity:
                pending.append(entity)
        for inspectorate in report.publishers:
            entity = gazetteer.get(EntityType.INSPECTORATE, inspectorate)
            if entity:
                pending.append(entity)
    resolved.catalogue = {e.id: e for e in gazetteer.of_type(EntityType.REPORT)}
    while pending:
        entity = pending.pop()
        key = (entity.type, entity.id)
        if key in resolved.entities:
            continue
        resolved.entities[key] = entity
        pending.extend(_related(entity, gazetteer))
    return resolved
