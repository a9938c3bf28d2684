"""Facts from a letter's header and sign-off: date, reports answered, people, posts, force."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date as _date

from rapidfuzz import fuzz, process

from ..model import DocumentKind, Entity, EntityType, Fact, Mention, NameRef, ParsedLetter, Span, TitleRef
from ..reference import Gazetteer, PeelRound, normalise
from ..vocab import slugify


def fact(kind: str, span: Span, rule: str, **values: str) -> Fact:
    """A fact with its fields sorted, so facts compare and sort stably."""
    # a value wrapped over lines (text from a PDF) is stored on one line
    return Fact(kind, span, tuple(sorted((k, re.sub(r"\s*\n\s*", " ", v)) for k, v in values.items() if v)), rule)


def report_key(title: str) -> str:
    """The id of a report from its title: case, quotes and punctuation folded."""
    text = normalise(title).replace("&", " and ")
    text = re.sub(r"\s*\b(?:an )?inspection of (?:the )?[\w' ]+? (?:police|constabulary)$", "", text)
    return slugify(text)


def _name_pattern(name: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s\-–]+", name.strip()) if w]
    return r"(?<![\w])" + r"[\s\-–]+".join(words) + r"(?![\w])"


def find_forces(text: str, gazetteer: Gazetteer, start: int = 0, end: int | None = None) -> list[tuple[Span, Entity]]:
    """Spans naming a force by label or alias, longest match first, no overlaps."""
    return find_names(text, gazetteer, (EntityType.FORCE,), start, end)


_SEPARATOR = re.compile(r"[\s\-–]+")


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation of ``words`` folded into a trie: a position is tried once per
    character whatever the number of words."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


class _NameIndex:
    """The names of some entity types, compiled once per gazetteer.

    Every name keeps its own pattern (whitespace and hyphens between words may vary,
    case is ignored). One prefilter regex over the names' first words finds the only
    places where a name can start; only the names with that first word are tried there.
    """

    def __init__(self, gazetteer: Gazetteer, types: tuple[EntityType, ...]) -> None:
        self.size = len(gazetteer)
        self.names: list[tuple[Entity, re.Pattern[str]]] = []
        by_first: dict[str, list[int]] = {}
        for entity in gazetteer.of_type(*types):
            for name in sorted({entity.label, *entity.aliases}, key=len, reverse=True):
                words = [w for w in _SEPARATOR.split(name.strip()) if w]
                if not words:
                    continue
                by_first.setdefault(words[0].lower(), []).append(len(self.names))
                self.names.append((entity, re.compile(_name_pattern(name), re.IGNORECASE)))
        firsts = sorted(by_first)
        # The prefilter finds the longest first word at a place; a shorter one that is its
        # prefix may start a name there too, so its names are tried as well.
        self.by_first = {
            word: sorted({k for other in firsts if word.startswith(other) for k in by_first[other]})
            for word in firsts
        }
        self.every = list(range(len(self.names)))
        trie = _trie_pattern(firsts)
        # ASCII text is lower-cased once and scanned case-sensitively (several times faster);
        # other text is scanned ignoring case, as the name patterns are matched.
        self.ascii = all(w.isascii() for w in firsts)
        self.prefilter = re.compile(rf"(?<![\w])(?=({trie})(?![\w]))") if firsts else None
        self.prefilter_i = re.compile(rf"(?<![\w])(?=({trie})(?![\w]))", re.IGNORECASE) if firsts else None

    def candidates(self, text: str) -> Iterator[tuple[int, list[int]]]:
        """(position, names that may start there), in order of position."""
        if self.prefilter is None or self.prefilter_i is None:
            return
        if self.ascii and text.isascii():
            scan = self.prefilter.finditer(text.lower())
        else:
            scan = self.prefilter_i.finditer(text)
        for m in scan:
            yield m.start(), self.by_first.get(m.group(1).lower(), self.every)


# The last few indexes built (a gazetteer has slots, so it holds no cache of its own and
# takes no weak reference): builds and tests use one or two gazetteers at a time.
_INDEXES: list[tuple[Gazetteer, tuple[EntityType, ...], _NameIndex]] = []
_INDEXES_KEPT = 16


def _name_index(gazetteer: Gazetteer, types: tuple[EntityType, ...]) -> _NameIndex:
    for n, (kept, kept_types, index) in enumerate(_INDEXES):
        if kept is gazetteer and kept_types == types and index.size == len(gazetteer):
            if n:
                _INDEXES.insert(0, _INDEXES.pop(n))
            return index
    index = _NameIndex(gazetteer, types)
    _INDEXES.insert(0, (gazetteer, types, index))
    del _INDEXES[_INDEXES_KEPT:]
    return index


def find_names(
    text: str, gazetteer: Gazetteer, types: tuple[EntityType, ...], start: int = 0, end: int | None = None
) -> list[tuple[Span, Entity]]:
    """Spans naming an entity of ``types`` by label or alias, longest first, no overlaps.

    Every name's matches are found as ``re.finditer`` would (left to right, one name's
    matches not overlapping each other); of all of them the longest win, then the earliest.
    The cost grows with the length of ``text[start:end]``, not with the number of names.
    """
    end = len(text) if end is None else end
    zone = text[start:end]
    index = _name_index(gazetteer, tuple(types))
    hits: list[tuple[Span, Entity]] = []
    resume: dict[int, int] = {}  # name -> where its previous match ended
    for at, names in index.candidates(zone):
        for k in names:
            if at < resume.get(k, 0):
                continue
            m = index.names[k][1].match(zone, at)
            if m:
                resume[k] = m.end()
                hits.append((Span(start + at, start + m.end()), index.names[k][0]))
    hits.sort(key=lambda h: (-(h[0].end - h[0].start), h[0].start))
    # chosen spans never overlap, so sorted by start they are sorted by end too
    starts: list[int] = []
    ends: list[int] = []
    chosen: list[tuple[Span, Entity]] = []
    for span, entity in hits:
        i = bisect_left(starts, span.start)
        if (i > 0 and ends[i - 1] > span.start) or (i < len(starts) and starts[i] < span.end):
            continue
        starts.insert(i, span.start)
        ends.insert(i, span.end)
        chosen.append((span, entity))
    return sorted(chosen, key=lambda h: h[0])


def force_named(name: str, gazetteer: Gazetteer) -> Entity | None:
    """The force a phrase such as "West Mercia" or "Gwent Police" names, if any."""
    name = re.sub(r"^(?:the)\s+", "", name.strip(), flags=re.I)
    for candidate in (name, f"{name} Police", f"{name} Constabulary", f"{name} Police Service"):
        found = gazetteer.lookup(candidate, EntityType.FORCE)
        if found:
            return found
    hits = find_forces(name, gazetteer)
    return hits[0][1] if len(hits) == 1 else None


def _person(ref: NameRef, gazetteer: Gazetteer) -> tuple[Entity, bool]:
    """The person a name refers to, and whether it was discovered (not in the data)."""
    found = gazetteer.lookup(ref.text, EntityType.PERSON)
    if found:
        return found, False
    name = ref.text
    if ref.role_text and name.startswith(ref.role_text):
        name = name[len(ref.role_text) :].strip()
        found = gazetteer.lookup(name, EntityType.PERSON)
        if found:
            return found, False
    return Entity(EntityType.PERSON, slugify(name), name, discovered=True), True


def header_extraction(letter: ParsedLetter, gazetteer: Gazetteer) -> tuple[list[Mention], list[Fact], list[Entity]]:
    """Mentions, facts and discovered entities from the header and sign-off."""
    text = letter.text
    mentions: list[Mention] = []
    facts: list[Fact] = []
    found: list[Entity] = []

    def mention(span: Span, entity: Entity, rule: str) -> None:
        if span.end > span.start:  # a name read from elsewhere on the page has no span here
            mentions.append(
                Mention(span, entity.type, entity.id, text[span.start : span.end], rule, entity.discovered)
            )
        if entity.discovered:
            found.append(entity)

    if letter.date:
        facts.append(
            fact("date", letter.date.span, "header-date", iso=letter.date.iso, precision=letter.date.precision.value,
                 source=letter.date_source)
        )
    if letter.deadline:
        facts.append(fact("deadline", letter.deadline.span, "form-deadline", iso=letter.deadline.iso))
    if letter.partial_date:
        facts.append(fact("date_text", letter.partial_date, "yearless-date",
                          text=letter.partial_date.slice(text)))

    # The letter's force: signature title, the signatory's post, report titles, then the text.
    force: Entity | None = None
    force_span: Span | None = None
    signatory: Entity | None = None
    signatory_span = letter.signatory.span if letter.signatory else letter.body
    if letter.signatory:
        signatory, _ = _person(letter.signatory, gazetteer)
        rule = "signatory" if letter.kind is DocumentKind.LETTER else "speaker"
        mention(letter.signatory.span, signatory, rule)
        facts.append(fact("creator", letter.signatory.span, rule, person=signatory.id))
    elif letter.kind is not DocumentKind.LETTER:
        named = _named_commissioner(letter, gazetteer)
        if named is not None:
            span, signatory = named
            signatory_span = span
            mention(span, signatory, "named-commissioner")
            facts.append(fact("creator", span, "named-commissioner", person=signatory.id))
    post: Entity | None = None
    for title in letter.signatory_titles:
        for m in (
            re.search(r"\bfor\s+(?:the\s+)?(?P<area>.+)$", title.text),
            re.match(r"^(?:the\s+)?(?P<area>[A-Z][\w&' -]*?)(?:['’]s)?\s+(?:Police(?:,)? (?:Fire )?(?:and )?Crime )?(?:Commissioner|PCC|PFCC)\b", title.text),
        ):
            if m and force is None:
                force = force_named(m.group("area"), gazetteer)
                if force:
                    force_span = Span(title.span.start + m.start("area"), title.span.start + m.end("area"))
    if signatory and signatory.attr("holds"):
        post = gazetteer.get(EntityType.POST, signatory.attr("holds"))
        if post and force is None and post.attr("organisation"):
            force = gazetteer.get(EntityType.FORCE, post.attr("organisation"))
    if force is None:
        for ref in letter.titles:
            if ref.inspects_hint:
                force = force_named(ref.inspects_hint, gazetteer)
                if force:
                    break
    if force is None:
        force = _force_from_text(letter, gazetteer)
    if force is not None:
        facts.append(fact("concerns_force", force_span or letter.body, "letter-force", force=force.id))
    facts.extend(_respondent_force(letter, gazetteer, force, force_span))

    # The signatory's post: stated title, else the one the reference data gives.
    for title in letter.signatory_titles:
        t = title.text.lower()
        kind = None
        if "fire" in t and "commissioner" in t or re.search(r"\bpfcc\b", t):
            kind = "pfcc"
        elif "deputy" in t:
            kind = "deputy-pcc"
        elif "commissioner" in t or re.search(r"\bpcc\b", t):
            kind = "pcc"
        if kind and force is not None:
            stated = gazetteer.get(EntityType.POST, f"{kind}-{force.id}")
            if stated:
                post = stated
                mention(title.span, stated, "signatory-title")
    if signatory and post:
        span = letter.signatory_titles[0].span if letter.signatory_titles else signatory_span
        facts.append(fact("holds", span, "signatory-post", person=signatory.id, post=post.id))

    if letter.addressee:
        person, _ = _person(letter.addressee, gazetteer)
        mention(letter.addressee.span, person, "addressee")
        facts.append(fact("addressed_to", letter.addressee.span, "addressee", person=person.id))
    if letter.salutation:
        name = re.sub(r"^\W*Dear\s+", "", letter.salutation.text)
        post_entity = gazetteer.lookup(name, EntityType.POST)
        if post_entity:
            s = letter.salutation.span.start + letter.salutation.text.index(name)
            span = Span(s, s + len(name))
            mention(span, post_entity, "salutation")
            facts.append(fact("addressed_to_post", span, "salutation", post=post_entity.id))

    for ref in letter.copied_to:
        target = gazetteer.lookup(ref.text, EntityType.INSPECTORATE, EntityType.POST, EntityType.ORGANISATION)
        if target is None:
            target, _ = _person(ref, gazetteer)
        mention(ref.span, target, "cc")
        if ref.role_text:
            role_post = gazetteer.lookup(ref.role_text, EntityType.POST)
            if role_post:
                mention(Span(ref.span.start, ref.span.start + len(ref.role_text)), role_post, "cc-role")
        facts.append(fact("copied_to", ref.span, "cc", type=target.type.value, id=target.id))

    publishers = _publishers(letter, gazetteer)
    titles = list(letter.titles) or _catalogue_titles(letter, gazetteer)
    titles = [_complete_description(t, letter, gazetteer, force) if t.described else t for t in titles]
    for ref in titles:
        known = None
        if not (ref.inspects_hint or find_forces(ref.title, gazetteer) or _FORCE_SPECIFIC.search(ref.title)):
            known = catalogue_report(ref.title, gazetteer, by_topic=ref.rule not in _AS_WRITTEN)  # national and thematic only
        if known is None and ref.rule == "page-address":
            continue  # an address's words name a report only when the catalogue knows it
        if known is not None:
            facts.append(
                fact("responds_to", ref.span, "report-catalogue", report=known.id,
                     title=ref.title if ref.rule in _AS_WRITTEN else known.label, catalogue_title=known.label,
                     issued=ref.issued or known.attr("issued"), scope="national",
                     publishers="|".join(sorted(p for p in known.attr("publisher").split("|") if p)) or "|".join(publishers),
                     report_kind=known.attr("kind"), programme=known.attr("programme"))
            )
            continue
        key = report_key(ref.title)
        hint_force = force_named(ref.inspects_hint, gazetteer) if ref.inspects_hint else None
        inspected = {f.id for _, f in find_forces(ref.title, gazetteer)}
        if inspected:
            # "custody suites in Warwickshire and West Mercia": counties next to a force name
            for _, place in find_names(ref.title, gazetteer, (EntityType.PLACE,)):
                named = force_named(place.label, gazetteer)
                if named:
                    inspected.add(named.id)
        if hint_force:
            inspected.add(hint_force.id)
        opening = text[letter.body.start : letter.body.start + 800] if len(letter.titles) == 1 else ""
        if not inspected and force is not None and _force_specific(ref.title, opening, force):
            inspected.add(force.id)
        inspects = "|".join(sorted(inspected))
        for force_id in sorted(inspected):
            if force_id not in key and _area_slug(force_id) not in key:
                # "PEEL 2021/22" is a different report for every force: key it by force.
                key = f"{key}-{force_id}"
        scope = "force" if inspects else ("national" if _national(ref.title, text, letter) else "")
        facts.append(
            fact(
                "responds_to",
                ref.span,
                ref.rule,
                report=key,
                title=ref.title,
                issued=ref.issued or "",
                inspects=inspects,
                scope=scope,
                publishers="|".join(publishers),
                **_programme(ref.title),
            )
        )
    return mentions, facts, found


def peel_round(gazetteer: Gazetteer, pillar: str, date: str) -> PeelRound | None:
    """The PEEL round whose force reports were published around ``date`` (up to 90 days
    before the response), of the given pillar ("" for an integrated round)."""
    if len(date) < 7:
        return None
    day = date if len(date) == 10 else date + "-15"
    for r in gazetteer.peel_rounds:
        if r.pillar != pillar:
            continue
        if r.first_published <= day and _days_between(r.last_published, day) <= 120:
            return r
    return None


def _days_between(a: str, b: str) -> int:
    return (_date.fromisoformat(b) - _date.fromisoformat(a)).days


def _complete_description(ref: TitleRef, letter: ParsedLetter, gazetteer: Gazetteer, force: Entity | None) -> TitleRef:
    """A described report as the inspectorate titles it: the year from the PEEL round the
    response's date falls in (never guessed without a date), and the force inspected."""
    m = re.fullmatch(r"PEEL(?::\s+Police\s+(?P<pillar>\w+))?(?:\s+(?P<year>\S+))?", ref.title)
    title = ref.title
    if m and not m.group("year") and letter.date is not None:
        found = peel_round(gazetteer, m.group("pillar") or "", letter.date.iso)
        if found is not None:
            title = found.label
    elif m and m.group("year") and not m.group("pillar"):
        year = m.group("year")
        found = next((r for r in gazetteer.peel_rounds if not r.pillar and (r.period == year or r.period.startswith(year[:4] + "/") or r.period.startswith(year[:4] + "–"))), None)
        found = found or next((r for r in gazetteer.peel_rounds if not r.pillar and r.period == year[:4]), None)
        title = found.label if found is not None else title
    if title == "PEEL":
        title = "PEEL inspection"
    # the force is not written into the title: the report node is keyed by it and inspects it
    return replace(ref, title=title, inspects_hint=force.label if force is not None else None)


_PEEL_TITLE = re.compile(
    r"\bPEEL\b(?:[^\n]*?\b(?P<pillar>effectiveness|efficiency|legitimacy|leadership)\b)?(?:[^\n]*?(?P<year>(?:19|20)\d\d(?:/\d\d)?))?",
    re.IGNORECASE,
)


def _programme(title: str) -> dict[str, str]:
    """Programme, pillar and period of a PEEL report, from its title."""
    m = _PEEL_TITLE.search(title)
    if not m:
        return {}
    pillar = (m.group("pillar") or "").lower()
    lowered = title.lower()
    if "vulnerab" in lowered:
        pillar = "effectiveness"
    if all(word in lowered for word in ("effectiveness", "efficiency", "legitimacy")):
        pillar = ""  # an integrated PEEL inspection covers all three
    return {"programme": "PEEL", "pillar": pillar, "period": m.group("year") or ""}


# titles written out in full (a subject line, a quoted or labelled title): kept as written
_AS_WRITTEN = ("subject-line", "quoted-title", "labelled-field", "section-heading")


def catalogue_report(title: str, gazetteer: Gazetteer, *, by_topic: bool = False) -> Entity | None:
    """The national or thematic report of the catalogue (data/reference/reports.csv) a title names.

    Exact (normalised) title or alias first; else a close fuzzy match on the whole title.
    """
    found = gazetteer.lookup(title, EntityType.REPORT)
    if found is not None:
        return found
    bare = re.sub(r"^(?:the\s+)?(?:hmic(?:frs)?(?:['’]s)?\s+)?", "", title.strip(), flags=re.I)
    found = gazetteer.lookup(bare, EntityType.REPORT)
    if found is not None:
        return found
    names = gazetteer.report_names
    if not names or len(bare) < 12:
        return None
    best = process.extractOne(normalise(bare), list(names), scorer=fuzz.ratio, score_cutoff=92)
    if best:
        return names[best[0]]
    # a headline that names the report by its topic only ("roads policing inspection")
    return _described_catalogue_report(bare, names) if by_topic else None


_TOPIC_STOP = {
    "the", "a", "an", "of", "in", "on", "into", "and", "to", "for", "hmic", "hmicfrs", "national", "thematic",
    "inspection", "inspections", "report", "reports", "review", "latest", "new", "police", "policing", "service",
    "england", "wales", "final", "interim", "joint", "s", "response", "its", "their", "inspectorate",
}


def _topic_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", normalise(text)) if w not in _TOPIC_STOP and len(w) > 2}


def _described_catalogue_report(title: str, names: dict[str, Entity]) -> Entity | None:
    """A headline that names a national report by its topic ("roads policing inspection",
    "national inspection of vetting, misconduct and misogyny"): the one catalogue report whose
    title holds all its topic words, if exactly one does."""
    words = _topic_words(title)
    if not words or (len(words) == 1 and len(next(iter(words))) < 5):
        return None
    fits = {e.id: e for name, e in names.items() if words <= _topic_words(name)}
    if len(fits) == 1:
        return next(iter(fits.values()))
    # several (an interim and a final report): the one whose own title words are fewest beyond the topic
    if fits:
        ranked = sorted(fits.values(), key=lambda e: (len(_topic_words(e.label) - words), e.id))
        if len(_topic_words(ranked[0].label) - words) < len(_topic_words(ranked[1].label) - words):
            return ranked[0]
    return None


def _catalogue_titles(letter: ParsedLetter, gazetteer: Gazetteer) -> list[TitleRef]:
    """A statement that names no title in a title-shaped place: a catalogue report named in its opening."""
    if letter.kind is DocumentKind.LETTER:
        return []
    text = letter.text
    end = min(len(text), letter.body.start + 1500)
    hits = [(span, e) for span, e in find_names(text, gazetteer, (EntityType.REPORT,), 0, end) if span.end - span.start >= 12]
    if not hits:
        return []
    span, _ = hits[0]
    return [TitleRef(text[span.start : span.end], span, span)]


_OFFICE_AREA = re.compile(r"^(?:the\s+)?(?:office\s+of\s+the\s+)?(?:police(?:,)?\s+(?:fire\s+and\s+)?(?:and\s+)?crime\s+commissioner\s+(?:for\s+)?)?", re.I)


_COMMISSIONER_POSTS = ("pcc", "pfcc", "deputy-pcc", "mayor", "deputy-mayor")


def _named_commissioner(letter: ParsedLetter, gazetteer: Gazetteer) -> tuple[Span, Entity] | None:
    """A statement that quotes its commissioner without a title beside the name ("Matthew Scott
    was commenting …"): the first person the reference data knows as a commissioner."""
    end = min(len(letter.text), letter.body.end, letter.body.start + 4000)
    for span, person in find_names(letter.text, gazetteer, (EntityType.PERSON,), 0, end):
        post = gazetteer.get(EntityType.POST, person.attr("holds")) if person.attr("holds") else None
        if post is not None and post.attr("kind") in _COMMISSIONER_POSTS:
            return span, person
    return None


def _domain_force(letter: ParsedLetter, gazetteer: Gazetteer) -> Entity | None:
    """The force whose commissioner's office runs the web site a saved page came from."""
    host = letter.raw.get("hostname") or letter.raw.get("url")
    host = re.sub(r"^[a-z]+://", "", host.lower()).split("/")[0].removeprefix("www.")
    if not host:
        return None
    for office in gazetteer.of_type(EntityType.ORGANISATION):
        for domain in office.attr("domains").split("|"):
            domain = domain.strip().lower().removeprefix("www.")
            if domain and (host == domain or host.endswith("." + domain)):
                return gazetteer.get(EntityType.FORCE, office.attr("force"))
    return None


def _office_force(letter: ParsedLetter, gazetteer: Gazetteer) -> Entity | None:
    """The force of the office or area a response names as its publisher."""
    if letter.office is None:
        return None
    area = _OFFICE_AREA.sub("", letter.office.text)
    office = gazetteer.lookup(letter.office.text, EntityType.ORGANISATION)
    named = gazetteer.get(EntityType.FORCE, office.attr("force")) if office and office.attr("force") else None
    named = named or force_named(area, gazetteer)
    if named is None:
        for _, place in find_names(area, gazetteer, (EntityType.PLACE,)):
            named = force_named(place.label, gazetteer)
            if named:
                break
    return named


def _respondent_force(
    letter: ParsedLetter, gazetteer: Gazetteer, signed_force: Entity | None, signed_span: Span | None
) -> list[Fact]:
    """The force whose commissioner's office published the response.

    Rules in order: the page's web domain; a "Response from:" office or the area the
    speaker or signatory speaks for; the signatory's post; an office named in the text;
    else the force the response is about.
    """
    by_domain = _domain_force(letter, gazetteer)
    if by_domain is not None:
        return [fact("respondent_force", Span(0, 0), "web-domain", force=by_domain.id)]
    office_force = _office_force(letter, gazetteer)
    from_field = letter.office is not None and (letter.office.role_text or "").endswith("response-from-field")
    if office_force is not None and from_field and letter.office is not None:
        return [fact("respondent_force", letter.office.span, "office-field", force=office_force.id)]
    if signed_force is not None and signed_span is not None:
        return [fact("respondent_force", signed_span, "signatory-area", force=signed_force.id)]
    if letter.signatory is not None:
        person = gazetteer.lookup(letter.signatory.text, EntityType.PERSON)
        post = gazetteer.get(EntityType.POST, person.attr("holds")) if person and person.attr("holds") else None
        if post is not None and post.attr("organisation"):
            force = gazetteer.get(EntityType.FORCE, post.attr("organisation"))
            if force is not None:
                return [fact("respondent_force", letter.signatory.span, "signatory-post", force=force.id)]
    if office_force is not None and letter.office is not None:
        return [fact("respondent_force", letter.office.span, "office", force=office_force.id)]
    if signed_force is not None:
        return [fact("respondent_force", letter.body, "most-named-force", force=signed_force.id)]
    return []


_NATIONAL = re.compile(
    r"\bin\s+(?:police\s+forces\s+in\s+)?England\s+and\s+Wales\b|\bnational\s+(?:thematic\s+)?(?:report|inspection|review)\b|"
    r"\bthematic\b|\ball\s+(?:43\s+)?(?:police\s+)?forces\b|\bpolice\s+forces\b|\bthe\s+police\s+service\b",
    re.IGNORECASE,
)
_FORCE_SPECIFIC = re.compile(
    r"\bPEEL\b(?!\s+spotlight)|\bforce[- ]specific\b|\b(?:an|the)\s+inspection\s+of\s+(?:the\s+)?force\b|"
    r"\bre-?inspection\b|\bcustody\s+suites?\b|\bcrime\s+data\s+integrity\b",
    re.IGNORECASE,
)


_NATIONAL_OPENING = re.compile(
    r"\bnational\s+(?:thematic\s+)?report\b|\bthematic\b|\ball\s+chief\s+constables\b|\ball\s+(?:police\s+)?forces\b|"
    r"\bforces\s+in\s+England\s+and\s+Wales\b|\bthe\s+police\s+service\b|\b(?:a|this)\s+study\b|\bsummarises\s+\d+",
    re.IGNORECASE,
)


def _national(title: str, text: str, letter: ParsedLetter) -> bool:
    """A national or thematic report: said in its title or the letter's opening."""
    opening = text[letter.body.start : letter.body.start + 700]
    return bool(_NATIONAL.search(title) or (len(letter.titles) == 1 and _NATIONAL_OPENING.search(opening)))


def _force_specific(title: str, opening: str, force: Entity | None = None) -> bool:
    """A report about one force although its title does not name it (PEEL, custody, crime
    data), or whose letter opens by saying so ("The HMIC report into West Mercia Police's …")."""
    if _NATIONAL.search(title) or _NATIONAL_OPENING.search(opening):
        return False
    if _FORCE_SPECIFIC.search(title) or re.search(r"\bforce[- ]specific\b", opening, re.I):
        return True
    if force is None:
        return False
    names = "|".join(re.escape(n) for n in sorted({force.label, *force.aliases}, key=len, reverse=True))
    return bool(re.search(rf"\b(?:report|inspection|review)\s+(?:into|of|on)\s+(?:the\s+)?(?:{names})\b", opening, re.I))


def _area_slug(force_id: str) -> str:
    return re.sub(r"-(?:police|constabulary|police-service)$", "", force_id)


def _force_from_text(letter: ParsedLetter, gazetteer: Gazetteer) -> Entity | None:
    """The force the body names most; else the force of a PCC post or a county it names."""
    text = letter.text
    counts = Counter(f.id for _, f in find_forces(text, gazetteer, letter.body.start, letter.body.end))
    if not counts:
        for _, post in find_names(text, gazetteer, (EntityType.POST,)):
            if post.attr("kind") in ("pcc", "pfcc", "chief-constable") and post.attr("organisation"):
                counts[post.attr("organisation")] += 1
    if not counts:
        for _, place in find_names(text, gazetteer, (EntityType.PLACE,), letter.body.start, letter.body.end):
            named = force_named(place.label, gazetteer)
            if named:
                counts[named.id] += 1
    if not counts:
        return None
    top = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return gazetteer.get(EntityType.FORCE, top)


def _publishers(letter: ParsedLetter, gazetteer: Gazetteer) -> list[str]:
    """Inspectorates that published the answered reports: named in the subject, else the opening."""
    text = letter.text
    kinds = (EntityType.INSPECTORATE,)
    for ref in letter.titles:
        hits = find_names(text, gazetteer, kinds, ref.line_span.start, ref.line_span.end)
        if hits:
            return sorted({e.id for _, e in hits})
    opening_end = min(letter.body.end, letter.body.start + 600)
    hits = find_names(text, gazetteer, kinds, letter.body.start, opening_end)
    if hits:
        return sorted({e.id for _, e in hits})
    counts = Counter(e.id for _, e in find_names(text, gazetteer, kinds))
    if counts:
        return [max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]]
    return []
