"""Event arguments from the dependency parse: triggers found in a sentence, their source
(subject, agent, controller), target (object, dative, target preposition) and location."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsgraph.extract.actors.context import ActorContext
from newsgraph.extract.events.lexicon import Spec, TriggerLexicon
from newsgraph.extract.syntax import REL_PRONOUNS, SUBJECT_DEPS, antecedent, children, conjuncts, doer, is_passive

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

GENERIC_PERSONS = frozenset({"people", "person", "those", "individual", "anyone", "others", "one"})
ANAPHORIC_DETS = frozenset({"these", "this", "such", "those", "that"})
LOCATION_PREPS = frozenset({"in", "at", "near", "inside", "outside"})
PLURAL_COLLECTIVES = frozenset({"country", "nation", "state", "government", "side", "party"})
# Prepositions inside an object phrase that name the actor it belongs to or is aimed at.
INNER_PREPS = frozenset({"by", "from", "of", "against", "on", "to", "toward", "towards"})
# The argument behaviour of a non-trigger verb (its type is never read): "threatened to [sue] X".
DEFAULT_SPEC = Spec(type="ASSAULT", target_preps=frozenset({"against", "on", "to", "into", "at", "with"}))


@dataclass
class Found:
    """An event being built, with the tokens it came from."""

    trigger: Token
    spec: Spec
    noun: Token | None = None  # the frame noun / the event noun
    sources: list[str | None] = field(default_factory=lambda: [None])
    targets: list[str | None] = field(default_factory=lambda: [None])
    target_event_tok: Token | None = None  # "complaint about [sending] soldiers": target = that event's source
    needs_agent: bool = False
    location: str | None = None


class ArgumentFinder:
    """Finds the triggers of one sentence and their arguments (see module doc)."""

    def __init__(self, ctx: ActorContext, lex: TriggerLexicon) -> None:
        self.ctx = ctx
        self.lex = lex
        self.found: dict[int, Found] = {}  # trigger token index → event
        self._subj_cache: dict[int, list[Token]] = {}
        self.in_times: set[int] = set()  # tokens of time expressions: "In March" is no protest march

    # subjects ----------------------------------------------------------------------------
    def subject_toks(self, verb: Token) -> list[Token]:
        """The tokens that denote the doer of ``verb`` (`syntax.doer`; a trigger marked
        ``object_control`` passes its object down: "recruit Cubans to fight": Cubans fight)."""
        if verb.i not in self._subj_cache:
            self._subj_cache[verb.i] = doer(verb, self._controls_object)
        return self._subj_cache[verb.i]

    def _controls_object(self, verb: Token) -> bool:
        spec = self.lex.verbs.get(verb.lemma_.lower())
        return spec is not None and spec.object_control

    def actors_of(self, toks: list[Token], reciprocal: bool = False) -> list[str | None]:
        """Entity ids for argument heads, expanding coordination ("A and B", "Cuban and Russian X")."""
        ids: list[str | None] = []
        for head in toks:
            if head.lower_ in REL_PRONOUNS and head.dep_ in (*SUBJECT_DEPS, "nsubjpass") and head.head.dep_ == "relcl":
                head = antecedent(head.head)
            conjs = conjuncts(head)
            if len(conjs) == 1 and self.ctx.tok_entity(head) is None:
                # "two drug mules, Renae Lawrence and Scott Rush,": the coordinated apposition
                appos = [c for c in head.rights if c.dep_ == "appos" and c.conjuncts]
                if appos:
                    conjs = conjuncts(appos[0])
            for conj in conjs:
                eid = self.ctx.actor(conj)
                if eid is None and conj.tag_ in ("NNS", "NNPS") and conj.lemma_.lower() in PLURAL_COLLECTIVES:
                    eids: list[str | None] = list(self.ctx.top_countries(2))
                    if len(eids) == 2 and reciprocal:
                        return eids
                    ids.extend(eids[:1])
                    continue
                if reciprocal:
                    # "Cuban and Russian defense ministers": coordinated demonym modifiers
                    mods = [c for c in conj.children if c.dep_ in ("amod", "compound") and c.conjuncts]
                    if mods:
                        group = conjuncts(mods[0])
                        mod_ids = [self.ctx.country_entity_for(self.ctx.tok_entity(m)) for m in group]
                        if len([m for m in mod_ids if m]) >= 2:
                            return mod_ids
                ids.append(eid)
        return ids or [None]

    # targets -----------------------------------------------------------------------------
    def target_toks(self, verb: Token, spec: Spec, noun: Token | None) -> tuple[list[Token], Token | None]:
        """Target heads, and a verb token when the target is an embedded action ("about sending")."""
        holders = [verb] + ([noun] if noun is not None else [])
        if noun is None or noun.head.i != verb.i:
            if is_passive(verb):
                subj = children(verb, "nsubjpass")
                if subj and subj[0].lower_ in REL_PRONOUNS and verb.dep_ == "relcl":
                    return [antecedent(verb)], None
                if subj:
                    return subj, None
                if verb.dep_ == "acl":
                    return [verb.head], None
            elif noun is None:
                dobj = children(verb, "dobj")
                if dobj:
                    return dobj[:1], None
        for holder in holders:
            for child in holder.children:
                if child.dep_ == "dative":
                    objs = children(child, "pobj")
                    if objs:
                        return objs, None
                    if child.pos_ in ("NOUN", "PROPN", "PRON"):
                        return [child], None
        for holder in reversed(holders):
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ in spec.target_preps:
                    objs = children(child, "pobj")
                    if objs:
                        return objs, None
                    pcomp = children(child, "pcomp")
                    if pcomp and pcomp[0].pos_ == "VERB":
                        return [], pcomp[0]
        return [], None

    def location_of(self, holders: list[Token]) -> str | None:
        for holder in holders:
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ in LOCATION_PREPS:
                    for pobj in children(child, "pobj"):
                        eid = self.ctx.tok_entity(pobj)
                        ent = self.ctx.by_id.get(eid or "")
                        if ent is not None and ent.type in ("Place", "Country"):
                            return ent.id
        return None

    # triggers ----------------------------------------------------------------------------
    def frame_noun(self, verb: Token) -> tuple[Token, Spec] | None:
        frame = self.lex.frames.get(verb.lemma_.lower())
        if not frame:
            return None
        cands: list[tuple[Token, str | None]] = [(n, None) for n in children(verb, "dobj", "nsubjpass")]
        for prep in children(verb, "prep"):
            cands += [(n, prep.lower_) for n in children(prep, "pobj")]
        for noun, via in cands:
            spec = frame.get(noun.lemma_.lower()) or frame.get(noun.lower_)
            if spec is None or (spec.cameo is not None and spec.prep != via):
                continue  # a derived pattern names its preposition, or none for a direct object
            return noun, spec
        return None

    def verb_spec(self, verb: Token) -> Spec | None:
        lemma = verb.lemma_.lower()
        spec = None
        for prt in verb.children:  # phrasal verbs: "took over", "blew up"
            if prt.dep_ == "prt":
                spec = self.lex.verbs.get(f"{lemma} {prt.lower_}")
        spec = spec or self.lex.verbs.get(lemma)
        if spec is None:  # "rushed to X": a verb that is an event only with this preposition
            table = self.lex.preps.get(lemma, {})
            spec = next((table[p.lower_] for p in children(verb, "prep") if p.lower_ in table), None)
        if spec is None:
            return None
        objs = children(verb, "dobj", "nsubjpass")
        if self._guarded(verb, lemma, objs):
            return None
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            objs.append(verb.head)  # "the post occupied by X"
        if spec.not_objects and any(o.lemma_.lower() in spec.not_objects for o in objs):
            return None
        for words, override in spec.by_object:
            if any(o.lemma_.lower() in words or o.lower_ in words for o in objs):
                return override
        if not spec.objects:
            return spec
        if any(o.lemma_.lower() in spec.objects or o.lower_ in spec.objects for o in objs):
            return spec
        if spec.or_actor_object and any(self.ctx.actor(o) for o in objs if o.dep_ in ("dobj", "nsubjpass")):
            return spec
        return None

    def _guarded(self, verb: Token, lemma: str, objs: list[Token]) -> bool:
        """The dictionary's own non-event readings: "killed in an accident", "an earthquake killed"."""
        guard = self.lex.guards.get(lemma)
        if not guard:
            return False
        if any(o.lemma_.lower() in guard.get("objects", ()) for o in objs):
            return True
        for prep in children(verb, "prep"):
            if any(p.lemma_.lower() in guard.get("prep_objects", ()) for p in children(prep, "pobj")):
                return True
        return any(t.lemma_.lower() in guard.get("subjects", ()) for t in children(verb, "nsubj"))

    def visit(self, sent: Span, consumed: set[int]) -> None:
        nouns: list[Token] = []
        for tok in sent:
            if tok.i in self.in_times:
                continue
            pos = tok.pos_
            if pos == "VERB":
                hit = self.frame_noun(tok)
                if hit is not None:
                    noun, spec = hit
                    if self.add(tok, spec, noun):
                        consumed.add(noun.i)
                        continue
                vspec = self.verb_spec(tok)
                if vspec is not None:
                    self.add(tok, vspec, None)
            elif pos in ("NOUN", "PROPN") and tok.dep_ not in ("compound", "amod", "nmod"):
                nouns.append(tok)
        for tok in nouns:
            if tok.i in consumed:
                continue
            nspec = self.lex.nouns.get(tok.lemma_.lower()) or self.lex.nouns.get(tok.lower_)
            if nspec is not None and not self._noun_restates(tok, nspec):
                self.add_noun(tok, nspec)

    def restates(self, verb: Token, spec: Spec) -> bool:
        """ "met in Moscow for a meeting to discuss …": a purpose infinitive hanging off an event of
        the same type (through a preposition or noun, not a new clause) restates that event."""
        tok = verb
        if verb.dep_ not in ("acl", "xcomp", "advcl") or not any(c.lower_ == "to" for c in verb.children):
            return False
        for _ in range(4):
            if tok.dep_ in ("ccomp", "conj", "parataxis", "ROOT"):
                return False
            tok = tok.head
            found = self.found.get(tok.i)
            if found is not None and found.spec.type == spec.type:
                return True
        return False

    def add(self, verb: Token, spec: Spec, noun: Token | None) -> bool:
        """Build the event of a trigger; False when the reading does not hold (no event)."""
        if self.restates(verb, spec):
            return False
        f = Found(trigger=verb, spec=spec, noun=noun)
        subj = self.subject_toks(verb)
        if spec.reciprocal:
            ids = self.actors_of(subj, reciprocal=True)
            f.sources = ids[:1]
            if len(ids) >= 2:
                f.targets = ids[1:2]
        else:
            f.sources = self.actors_of(subj) if subj else [None]
        if f.targets == [None]:
            toks, event_tok = self.target_toks(verb, spec, noun)
            if toks:
                tids = self.actors_of(toks)
                tids = [t for t in tids if t is None or t not in f.sources] or [None]
                if tids != [None]:
                    f.targets = tids
                elif self._anaphoric(toks[0]):
                    f.targets = ["@previous"]
            f.target_event_tok = event_tok
        if f.targets == [None] and f.target_event_tok is None:
            tid = self.indirect_target(verb, noun, f.sources)
            if tid is not None:
                f.targets = [tid]
        if spec.needs_target and f.targets in ([None], ["@previous"]) and f.target_event_tok is None:
            return False
        if spec.needs_actors and self._actor_count(f) < spec.needs_actors:
            return False  # a derived CAMEO reading codes an event between actors, as PETRARCH does
        f.needs_agent = not subj and (spec.official or is_passive(verb))
        f.location = self.location_of([verb] + ([noun] if noun is not None else []))
        self.found[verb.i] = f
        return True

    def indirect_target(self, verb: Token, noun: Token | None, sources: list[str | None]) -> str | None:
        """A target the object phrase or a complement names when the object is no actor:
        "rejected North Korea's demand", "a U.S. request", "calls by X", "the withdrawal of X"
        (inside the object); "threatened to shell Iraqi towns", "refused to meet X" (the
        controlled infinitive's target); "demanded that the government end curbs" (the subject
        of the complement clause)."""
        objs = [noun] if noun is not None else children(verb, "dobj")
        for obj in objs:
            tid = self.phrase_actor(obj, sources)
            if tid:
                return tid
        for comp in children(verb, "xcomp"):
            if comp.pos_ != "VERB":
                continue
            toks, _ = self.target_toks(comp, self.lex.verbs.get(comp.lemma_.lower()) or DEFAULT_SPEC, None)
            for tid in self.actors_of(toks) if toks else []:
                if tid and tid not in sources:
                    return tid
            for obj in children(comp, "dobj"):
                tid = self.phrase_actor(obj, sources)
                if tid:
                    return tid
        for comp in children(verb, "ccomp"):
            for subj in children(comp, "nsubj", "nsubjpass"):
                for tid in self.actors_of([subj]):
                    if tid and tid not in sources:
                        return tid
        return None

    def phrase_actor(self, head: Token, sources: list[str | None]) -> str | None:
        """The actor named inside a non-actor noun phrase: its possessor, the object of by / from /
        of / against, or an actor modifier ("the U.S. request", "Senegalese mediation")."""
        if self.ctx.tok_entity(head):
            return None  # the phrase is itself an actor: the ordinary target rules had it
        for child in head.children:
            if child.dep_ == "poss":
                eid = self.ctx.actor(child)
                if eid and eid not in sources:
                    return eid
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in INNER_PREPS:
                for p in children(child, "pobj"):
                    eid = self.ctx.actor(p)
                    if eid and eid not in sources:
                        return eid
        for child in head.children:
            if child.dep_ in ("compound", "amod", "nmod") and child.i < head.i:
                eid = self.ctx.country_entity_for(self.ctx.tok_entity(child))
                if eid and eid not in sources:
                    return eid
        return None

    @staticmethod
    def _actor_count(f: Found) -> int:
        return int(any(f.sources)) + int(any(t is not None for t in f.targets) or f.target_event_tok is not None)

    def _noun_restates(self, noun: Token, spec: Spec) -> bool:
        """An event noun that is the governing trigger verb's own argument ("met … for a meeting"),
        or names the same happening through a preposition ("killed in an attack")."""
        head = noun.head
        if head.i in self.found and head.pos_ == "VERB":
            return True
        if head.dep_ == "prep" and head.head.i in self.found:
            verb_event = self.found[head.head.i]
            if verb_event.spec.type != spec.type:
                return False
            if verb_event.location is None:  # "killed in an attack in Baghdad": one event, in Baghdad
                verb_event.location = self.location_of([noun])
            return True
        return False

    def add_noun(self, noun: Token, spec: Spec) -> None:
        if spec.not_modifiers and any(c.lemma_.lower() in spec.not_modifiers for c in noun.lefts):
            return  # "a heart attack"
        f = Found(trigger=noun, spec=spec, noun=noun)
        for child in noun.children:
            if child.dep_ == "poss":
                f.sources = self.actors_of([child])
            elif child.dep_ == "prep" and child.lower_ in ("by", "from"):
                f.sources = self.actors_of(children(child, "pobj")) or [None]
            elif child.dep_ == "prep" and child.lower_ in spec.target_preps and child.lower_ != "to":
                f.targets = self.actors_of(children(child, "pobj")) or [None]
        f.location = self.location_of([noun])
        if f.sources == [None] and f.targets == [None] and f.location is None and not spec.standalone:
            return  # a bare event noun with no actor or place says little
        self.found[noun.i] = f

    def _anaphoric(self, tok: Token) -> bool:
        """ "people involved in these activities", "those responsible": a generic, anaphoric target."""
        if tok.lemma_.lower() in GENERIC_PERSONS or tok.lower_ in GENERIC_PERSONS:
            return True
        return any(t.lower_ in ANAPHORIC_DETS and t.dep_ == "det" for t in tok.subtree)
