"""Gazetteer matching with spaCy's blank English pipeline.

PhraseMatcher patterns are generated from every label and alias in the
reference data: case-insensitive (acronyms excepted), tolerant of hyphen/space
variants, of simple plurals and of curly or straight apostrophes. Overlaps are resolved by
spaCy's ``filter_spans``: the longest match wins, then the earliest.
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span as SpacySpan
from spacy.util import filter_spans

from ..model import Entity, EntityType
from ..reference import Gazetteer
from .entities import doc_length

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


def name_variants(nlp: Language, name: str) -> tuple[str, list[str]]:
    """The attribute to match on ("ORTH" or "LOWER") and the surface variants of a name.

    Variants cover hyphen or space between words, a simple plural of the last
    word and both apostrophes. An empty list means the name is too ambiguous
    to match anywhere (a short single word).
    """
    parts = [p for p in re.split(r"[\s\-‐–]+", name.strip()) if p]
    if not parts:
        return "LOWER", []
    if len(parts) == 1 and _is_acronym(parts[0]):
        return "ORTH", sorted({parts[0], parts[0] + "s"})
    if len(parts) == 1 and len(parts[0]) < 4:
        return "LOWER", []
    last = parts[-1]
    lasts = _plural_forms(last.lower()) if last.isalpha() else [last]
    gaps = len(parts) - 1
    if gaps <= 3:
        joins = [tuple("-" if mask >> i & 1 else " " for i in range(gaps)) for mask in range(2**gaps)]
    else:
        joins = [(" ",) * gaps, ("-",) * gaps]
    variants: set[str] = set()
    for final in lasts:
        words = [*parts[:-1], final]
        for join in joins:
            text = words[0] + "".join(gap + word for gap, word in zip(join, words[1:], strict=True))
            variants.add(text)
            for a, b in (_APOSTROPHES, _APOSTROPHES[::-1]):
                if a in text:
                    variants.add(text.replace(a, b))
    return "LOWER", sorted(variants)


class GazetteerMatcher:
    """Finds reference entities in letters."""

    def __init__(self, gazetteer: Gazetteer, nlp: Language | None = None) -> None:
        self.nlp = nlp or blank_english()
        self.lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.keys: dict[str, Entity] = {}
        for entity in sorted(gazetteer.entities.values(), key=lambda e: (e.type.value, e.id)):
            if entity.type is EntityType.REPORT:
                continue
            key = f"{entity.type.value}:{entity.id}"
            by_attr: dict[str, set[str]] = {"LOWER": set(), "ORTH": set()}
            for name in (entity.label, *entity.aliases):
                attr, variants = name_variants(self.nlp, name)
                by_attr[attr].update(variants)
            for attr, matcher in (("LOWER", self.lower), ("ORTH", self.exact)):
                if by_attr[attr]:
                    docs = list(self.nlp.tokenizer.pipe(sorted(by_attr[attr])))
                    matcher.add(key, docs)
                    self.keys[key] = entity

    def doc(self, text: str) -> Doc:
        """Tokenise and split into sentences.

        Line breaks are read as spaces (same length, so offsets hold): a name
        wrapped over two lines, as in text taken from a PDF, still matches.
        Paragraphs are told apart from the letter's own text, not from ``doc.text``.
        """
        return self.nlp(text.replace("\n", " "))

    def match(self, doc: Doc, start: int = 0, end: int | None = None) -> list[tuple[SpacySpan, Entity]]:
        """Non-overlapping matches in ``doc`` between character offsets, longest first."""
        end = doc_length(doc) if end is None else end
        spans = []
        for match_id, s, e in [*self.lower(doc), *self.exact(doc)]:
            span = SpacySpan(doc, s, e, label=match_id)
            if span.start_char >= start and span.end_char <= end:
                spans.append(span)
        chosen = filter_spans(spans)
        return [(span, self.keys[span.label_]) for span in sorted(chosen, key=lambda sp: sp.start)]

