"""Certainty: how sure the article, or the speaker it reports, is of a fact — the one place that
decides it.

One scale (`newsgraph.model.Certainty`) with one precedence, defined here once:
denied > alleged > hypothetical > asserted. The cue words (modals, hedging adverbs and
adjectives, conditional marks, denying and planning governors, future and historical cues) are one
data file, ``data/certainty/cues.yaml`` (`certainty_cues`). `hedge_certainty` reads a predicate's
own hedges; `negation` finds the word that denies it; `events.flags` reads the event flags from the
same cues; the `assertions` component combines a fact's own certainty with the attribution
covering it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from newsgraph import datafiles

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Precedence when several certainty cues apply to one fact.
PRECEDENCE: dict[str, int] = {"asserted": 0, "hypothetical": 1, "alleged": 2, "denied": 3}


def stronger(a: tuple[str, str | None], b: tuple[str, str | None]) -> tuple[str, str | None]:
    """The certainty (with its cue) that takes precedence: denied > alleged > hypothetical > asserted."""
    return b if PRECEDENCE[b[0]] > PRECEDENCE[a[0]] else a


@dataclass(frozen=True)
class CertaintyCues:
    """The word lists of ``data/certainty/cues.yaml`` (loaded once; see the file for each list)."""

    alleged_adverbs: frozenset[str]
    alleged_adjectives: frozenset[str]
    alleged_modals: frozenset[str]
    hypothetical_modals: frozenset[str]
    unrealised_modals: frozenset[str]
    deontic_modals: frozenset[str]
    future_modals: frozenset[str]
    hypothetical_adverbs: frozenset[str]
    hypothetical_governors: frozenset[str]
    hypothetical_nouns: frozenset[str]
    hypothetical_adjectives: frozenset[str]
    future_adjectives: frozenset[str]
    generic_determiners: frozenset[str]
    alleged_passive_governors: frozenset[str]
    alleged_raising_verbs: frozenset[str]
    future_governors: frozenset[str]
    implicative_governors: frozenset[str]
    preventive_governors: frozenset[str]
    averting_governors: frozenset[str]
    conditional_marks: frozenset[str]
    temporal_marks: frozenset[str]
    denied_governors: frozenset[str]
    denied_nouns: frozenset[str]
    historical_adverbs: frozenset[str]


def _words(values: Iterable[Any]) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values)


@lru_cache(maxsize=1)
def certainty_cues() -> CertaintyCues:
    raw = datafiles.load("certainty/cues.yaml")
    return CertaintyCues(**{name: _words(raw[name]) for name in CertaintyCues.__dataclass_fields__})


def direct_negation(tok: Token) -> Token | None:
    """The negation attached to a predicate itself ("did *not* recruit")."""
    return next((c for c in tok.children if c.dep_ == "neg"), None)


def negation(cue: Token) -> str | None:
    """The word denying a relation's cue: "not affiliated with", "doesn't have any ties", "has no
    links" (a negated governor counts for a predicative adjective, a noun object or attribute)."""
    found = direct_negation(cue)
    if found is not None:
        return found.text
    if cue.pos_ in ("NOUN", "PROPN"):
        det = next((c.text for c in cue.children if c.dep_ == "det" and c.lower_ == "no"), None)
        if not det and cue.dep_ in ("dobj", "attr"):
            det = next((c.text for c in cue.head.children if c.dep_ == "neg"), None)
        return det
    if cue.dep_ in ("acomp", "xcomp"):
        return next((c.text for c in cue.head.children if c.dep_ == "neg"), None)
    return None


def token_hedges(tok: Token) -> tuple[str, str | None]:
    """Certainty cues on one predicate token: itself, its modifiers and its governor."""
    lex = certainty_cues()
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
        elif dep == "mark" and cl in lex.conditional_marks:
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
