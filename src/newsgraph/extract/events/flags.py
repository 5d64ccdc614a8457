"""Event flags: negated (by "not" or a negative quantifier), hypothetical, future, historical,
and the certainty of the trigger's own clause (cue words from
`newsgraph.extract.certainty.certainty_cues`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsgraph.extract.certainty import certainty_cues, hedge_certainty, stronger

if TYPE_CHECKING:
    from spacy.tokens import Token

CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "xcomp", "acl", "conj", "parataxis"}
# A negative quantifier on the event noun or on a core argument says the act did not happen:
# "no arrests were made", "made no arrests", "there was no attack", "arrested nobody".
NEGATIVE_QUANTIFIERS = frozenset({"no", "nobody", "none", "nothing", "neither", "noone"})
CORE_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr"})


def _negative_quantifier(trigger: Token) -> Token | None:
    """The "no" / "nobody" that quantifies the event away, if any (see NEGATIVE_QUANTIFIERS)."""
    heads = [trigger] if trigger.pos_ in ("NOUN", "PROPN") else []
    heads += [c for c in trigger.children if c.dep_ in CORE_ARGUMENT_DEPS]
    for head in heads:
        if head is not trigger and head.lower_ in NEGATIVE_QUANTIFIERS:
            return head
        for det in head.children:
            if det.dep_ == "det" and det.lower_ in NEGATIVE_QUANTIFIERS:
                return det
    return None


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


def _infinitive(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _raising_hedge(trigger: Token) -> Token | None:
    """ "is believed to have killed", "were said to be recruiting", "appears to have fled": a
    passive verb of belief or report, or a raising verb of appearance, hedges its complement."""
    if trigger.dep_ != "xcomp" or not _infinitive(trigger):
        return None
    cues = certainty_cues()
    head = trigger.head
    lemma = head.lemma_.lower()
    if lemma in cues.alleged_raising_verbs:
        return head
    if lemma not in cues.alleged_passive_governors:
        return None
    # "is believed to", the participle of a reduced relative ("forces reported to have been
    # killed", a participle with no perfect "have" of its own), or a perfect infinitive, which
    # these verbs take only as hedges ("claimed to have shot", "[were] reported to have fled")
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in head.children) or (
        head.tag_ == "VBN" and not any(c.dep_ == "aux" and c.lemma_ == "have" for c in head.children)
    )
    perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in trigger.children)
    return head if passive or perfect else None


def _generic_doer(trigger: Token) -> Token | None:
    """The determiner of a doer quantified over ("*any* college that prohibits", "*every* state
    deporting them"): the clause states a rule, not an act."""
    dets = certainty_cues().generic_determiners
    doers = [trigger.head] if trigger.dep_ in ("relcl", "acl") else []
    doers += [c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")]
    for doer in doers:
        det = next((c for c in doer.children if c.dep_ == "det" and c.lower_ in dets), None)
        if det is not None:
            return det
    return None


def _perfect_after(modal: Token, trigger: Token) -> bool:
    """ "would/should/could have been arrested": a perfect "have" after the modal (a counterfactual
    or a past obligation: the modal speaks of what did or did not happen, not what will)."""
    return any(c.dep_ == "aux" and c.lemma_ == "have" and c.i > modal.i for c in trigger.children)


def _conditional_main(trigger: Token) -> bool:
    """The trigger's own clause has a condition: "would attack [if they were paid]"."""
    cues = certainty_cues()
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in cues.conditional_marks for m in c.children)
        for c in trigger.children
    )


def _would_reading(modal: Token, trigger: Token) -> tuple[str, bool]:
    """What "would" says of an event: (certainty, future). A counterfactual ("would have been
    arrested") or a conditional ("would attack if…") is hypothetical; in a reported or predicted
    clause ("said troops would be sent", "hoped they would be freed") it is the future of that
    past: announced, not done; alone in a main clause ("the prisoners would be held in a base",
    "this would be happening") it is the conditional of rumour: alleged."""
    if _perfect_after(modal, trigger) or _conditional_main(trigger):
        return "hypothetical", False
    if trigger.dep_ == "ccomp" and trigger.head.pos_ in ("VERB", "AUX"):
        return "hypothetical", True
    return "alleged", False


def deontic_modal(trigger: Token) -> Token | None:
    """The modal of obligation on the trigger ("must be released", "should not have been
    executed"): the clause states a norm about the event, not that it happened or not."""
    modals = certainty_cues().deontic_modals
    return next((c for c in trigger.children if c.dep_ == "aux" and c.lower_ in modals), None)


def event_flags(trigger: Token, published_year: int | None, times: list[Any] | None = None) -> dict[str, Any]:
    """The flags and own certainty of the event a trigger names (see module doc)."""
    cues = certainty_cues()
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
            if low in (cues.hypothetical_modals | cues.unrealised_modals):
                hypothetical = True
                certainty, cue = "hypothetical", child.text
            elif low in cues.alleged_modals:
                reading, in_future = _would_reading(child, trigger)
                certainty, cue = reading, child.text
                hypothetical = hypothetical or reading == "hypothetical"
                future = future or in_future
            elif low in cues.future_modals:
                future = True
        elif child.dep_ == "advmod" and low in cues.alleged_adverbs:
            certainty, cue = "alleged", child.text
        elif child.dep_ == "advmod" and low in cues.historical_adverbs:
            historical = True
        elif child.dep_ == "amod" and trigger.pos_ in ("NOUN", "PROPN") and low in cues.hypothetical_adjectives:
            # "our next attack", "a possible strike", "the planned visit": not (yet) done
            hypothetical = True
            future = future or low in cues.future_adjectives
            if certainty == "asserted":
                certainty, cue = "hypothetical", child.text
        elif child.dep_ == "mark" and low in cues.conditional_marks:
            hypothetical = True
            if certainty == "asserted":
                certainty, cue = "hypothetical", child.text
    # governed by a plan/intention verb, or a purpose infinitive
    head = trigger.head
    generic = _generic_doer(trigger)
    if generic is not None:
        # "any college that bans recruiters …", "every state that deports them": a rule for
        # whoever does it, no act that was done
        hypothetical = True
        if certainty == "asserted":
            certainty, cue = "hypothetical", generic.text
    alleged_by = _raising_hedge(trigger)
    if alleged_by is not None:
        certainty, cue = "alleged", alleged_by.text
    if trigger.dep_ == "acl" and _infinitive(trigger) and head.lemma_.lower() in cues.hypothetical_nouns:
        # "a plot to blow up airliners", "an attempt to free the hostages": not (yet) done
        hypothetical = True
        if certainty == "asserted":
            certainty, cue = "hypothetical", head.text
    if trigger.dep_ in ("xcomp", "advcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children):
        hlem = head.lemma_.lower()
        if hlem in cues.future_governors:
            future = True
        if hlem in cues.hypothetical_governors and certainty == "asserted":
            certainty, cue = "hypothetical", head.text
        if hlem not in cues.implicative_governors:
            hypothetical = True  # a purpose or a complement not said to be done ("refused to release")
            if certainty == "asserted":
                certainty, cue = "hypothetical", head.text
    averted = trigger.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in cues.averting_governors
    if trigger.pos_ == "NOUN" and averted:
        # "to prevent rocket attacks", "the bombing was averted", "helped avert a strike": not done
        hypothetical = True
        if certainty == "asserted":
            certainty, cue = "hypothetical", head.text
    if trigger.dep_ == "pcomp" and head.lower_ == "from" and head.head.lemma_.lower() in cues.preventive_governors:
        # "prevented tourists from visiting", "refrained from attacking": an act kept from happening
        hypothetical = True
        if certainty == "asserted":
            certainty, cue = "hypothetical", head.head.text
    # "will not take effect until both sides sign": a present-tense time clause of a future one
    if (
        trigger.dep_ == "advcl"
        and trigger.tag_ in ("VB", "VBP", "VBZ")
        and any(c.dep_ == "mark" and c.lower_ in cues.temporal_marks for c in trigger.children)
        and any(c.dep_ == "aux" and c.lower_ in cues.future_modals for c in head.children)
    ):
        future = True
    # a conditional clause higher up
    anc = trigger
    for _ in range(4):
        mark = next((c for c in anc.children if c.dep_ == "mark" and c.lower_ in cues.conditional_marks), None)
        if anc.dep_ == "advcl" and mark is not None:
            hypothetical = True
            if certainty == "asserted":
                certainty, cue = "hypothetical", mark.text
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
    hedged = hedge_certainty(trigger)
    if hedged[1] is not None and hedged[1].lower() in cues.alleged_modals and cue == hedged[1]:
        hedged = (certainty, cue)  # the modal read above in its clause ("would have been" is no rumour)
    certainty, cue = stronger((certainty, cue), hedged)
    quantifier = None if negated else _negative_quantifier(trigger)
    if quantifier is not None:
        negated, neg_cue = True, quantifier.text
    deontic = deontic_modal(trigger)
    if negated and deontic is not None:
        # "must not be released", "should not have been executed": a norm against the event
        # (which may well have happened), not a denial that it did
        hypothetical = True
        certainty, cue = "hypothetical", deontic.text
    elif negated:
        certainty, cue = "denied", neg_cue
    return {
        "negated": negated,
        "hypothetical": hypothetical,
        "future": future,
        "historical": historical,
        "certainty": certainty,
        "certainty_cue": cue,
    }
