"""Event arguments from the dependency parse: triggers found in a sentence, their source
(subject, agent, controller), target (object, dative, target preposition) and location."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsgraph.extract.actors.context import ActorContext
from newsgraph.extract.actors.lexicon import lexicon as actor_lexicon
from newsgraph.extract.attributions.cues import cue_lexicon
from newsgraph.extract.events.lexicon import Spec, TriggerLexicon
from newsgraph.extract.syntax import (
    NONFINITE_DEPS,
    REL_PRONOUNS,
    SUBJECT_DEPS,
    antecedent,
    children,
    conjuncts,
    doer,
    is_passive,
    is_stative_passive,
    prep_objects,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

GENERIC_PERSONS = frozenset({"people", "person", "those", "individual", "anyone", "others", "one"})
ANAPHORIC_DETS = frozenset({"these", "this", "such", "those", "that"})
LOCATION_PREPS = frozenset({"in", "at", "near", "inside", "outside"})
PLURAL_COLLECTIVES = frozenset({"country", "nation", "state", "government", "side", "party"})
# Verbs whose subject undergoes the act their object names ("face sanctions", "suffered attacks").
UNDERGO_VERBS = frozenset({"face", "suffer", "undergo", "endure", "receive", "sustain", "risk", "escape", "survive"})
# The only words before a plural collective that make it "the parties the article is about".
COLLECTIVE_DETS = frozenset({"the", "both", "two", "these", "those", "all", "our"})
OBJECT_PRONOUNS = frozenset({"him", "her", "them"})
ACTOR_TYPES = frozenset({"Country", "Organization", "Group", "Person"})
# Prepositions inside an object phrase that name the actor it belongs to or is aimed at.
INNER_PREPS = frozenset({"by", "from", "of", "against", "on", "to", "toward", "towards", "between"})
# Inside an event noun's phrase, the prepositions that name its doers ("talks between X and Y").
DOER_PREPS = frozenset({"by", "from", "between"})
# Prepositions of a destination: the place its object is in is where the act goes.
DESTINATION_PREPS = frozenset({"to", "into"})
# Subordinators of a threat's condition: "… unless X complies", "… if X does not stop".
CONDITION_MARKS = frozenset({"unless", "if"})
# PLOVER modes of taking: "seized weapons from X", "confiscated property from X" are done to X.
TAKING_MODES = frozenset({"seize"})
# Prepositions of place and time: their object is no act the verb answers ("on Friday", "in X's capital").
NOT_ANSWER_PREPS = LOCATION_PREPS | frozenset(
    {"on", "during", "after", "before", "since", "until", "within", "across", "throughout", "amid", "despite"}
)
# The prepositions of a stative passive that name its target ("opposed to X", "engaged in Y against X").
STATIVE_PREPS = frozenset({"to", "against", "with"})
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
    # the target is a passive subject (or controller) with no actor of its own ("the pair should be
    # allowed to appeal to X"): it undergoes the act, so no other phrase is the target
    patient: bool = False
    agentless_passive: bool = False  # see `state_organ`


# Subtypes of the organs of a state that report their own official acts ("the ministry said an
# investigation was launched", "police said arrests were made").
STATE_ORGANS = frozenset({"government", "ministry", "police", "military", "intelligence"})


def state_organ(ctx: ActorContext, speaker: str | None) -> bool:
    """Whether the reporter of an agentless passive speaks for a state that does such acts: a
    government, ministry, police or military body. A newspaper, an NGO, a court or a person
    reporting "X was detained" names no doer, and guessing their government is wrong as often
    as right ("two journalists were detained, the committee said")."""
    ent = ctx.by_id.get(speaker or "")
    if ent is None or ent.type != "Organization":
        return False
    return ent.subtype in STATE_ORGANS or ent.name.lower().startswith("government of ")


def target_preps(spec: Spec) -> frozenset[str]:
    """The prepositions naming a trigger's target; taking is done to whom it is taken from."""
    return spec.target_preps | {"from"} if spec.mode in TAKING_MODES else spec.target_preps


def _reports(verb: Token) -> bool:
    """A reporting or publishing verb of the attributions layer's cue lexicon ("described", "reported")."""
    lex = cue_lexicon()
    lemma = verb.lemma_.lower()
    return lemma in lex.verbs or lemma in lex.publish_verbs


def _controlled(verb: Token) -> bool:
    """A controlled infinitive or a purpose clause ("to help X")."""
    if verb.dep_ == "xcomp":
        return True
    return verb.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in verb.children)


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
                if eid is None and self._bare_collective(conj):
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

    @staticmethod
    def _bare_collective(tok: Token) -> bool:
        """ "the countries", "both governments", "the two sides": the parties the article is about,
        not a described set ("several communist parties")."""
        if tok.tag_ not in ("NNS", "NNPS") or tok.lemma_.lower() not in PLURAL_COLLECTIVES:
            return False
        return all(c.lower_ in COLLECTIVE_DETS for c in tok.lefts) and any(tok.lefts)

    # targets -----------------------------------------------------------------------------
    def target_toks(self, verb: Token, spec: Spec, noun: Token | None) -> tuple[list[Token], Token | None]:
        """Target heads, and a verb token when the target is an embedded action ("about sending")."""
        holders = [verb] + (conjuncts(noun) if noun is not None else [])  # "artillery and rocket fire against X"
        stative = is_stative_passive(verb)  # "X is opposed to Y": X is the doer, Y the target
        if noun is None or noun.head.i != verb.i:
            if is_passive(verb) and not stative:
                subj = children(verb, "nsubjpass")
                if subj and subj[0].lower_ in REL_PRONOUNS and verb.dep_ == "relcl":
                    return [antecedent(verb)], None
                if subj:
                    return subj, None
                if verb.dep_ == "acl":
                    return [verb.head], None
                controller = self.passive_controller(verb)
                if controller:
                    return controller, None
                if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
                    # "who surrendered, were captured or were killed": the shared subject undergoes it
                    first = verb.head
                    while first.dep_ == "conj" and first.head.pos_ in ("VERB", "AUX"):
                        first = first.head
                    shared = children(first, *SUBJECT_DEPS, "nsubjpass")
                    if shared:
                        return shared[:1], None
            elif (
                verb.dep_ == "amod"
                and verb.tag_ == "VBN"
                and verb.head.pos_ in ("NOUN", "PROPN")
                and not children(verb.head, "poss")  # "the Governor's targeted initiative": not him
            ):
                return [verb.head], None  # "the arrested rebel leader X": X was arrested
            elif noun is None and not spec.theme_object:
                dobj = children(verb, "dobj")
                if dobj:
                    return dobj[:1], None
        for holder in holders:
            for child in holder.children:
                if child.dep_ == "dative":
                    objs = prep_objects(child)
                    if objs:
                        return objs, None
                    if child.pos_ in ("NOUN", "PROPN", "PRON"):
                        return [child], None
        preps = target_preps(spec) | STATIVE_PREPS if stative else target_preps(spec)
        for holder in reversed(holders):
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ in preps:
                    objs = prep_objects(child)
                    if objs:
                        return objs, None
                    pcomp = children(child, "pcomp")
                    if pcomp and pcomp[0].pos_ == "VERB":
                        return [], pcomp[0]
        return [], None

    def passive_controller(self, verb: Token) -> list[Token]:
        """ "X escaped being captured", "X fled after being attacked", "X asked to be released":
        a passive non-finite clause without its own subject is undergone by its governor's doer."""
        if verb.dep_ not in NONFINITE_DEPS:
            return []
        gov = verb.head.head if verb.dep_ == "pcomp" else verb.head
        if gov.pos_ not in ("VERB", "AUX"):
            return []
        if verb.dep_ == "xcomp" and self._controls_object(gov) and children(gov, "dobj"):
            return children(gov, "dobj")[:1]  # "persuaded X to be tested"
        return self.subject_toks(gov)

    def location_of(self, holders: list[Token]) -> str | None:
        """ "in/at/near X" on the trigger (or frame noun); for an event noun under a preposition,
        on the verb it hangs off too ("arrived in Amman on a visit")."""
        holders = list(holders)
        last = holders[-1]
        if last.pos_ in ("NOUN", "PROPN") and last.dep_ == "pobj" and last.head.head.pos_ == "VERB":
            holders.append(last.head.head)
        if last.pos_ == "VERB":  # "attacked a checkpoint in Kandahar": the place hangs off the object
            holders += children(last, "dobj")
        for holder in holders:
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ in LOCATION_PREPS:
                    for pobj in children(child, "pobj"):
                        eid = self.place_of(pobj)
                        if eid:
                            return eid
        return None

    def place_of(self, tok: Token) -> str | None:
        """The Place or Country a location phrase names: its own mention, an apposition ("the
        capital Kabul") or an "of" object ("the province of Herat")."""
        cands = [tok] + [c for c in tok.children if c.dep_ == "appos"]
        cands += [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in children(c, "pobj")]
        for cand in cands:
            ent = self.ctx.by_id.get(self.ctx.tok_entity(cand) or "")
            if ent is not None and ent.type in ("Place", "Country"):
                return ent.id
        return None

    # triggers ----------------------------------------------------------------------------
    def frame_noun(self, verb: Token) -> tuple[Token, Spec] | None:
        prt = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
        frame = (self.lex.frames.get(f"{verb.lemma_.lower()} {prt}") if prt else None) or self.lex.frames.get(
            verb.lemma_.lower()
        )
        if not frame:
            return None
        cands: list[tuple[Token, str | None]] = [(n, None) for n in children(verb, "dobj", "nsubjpass")]
        for prep in children(verb, "prep"):
            cands += [(n, prep.lower_) for n in children(prep, "pobj")]
        own = self.lex.verbs.get(verb.lemma_.lower())
        for noun, via in cands:
            spec = frame.get(noun.lemma_.lower()) or frame.get(noun.lower_)
            if spec is None or (spec.cameo is not None and spec.prep != via):
                continue  # a derived pattern names its preposition, or none for a direct object
            if (
                spec.cameo is not None
                and own is not None
                and not own.needs_actors
                and (own.type == spec.type or noun.lemma_.lower() in own.objects)
            ):
                continue  # "condemned the attack", "signed a deal": the trusted verb reads it
            if via is None and own is not None and self.ctx.actor(noun):
                continue  # "arrested the opposition leader": the verb reads it, the actor is its argument
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
        if self._guarded(verb, lemma, objs) or self.lex.sense_blocked(verb):
            return None
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            objs.append(verb.head)  # "the post occupied by X"
        if spec.not_objects and any(o.lemma_.lower() in spec.not_objects for o in objs):
            return None
        if spec.not_preps and any(p.lower_ in spec.not_preps for p in children(verb, "prep")):
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
                        own = self.noun_spec(noun)
                        if own is None or own.type == spec.type or spec.type not in self.lex.intent["about_events"]:
                            consumed.add(noun.i)  # "condemned the attack on X": the attack stays an event
                        continue
                vspec = self.verb_spec(tok)
                if vspec is not None:
                    self.add(tok, vspec, None)
            elif pos in ("NOUN", "PROPN") and tok.dep_ not in ("compound", "amod", "nmod"):
                nouns.append(tok)
        for tok in nouns:
            if tok.i in consumed:
                continue
            nspec = self.noun_spec(tok)
            if nspec is not None and not self._noun_restates(tok, nspec):
                self.add_noun(tok, nspec)
        for tok in sent:
            if tok.pos_ in ("VERB", "AUX"):
                self.deontic(tok)
            elif tok.pos_ == "ADJ" and tok.lemma_.lower() in self.lex.intent.get("adjectives", ()):
                self.ready_to(tok)
        self.complement_targets()

    def ready_to(self, adj: Token) -> None:
        """ "X is ready/willing/prepared to V (Y)": PLOVER codes the offer as AGREE X → Y, whatever
        V is ("ready to contribute troops to a force in Liberia"). A V that is itself a trigger
        becomes AGREE/THREATEN through its intent flag instead (component)."""
        comps = [c for c in adj.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
        if not comps or comps[0].i in self.found or adj.dep_ not in ("acomp", "oprd"):
            return
        comp = comps[0]
        neg = any(c.dep_ == "neg" for c in adj.head.children) or adj.lemma_.lower().startswith("un")
        sources: list[str | None] = [s for s in self.actors_of(self.subject_toks(comp)) if s]
        if not sources or comp.i in self.found:
            return
        spec = self.lex.verbs.get(comp.lemma_.lower()) or DEFAULT_SPEC
        tids: list[str | None] = [t for t in self.prep_target(comp, spec, sources) if t]  # "send … to Haiti"
        if not tids:
            toks, _ = self.target_toks(comp, spec, None)
            tids = [t for t in self.actors_of(toks) if t and t not in sources] if toks else []
        target = tids[0] if tids else self.indirect_target(comp, None, sources)
        f = Found(trigger=comp, spec=Spec(type="REJECT" if neg else "AGREE", mode=comp.lemma_.lower()))
        f.sources, f.targets = sources[:1], [target]
        f.location = self.location_of([comp])
        self.found[comp.i] = f

    def noun_spec(self, tok: Token) -> Spec | None:
        """An event noun, keyed by its compound modifier first ("air raid" is an airstrike)."""
        for mod in tok.lefts:
            if mod.dep_ == "compound":
                spec = self.lex.nouns.get(f"{mod.lemma_.lower()} {tok.lemma_.lower()}")
                if spec is not None:
                    return spec
        return self.lex.nouns.get(tok.lemma_.lower()) or self.lex.nouns.get(tok.lower_)

    def deontic(self, verb: Token) -> None:
        """ "X said/declared/reminded Y that Z must V": a demand of X on Z (PLOVER DEMAND). The
        complement's deontic modal makes the reporting act a REQUEST between two actors."""
        modals = self.lex.intent.get("deontic_modals", frozenset())
        if not any(c.dep_ == "aux" and c.lower_ in modals for c in verb.children):
            return
        gov = verb.head
        if verb.dep_ == "acl" and gov.pos_ == "NOUN" and gov.head.pos_ == "VERB":
            gov = gov.head  # "issued a reminder to Iraq that it must cooperate"
        elif verb.dep_ != "ccomp" or gov.pos_ not in ("VERB", "AUX"):
            return
        known = self.found.get(gov.i)
        if (known is not None and not known.spec.needs_actors) or any(c.dep_ == "neg" for c in gov.children):
            return  # a trusted trigger keeps its reading; a derived synonym ("issued") yields to the demand
        subj = children(verb, *SUBJECT_DEPS)
        speaker = self.subject_toks(gov)
        if not subj or not speaker:
            return
        sources: list[str | None] = [s for s in self.actors_of(speaker) if s]
        targets: list[str | None] = [t for t in self.actors_of(subj[:1]) if t and t not in sources]
        if sources and targets:
            self.found[gov.i] = Found(
                trigger=gov, spec=Spec(type="REQUEST", mode="demand"), sources=sources[:1], targets=targets
            )

    def restates(self, verb: Token, spec: Spec) -> Found | None:
        """ "met in Moscow for a meeting to discuss …": a purpose infinitive hanging off an event of
        the same type (through a preposition or noun, not a new clause) restates that event."""
        tok = verb
        if verb.dep_ not in ("acl", "xcomp", "advcl") or not any(c.lower_ == "to" for c in verb.children):
            return None
        for _ in range(4):
            if tok.dep_ in ("ccomp", "conj", "parataxis", "ROOT"):
                return None
            tok = tok.head
            found = self.found.get(tok.i)
            if found is not None and found.spec.type == spec.type:
                return found
        return None

    def add(self, verb: Token, spec: Spec, noun: Token | None) -> bool:
        """Build the event of a trigger; False when the reading does not hold (no event)."""
        restated = self.restates(verb, spec)
        f = Found(trigger=verb, spec=spec, noun=noun)
        subj = self.subject_toks(verb)
        if spec.reciprocal:
            ids = self.actors_of(subj, reciprocal=True)
            f.sources = ids[:1]
            if len(ids) >= 2:
                f.targets = ids[1:2]
        else:
            f.sources = self.actors_of(subj) if subj else [None]
            if f.sources == [None] and subj:
                doc_src = self.phrase_doer(subj[0])  # "a report by a UN panel accused X": the panel
                if doc_src:
                    f.sources = [doc_src]
        if f.targets == [None]:
            toks, event_tok = self.target_toks(verb, spec, noun)
            if toks:
                tids = self.actors_of(toks)
                if len(toks) == 1 and toks[0].lower_ in OBJECT_PRONOUNS and tids[:1] and tids[0] in f.sources:
                    tids = [self.other_person_before(toks[0], f.sources)]  # "she criticised him": not herself
                tids = [t for t in tids if t is not None and t not in f.sources] or [None]
                if tids == [None] and toks[0].dep_ == "dobj" and not spec.theme_object:
                    tids = self.prep_target(verb, spec, f.sources) or [None]  # "imposed tariffs on X"
                if tids == [None] and toks[0].dep_ == "pobj":
                    # "protest against Sweden's decision", "against violations by the security forces"
                    inner = self.phrase_actor(toks[0], f.sources, doer_only=True)
                    if (
                        inner is None
                        and self.noun_spec(toks[0]) is None
                        and toks[0].pos_ == "NOUN"
                        and toks[0].head.i > verb.i  # "On her trip to X, she flew …" is no aim
                    ):
                        # a thing aimed at: "restrictions on flights to X", "a ban on imports from X"
                        inner = self.phrase_actor(toks[0], f.sources)
                    tids = [inner] if inner else [None]
                holder_ids = (verb.i, noun.i if noun is not None else -1)
                if tids == [None] and toks[0].dep_ == "pobj" and toks[0].head.head.i in holder_ids:
                    # "lift embargoes on sales to X": a later target preposition names the actor
                    tids = self.prep_target(verb, spec, f.sources) or [None]
                if tids == [None] and is_passive(verb) and toks[0].dep_ != "pobj":
                    # "Cuba's request was rejected": an actor inside the undergoer's phrase, else none
                    inner = self.owner_actor(toks[0], f.sources)
                    tids = [inner] if inner else [None]
                    f.patient = inner is None and not self._anaphoric(toks[0])
                if tids != [None]:
                    f.targets = tids
                elif self._anaphoric(toks[0]):
                    f.targets = ["@previous"]
            f.target_event_tok = event_tok
        if f.targets == [None] and f.target_event_tok is None and noun is None and not f.patient:
            f.targets = self.shared_target(verb, spec, f.sources)
        if f.targets == [None] and f.target_event_tok is None and not f.patient:
            tid = self.indirect_target(verb, noun, f.sources) or self.ultimatum_target(verb, spec, f.sources)
            if tid is not None:
                f.targets = [tid]
        if spec.needs_target and f.targets in ([None], ["@previous"]) and f.target_event_tok is None:
            return False
        if spec.needs_actors and self._actor_count(f) < spec.needs_actors:
            return False  # a derived CAMEO reading codes an event between actors, as PETRARCH does
        if restated is not None:
            # "began a hunger strike to protest against X's decision": one event; the purpose
            # clause names what the restated event lacks
            if restated.targets == [None] and restated.target_event_tok is None:
                restated.targets = [t for t in f.targets if t not in restated.sources] or [None]
            return False
        # an act with no doer named: only an official one ("an operation was launched to
        # investigate") gets an implicit agent, and a passive one only from a state organ's report
        f.needs_agent = not subj and spec.official
        f.agentless_passive = f.needs_agent and is_passive(verb)
        f.location = self.location_of([verb] + ([noun] if noun is not None else []))
        if f.location is None and noun is None:
            for comp in children(verb, "xcomp"):  # "threatened to resume attacks in Israel"
                f.location = f.location or self.location_of([comp])
        self.found[verb.i] = f
        return True

    def complement_targets(self) -> None:
        """A governing event with no target takes the targets of the event its controlled
        complement names: "threatened to break off relations with Congo and Costa Rica" (run
        after the sentence, when the complement's event is built)."""
        for _i, f in sorted(self.found.items(), reverse=True):  # inner complements first
            if f.targets != [None] or f.target_event_tok is not None or f.spec.reciprocal or f.patient:
                continue
            for comp in self.complements(f.trigger):
                inner = self.found.get(comp.i)
                if inner is None:
                    continue
                tids = [t for t in inner.targets if t and t != "@previous" and t not in f.sources]
                if tids:
                    f.targets = list(tids)
                    break

    @staticmethod
    def complements(verb: Token) -> list[Token]:
        """Controlled infinitives and purpose clauses of a verb, nearest first, and theirs: "is
        willing to send material [to help [defend X]]"."""
        out: list[Token] = []
        layer = [verb]
        for _ in range(2):
            layer = [c for v in layer for c in v.children if c.pos_ == "VERB" and _controlled(c)]
            out += layer
        return out

    def indirect_target(self, verb: Token, noun: Token | None, sources: list[str | None]) -> str | None:
        """A target the object phrase or a complement names when the object is no actor:
        "rejected North Korea's demand", "a U.S. request", "calls by X", "the withdrawal of X"
        (inside the object); "threatened to shell Iraqi towns", "refused to meet X" (the
        controlled infinitive's target); "demanded that the government end curbs" (the subject
        of the complement clause)."""
        nspec = self.noun_spec(noun) if noun is not None else None
        if noun is not None and nspec is not None:
            # a frame's own noun is the event itself, read as that noun reads its objects:
            # "launched an investigation of X" → X, "completed the withdrawal of troops from X" → X
            for prep in children(noun, "prep"):
                if (prep.lower_ == "of" and nspec.of_role == "target") or prep.lower_ in nspec.target_preps:
                    for p in children(prep, "pobj"):
                        tid = self.ctx.actor(p) or self.phrase_actor(p, sources, doer_only=True)
                        if tid and tid not in sources:
                            return tid
        objs = [noun] if noun is not None else children(verb, "dobj")
        for obj in objs:
            # "condemned X's attack on Y": an event noun's target is its doer (X), never its victim (Y)
            tid = self.phrase_actor(obj, sources, doer_only=self.noun_spec(obj) is not None)
            if tid:
                return tid
        for comp in children(verb, "xcomp"):
            if comp.pos_ != "VERB":
                continue
            toks, _ = self.target_toks(comp, self.lex.verbs.get(comp.lemma_.lower()) or DEFAULT_SPEC, None)
            for tid in self.actors_of(toks) if toks else []:
                if tid and tid not in sources:
                    return tid
            for tok in toks if toks and toks[0].dep_ == "pobj" else []:
                tid = self.phrase_actor(tok, sources, doer_only=True)  # "refused to respond to a demand from X"
                if tid:
                    return tid
            for obj in children(comp, "dobj"):
                tid = self.phrase_actor(obj, sources)
                if tid:
                    return tid
            if self.verb_spec(comp) is None and self.frame_noun(comp) is None:
                # "threatened to halt electricity deliveries to X" (a trigger complement lends all
                # its targets after the sentence: `complement_targets`)
                for tid in self.prep_target(comp, DEFAULT_SPEC, sources):
                    return tid
        for comp in children(verb, "ccomp"):
            for subj in children(comp, "nsubj", "nsubjpass"):
                for tid in self.actors_of([subj]):
                    if tid and tid not in sources:
                        return tid
        return self.answered_actor(verb, noun, sources)

    def shared_target(self, verb: Token, spec: Spec, sources: list[str | None]) -> list[str | None]:
        """ "donated and delivered goods to X": a verb with no object or preposition of its own
        shares those of the verb coordinated with it."""
        if any(c.dep_ in ("dobj", "prep", "dative") for c in verb.children):
            return [None]
        for conj in children(verb, "conj"):
            if conj.pos_ != "VERB" or is_passive(conj):
                continue
            tids = self.prep_target(conj, spec, sources)
            if not tids and not spec.theme_object:
                tids = [t for t in self.actors_of(children(conj, "dobj")) if t and t not in sources]
            if tids:
                return tids
        return [None]

    def ultimatum_target(self, verb: Token, spec: Spec, sources: list[str | None]) -> str | None:
        """ "X threatened to strike unless Israel rescinded Y", "warned it would act if Z did not
        stop": a threat is aimed at the one whose act the condition names."""
        if spec.type != "THREATEN":
            return None
        for v in [verb, *self.complements(verb)]:
            for clause in children(v, "advcl"):
                if any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in clause.children):
                    for tid in self.actors_of(self.subject_toks(clause)):
                        if tid and tid not in sources:
                            return tid
        return None

    def answered_actor(self, verb: Token, noun: Token | None, sources: list[str | None]) -> str | None:
        """The doer of the act a verb answers through a preposition: "conceded to demands from X",
        "responded to X's call", "denounced as a crime Serbia's suppression" (a heavy object the
        parser left as the apposition of the "as" phrase). Place and time prepositions excluded."""
        for holder in [verb] + ([noun] if noun is not None else []):
            for prep in children(holder, "prep"):
                if prep.lower_ in NOT_ANSWER_PREPS:
                    continue
                for p in children(prep, "pobj"):
                    for cand in [p, *children(p, "appos")]:
                        if cand.pos_ not in ("NOUN", "PROPN") or self.ctx.tok_entity(cand):
                            continue
                        if self.noun_spec(cand) is not None or cand.tag_ in ("NNS", "NNPS"):
                            # an act, or people ("from United Nations peacekeepers"): any doer form
                            tid = self.phrase_actor(cand, sources, doer_only=True)
                        else:  # a thing: only a stated owner or author ("a request from X"), not
                            tid = self.phrase_doer(cand)  # a modifier ("under Singapore law")
                        if tid and tid not in sources:
                            return tid
        return None

    def phrase_actor(
        self, head: Token, sources: list[str | None], doer_only: bool = False, depth: int = 0
    ) -> str | None:
        """The actor named inside a non-actor noun phrase: its possessor, the object of by / from /
        of / against, or an actor modifier ("the U.S. request", "Senegalese mediation"). With
        ``doer_only`` (an event noun) only the possessor, by / from and modifiers count."""
        if self.ctx.tok_entity(head):
            return None  # the phrase is itself an actor: the ordinary target rules had it
        for child in head.children:
            if child.dep_ == "poss":
                eid = self.ctx.actor(child)
                if eid and eid not in sources:
                    return eid
        for acl in children(head, "acl"):  # "the demonstration staged by students"
            if _reports(acl):
                continue  # "the meeting described by a magazine": the describer did not meet
            for agent in children(acl, "agent"):
                for p in children(agent, "pobj"):
                    eid = self.ctx.actor(p)
                    if eid and eid not in sources:
                        return eid
        preps = DOER_PREPS if doer_only else INNER_PREPS
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                for p in children(child, "pobj"):
                    eid = self.ctx.actor(p) or (self.phrase_actor(p, sources, True, depth + 1) if depth < 1 else None)
                    if eid and eid not in sources:
                        return eid
        for child in head.children:
            if child.dep_ in ("compound", "amod", "nmod") and child.i < head.i:
                eid = self.ctx.country_entity_for(self.ctx.tok_entity(child))
                ent = self.ctx.by_id.get(eid or "")
                # a place names where a thing is, not who acts or suffers ("the Texas pipeline");
                # a nationality does ("Ugandan opposition candidates"), however the tagger typed it
                actor = ent is not None and (ent.type in ACTOR_TYPES or actor_lexicon().countries.demonym(child.text))
                if actor and eid not in sources:
                    return eid
        return None

    def owner_actor(self, head: Token, sources: list[str | None]) -> str | None:
        """The actor whose thing a non-actor phrase names: its possessor or an actor modifier
        ("Cuba's request", "the Iranian programme"); not where it is from ("a party from X")."""
        for child in head.children:
            if child.dep_ == "poss" or (child.dep_ in ("compound", "amod", "nmod") and child.i < head.i):
                eid = self.ctx.country_entity_for(
                    self.ctx.actor(child) if child.dep_ == "poss" else self.ctx.tok_entity(child)
                )
                ent = self.ctx.by_id.get(eid or "")
                if ent is not None and ent.type in ACTOR_TYPES and eid not in sources:
                    return eid
        for acl in children(head, "acl"):  # "an order given by X was condemned": X's order
            for agent in children(acl, "agent") if not _reports(acl) else []:
                for p in children(agent, "pobj"):
                    eid = self.ctx.actor(p)
                    if eid and eid not in sources:
                        return eid
        return None

    def prep_target(self, verb: Token, spec: Spec, sources: list[str | None]) -> list[str | None]:
        """The target a preposition of the verb names when its object is a thing ("imposed new
        tariffs on Moroccan imports" → Morocco, "sent engineers to Haiti" → Haiti)."""
        preps = target_preps(spec)
        # "sent engineers [to Haiti]" attached either way; "launched artillery and rocket fire
        # [against X]" on the last conjunct of the object
        objs = [c for o in children(verb, "dobj") for c in conjuncts(o)]
        for holder in [verb, *objs]:
            for child in holder.children:
                if child.dep_ in ("prep", "dative") and child.lower_ in preps:
                    for p in prep_objects(child):
                        eid = self.ctx.actor(p) or self.phrase_actor(p, sources, doer_only=True)
                        if eid is None and child.lower_ in DESTINATION_PREPS:
                            eid = self.place_inside(p)  # "contribute troops to a force in Liberia"
                        if eid and eid not in sources:
                            return [eid]
        return []

    def place_inside(self, tok: Token) -> str | None:
        """The country or place a destination phrase is in: "to a peacekeeping force in Liberia"."""
        for prep in children(tok, "prep"):
            if prep.lower_ in LOCATION_PREPS:
                for p in children(prep, "pobj"):
                    eid = self.place_of(p)
                    if eid:
                        return eid
        return None

    def phrase_doer(self, head: Token) -> str | None:
        """The actor behind a non-actor subject phrase: "a report by a UN panel", "the ministry's
        statement", "an attack by rebels" (possessor, else the object of by / from)."""
        if head.pos_ not in ("NOUN", "PROPN") or self.ctx.tok_entity(head):
            return None
        for child in head.children:
            if child.dep_ == "poss":
                return self.ctx.actor(child)
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                for p in children(child, "pobj"):
                    eid = self.ctx.actor(p)
                    if eid:
                        return eid
        return None

    def modifier_actor(self, noun: Token) -> str | None:
        """An actor pre-modifying an event noun: "Israeli air raids" → Israel, "a U.S. strike"."""
        for child in noun.lefts:
            if child.dep_ not in ("amod", "compound", "nmod"):
                continue
            eid = self.ctx.tok_entity(child)
            ent = self.ctx.by_id.get(eid or "")
            if ent is None or ent.type not in ACTOR_TYPES:
                continue
            return self.ctx.country_entity_for(eid) or eid
        return None

    def other_person_before(self, tok: Token, exclude: list[str | None]) -> str | None:
        """ "she criticised him": the Person an object pronoun names is not the clause's subject;
        the latest other Person in this or the two previous sentences (subjects first)."""
        return self.ctx.last_person_before(tok, exclude)

    @staticmethod
    def _actor_count(f: Found) -> int:
        return int(any(f.sources)) + int(any(t is not None for t in f.targets) or f.target_event_tok is not None)

    def _noun_restates(self, noun: Token, spec: Spec) -> bool:
        """An event noun that is the governing trigger verb's own argument ("met … for a meeting"),
        or names the same happening through a preposition ("killed in an attack")."""
        head = noun.head
        if head.i in self.found and head.pos_ == "VERB":
            # "met … for a meeting" restates; "condemned Iran's attack" is a second event
            return self.found[head.i].spec.type == spec.type or self.found[head.i].noun is noun
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
        movers: list[str | None] = []
        for child in noun.children:
            if child.dep_ == "poss":
                f.sources = self.actors_of([child])
            elif child.dep_ == "prep" and child.lower_ == "from" and "from" in spec.target_preps:
                f.targets = self.actors_of(children(child, "pobj")) or [None]  # "withdrawal from X"
            elif child.dep_ == "prep" and child.lower_ in ("by", "from"):
                f.sources = self.actors_of(children(child, "pobj")) or [None]
            elif child.dep_ == "prep" and child.lower_ == "of" and spec.of_role in ("target", "source"):
                ids = self.actors_of(children(child, "pobj")) or [None]
                left = self.left_place(children(child, "pobj"), spec)
                if left:  # "the withdrawal of forces from Panama": Panama is left, not the leaver;
                    f.targets = left  # who withdraws them is the lender's subject, else the forces
                    movers = [i for i in ids if i not in left]
                elif spec.of_role == "target":  # "the arrest of X by Y"
                    f.targets = ids
                else:  # "the visit of X"
                    f.sources = ids
            elif child.dep_ == "prep" and child.lower_ in spec.target_preps and child.lower_ != "to":
                pobjs = children(child, "pobj")
                f.targets = self.actors_of(pobjs) or [None]
                if f.targets == [None] and pobjs:  # "a protest against violations by the security forces"
                    f.targets = [self.phrase_actor(pobjs[0], f.sources, doer_only=True)]
        if f.sources == [None]:
            mod = self.modifier_actor(noun)  # "Israeli air raids"
            if mod and mod not in f.targets:
                f.sources = [mod]
        gov = self.lending_governor(noun, spec)
        if gov is not None and gov.lemma_.lower() in UNDERGO_VERBS:
            # "they may face sanctions", "suffered an attack": the subject undergoes the act
            if f.targets == [None]:
                f.targets = [i for i in self.actors_of(self.subject_toks(gov)) if i and i not in f.sources] or [None]
            gov = None
        if f.sources == [None] and gov is not None:
            # "the US speeded up the withdrawal", "Nigerians converged for a rally"
            # an event does not take part in one ("the arrest drew protests": not the arresters)
            doers = [t for t in self.subject_toks(gov) if self.noun_spec(t) is None]
            ids = [i for i in self.actors_of(doers) if i and i not in f.targets] if doers else []
            f.sources = ids or [None]
        if f.sources == [None] and movers:
            f.sources = movers
        if f.sources == [None]:
            f.sources = self.passive_carrier(noun)
        if f.targets == [None] and gov is not None and noun.dep_ == "dobj":
            # "staged rallies in Gaza against X", "carried out strikes on X": the lender's preposition
            f.targets = self.prep_target(gov, spec, f.sources) or [None]
        f.location = self.location_of([noun])
        if f.sources == [None] and f.targets == [None] and f.location is None and not spec.standalone:
            return  # a bare event noun with no actor or place says little
        self.found[noun.i] = f

    def passive_carrier(self, noun: Token) -> list[str | None]:
        """ "the attack was carried out by ETA", "the attack is believed to have been carried out by
        ETA": an event noun that is the passive subject of a verb that is no trigger and no report
        (directly or through a raising verb's complement) is done by that verb's agent."""
        if noun.dep_ not in ("nsubjpass", "nsubj"):
            return [None]
        verb = noun.head
        for _ in range(3):
            if verb.pos_ not in ("VERB", "AUX") or verb.i in self.found:
                return [None]
            if not _reports(verb):  # "the attack was reported by the BBC": the BBC did not attack
                for agent in children(verb, "agent"):
                    # a thing as agent is a sequel, not a doer ("was followed by calls from X")
                    doers = [p for p in children(agent, "pobj") if self.ctx.tok_entity(p) or not children(p, "prep")]
                    ids: list[str | None] = [i for i in self.actors_of(doers) if i] if doers else []
                    if ids:
                        return ids
            comps = [c for c in children(verb, "xcomp") if is_passive(c) or c.lemma_ == "be"]
            if not comps:
                return [None]
            verb = comps[0]
        return [None]

    def left_place(self, pobjs: list[Token], spec: Spec) -> list[str | None]:
        """ "the withdrawal of forces from Panama": for an event noun whose target preposition is
        "from", an "of" object with no entity of its own names the mover; its "from" object is the
        place or actor left (the target)."""
        if "from" not in spec.target_preps:
            return []
        for p in pobjs:
            for prep in children(p, "prep"):
                if prep.lower_ == "from":
                    ids = [i for i in self.actors_of(children(prep, "pobj")) if i]
                    if ids:
                        return list(ids)
        return []

    def lending_governor(self, noun: Token, spec: Spec) -> Token | None:
        """The verb whose subject does an event noun: an active verb that is no trigger itself
        ("completed its investigation", "speeded up the withdrawal", "began a hunger strike") and
        has the noun as its object; for protests also through a preposition ("converged for a
        rally", "took part in the march"): the participants are the protesters. A trigger verb is
        no lender ("condemned the attack": the condemner did not attack)."""
        gov = noun.head
        via_prep = noun.dep_ == "pobj" and gov.dep_ == "prep"
        if via_prep:
            if spec.type != "PROTEST":
                return None
            gov = gov.head
        elif noun.dep_ != "dobj":
            return None
        if gov.pos_ != "VERB" or gov.i in self.found or is_passive(gov):
            return None
        return gov

    def _anaphoric(self, tok: Token) -> bool:
        """ "people involved in these activities", "those responsible": a generic, anaphoric target."""
        if tok.lemma_.lower() in GENERIC_PERSONS or tok.lower_ in GENERIC_PERSONS:
            return True
        return any(t.lower_ in ANAPHORIC_DETS and t.dep_ == "det" for t in tok.subtree)
