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

ROLE_TYPES = frozenset({"member_of", "leader_of"})


@dataclass(frozen=True)
class RelationCues:
    link_verbs: dict[str, str]
    link_preps: frozenset[str]
    link_nouns: dict[str, str]
    fund_verbs: frozenset[str]
    money_verbs: frozenset[str]
    money_nouns: frozenset[str]
    benefit_verbs: frozenset[str]
    activity_contexts: frozenset[str]
    located_verbs: frozenset[str]
    government_nouns: frozenset[str]
    local_titles: frozenset[str]
    membership_nouns: dict[str, str]
    employment_nouns: frozenset[str]


@lru_cache(maxsize=1)
def load_cues() -> RelationCues:
    d = datafiles.load("events/relations.yaml")
    return RelationCues(
        link_verbs=dict(d["link_verbs"]),
        link_preps=frozenset(d["link_preps"]),
        link_nouns=dict(d["link_nouns"]),
        fund_verbs=frozenset(d["fund_verbs"]),
        money_verbs=frozenset(d["money_verbs"]),
        money_nouns=frozenset(d["money_nouns"]),
        benefit_verbs=frozenset(d["benefit_verbs"]),
        activity_contexts=frozenset(d.get("activity_contexts", ())),
        located_verbs=frozenset(d["located_verbs"]),
        government_nouns=frozenset(d["government_nouns"]),
        local_titles=frozenset(d.get("local_titles", ())),
        membership_nouns=dict(d["membership_nouns"]),
        employment_nouns=frozenset(d.get("employment_nouns", ())),
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
        if rtype in ROLE_TYPES and (
            ("member_of", source, target) in self.seen or ("leader_of", source, target) in self.seen
        ):
            return
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
                    self.membership(tok, c.membership_nouns[lemma], sidx)
                elif lemma in c.employment_nouns:
                    self.employment(tok, sidx)
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

    def membership(self, noun: Token, rtype: str, sidx: int) -> None:
        """ "X is a member of Y" (copula) and "X, a member of Y," (apposition)."""
        orgs = pobjs(noun, {"of"})
        if not orgs:
            return
        if noun.dep_ == "attr":
            holder = [c for c in noun.head.children if c.dep_ == "nsubj"]
        elif noun.dep_ == "appos":
            holder = [noun.head]
        else:
            return
        person = self.one(holder)
        ent = self.ctx.by_id.get(person or "")
        if ent is None or ent.type not in ("Person", "Group", "Organization"):
            return
        self.add(rtype, person, self.one(orgs), sidx, [*holder, *orgs], noun, predicative=noun.dep_ == "attr")

    def employment(self, noun: Token, sidx: int) -> None:
        """ "X, a spokeswoman for Y", "X is an adviser to Y", "Y's secretary X", "Y spokesman X":
        X works for Y (the employer is the possessor, a for/to/of/at object, or a named modifier)."""
        employer = [c for c in noun.children if c.dep_ == "poss"] or pobjs(noun, {"for", "to", "of", "at", "with"})
        if not employer:
            employer = [c for c in noun.lefts if c.dep_ in ("compound", "nmod") and self.ctx.tok_entity(c)]
        if not employer:
            return
        if noun.dep_ == "attr":
            holder = [c for c in noun.head.children if c.dep_ == "nsubj"]
        elif noun.dep_ == "appos":
            holder = [noun.head]
        else:  # "Y's secretary X": the name in apposition, or the name the title is a compound of
            holder = [c for c in noun.children if c.dep_ == "appos"]
            if not holder and noun.head.pos_ == "PROPN" and noun.dep_ == "compound":
                holder = [noun.head]
        person = self.one(holder)
        ent = self.ctx.by_id.get(person or "")
        boss = self.ctx.by_id.get(self.one(employer) or "")
        if ent is None or ent.type != "Person" or boss is None or boss.type == "Place":
            return
        self.add("works_for", person, boss.id, sidx, [*holder, *employer], noun, predicative=noun.dep_ == "attr")


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
