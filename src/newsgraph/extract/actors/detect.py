"""Mention detection and typing: spaCy's named entities corrected by the rules, plus the
actor phrases the statistical NER does not give (demonyms, governments, groups, unnamed
collectives, definite descriptions, titles).

Every detected phrase becomes a `Cand`: a span with a kind, a type and a `ref` telling
the resolver (`coref.py`) how to find its entity.
"""

from __future__ import annotations

from newsgraph.extract.actors.candidates import NER_TYPES, OTHER_LABELS, Cand, match_phrase, words_at
from newsgraph.extract.actors.phrases import PhraseRules

__all__ = ["Cand", "Detector", "match_phrase", "words_at"]


class Detector(PhraseRules):
    """Finds and types the actor mention candidates of one document (see module doc)."""

    def run(self) -> list[Cand]:
        doc = self.doc
        ents = [e for e in self.ents if e.label_ in NER_TYPES or e.label_ in OTHER_LABELS]
        # Pass 1: named spans from the NER, corrected (organisations first: they may absorb a place).
        for ent in sorted(ents, key=lambda e: (e.label_ != "ORG", e.start)):
            if ent.label_ == "NORP":
                continue
            self.named(ent)
        self.appositive_names()
        # Pass 2: phrases built around tokens (demonyms, seats, platforms, governments, groups…).
        for tok in doc:
            if not self.taken[tok.i]:
                self.token_rules(tok)
        for ent in ents:
            if ent.label_ == "NORP" and self.free(ent.start, ent.end):
                self.norp(ent)
        self.propagate()
        for tok in doc:
            if not self.taken[tok.i]:
                self.nominal(tok)
        self.cands.sort(key=lambda c: (c.start, -c.end))
        return self.cands
