"""Stage 3: find mentions and facts in a parsed letter, each with its span.

``extract`` runs the extractors in a fixed order; each returns plain values.
"""

from __future__ import annotations

from ..model import Entity, EntityType, Extraction, Fact, Mention, ParsedLetter, Problem, Severity
from ..reference import Gazetteer
from .entities import Context, body_mentions
from .facts import cited_titles, commitments, money_and_statistics, sentences, tallies
from .findings import finding_facts
from .grades import judgements
from .header import fact, header_extraction, report_key

__all__ = ["MAX_BODY_CHARS", "Extractor", "extract", "report_key"]

# Longer than any real letter: most likely a file whose letters could not be told apart.
MAX_BODY_CHARS = 100_000


class Extractor:
    """Holds the compiled matcher so that many letters share it."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        from .matcher import GazetteerMatcher  # spaCy: imported only when something is extracted

        self.gazetteer = gazetteer
        self.matcher = GazetteerMatcher(gazetteer)

    def __call__(self, letter: ParsedLetter) -> Extraction:
        """Everything pccgraph can find in one letter.

        Returns:
            Mentions and facts sorted by position, and entities discovered in the text.
        """
        g = self.gazetteer
        mentions, facts, entities = header_extraction(letter, g)
        force_id = next((f.get("force") for f in facts if f.kind == "concerns_force"), "")
        force = g.get(EntityType.FORCE, force_id) if force_id else None
        alliances = [
            a for a in g.of_type(EntityType.ALLIANCE) if force_id and force_id in a.attr("members").split("|")
        ]
        context = Context(force, alliances[0] if len(alliances) == 1 else None)
        text = letter.text
        if len(text) > MAX_BODY_CHARS:
            problem = Problem(
                letter.raw.source,
                letter.raw.start_line,
                Severity.WARNING,
                f"letter is {len(text):,} characters long; only its header was read (limit "
                f"{MAX_BODY_CHARS:,}). Are several letters run together without a 'Dear …' line?",
            )
            return _finish(letter, mentions, facts, entities, (problem,))
        doc = self.matcher.doc(text)
        body_found, discovered = body_mentions(doc, self.matcher, g, context, text)
        header_spans = {(m.span, m.type, m.entity_id) for m in mentions}
        mentions.extend(m for m in body_found if (m.span, m.type, m.entity_id) not in header_spans)
        entities.extend(discovered)

        sents = list(sentences(doc, letter.body, text))
        reports = [f.get("report") for f in facts if f.kind == "responds_to"]
        report = reports[0] if reports else ""
        facts.extend(judgements(text, sents, letter.body, report, force_id))
        facts.extend(tallies(text, sents, report))
        facts.extend(commitments(text, sents, force_id))
        facts.extend(money_and_statistics(text, letter.body))
        facts.extend(finding_facts(text, letter, report, g))
        own = {f.get("report") for f in facts if f.kind == "responds_to"}
        for span, title, issued in cited_titles(text, sents):
            key = report_key(title)
            if key in own:
                continue
            facts.append(fact("cites", span, "cited-title", report=key, title=title, issued=issued))
        return _finish(letter, mentions, facts, entities)


def _finish(
    letter: ParsedLetter,
    mentions: list[Mention],
    facts: list[Fact],
    entities: list[Entity],
    problems: tuple[Problem, ...] = (),
) -> Extraction:
    unique: dict[tuple[str, str], Entity] = {(e.type.value, e.id): e for e in entities}
    return Extraction(
        letter=letter,
        mentions=tuple(sorted(set(mentions))),
        facts=tuple(sorted(set(facts), key=lambda f: (f.span, f.kind, f.values))),
        entities=tuple(unique[k] for k in sorted(unique)),
        problems=problems,
    )


def extract(letter: ParsedLetter, gazetteer: Gazetteer) -> Extraction:
    """Extract one letter (builds a matcher; use :class:`Extractor` for many letters)."""
    return Extractor(gazetteer)(letter)
