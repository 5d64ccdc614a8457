"""Relations between actors, and who asserts every relation and event (issue 4).

The ``relations`` component runs after ``events``. It

1. appends relations found by parse patterns with cue words from ``data/events/relations.yaml``:
   ``linked_to``/``affiliated_with`` ("a network allegedly linked to X", "Y is tied to X"),
   ``funds`` ("X finances Y", "Y, funded by X"), ``benefits`` ("Z would be generating money for
   X" → X benefits from Z; "X benefits from Z"), ``located_in`` ("based in", "residing in"),
   ``leader_of`` ("the government of <Person>") and ``member_of``/``leader_of`` from copulas
   and appositions ("X is a member of Y") — never duplicating one the actors component added;
2. sets ``asserted_by``/``certainty`` of every event and relation: the innermost attribution
   whose content covers it gives the speaker and the cue's certainty, the predicate's own hedges
   (allegedly, would, may…) can only make it weaker; role relations read off titles and
   appositions ("Russian President Vladimir Putin") are the writer's identification of an
   actor, not part of what a speaker claims, and stay in the article's voice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from newsgraph.extract.events import (
    EVENT_SCRATCH,
    PRECEDENCE,
    REL_PRONOUNS,
    _attribution_covering,
    _Ctx,
    _Finder,
    _hedge_cue,
    attribution_speaker,
    load_lexicon,
)
from newsgraph.extract.pipeline import Analysis, component
from newsgraph.model import Relation

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

ROLE_TYPES = frozenset({"member_of", "leader_of"})
REL_SCRATCH = "relations"


@dataclass(frozen=True)
class RelationCues:
    link_verbs: dict[str, str]
    link_preps: frozenset[str]
    link_nouns: dict[str, str]
    fund_verbs: frozenset[str]
    money_verbs: frozenset[str]
    money_nouns: frozenset[str]
    benefit_verbs: frozenset[str]
    located_verbs: frozenset[str]
    government_nouns: frozenset[str]
    local_titles: frozenset[str]
    membership_nouns: dict[str, str]


@lru_cache(maxsize=1)
def load_cues() -> RelationCues:
    text = resources.files("newsgraph").joinpath("data/events/relations.yaml").read_text(encoding="utf-8")
    d = yaml.safe_load(text)
    return RelationCues(
        link_verbs=dict(d["link_verbs"]),
        link_preps=frozenset(d["link_preps"]),
        link_nouns=dict(d["link_nouns"]),
        fund_verbs=frozenset(d["fund_verbs"]),
        money_verbs=frozenset(d["money_verbs"]),
        money_nouns=frozenset(d["money_nouns"]),
        benefit_verbs=frozenset(d["benefit_verbs"]),
        located_verbs=frozenset(d["located_verbs"]),
        government_nouns=frozenset(d["government_nouns"]),
        local_titles=frozenset(d.get("local_titles", ())),
        membership_nouns=dict(d["membership_nouns"]),
    )


def _pobjs(tok: Token, preps: frozenset[str] | set[str]) -> list[Token]:
    out: list[Token] = []
    for child in tok.children:
        if child.dep_ in ("prep", "dative", "agent") and child.lower_ in preps:
            out += [c for c in child.children if c.dep_ == "pobj"]
    return out


def _negation(cue: Token) -> str | None:
    """ "not affiliated with", "doesn't have any ties", "has no links": the word denying the relation."""
    found = next((c.text for c in cue.children if c.dep_ == "neg"), None)
    if found:
        return found
    if cue.pos_ in ("NOUN", "PROPN"):
        found = next((c.text for c in cue.children if c.dep_ == "det" and c.lower_ == "no"), None)
        if not found and cue.dep_ in ("dobj", "attr"):
            found = next((c.text for c in cue.head.children if c.dep_ == "neg"), None)
        return found
    if cue.dep_ in ("acomp", "xcomp"):
        return next((c.text for c in cue.head.children if c.dep_ == "neg"), None)
    return None


def _end(tok: Token) -> int:
    return tok.idx + len(tok.text)


class _Builder:
    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.graph = analysis.graph
        self.ctx = _Ctx(analysis)
        self.finder = _Finder(self.ctx, load_lexicon())
        self.cues = load_cues()
        self.seen = {(r.type, r.source, r.target) for r in self.graph.relations}
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
        end = max(_end(t) for t in [*toks, cue])
        rel = Relation(
            id=f"R{len(self.graph.relations) + 1}",
            type=rtype,
            source=source,
            target=target,
            sentence=sidx,
            start=start,
            end=end,
            cue=cue.text,
        )
        if negation := _negation(cue):
            rel.certainty, rel.certainty_cue = "denied", negation
        else:
            certainty, hedge_cue = _hedge_cue(cue)
            if certainty != "asserted":
                rel.certainty, rel.certainty_cue = certainty, hedge_cue
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
                            tgt = self.one(_pobjs(obj, c.link_preps))
                            src = self.one(self.subject(tok))
                            self.add(c.link_nouns[obj.lemma_.lower()], src, tgt, sidx, [tok, obj], obj)
            elif pos in ("NOUN", "PROPN"):
                if lemma in c.government_nouns:
                    self.government(tok, sidx)
                elif lemma in c.membership_nouns:
                    self.membership(tok, c.membership_nouns[lemma], sidx)
                elif lemma in c.link_nouns and tok.head.lemma_ != "have":
                    poss = [ch for ch in tok.children if ch.dep_ == "poss"]
                    if poss:
                        self.add(
                            c.link_nouns[lemma], self.one(poss), self.one(_pobjs(tok, c.link_preps)), sidx, [tok], tok
                        )

    def link(self, verb: Token, rtype: str, sidx: int) -> None:
        objs = _pobjs(verb, self.cues.link_preps)
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
            agents = _pobjs(verb, {"by"})
            self.add("funds", self.one(agents), self.one([verb.head]), sidx, [verb.head, *agents], verb)
            return
        passive = any(c.dep_ == "nsubjpass" for c in verb.children)
        if passive:
            agents = _pobjs(verb, {"by"})
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
        beneficiaries = _pobjs(verb, {"for", "to"}) or _pobjs(objs[0], {"for", "to"})
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
            if ev.context and ev.source and (ev.trigger_start or ev.start) < before:
                best = ev.source
        return best

    def benefit(self, verb: Token, sidx: int) -> None:
        objs = _pobjs(verb, {"from"})
        subj = self.subject(verb)
        if objs and subj:
            self.add("benefits", self.one(subj), self.one(objs), sidx, [*subj, *objs], verb)

    def located(self, verb: Token, sidx: int) -> None:
        places = [p for p in _pobjs(verb, {"in", "at"}) if self._is_place(self.ctx.tok_entity(p))]
        if not places:
            return
        src_toks = [verb.head] if verb.dep_ == "acl" else self.subject(verb)
        self.add("located_in", self.one(src_toks), self.ctx.tok_entity(places[0]), sidx, [*src_toks, places[0]], verb)

    def innermost(self, tok: Token) -> str | None:
        """The entity of the shortest mention overlapping a token (a name nested in a phrase
        mention: "Vladimir Putin" inside "the government of Vladimir Putin")."""
        start, end = tok.idx, _end(tok)
        best: tuple[int, str] | None = None
        for s, e, eid in self.analysis._spans:
            if s >= end:
                break
            if e > start and (best is None or e - s < best[0]):
                best = (e - s, eid)
        return best[1] if best else None

    def _is_place(self, eid: str | None) -> bool:
        ent = self.ctx.by_id.get(eid or "")
        return ent is not None and ent.type in ("Place", "Country")

    def government(self, noun: Token, sidx: int) -> None:
        """ "the government of Vladimir Putin": leader_of(Putin, that government)."""
        org = self.ctx.tok_entity(noun)
        if not org or getattr(self.ctx.by_id.get(org), "type", None) != "Organization":
            return
        for pobj in _pobjs(noun, {"of"}):
            if any(t.lower_ in self.cues.local_titles for t in pobj.subtree):
                continue
            person = self.innermost(pobj)
            ent = self.ctx.by_id.get(person or "")
            if ent is not None and ent.type == "Person":
                self.add("leader_of", person, org, sidx, [noun, pobj], noun, predicative=False)

    def membership(self, noun: Token, rtype: str, sidx: int) -> None:
        """ "X is a member of Y" (copula) and "X, a member of Y," (apposition)."""
        orgs = _pobjs(noun, {"of"})
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


@component("relations")
def relations(analysis: Analysis) -> None:
    graph = analysis.graph
    doc = analysis.doc
    builder = _Builder(analysis)
    for s in graph.sentences:
        span = doc.char_span(s.start, s.end, alignment_mode="expand")
        if span is not None:
            builder.visit(span, s.index)
    analysis.scratch[REL_SCRATCH] = {"predicative": builder.mine}
    assign_assertions(analysis, builder.mine)


def _stronger(a: str, b: str) -> str:
    return b if PRECEDENCE.get(b, 0) > PRECEDENCE.get(a, 0) else a


def assign_assertions(analysis: Analysis, predicative: set[str]) -> None:
    """asserted_by / certainty / attribution of every event and relation (see module doc)."""
    graph = analysis.graph
    scopes: list[tuple[int, int, str | None]] = analysis.scratch.get(EVENT_SCRATCH, {}).get("accuse_scopes", [])

    cue_of: dict[str | None, str | None] = {a.id: a.certainty_cue or a.cue for a in graph.attributions}

    def speaker(start: int, end: int) -> tuple[str | None, str, str | None]:
        att = _attribution_covering(graph, start, end)
        if att is not None:
            return attribution_speaker(analysis, att), att.certainty or "asserted", att.id
        for s, e, src in scopes:  # inside what an accusation is about: the accuser says so
            if s <= start and end <= e and src:
                return src, "asserted", None
        return None, "asserted", None

    for ev in graph.events:
        start = ev.trigger_start if ev.trigger_start is not None else ev.start
        end = ev.trigger_end if ev.trigger_end is not None else ev.end
        src, cert, att_id = speaker(start, end)
        ev.asserted_by = src
        ev.attribution = att_id
        if _stronger(ev.certainty or "asserted", cert) != (ev.certainty or "asserted"):
            ev.certainty, ev.certainty_cue = cert, cue_of.get(att_id)
    for rel in graph.relations:
        if rel.type in ROLE_TYPES and rel.id not in predicative:
            continue  # a title or apposition: the writer's identification of the actor
        src, cert, att_id = speaker(rel.start, rel.end)
        rel.asserted_by = src
        rel.attribution = att_id
        if _stronger(rel.certainty or "asserted", cert) != (rel.certainty or "asserted"):
            rel.certainty, rel.certainty_cue = cert, cue_of.get(att_id)
