"""Relations between actors stated in clauses (the ``relations`` component).

The ``relations`` component runs after ``events``. It

1. appends relations found by parse patterns with cue words from ``data/events/relations.yaml``:
   ``linked_to``/``affiliated_with`` ("a network allegedly linked to X", "Y is tied to X"),
   ``funds`` ("X finances Y", "Y, funded by X"), ``benefits`` ("Z would be generating money for
   X" → X benefits from Z; "X benefits from Z"), ``located_in`` ("based in", "residing in"),
   ``leader_of`` ("the government of <Person>") and ``member_of``/``leader_of`` from copulas
   and appositions ("X is a member of Y") — never duplicating one the actors component added;
2. sets a relation's own certainty from its cue's negation and hedges; who asserts it (and the
   speaker's certainty) is set by the ``assertions`` component.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from newsgraph import datafiles
from newsgraph.extract.actors.context import ActorContext
from newsgraph.extract.certainty import hedge_certainty, negation
from newsgraph.extract.events.arguments import ArgumentFinder
from newsgraph.extract.events.lexicon import trigger_lexicon
from newsgraph.extract.pipeline import Analysis, component
from newsgraph.extract.syntax import REL_PRONOUNS, end_of, pobjs, sentence_span
from newsgraph.model import Relation, as_certainty, as_relation_type

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

ROLE_TYPES = frozenset({"member_of", "leader_of", "works_for"})
# What a role's organisation may be: a leader or member of an organisation or a country, an
# employee of an organisation, a country or a person ("Castro's secretary").
ROLE_TARGETS = {
    "leader_of": frozenset({"Organization", "Country"}),
    "member_of": frozenset({"Organization", "Country", "Group"}),
    "works_for": frozenset({"Organization", "Country", "Person", "Group"}),
}
# A leader's title with one of these before it is a lesser rank: a member, not the leader.
LESSER_RANKS = frozenset({"vice", "deputy", "assistant", "associate", "co", "sub"})
# Elected members: their "for"/"of" object is a constituency ("the Respect MP for Bethnal Green"),
# their body the named modifier.
ELECTED_NOUNS = frozenset({"mp", "senator", "congressman", "congresswoman", "lawmaker", "legislator", "deputy"})
# "prime minister": the head of the government, not one member.
HEAD_MODIFIERS = frozenset({"prime"})
# "ambassador to X", "envoy to X": the country of the posting, not the employer.
POSTING_NOUNS = frozenset({"ambassador", "envoy", "representative", "correspondent", "consul"})


@dataclass(frozen=True)
class RelationCues:
    link_verbs: dict[str, str]
    link_preps: frozenset[str]
    link_nouns: dict[str, str]
    fund_verbs: frozenset[str]
    money_verbs: frozenset[str]
    transfer_verbs: frozenset[str]
    receive_verbs: frozenset[str]
    money_nouns: frozenset[str]
    benefit_verbs: frozenset[str]
    activity_contexts: frozenset[str]
    located_verbs: frozenset[str]
    government_nouns: frozenset[str]
    local_titles: frozenset[str]
    membership_nouns: dict[str, str]
    employment_nouns: frozenset[str]
    join_verbs: dict[str, frozenset[str]]
    lead_verbs: frozenset[str]


@lru_cache(maxsize=1)
def load_cues() -> RelationCues:
    d = datafiles.load("events/relations.yaml")
    return RelationCues(
        link_verbs=dict(d["link_verbs"]),
        link_preps=frozenset(d["link_preps"]),
        link_nouns=dict(d["link_nouns"]),
        fund_verbs=frozenset(d["fund_verbs"]),
        money_verbs=frozenset(d["money_verbs"]),
        transfer_verbs=frozenset(d.get("transfer_verbs", ())),
        receive_verbs=frozenset(d.get("receive_verbs", ())),
        money_nouns=frozenset(d["money_nouns"]),
        benefit_verbs=frozenset(d["benefit_verbs"]),
        activity_contexts=frozenset(d.get("activity_contexts", ())),
        located_verbs=frozenset(d["located_verbs"]),
        government_nouns=frozenset(d["government_nouns"]),
        local_titles=frozenset(d.get("local_titles", ())),
        membership_nouns=dict(d["membership_nouns"]),
        employment_nouns=frozenset(d.get("employment_nouns", ())),
        join_verbs={k: frozenset(v or ()) for k, v in (d.get("join_verbs") or {}).items()},
        lead_verbs=frozenset(d.get("lead_verbs", ())),
    )


class _Builder:
    """Finds the relations of one article, sentence by sentence (see module doc)."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.graph = analysis.graph
        self.ctx = ActorContext(analysis)
        self.finder = ArgumentFinder(self.ctx, trigger_lexicon())
        self.cues = load_cues()
        self.seen: set[tuple[str, str, str]] = {(r.type, r.source, r.target) for r in self.graph.relations}
        self.mine: set[str] = set()

    def add(
        self,
        rtype: str,
        source: str | None,
        target: str | None,
        sidx: int,
        toks: list[Token],
        cue: Token,
        predicative: bool = True,
    ) -> None:
        if not source or not target or source == target or (rtype, source, target) in self.seen:
            return
        if rtype in ROLE_TYPES and any((t, source, target) in self.seen for t in ROLE_TYPES):
            return  # one role per pair: "Acme spokesman P" is not also a member_of
        start = min(t.idx for t in [*toks, cue])
        end = max(end_of(t) for t in [*toks, cue])
        rel = Relation(
            id=f"R{len(self.graph.relations) + 1}",
            type=as_relation_type(rtype),
            source=source,
            target=target,
            sentence=sidx,
            start=start,
            end=end,
            cue=cue.text,
        )
        if negated := negation(cue):
            rel.certainty, rel.certainty_cue = "denied", negated
        else:
            certainty, hedge_cue = hedge_certainty(cue)
            if certainty != "asserted":
                rel.certainty, rel.certainty_cue = as_certainty(certainty), hedge_cue
        self.graph.relations.append(rel)
        self.seen.add((rtype, source, target))
        if predicative:
            self.mine.add(rel.id)

    def subject(self, verb: Token) -> list[Token]:
        toks = self.finder.subject_toks(verb)
        if not toks and verb.dep_ == "acl":
            toks = [verb.head]
        return toks

    def one(self, toks: list[Token]) -> str | None:
        ids = [i for i in self.finder.actors_of(toks) if i] if toks else []
        return ids[0] if ids else None

    def visit(self, sent: Span, sidx: int) -> None:
        c = self.cues
        for tok in sent:
            lemma = tok.lemma_.lower()
            pos = tok.pos_
            if pos == "VERB" or tok.tag_ == "VBN":
                if lemma in c.link_verbs:
                    self.link(tok, c.link_verbs[lemma], sidx)
                elif lemma in c.fund_verbs:
                    self.fund(tok, sidx)
                elif lemma in c.money_verbs:
                    self.money(tok, sidx)
                elif lemma in c.transfer_verbs:
                    self.transfer(tok, sidx)
                elif lemma in c.receive_verbs:
                    self.receive(tok, sidx)
                elif lemma in c.join_verbs:
                    self.join(tok, c.join_verbs[lemma], sidx)
                elif lemma in c.lead_verbs:
                    self.lead(tok, sidx)
                elif lemma in c.benefit_verbs:
                    self.benefit(tok, sidx)
                elif lemma in c.located_verbs:
                    self.located(tok, sidx)
                elif lemma == "have":
                    for obj in tok.children:
                        if obj.dep_ == "dobj" and obj.lemma_.lower() in c.link_nouns:
                            tgt = self.one(pobjs(obj, c.link_preps))
                            src = self.one(self.subject(tok))
                            self.add(c.link_nouns[obj.lemma_.lower()], src, tgt, sidx, [tok, obj], obj)
            elif pos in ("NOUN", "PROPN"):
                if lemma in c.government_nouns:
                    self.government(tok, sidx)
                elif lemma in c.membership_nouns:
                    self.role(tok, c.membership_nouns[lemma], sidx)
                elif lemma in c.employment_nouns:
                    self.role(tok, "works_for", sidx)
                elif lemma in c.link_nouns and tok.head.lemma_ != "have":
                    poss = [ch for ch in tok.children if ch.dep_ == "poss"]
                    if poss:
                        self.add(
                            c.link_nouns[lemma], self.one(poss), self.one(pobjs(tok, c.link_preps)), sidx, [tok], tok
                        )

    def link(self, verb: Token, rtype: str, sidx: int) -> None:
        objs = pobjs(verb, self.cues.link_preps)
        if not objs:
            return
        if verb.dep_ == "acl":
            src_toks = [verb.head]
        else:
            subj = [c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")]
            if subj and subj[0].lower_ in REL_PRONOUNS and verb.dep_ == "relcl":
                src_toks = [verb.head]
            elif subj:
                src_toks = subj
            elif verb.dep_ in ("acomp", "xcomp"):
                src_toks = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            else:
                return
        src = self.one(src_toks)
        for obj in objs:
            self.add(rtype, src, self.one([obj]), sidx, [*src_toks, obj], verb)

    def fund(self, verb: Token, sidx: int) -> None:
        if verb.dep_ == "acl" and verb.tag_ == "VBN":  # "Y, funded by X"
            agents = pobjs(verb, {"by"})
            self.add("funds", self.one(agents), self.one([verb.head]), sidx, [verb.head, *agents], verb)
            return
        passive = any(c.dep_ == "nsubjpass" for c in verb.children)
        if passive:
            agents = pobjs(verb, {"by"})
            pat = [c for c in verb.children if c.dep_ == "nsubjpass"]
            self.add("funds", self.one(agents), self.one(pat), sidx, [*pat, *agents], verb)
            return
        objs = [c for c in verb.children if c.dep_ == "dobj"]
        subj = self.subject(verb)
        self.add("funds", self.one(subj), self.one(objs), sidx, [*subj, *objs], verb)

    def money(self, verb: Token, sidx: int) -> None:
        """ "Z generates money for X": X benefits from Z."""
        objs = [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in self.cues.money_nouns]
        if not objs:
            return
        beneficiaries = pobjs(verb, {"for", "to"}) or pobjs(objs[0], {"for", "to"})
        if not beneficiaries:
            return
        subj = self.subject(verb)
        src = self.one(beneficiaries)
        gen = self.one(subj)
        if gen is None:
            gen = self.activity_doer(verb.idx)
        self.add("benefits", src, gen, sidx, [*subj, *beneficiaries, verb], verb)

    def activity_doer(self, before: int) -> str | None:
        """An anaphoric non-actor subject ("this", "which", "the agreement") of a money verb: the
        doer of the most recent event of a domain context (trafficking…) before it."""
        best = None
        for ev in self.graph.events:
            if ev.context in self.cues.activity_contexts and ev.source and (ev.trigger_start or ev.start) < before:
                best = ev.source
        return best

    def benefit(self, verb: Token, sidx: int) -> None:
        objs = pobjs(verb, {"from"})
        subj = self.subject(verb)
        if objs and subj:
            self.add("benefits", self.one(subj), self.one(objs), sidx, [*subj, *objs], verb)

    def located(self, verb: Token, sidx: int) -> None:
        places = [p for p in pobjs(verb, {"in", "at"}) if self._is_place(self.ctx.tok_entity(p))]
        if not places:
            return
        src_toks = [verb.head] if verb.dep_ == "acl" else self.subject(verb)
        self.add("located_in", self.one(src_toks), self.ctx.tok_entity(places[0]), sidx, [*src_toks, places[0]], verb)

    def _is_place(self, eid: str | None) -> bool:
        ent = self.ctx.by_id.get(eid or "")
        return ent is not None and ent.type in ("Place", "Country")

    def government(self, noun: Token, sidx: int) -> None:
        """ "the government of Vladimir Putin": leader_of(Putin, that government)."""
        org = self.ctx.tok_entity(noun)
        if not org or getattr(self.ctx.by_id.get(org), "type", None) != "Organization":
            return
        for pobj in pobjs(noun, {"of"}):
            if any(t.lower_ in self.cues.local_titles for t in pobj.subtree):
                continue
            person = self.ctx.tok_entity(pobj)
            ent = self.ctx.by_id.get(person or "")
            if ent is not None and ent.type == "Person":
                self.add("leader_of", person, org, sidx, [noun, pobj], noun, predicative=False)

    def money_object(self, verb: Token) -> Token | None:
        """The sum a verb moves: "$3 million", "funds", "the payments" (a MONEY entity or a money noun)."""
        for c in verb.children:
            if c.dep_ in ("dobj", "nsubjpass") and (
                c.ent_type_ == "MONEY" or c.lemma_.lower() in self.cues.money_nouns
            ):
                return c
        return None

    def transfer(self, verb: Token, sidx: int) -> None:
        """ "X transferred $3 million to Y", "X paid Y $500,000", "$2 million was sent to Y by X": X funds Y."""
        money = self.money_object(verb)
        if money is None:
            return
        receivers = pobjs(verb, {"to", "for"}) or [c for c in verb.children if c.dep_ in ("dative", "iobj")]
        receivers = [r for r in receivers if r.dep_ != "pobj" or r.head.lower_ != "for" or r.ent_type_ != "MONEY"]
        if not receivers:
            return
        giver = pobjs(verb, {"by"}) if money.dep_ == "nsubjpass" else self.subject(verb)
        src = self.one(giver)
        if src is None and giver and giver[0].lower_ in REL_PRONOUNS | {"this", "it", "which"}:
            src = self.activity_doer(verb.idx)
        self.add("funds", src, self.one(receivers), sidx, [*giver, *receivers, verb], verb)

    def receive(self, verb: Token, sidx: int) -> None:
        """ "Y received $2 million from X", "Y got funding from X": X funds Y."""
        if self.money_object(verb) is None:
            return
        givers = pobjs(verb, {"from"})
        subj = self.subject(verb)
        if givers and subj:
            self.add("funds", self.one(givers), self.one(subj), sidx, [*subj, *givers, verb], verb)

    def join(self, verb: Token, preps: frozenset[str], sidx: int) -> None:
        """ "X joined the Y", "X fought for Y", "X served in Y": X is a member of the organisation Y."""
        objs = pobjs(verb, preps) if preps else [c for c in verb.children if c.dep_ == "dobj"]
        subj = self.subject(verb)
        if not subj and verb.dep_ == "xcomp":  # "he was forced to join X", "they persuaded him to join X"
            subj = [c for c in verb.head.children if c.dep_ in ("nsubjpass", "dobj")] or self.subject(verb.head)
        if not objs or not subj:
            return
        member = self.ctx.by_id.get(self.one(subj) or "")
        if member is None or member.type not in ("Person", "Group"):
            return
        for obj in objs:
            org = self.ctx.by_id.get(self.ctx.tok_entity(obj) or self.one([obj]) or "")
            if org is None or org.type != "Organization" or org.subtype in ("media", "social_network"):
                continue
            self.add("member_of", member.id, org.id, sidx, [*subj, obj], verb)

    def lead(self, verb: Token, sidx: int) -> None:
        """ "X led the rebel group's northern brigade", "X heads the agency": X leads the organisation."""
        objs = [c for c in verb.children if c.dep_ == "dobj"]
        subj = [c for c in verb.children if c.dep_ == "nsubj"]  # a stated subject: not "discussed Brazil leading X"
        if subj and subj[0].lower_ in REL_PRONOUNS and verb.dep_ == "relcl":
            subj = [verb.head]
        leader = self.ctx.by_id.get(self.one(subj) or "")
        if not objs or leader is None or leader.type != "Person":
            return
        org = self.ctx.by_id.get(self.ctx.tok_entity(objs[0]) or self.one(objs) or "")
        if org is None or org.type != "Organization" or org.subtype in ("media", "social_network", "government"):
            return
        rtype = "member_of" if any(c.lower_ in LESSER_RANKS for c in verb.lefts) else "leader_of"
        self.add(rtype, leader.id, org.id, sidx, [*subj, objs[0]], verb)

    def role_holder(self, noun: Token) -> list[Token]:
        """Who holds a role noun: the subject of a copula ("X is a member of Y"), the name it is in
        apposition to ("X, a spokeswoman for Y"), its own apposition ("Y's secretary, X"), the
        name it is a title of ("Y chief X"), or the subject of "served/worked as"."""
        if noun.dep_ == "attr":
            return [c for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if noun.dep_ == "appos":
            return [noun.head]
        if noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head.pos_ in ("VERB", "AUX"):
            return self.subject(noun.head.head)
        appos = [c for c in noun.children if c.dep_ == "appos"]
        if appos:
            return appos
        if noun.dep_ == "compound" and noun.head.pos_ == "PROPN":
            return [noun.head]
        return []

    def role_org(self, noun: Token) -> list[Token]:
        """The organisation of a role noun: a possessor ("Y's secretary"), the object of of/for/at
        ("a member of Y", "a spokeswoman for Y"; "adviser to Y"), else a named modifier ("Y chief")."""
        lemma = noun.lemma_.lower()
        preps = {"of", "for", "at", "with"} if lemma in POSTING_NOUNS else {"of", "for", "at", "with", "to"}
        if lemma in ELECTED_NOUNS:
            preps = {"at", "with"}
        found = [c for c in noun.children if c.dep_ == "poss"] or pobjs(noun, preps)
        if found:
            return found
        # "Acme spokesman", "a Hamas leader": a named modifier (a nationality is no employer: "a U.S. activist")
        named = [
            c
            for c in noun.lefts
            if c.dep_ in ("compound", "nmod", "amod")
            and getattr(self.ctx.by_id.get(self.ctx.tok_entity(c) or ""), "type", "Country") != "Country"
        ]
        return sorted(named, key=lambda c: -c.i)[:1]

    def possessor(self, pron: Token) -> str | None:
        """ "his"/"her": the latest person before it in its sentence, else the one the text is about."""
        best = None
        for s, _e, eid in self.analysis.mentions.between(pron.sent.start_char, pron.idx):
            ent = self.ctx.by_id.get(eid)
            if ent is not None and ent.type == "Person" and s < pron.idx:
                best = eid
        return best or self.ctx.last_person_before(pron)

    def lesser_rank(self, noun: Token) -> bool:
        """ "the vice-president of X", "deputy head of X", "chief of operations for X": a member, not the leader."""
        doc = noun.doc
        if any(c.lower_ in LESSER_RANKS for c in noun.lefts):
            return True
        if noun.i > 1 and doc[noun.i - 1].lower_ == "-" and doc[noun.i - 2].lower_ in LESSER_RANKS:
            return True
        of_objects = pobjs(noun, {"of"})
        return (
            bool(of_objects)
            and not any(self.ctx.tok_entity(o) for o in of_objects)
            and bool(pobjs(noun, {"for", "at"}))
        )

    def role(self, noun: Token, rtype: str, sidx: int) -> None:
        """A role noun: "X, a member of Y," / "X is the head of Y" / "Y spokesman X" / "Y's aide, X"."""
        employer = self.role_org(noun)
        holder = self.role_holder(noun)
        if not employer or not holder:
            return
        person = self.one(holder)
        ent = self.ctx.by_id.get(person or "")
        holders = {"works_for": ("Person",), "leader_of": ("Person", "Group")}.get(
            rtype, ("Person", "Group", "Organization")
        )
        if ent is None or ent.type not in holders:
            return  # an organisation can be a member ("X is a member of the alliance"), not an employee
        if employer[0].lower_ in ("his", "her"):  # "His lawyer, Paul Ndaye": the person before
            boss_id = self.possessor(employer[0])
        else:
            boss_id = self.ctx.tok_entity(employer[0]) or self.one(employer)
        boss = self.ctx.by_id.get(boss_id or "")
        if (
            boss is not None
            and boss.type != "Organization"
            and employer[0].pos_ == "NOUN"
            and not self.ctx.tok_entity(employer[0])
        ):
            return  # "the lead prosecutor of the Plame leak case": a person named inside a common noun's phrase
        if boss is None or boss.type not in ROLE_TARGETS[rtype] or boss.id in (ent.id, self.ctx.tok_entity(noun)):
            return  # "Margolis was the Domestic Criminal Section Chief": the role is no organisation
        if boss.type == "Group" and (boss.subtype or boss.country):
            return  # a population ("Cuban citizens") employs no one; a named group ("the Conservatives") may
        if boss.type == "Country" and employer[0].dep_ != "poss" and self.ctx.tok_entity(employer[0]) != boss.id:
            return  # "president of the U.S.-Cuba Trade Association": the country only modifies the body
        if rtype == "member_of" and any(c.lower_ in HEAD_MODIFIERS for c in noun.lefts):
            rtype = "leader_of"  # "Spain's prime minister, P"
        if rtype == "leader_of" and self.lesser_rank(noun):
            rtype = "member_of"  # "the vice-president of X", "chief of operations for X"
        predicative = noun.dep_ == "attr"
        self.add(rtype, ent.id, boss.id, sidx, [*holder, *employer], noun, predicative=predicative)


@component(
    "relations",
    requires=("graph.sentences", "graph.entities", "graph.events", "analysis.mentions"),
    assigns=("graph.relations", "analysis.predicative_relations"),
)
def relations(analysis: Analysis) -> None:
    builder = _Builder(analysis)
    for s in analysis.graph.sentences:
        span = sentence_span(analysis.doc, s)
        if span is not None:
            builder.visit(span, s.index)
    analysis.predicative_relations = builder.mine
