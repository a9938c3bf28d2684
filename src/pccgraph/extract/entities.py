"""Mentions in the body: gazetteer matches, acronyms defined in the text, names
found by pattern, and phrases resolved from context ("the Chief Constable")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Entity, EntityType, Mention, Span
from ..reference import Gazetteer, normalise
from ..vocab import slugify

if TYPE_CHECKING:  # spaCy is imported only when something is extracted
    from spacy.tokens import Doc
    from .matcher import GazetteerMatcher


# The head noun of a name decides its type when the name is not in the reference data.
HEAD_TYPES: dict[str, EntityType] = {
    **dict.fromkeys(
        ("programme", "program", "scheme", "strategy", "plan", "project", "initiative", "network",
         "system", "framework", "fund", "code", "standard", "pilot", "database", "tool", "app"),
        EntityType.PROGRAMME,
    ),
    **dict.fromkeys(
        ("board", "committee", "group", "panel", "forum", "partnership", "service", "agency",
         "bureau", "council", "authority", "commission", "trust", "association", "college"),
        EntityType.ORGANISATION,
    ),
    **dict.fromkeys(("unit", "team", "hub", "department", "centre", "center", "directorate", "office", "suite"),
                    EntityType.UNIT),
    **dict.fromkeys(("contact", "officer", "coordinator", "lead", "manager", "adviser", "advisor",
                     "inspector", "commissioner", "constable", "champion"), EntityType.POST),
    **dict.fromkeys(("area", "county", "region", "district"), EntityType.PLACE),
}  # fmt: skip
_SMALL = {"of", "and", "the", "for", "&", "in", "on", "to"}
_ACRONYM_DEF = re.compile(r"\((?P<acr>[A-Z][A-Z&]{1,6})(?P<plural>s)?\)")
_NAME_HEADS = (
    "Programme|Program|Scheme|Board|Unit|Hub|Strategy|Committee|Group|Team|Plan|Partnership|Panel|"
    "Forum|Centre|Department|Project|Initiative|Network|Directorate|Fund|Service|Tool|Commission|Agency"
)
_CAP = r"(?:[A-Z][a-z'’]+|[A-Z]{2,})"
_DISCOVER = re.compile(
    rf"(?<![\w-]){_CAP}(?:,?[ \n-](?:(?:of|and|for|the|&|on|in)[ \n-])?{_CAP}){{0,6}}[ \n-](?:{_NAME_HEADS})s?(?![\w-])"
)
_POST_TITLE = re.compile(
    rf"(?<![\w-]){_CAP}(?:\s+{_CAP}){{1,4}}\s+(?:Coordinator|Co-ordinator|Director|Adviser|Advisor|Champion|Lead)"
    rf"(?:\s+(?:for|of)\s+{_CAP}(?:\s+(?:and\s+)?{_CAP}){{0,4}})?(?![\w-])"
)
_LAW = re.compile(
    r"(?<![\w-])(?:[A-Z][\w'’]*(?:\s+\([A-Z][\w'’]*\))?,?\s+(?:(?:and|of|for|the|&|on)\s+)*){1,8}"
    r"(?:Act|Regulations|Order|Code)\s+(?:19|20)\d\d(?![\w-])"
)
_OPERATION = re.compile(r"(?<![\w-])Operation\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?![\w-])")
_UNIVERSITY = re.compile(r"(?<![\w-])(?:University\s+of\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|[A-Z][a-z]+\s+University)(?![\w-])")
_TITLED_PERSON = re.compile(
    r"(?<![\w-])(?P<title>(?:Assistant\s+|Deputy\s+)?Chief\s+Constable|(?:Detective\s+)?(?:Chief\s+)?Superintendent|"
    r"Sir|Dame|Dr|Mr|Mrs|Ms|Miss|Councillor|Cllr|Lord|Baroness|Professor|(?:The\s+)?Rt\.?\s+Hon\.?)(?:\s+|,\s+)"
    r"(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2})(?![\w-])"
)
_SUFFIXED_PERSON = re.compile(
    r"(?<![\w-])(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}),?\s+(?:MP|QPM|OBE|CBE|MBE|KC|QC)(?![\w-])"
)
_NOT_NAMES = {"Home", "Secretary", "Police", "Crime", "Commissioner", "Constable", "Chief", "Office", "State", "Minister"}
_SENTENCE_WORDS = {"The", "This", "A", "An", "Our", "My", "Its", "Their", "In", "As", "Following", "Each", "All"}


@dataclass(frozen=True, slots=True)
class Context:
    """What body extraction knows about the letter: its force and that force's alliance."""

    force: Entity | None
    alliance: Entity | None


def _head_type(name: str) -> EntityType:
    head = re.split(r"[\s-]+", name.strip())[-1].lower().rstrip("s") if name.strip() else ""
    for candidate in (head, head + "s"):
        if candidate in HEAD_TYPES:
            return HEAD_TYPES[candidate]
    return EntityType.ORGANISATION


def _singular(name: str) -> str:
    words = name.split()
    if words and words[-1].endswith("s") and not words[-1].endswith("ss") and len(words[-1]) > 3:
        words[-1] = words[-1][:-1]
    return " ".join(words)


def _lookup(gazetteer: Gazetteer, name: str) -> Entity | None:
    return gazetteer.lookup(name) or gazetteer.lookup(_singular(name))


def _discovered(name: str, type_: EntityType | None = None) -> Entity:
    label = _singular(name.strip())
    return Entity(type_ or _head_type(label), slugify(normalise(label)), label, discovered=True)


def _long_form(text: str, end: int, acronym: str) -> tuple[int, int] | None:
    """The span of the words before ``(ACR)`` whose initials spell (the end of) ``ACR``."""
    head = text[max(0, end - 120) : end]
    words = list(re.finditer(r"[A-Za-z][\w'’]*(?:-[A-Za-z][\w'’]*)*", head))
    letters = [c for c in acronym if c.isalpha()]
    j = len(letters) - 1
    chosen: list[re.Match[str]] = []
    for word in reversed(words):
        if j < 0:
            break
        gap = head[word.end() : (chosen[0].start() if chosen else len(head))]
        if re.search(r"[.;:!?()\n]", gap):
            break
        parts = word.group().split("-")
        initials = [p[0].upper() for p in parts if p]
        if initials and len(initials) <= j + 1 and [c for c in letters[j - len(initials) + 1 : j + 1]] == initials:
            j -= len(initials)
            chosen.insert(0, word)
        elif word.group().lower() in _SMALL and chosen:
            chosen.insert(0, word)
        elif word.group()[0].upper() == letters[j] and len(parts) == 1:
            j -= 1
            chosen.insert(0, word)
        else:
            break
    while chosen and chosen[0].group().lower() in _SMALL:
        chosen.pop(0)
    matched = len(letters) - 1 - j
    if not chosen or matched < min(2, len(letters)):
        return None
    offset = max(0, end - 120)
    return offset + chosen[0].start(), offset + chosen[-1].end()


def body_mentions(
    doc: Doc, matcher: GazetteerMatcher, gazetteer: Gazetteer, context: Context, text: str
) -> tuple[list[Mention], list[Entity]]:
    """Every entity the letter names, with spans; and entities discovered in it.

    ``text`` is the letter's text; ``doc`` was made from it (line breaks as spaces).
    """
    assert doc_length(doc) == len(text)
    taken: list[tuple[int, int]] = []
    mentions: list[Mention] = []
    found: dict[str, Entity] = {}

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(start: int, end: int, entity: Entity, rule: str) -> None:
        taken.append((start, end))
        mentions.append(Mention(Span(start, end), entity.type, entity.id, text[start:end], rule, entity.discovered))
        if entity.discovered:
            found[f"{entity.type.value}:{entity.id}"] = entity

    force = context.force

    def post_for(kind: str, label: str, post_force: Entity) -> Entity:
        return gazetteer.get(EntityType.POST, f"{kind}-{post_force.id}") or Entity(
            EntityType.POST,
            f"{kind}-{post_force.id}",
            label.format(force=post_force.label, area=_area(post_force)),
            (),
            (("organisation", post_force.id),),
            discovered=True,
        )

    def apply_rules(rules: list[tuple[re.Pattern[str], str, str]]) -> None:
        if force is None:
            return
        for pattern, kind, label in rules:
            for m in pattern.finditer(text):
                area = m.groupdict().get("area")
                post_force = _force_for_area(area, gazetteer) if area else force
                if post_force is None:
                    continue
                s, e = m.span("name")
                if not free(s, e):
                    continue
                add(s, e, post_for(kind, label, post_force), f"post-{kind}")
                if m.groupdict().get("plural"):
                    # "our counterparts in Warwickshire": the PCC's and the chief constable's
                    other = post_for("chief-constable", "Chief Constable of {force}", post_force)
                    mentions.append(Mention(Span(s, e), other.type, other.id, text[s:e], "post-counterparts", other.discovered))
                    if other.discovered:
                        found[f"{other.type.value}:{other.id}"] = other

    apply_rules(_COUNTERPART_RULES)
    matches = matcher.match(doc)
    # Topics are themes, not names: they give way to names found by the rules below.
    for span, entity in matches:
        if entity.type is not EntityType.TOPIC and free(span.start_char, span.end_char):
            add(span.start_char, span.end_char, entity, "gazetteer")

    # Acronyms defined in the text bind their later uses.
    acronyms: dict[str, Entity] = {}
    for m in _ACRONYM_DEF.finditer(text):
        acronym = m.group("acr")
        long_span = _long_form(text, m.start(), acronym)
        if long_span is None:
            # "single point of contact officers (SPOCs)": the head noun is outside the acronym
            last = re.search(r"\s+[a-z]+\s*$", text[max(0, m.start() - 40) : m.start()])
            if last:
                long_span = _long_form(text, m.start() - len(last.group()), acronym)
        if long_span is None:
            continue
        long_text = text[long_span[0] : long_span[1]]
        entity = _lookup(gazetteer, long_text) or _lookup(gazetteer, acronym)
        if entity is None:
            existing = [e for e in (mentions) if e.span.start <= long_span[0] < e.span.end]
            if existing:
                entity = gazetteer.get(existing[0].type, existing[0].entity_id) or found.get(
                    f"{existing[0].type.value}:{existing[0].entity_id}"
                )
        if entity is None:
            entity = _discovered(long_text)
            if entity.type is EntityType.PLACE:
                continue  # "local policing area (LPA)": a kind of area, not a named place
            head = long_text.split()[-1].lower().rstrip("s")
            if long_text.islower() and head not in HEAD_TYPES:
                continue  # "areas for improvement (AFI)": a term, not a thing with a name
        acronyms[acronym] = entity
        if free(*long_span):
            add(long_span[0], long_span[1], entity, "acronym-definition")
        if free(m.start("acr"), m.end("acr")):
            add(m.start("acr"), m.end("acr"), entity, "acronym-definition")
    for acronym, entity in acronyms.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(acronym)}s?(?![\w-])", text):
            if free(m.start(), m.end()):
                add(m.start(), m.end(), entity, "acronym-use")

    apply_rules(_POST_RULES)
    if context.alliance is not None:
        for m in re.finditer(r"(?<![\w-])[Aa]lliance(?:['’]s)?(?![\w-])", text):
            if free(m.start(), m.end()):
                add(m.start(), m.end(), context.alliance, "alliance-context")

    # Names the data lacks: capitalised names ending in Programme, Board, Unit …,
    # post titles, and Acts and regulations.
    for pattern, min_words, type_, rule in (
        (_DISCOVER, 2, None, "name-pattern"),
        (_POST_TITLE, 3, EntityType.POST, "post-title"),
        (_LAW, 3, EntityType.LEGISLATION, "law-pattern"),
    ):
        for m in pattern.finditer(text):
            start, end = _without_leading_words(m)
            if len(text[start:end].split()) >= min_words and free(start, end):
                name = text[start:end]
                add(start, end, _lookup(gazetteer, name) or _discovered(name, type_), rule)
    for m in _OPERATION.finditer(text):
        if free(*m.span()):
            add(*m.span(), _lookup(gazetteer, m.group()) or _discovered(m.group(), EntityType.PROGRAMME), "operation")
    for m in _UNIVERSITY.finditer(text):
        if free(*m.span()) and not m.group().startswith(("The ", "A ")):
            add(*m.span(), _lookup(gazetteer, m.group()) or _discovered(m.group(), EntityType.ORGANISATION), "university")
    for pattern in (_TITLED_PERSON, _SUFFIXED_PERSON):
        for m in pattern.finditer(text):
            name = m.group("name")
            if set(name.split()) & _NOT_NAMES:
                continue
            s, e = m.span("name")
            if free(s, e):
                person = gazetteer.lookup(name, EntityType.PERSON) or _discovered(name, EntityType.PERSON)
                add(s, e, person, "person-title")
    for span, entity in matches:
        if entity.type is EntityType.TOPIC and free(span.start_char, span.end_char):
            add(span.start_char, span.end_char, entity, "gazetteer")
    return mentions, sorted(found.values(), key=lambda e: (e.type.value, e.id))


def _without_leading_words(m: re.Match[str]) -> tuple[int, int]:
    """The match's span without sentence-opening words ("The", "Under", "Section" …)."""
    start, end = m.span()
    words = m.group().split()
    while words and (words[0] in _SENTENCE_WORDS or words[0] in ("Under", "Section")):
        start += len(words[0]) + 1
        words.pop(0)
    return start, end


def _area(force: Entity) -> str:
    return re.sub(r"\s+(?:Police|Constabulary|Police Service)$", "", force.label)


def _force_for_area(area: str, gazetteer: Gazetteer) -> Entity | None:
    area = area.strip()
    for candidate in (area, f"{area} Police", f"{area} Constabulary", f"{area} Police Service"):
        found = gazetteer.lookup(candidate, EntityType.FORCE)
        if found:
            return found
    return None


_COUNTERPART_RULES: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(
            r"(?<![\w-])(?:my|our|the)\s+(?P<name>counterpart(?P<plural>s)?\s+in\s+(?P<area>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?))"
        ),
        "pcc",
        "Police and Crime Commissioner for {area}",
    ),
    (
        re.compile(r"(?<![\w-])(?P<name>(?:my|our)\s+(?P<area>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\s+counterpart(?P<plural>s)?)"),
        "pcc",
        "Police and Crime Commissioner for {area}",
    ),
]
_POST_RULES: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(r"(?<![\w-])(?P<name>[Mm]y\s+Deputy|Deputy\s+(?:Police(?:,)? and Crime Commissioner|PCC))(?![\w-])"),
        "deputy-pcc",
        "Deputy Police and Crime Commissioner for {area}",
    ),
    (
        re.compile(r"(?<![\w-])(?P<name>(?:Assistant\s+Chief\s+Constable|ACC)s?)(?![\w-])"),
        "assistant-chief-constable",
        "Assistant Chief Constable of {force}",
    ),
    (
        re.compile(r"(?<![\w-])(?P<name>(?:Deputy\s+Chief\s+Constable|DCC))(?![\w-])"),
        "deputy-chief-constable",
        "Deputy Chief Constable of {force}",
    ),
    (
        re.compile(r"(?<!all )(?<![\w-])(?P<name>[Cc]hief\s+[Cc]onstable)(?![\w-]|s)"),
        "chief-constable",
        "Chief Constable of {force}",
    ),
    (
        re.compile(r"(?<![\w-])(?P<name>Police(?:,)? and Crime Commissioner|PCC)(?!s)(?!\s+for\b)(?![\w-])"),
        "pcc",
        "Police and Crime Commissioner for {area}",
    ),
]


def doc_length(doc: Doc) -> int:
    """The length of the text ``doc`` was made from, without ``doc.text`` (which joins every
    token in Python on each call)."""
    if not len(doc):
        return len(doc.text)
    last = doc[-1]
    return last.idx + len(last.text_with_ws)
