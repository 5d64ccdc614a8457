"""Facts as plain sentences: "Cuba cooperated with Russia", "an unnamed attacker attacked Ukraine".

The one place that turns an event or relation into words, shared by the query layer (the web
view, the API), the CLI and the exports. The extracted trigger is a span of the article ("tightened
the political and diplomatic partnership"): read as a verb it rarely takes the target
grammatically, so the sentence uses the PLOVER category's own gloss (from the PLOVER codebook's
category descriptions) and the trigger is quoted beside it. An actor the article leaves unnamed
gets the category's role noun ("an unnamed attacker") rather than "?".
Written by hand: no library phrases PLOVER categories.
"""

from __future__ import annotations

# type: (past tense + preposition, base form + preposition, unnamed source role, unnamed target role)
EVENT_PHRASES: dict[str, tuple[str, str, str, str]] = {
    "AGREE": ("agreed with", "agree with", "party", "party"),
    "CONSULT": ("consulted", "consult", "party", "party"),
    "SUPPORT": ("supported", "support", "supporter", "party"),
    "CONCEDE": ("made concessions to", "make concessions to", "party", "party"),
    "COOPERATE": ("cooperated with", "cooperate with", "partner", "partner"),
    "AID": ("gave aid to", "give aid to", "donor", "recipient"),
    "RETREAT": ("retreated from", "retreat from", "party", "party"),
    "REQUEST": ("made a request to", "make a request to", "requester", "party"),
    "ACCUSE": ("accused", "accuse", "accuser", "party"),
    "REJECT": ("rejected", "reject", "party", "party"),
    "THREATEN": ("threatened", "threaten", "party", "target"),
    "PROTEST": ("protested against", "protest against", "protester", "target"),
    "SANCTION": ("sanctioned", "sanction", "party", "target"),
    "MOBILIZE": ("mobilized against", "mobilize against", "force", "target"),
    "COERCE": ("coerced", "coerce", "party", "target"),
    "ASSAULT": ("attacked", "attack", "attacker", "target"),
    "RECRUIT": ("recruited", "recruit", "recruiter", "recruit"),
    "TRAFFIC": ("trafficked", "traffic", "trafficker", "victim"),
    "INVESTIGATE": ("investigated", "investigate", "investigator", "party"),
}

RELATION_PHRASES: dict[str, tuple[str, str]] = {
    "linked_to": ("is linked to", "is not linked to"),
    "member_of": ("is a member of", "is not a member of"),
    "leader_of": ("leads", "does not lead"),
    "works_for": ("works for", "does not work for"),
    "located_in": ("is located in", "is not located in"),
    "funds": ("funds", "does not fund"),
    "benefits": ("benefits", "does not benefit"),
    "affiliated_with": ("is affiliated with", "is not affiliated with"),
}


def unnamed(role: str) -> str:
    return f"an unnamed {role}"


def event_sentence(
    type_: str,
    source: str | None,
    target: str | None,
    *,
    trigger: str | None = None,
    negated: bool = False,
    with_trigger: bool = True,
) -> str:
    """One event as a sentence; an absent object is left out only when the verb needs none."""
    past, base, src_role, tgt_role = EVENT_PHRASES.get(
        type_, (type_.lower().replace("_", " "), type_.lower().replace("_", " "), "party", "party")
    )
    verb = f"did not {base}" if negated else past
    subject = source or unnamed(src_role)
    obj = target or unnamed(tgt_role)
    text = f"{subject} {verb} {obj}"
    if with_trigger and trigger and trigger.lower() not in (past, base):
        text += f" (“{trigger}”)"
    return text


def relation_sentence(type_: str, source: str | None, target: str | None, *, negated: bool = False) -> str:
    pos, neg = RELATION_PHRASES.get(type_, (type_.replace("_", " "), "not " + type_.replace("_", " ")))
    return f"{source or unnamed('party')} {neg if negated else pos} {target or unnamed('party')}"


def fact_sentence(
    kind: str,
    type_: str,
    source: str | None,
    target: str | None,
    *,
    trigger: str | None = None,
    negated: bool = False,
    with_trigger: bool = True,
) -> str:
    """An event or relation as a sentence (a co-mention says only that both were named together)."""
    if kind == "relation":
        return relation_sentence(type_, source, target, negated=negated)
    if kind == "co_mention":
        return f"{source or unnamed('party')} and {target or unnamed('party')} are named in one sentence"
    return event_sentence(type_, source, target, trigger=trigger, negated=negated, with_trigger=with_trigger)
