"""Stage 3: find mentions and facts in a parsed letter, each with its span.

``extract`` runs the extractors in a fixed order; each returns plain values.
"""

from __future__ import annotations

from ..model import Entity, Extraction, ParsedLetter
from ..reference import Gazetteer
from .header import header_extraction, report_key

__all__ = ["extract", "report_key"]


def extract(letter: ParsedLetter, gazetteer: Gazetteer) -> Extraction:
    """Everything pccgraph can find in one letter.

    Args:
        letter: a parsed letter.
        gazetteer: the reference data.

    Returns:
        Mentions and facts sorted by position, and entities discovered in the text.
    """
    mentions, facts, entities = header_extraction(letter, gazetteer)
    unique: dict[tuple[str, str], Entity] = {(e.type.value, e.id): e for e in entities}
    return Extraction(
        letter=letter,
        mentions=tuple(sorted(set(mentions))),
        facts=tuple(sorted(set(facts), key=lambda f: (f.span, f.kind, f.values))),
        entities=tuple(unique[k] for k in sorted(unique)),
    )
