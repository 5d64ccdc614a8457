"""Event flags: negated, hypothetical, future, historical, and the certainty of the trigger's own
clause (cues in ``data/events/flags.yaml`` and `newsgraph.extract.certainty`)."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from newsgraph.extract.certainty import hedge_certainty, stronger

if TYPE_CHECKING:
    from spacy.tokens import Token


def _word_lists(path: str) -> dict[str, frozenset[str]]:
    """A YAML file of named word lists, lower-cased."""
    text = resources.files("newsgraph").joinpath(path).read_text(encoding="utf-8")
    return {k: frozenset(str(w).lower() for w in v) for k, v in (yaml.safe_load(text) or {}).items()}


# Flag and certainty cues are data (data/events/flags.yaml; hedges shared with the claims layer).
_FLAGS = _word_lists("data/events/flags.yaml")
HEDGES = _word_lists("data/claims/hedges.yaml")["alleged_adverbs"]
MODAL_HYPOTHETICAL = _FLAGS["modal_hypothetical"]
MODAL_ALLEGED = _FLAGS["modal_alleged"]
MODAL_FUTURE = _FLAGS["modal_future"]
FUTURE_GOVERNORS = _FLAGS["future_governors"]
HYPOTHETICAL_GOVERNORS = _FLAGS["hypothetical_governors"]
IMPLICATIVE = _FLAGS["implicative"]
CONDITIONAL_MARKS = _FLAGS["conditional_marks"]
HISTORICAL_CUES = _FLAGS["historical_cues"]


CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "xcomp", "acl", "conj", "parataxis"}


def _own_tokens(trigger: Token) -> list[Token]:
    """The trigger's subtree without its embedded clauses: what modifies this event itself."""
    out: list[Token] = []
    stack = [trigger]
    while stack:
        tok = stack.pop()
        out.append(tok)
        stack.extend(c for c in tok.children if c.dep_ not in CLAUSE_DEPS)
    return out


def _years(times: list[Any], tokens: list[Token]) -> list[int]:
    """Years of the time expressions (times layer) that overlap the given tokens."""
    spans = [(t.idx, t.idx + len(t.text)) for t in tokens]
    years = []
    for tx in times:
        value = str(getattr(tx, "value", None) or "")
        if len(value) >= 4 and value[:4].isdigit() and any(s < tx.end and tx.start < e for s, e in spans):
            years.append(int(value[:4]))
    return years


def event_flags(trigger: Token, published_year: int | None, times: list[Any] | None = None) -> dict[str, Any]:
    negated = hypothetical = future = historical = False
    neg_cue: str | None = None
    certainty = "asserted"
    cue: str | None = None
    for child in trigger.children:
        low = child.lower_
        if child.dep_ == "neg":
            negated = True
            neg_cue = child.text
        elif child.dep_ == "aux":
            if low in MODAL_HYPOTHETICAL:
                hypothetical = True
                certainty, cue = "hypothetical", child.text
            elif low in MODAL_ALLEGED:
                certainty, cue = "alleged", child.text
            elif low in MODAL_FUTURE:
                future = True
        elif child.dep_ == "advmod" and low in HEDGES:
            certainty, cue = "alleged", child.text
        elif child.dep_ == "advmod" and low in HISTORICAL_CUES:
            historical = True
        elif child.dep_ == "mark" and low in CONDITIONAL_MARKS:
            hypothetical = True
    # governed by a plan/intention verb, or a purpose infinitive
    head = trigger.head
    if trigger.dep_ in ("xcomp", "advcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children):
        hlem = head.lemma_.lower()
        if hlem in FUTURE_GOVERNORS:
            future = True
        if hlem in HYPOTHETICAL_GOVERNORS and certainty == "asserted":
            certainty, cue = "hypothetical", head.text
        if hlem not in IMPLICATIVE:
            hypothetical = True
    # a conditional clause higher up
    anc = trigger
    for _ in range(4):
        if anc.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in anc.children):
            hypothetical = True
            break
        if anc.head.i == anc.i:
            break
        anc = anc.head
    if published_year:
        own = _own_tokens(trigger)
        years = _years(times or [], own) or [
            int(t.text) for t in own if t.ent_type_ == "DATE" and len(t.text) == 4 and t.text.isdigit()
        ]
        historical = historical or any(y < published_year - 1 for y in years)
    certainty, cue = stronger((certainty, cue), hedge_certainty(trigger))
    if negated:
        certainty, cue = "denied", neg_cue
    return {
        "negated": negated,
        "hypothetical": hypothetical,
        "future": future,
        "historical": historical,
        "certainty": certainty,
        "certainty_cue": cue,
    }
