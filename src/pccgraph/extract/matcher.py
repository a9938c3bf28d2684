"""Gazetteer matching with spaCy's blank English pipeline.

Token patterns are generated from every label and alias in the reference data:
case-insensitive (acronyms excepted), tolerant of hyphen/space variants, of
simple plurals and of curly or straight apostrophes. Overlaps are resolved by
spaCy's ``filter_spans``: the longest match wins, then the earliest.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span as SpacySpan
from spacy.util import filter_spans

from ..model import Entity, EntityType
from ..reference import Gazetteer

_APOSTROPHES = ("'", "’")


@lru_cache(maxsize=1)
def blank_english() -> Language:
    """spaCy's blank English pipeline with a rule-based sentencizer (no model download)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _plural_forms(word: str) -> list[str]:
    forms = {word}
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.add(word[:-1])
    elif word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    elif word.endswith(("sh", "ch", "x")):
        forms.add(word + "es")
    elif word[-1:].isalpha():
        forms.add(word + "s")
    return sorted(forms)


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 6 and text.upper() == text and " " not in text.strip()


def token_pattern(nlp: Language, name: str) -> list[dict[str, Any]] | None:
    """A Matcher pattern for one name; ``None`` for names that cannot be matched safely."""
    tokens = [t.text for t in nlp.make_doc(name) if not t.is_space]
    words = [t for t in tokens if t not in ("-", "‐", "–")]
    if not words:
        return None
    if len(words) == 1 and _is_acronym(words[0]):
        return [{"ORTH": {"IN": sorted({words[0], words[0] + "s"})}}]
    pattern: list[dict[str, Any]] = []
    for i, word in enumerate(words):
        if i:
            pattern.append({"ORTH": {"IN": ["-", "‐", "–"]}, "OP": "?"})
        lower = word.lower()
        if lower in ("'s", "’s"):
            pattern.append({"LOWER": {"IN": ["'s", "’s"]}})
        elif _is_acronym(word):
            pattern.append({"ORTH": word})
        elif i == len(words) - 1 and word.isalpha():
            pattern.append({"LOWER": {"IN": _plural_forms(lower)}})
        else:
            pattern.append({"LOWER": lower})
    if len(words) == 1 and len(words[0]) < 4:
        return None  # a short single word is too ambiguous to match anywhere
    return pattern


class GazetteerMatcher:
    """Finds reference entities in letters."""

    def __init__(self, gazetteer: Gazetteer, nlp: Language | None = None) -> None:
        self.nlp = nlp or blank_english()
        self.matcher = Matcher(self.nlp.vocab)
        self.keys: dict[str, Entity] = {}
        for entity in sorted(gazetteer.entities.values(), key=lambda e: (e.type.value, e.id)):
            if entity.type in (EntityType.REPORT,):
                continue
            key = f"{entity.type.value}:{entity.id}"
            patterns = []
            for name in (entity.label, *entity.aliases):
                pattern = token_pattern(self.nlp, name)
                if pattern:
                    patterns.append(pattern)
            if patterns:
                self.keys[key] = entity
                self.matcher.add(key, patterns)

    def doc(self, text: str) -> Doc:
        """Tokenise and split into sentences."""
        return self.nlp(text)

    def match(self, doc: Doc, start: int = 0, end: int | None = None) -> list[tuple[SpacySpan, Entity]]:
        """Non-overlapping matches in ``doc`` between character offsets, longest first."""
        end = len(doc.text) if end is None else end
        spans = []
        for match_id, s, e in self.matcher(doc):
            span = SpacySpan(doc, s, e, label=match_id)
            if span.start_char >= start and span.end_char <= end:
                spans.append(span)
        chosen = filter_spans(spans)
        return [(span, self.keys[span.label_]) for span in sorted(chosen, key=lambda sp: sp.start)]
