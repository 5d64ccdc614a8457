"""Certainty: how sure the article, or the speaker it reports, is of a fact.

One scale (`newsgraph.model.Certainty`) with one precedence, defined here once:
denied > alleged > hypothetical > asserted. `hedge_certainty` reads a predicate's own hedges
(modals, hedging adverbs and adjectives, conditional marks, denying or planning governors) from
``data/claims/hedges.yaml``; the `assertions` component combines them with the attribution
covering each fact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Precedence when several certainty cues apply to one fact.
PRECEDENCE: dict[str, int] = {"asserted": 0, "hypothetical": 1, "alleged": 2, "denied": 3}

def stronger(a: tuple[str, str | None], b: tuple[str, str | None]) -> tuple[str, str | None]:
    """The certainty (with its cue) that takes precedence: denied > alleged > hypothetical > asserted."""
    return b if PRECEDENCE[b[0]] > PRECEDENCE[a[0]] else a


@dataclass(frozen=True)
class HedgeLexicon:
    """The hedge cues of ``data/claims/hedges.yaml`` (loaded once)."""

    alleged_adverbs: frozenset[str]
    alleged_adjectives: frozenset[str]
    alleged_modals: frozenset[str]
    hypothetical_modals: frozenset[str]
    hypothetical_adverbs: frozenset[str]
    hypothetical_governors: frozenset[str]
    hypothetical_marks: frozenset[str]
    denied_governors: frozenset[str]
    denied_nouns: frozenset[str]


def _words(values: Iterable[Any]) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values)


@lru_cache(maxsize=1)
def hedge_lexicon() -> HedgeLexicon:
    text = resources.files("newsgraph").joinpath("data/claims/hedges.yaml").read_text(encoding="utf-8")
    hedges = yaml.safe_load(text)
    return HedgeLexicon(**{name: _words(hedges[name]) for name in HedgeLexicon.__dataclass_fields__})


def token_hedges(tok: Token) -> tuple[str, str | None]:
    """Certainty cues on one predicate token: itself, its modifiers and its governor."""
    lex = hedge_lexicon()
    best: tuple[str, str | None] = ("asserted", None)
    low = tok.lower_
    if low in lex.alleged_adverbs or (low in lex.alleged_adjectives and tok.dep_ in ("amod", "compound")):
        best = stronger(best, ("alleged", tok.text))
    elif low in lex.hypothetical_adverbs:
        best = stronger(best, ("hypothetical", tok.text))
    for child in tok.children:
        cl, dep = child.lower_, child.dep_
        if dep == "advmod":
            if cl in lex.alleged_adverbs:
                best = stronger(best, ("alleged", child.text))
            elif cl in lex.hypothetical_adverbs:
                best = stronger(best, ("hypothetical", child.text))
        elif dep in ("aux", "auxpass"):
            if cl in lex.alleged_modals:
                best = stronger(best, ("alleged", child.text))
            elif cl in lex.hypothetical_modals:
                best = stronger(best, ("hypothetical", child.text))
        elif dep == "amod" and cl in lex.alleged_adjectives:
            best = stronger(best, ("alleged", child.text))
        elif dep == "mark" and cl in lex.hypothetical_marks:
            best = stronger(best, ("hypothetical", child.text))
    if tok.dep_ in ("xcomp", "ccomp", "pcomp", "dobj") and tok.head.i != tok.i:
        head = tok.head.lemma_.lower()
        if head in lex.denied_governors:
            best = stronger(best, ("denied", tok.head.text))
        elif tok.dep_ == "xcomp" and head in lex.hypothetical_governors:
            best = stronger(best, ("hypothetical", tok.head.text))
    if tok.dep_ == "pobj" and tok.head.head.lemma_.lower() in lex.denied_nouns:
        best = stronger(best, ("denied", tok.head.head.text))
    return best


def hedge_certainty(target: Token | Span | Iterable[Token]) -> tuple[str, str | None]:
    """Certainty of a predicate and the cue word that sets it: ``("alleged", "allegedly")``.

    Pass the predicate token(s) (an event trigger, a relation's participle — "allegedly
    linked", "would be generating", "plans to recruit", "denied recruiting"), not a whole
    sentence: each token's own modifiers and governor are read, not its subtree.
    Returns ``("asserted", None)`` when nothing hedges it.
    """
    tokens: Iterable[Token] = [target] if hasattr(target, "lower_") else target  # type: ignore[list-item]
    best: tuple[str, str | None] = ("asserted", None)
    for tok in tokens:
        best = stronger(best, token_hedges(tok))
    return best
