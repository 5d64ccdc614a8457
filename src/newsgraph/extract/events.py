"""Events: who did what to whom, from dependency parses and a trigger lexicon (issue 4).

One pass over each sentence's tokens with dict lookups by lemma (``data/events/triggers.yaml``):

- a verb trigger ("denounced", "recruits", "met"), a light-verb frame ("made a complaint",
  "initiated criminal proceedings", "offering help") or an event noun ("the attack on X")
  gives an event type, PLOVER mode and context;
- arguments come from the parse: subject/agent → source, object/dative/target preposition →
  target, "in/at X" → location; passives, relative clauses (the antecedent of "that/who"),
  controlled infinitives and participles inherit their subject from the governing verb;
- coordinated actors: a reciprocal verb ("A and B met", "Cuban and Russian ministers met")
  takes source = first conjunct, target = second; other verbs give one event per conjunct;
- flags: negated, hypothetical (may/could/if, purpose infinitives), future (will, plans to),
  historical (dated more than a year before publication);
- implicit agents: an agentless official act (investigate, prosecute, arrest, send troops…)
  reported by an organisation or official of country C gets the Government of C as source when
  the graph holds it, else the reporting entity itself.

``asserted_by``/``certainty`` from attributions are set by the ``relations`` component's final
pass (it runs after this one); here ``certainty`` carries only the clause's own hedges.
See docs/events.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from newsgraph.extract.pipeline import Analysis, component
from newsgraph.model import Entity, Event

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# --- the lexicon -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """What a trigger means: PLOVER type, mode, context and how its arguments behave."""

    type: str
    mode: str | None = None
    context: str | None = None
    reciprocal: bool = False
    target_preps: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    official: bool = False
    object_control: bool = False
    implicit_target: str | None = None
    by_object: tuple[tuple[frozenset[str], Spec], ...] = ()
    not_objects: frozenset[str] = frozenset()
    needs_target: bool = False
    or_actor_object: bool = False
    standalone: bool = False
    not_modifiers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, Spec]
    frames: dict[str, dict[str, Spec]]
    nouns: dict[str, Spec]


def _spec(raw: dict[str, Any], default_preps: frozenset[str]) -> Spec:
    return Spec(
        type=str(raw["type"]),
        mode=raw.get("mode"),
        context=raw.get("context"),
        reciprocal=bool(raw.get("reciprocal", False)),
        target_preps=frozenset(map(str, raw["target_preps"])) if "target_preps" in raw else default_preps,
        objects=frozenset(raw.get("objects", ())),
        not_objects=frozenset(raw.get("not_objects", ())),
        needs_target=bool(raw.get("needs_target", False)),
        or_actor_object=bool(raw.get("or_actor_object", False)),
        standalone=bool(raw.get("standalone", False)),
        not_modifiers=frozenset(raw.get("not_modifiers", ())),
        official=bool(raw.get("official", False)),
        object_control=bool(raw.get("object_control", False)),
        implicit_target=raw.get("implicit_target"),
        by_object=tuple(
            (frozenset(o["objects"]), _spec({k: v for k, v in {**raw, **o}.items() if k != "by_object"}, default_preps))
            for o in raw.get("by_object", ())
        ),
    )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The trigger lexicon, read once from ``newsgraph/data/events/triggers.yaml``."""
    text = resources.files("newsgraph").joinpath("data/events/triggers.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    preps = frozenset(map(str, data.get("default_target_preps", ())))
    if "True" in preps or any("True" in map(str, v.get("target_preps", ())) for v in data.get("verbs", {}).values()):
        raise ValueError('triggers.yaml: quote the preposition "on" (YAML reads a bare on as true)')
    return Lexicon(
        verbs={k: _spec(v, preps) for k, v in data.get("verbs", {}).items()},
        frames={v: {n: _spec(s, preps) for n, s in nouns.items()} for v, nouns in data.get("frames", {}).items()},
        nouns={k: _spec(v, preps) for k, v in data.get("nouns", {}).items()},
    )


# --- word lists (closed classes, not content) --------------------------------------------------

SUBJ = {"nsubj", "csubj"}
REL_PRONOUNS = {"that", "which", "who", "whom", "whose"}
PERSONAL_PRONOUNS = {"he", "she", "him", "her"}
GENERIC_PERSONS = {"people", "person", "those", "individual", "anyone", "others", "one"}
ANAPHORIC_DETS = {"these", "this", "such", "those", "that"}
ROLE_PREPS = {"of", "for"}
LOCATION_PREPS = {"in", "at", "near", "inside", "outside"}


def _word_lists(path: str) -> dict[str, frozenset[str]]:
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
PLURAL_COLLECTIVES = {"country", "nation", "state", "government", "side", "party"}
OFFICIAL_SUBTYPES = {"government", "ministry", "agency", "police", "military", "court", "party"}

PRECEDENCE = {"asserted": 0, "hypothetical": 1, "alleged": 2, "denied": 3}
EVENT_SCRATCH = "events"  # analysis.scratch key: per-event data the relations pass reads


@dataclass
class _Found:
    """An event being built, with the tokens it came from."""

    trigger: Token
    spec: Spec
    noun: Token | None = None  # the frame noun / the event noun
    sources: list[str | None] = field(default_factory=lambda: [None])
    targets: list[str | None] = field(default_factory=lambda: [None])
    target_event_tok: Token | None = None  # "complaint about [sending] soldiers": target = that event's source
    needs_agent: bool = False
    location: str | None = None


class _Ctx:
    """Per-article helpers: token → entity, countries, governments."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.graph = analysis.graph
        self.by_id: dict[str, Entity] = {e.id: e for e in analysis.graph.entities}

    # token → entity ----------------------------------------------------------------------
    def at(self, start: int, end: int) -> str | None:
        return self.analysis.entity_at(start, end)

    def tok_entity(self, tok: Token) -> str | None:
        """The entity of a token: the mention overlapping it most, the shortest on a tie (a name
        nested in a longer phrase mention: "Haniyeh" in "the Hamas leader Ismail Haniyeh")."""
        start, end = tok.idx, tok.idx + len(tok.text)
        best: tuple[int, int, str] | None = None
        for s, e, eid in self.analysis._spans:
            if s >= end:
                break
            overlap = min(e, end) - max(s, start)
            if overlap > 0 and (best is None or (overlap, -(e - s)) > (best[0], best[1])):
                best = (overlap, -(e - s), eid)
        return best[2] if best else None

    def actor(self, tok: Token, depth: int = 0) -> str | None:
        """The entity an argument head denotes: its own mention first, then its pre-modified
        phrase ("the Cuban regime"), then the object of a role preposition ("members of X")."""
        eid = self.tok_entity(tok)
        if eid:
            return eid
        if tok.pos_ in ("VERB", "AUX"):
            return None
        if tok.lower_ in PERSONAL_PRONOUNS:
            return self.last_person_before(tok)
        for child in tok.rights:  # "the Hamas leader Ismail Haniyeh", "the newspaper X"
            if child.dep_ == "appos":
                eid = self.tok_entity(child)
                if eid:
                    return eid
        lefts = [c for c in tok.lefts if c.dep_ not in ("punct", "cc")]
        if lefts:
            # "the Cuban regime" → Cuba (nationality is an actor code), not "the Melbourne salesman"
            start = min(c.left_edge.idx for c in lefts)
            eid = self.at(start, tok.idx + len(tok.text))
            ent = self.by_id.get(eid or "")
            if eid and (ent is None or ent.type != "Place"):
                return eid
        if depth < 2:
            plural = tok.tag_ in ("NNS", "NNPS")
            for child in tok.rights:
                # "members of X", "spokesperson for X", "officials from X" (not "a party from X")
                if child.dep_ == "prep" and (child.lower_ in ROLE_PREPS or (child.lower_ == "from" and plural)):
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            eid = self.actor(pobj, depth + 1)
                            if eid:
                                return eid
        if tok.dep_ == "poss":
            return None
        # the full phrase, relative clauses excluded ("a human trafficking network")
        return None

    def last_person_before(self, tok: Token) -> str | None:
        """ "he", "she": a Person mentioned before, in this or the two previous sentences. As in
        centering theory, the latest one that was a subject wins (news prose keeps the person it
        is about as subject); else the latest one at all."""
        doc = tok.doc
        sent_start = tok.sent.start
        floor = doc[sent_start - 1].sent.start if sent_start > 0 else 0
        floor = doc[floor - 1].sent.start if floor > 0 else floor
        lo = doc[floor].idx
        latest = latest_subject = None
        for s, e, eid in self.analysis._spans:
            if s >= tok.idx:
                break
            ent = self.by_id.get(eid)
            if s < lo or ent is None or ent.type != "Person":
                continue
            latest = eid
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
                latest_subject = eid
        return latest_subject or latest

    def country_entity_for(self, eid: str | None) -> str | None:
        """For a demonym-like Group entity ("Cuban"), the Country entity it names, if in the graph."""
        ent = self.by_id.get(eid or "")
        if ent is None or ent.type == "Country":
            return eid
        if ent.type != "Group":
            return eid
        table = _countries()
        code = (table.demonym(ent.name) or table.plural(ent.name)) if table is not None else None
        name = ent.name.lower()
        for other in self.graph.entities:
            if other.type != "Country":
                continue
            if code and ((other.country or "").upper() == code or _alpha2(other.name) == code):
                return other.id
            if not code and len(other.name) >= 4 and name.startswith(other.name.lower()[:-1]):
                return other.id
        return eid

    def country_of(self, eid: str | None) -> str | None:
        """The Country entity an actor belongs to: its ``country`` code, else a country named
        inside one of its mentions' phrases ("Cuban Ministry", "Foundation ... in Cuba")."""
        ent = self.by_id.get(eid or "")
        if ent is None:
            return None
        if ent.type == "Country":
            return ent.id
        if ent.country:
            for other in self.graph.entities:
                if other.type == "Country" and (
                    (other.country or "").upper() == ent.country.upper() or _alpha2(other.name) == ent.country.upper()
                ):
                    return other.id
        doc = self.analysis.doc
        for m in ent.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            toks = list(span) + [t for t in span.root.subtree if t.i >= span.end and t.dep_ not in ("relcl", "acl")]
            for t in toks:
                cid = self.country_entity_for(self.tok_entity(t))
                if cid and cid != eid and getattr(self.by_id.get(cid), "type", None) == "Country":
                    return cid
        return None

    def country_code(self, eid: str | None) -> str | None:
        """ISO alpha-2 code of the country an actor belongs to (its ``country``, else the Country
        entity it names or is)."""
        ent = self.by_id.get(eid or "")
        if ent is None:
            return None
        if ent.country:
            return ent.country.upper()
        cid = self.country_of(eid)
        cent = self.by_id.get(cid or "")
        if cent is None:
            return None
        return (cent.country or _alpha2(cent.name) or "").upper() or None

    def government_of(self, speaker: str | None) -> str | None:
        """The government entity of the speaker's country, if the graph holds one."""
        code = self.country_code(speaker)
        if not code:
            return None
        for ent in self.graph.entities:
            if ent.type != "Organization" or ent.id == speaker:
                continue
            low = ent.name.lower()
            if ent.subtype == "government" and (ent.country or "").upper() == code:
                return ent.id
            if low.startswith("government of ") and _alpha2(ent.name[len("government of ") :]) == code:
                return ent.id
        return None

    def top_countries(self, n: int = 2) -> list[str]:
        """The n most salient Country entities, most salient first. A country's salience counts
        its own mentions and those of the actors that belong to it ("the Cuban regime")."""
        score: dict[str, int] = {}
        for ent in self.graph.entities:
            cid = ent.id if ent.type == "Country" else self.country_of(ent.id)
            if cid:
                score[cid] = score.get(cid, 0) + len(ent.mentions)
        first = {
            e.id: min((m.start for m in e.mentions), default=1 << 30)
            for e in self.graph.entities
            if e.type == "Country"
        }
        ranked = sorted(score, key=lambda c: (-score[c], first.get(c, 1 << 30)))
        return ranked[:n]


def _countries() -> Any:
    """The actors layer's country table (names, demonyms → ISO code), if present."""
    try:
        from newsgraph.extract.actors.lexicon import lexicon as actors_lexicon
    except ImportError:
        return None
    return getattr(actors_lexicon(), "countries", None)


@lru_cache(maxsize=512)
def _alpha2(name: str) -> str | None:
    table = _countries()
    if table is not None:
        code = table.lookup(name)
        if code:
            return str(code)
    import pycountry

    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return None


def _attribution_covering(graph: Any, start: int, end: int) -> Any:
    """The innermost attribution whose content span covers [start, end) (claims' helper if present)."""
    try:
        from newsgraph.extract.claims import attribution_covering
    except ImportError:
        best = None
        for a in graph.attributions:
            cs, ce = a.content_span
            if cs <= start and end <= ce and (best is None or ce - cs < best.content_span[1] - best.content_span[0]):
                best = a
        return best
    return attribution_covering(graph, start, end)


def attribution_speaker(analysis: Analysis, att: Any) -> str | None:
    """The speaker of an attribution: its resolved source, else the actor its source span's head
    denotes ("the newspaper Pravda": the appositive name)."""
    if att is None:
        return None
    if getattr(att, "source", None):
        return str(att.source)
    span_ = getattr(att, "source_span", None)
    if not span_:
        return None
    span = analysis.doc.char_span(span_[0], span_[1], alignment_mode="expand")
    if span is None:
        return None
    return _Ctx(analysis).actor(span.root)


def _hedge(tok: Token) -> str:
    """The certainty a predicate's own hedges give it (claims' ``hedge_certainty`` if present)."""
    return _hedge_cue(tok)[0]


def _hedge_cue(tok: Token) -> tuple[str, str | None]:
    """The certainty a predicate's own hedges give it, and the cue word that sets it."""
    try:
        from newsgraph.extract.claims import hedge_certainty
    except ImportError:
        return "asserted", None
    certainty, cue = hedge_certainty(tok)
    return str(certainty), cue


# --- argument finding --------------------------------------------------------------------------


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _is_passive(tok: Token) -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        return True
    return tok.tag_ == "VBN" and tok.dep_ == "acl"


def _antecedent(rel_verb: Token) -> Token:
    """The noun a relative clause modifies. High attachment across a participial modifier:
    in "a network linked to the government that recruits", the clause belongs to "network"."""
    head = rel_verb.head
    if head.dep_ == "pobj" and head.head.dep_ == "prep":
        participle = head.head.head
        if participle.dep_ == "acl" and participle.tag_ == "VBN" and participle.head.pos_ in ("NOUN", "PROPN"):
            return participle.head
    return head


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.i > tok.i]]


class _Finder:
    def __init__(self, ctx: _Ctx, lex: Lexicon) -> None:
        self.ctx = ctx
        self.lex = lex
        self.found: dict[int, _Found] = {}  # trigger token index → event
        self._subj_cache: dict[int, list[Token]] = {}
        self.in_times: set[int] = set()  # tokens of time expressions: "In March" is no protest march

    # subjects ----------------------------------------------------------------------------
    def subject_toks(self, verb: Token, depth: int = 0) -> list[Token]:
        """The tokens that denote the doer of ``verb`` (its subject, agent or controller)."""
        if verb.i in self._subj_cache:
            return self._subj_cache[verb.i]
        out: list[Token] = []
        if _is_passive(verb):
            for agent in _children(verb, "agent"):
                out = _children(agent, "pobj")
        else:
            subj = _children(verb, *SUBJ)
            if subj:
                s = subj[0]
                out = [_antecedent(verb)] if s.lower_ in REL_PRONOUNS and verb.dep_ == "relcl" else [s]
            elif verb.dep_ == "acl" and verb.tag_ == "VBG":
                out = [verb.head]  # "a network recruiting Cubans"
        if not out and depth < 4:
            head = verb.head
            if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
                out = self.subject_toks(head, depth + 1)
            elif verb.dep_ in ("xcomp", "advcl") and head.pos_ in ("VERB", "AUX"):
                spec = self.lex.verbs.get(head.lemma_.lower())
                dobj = _children(head, "dobj")
                # "recruit Cubans to fight": Cubans fight
                control = spec is not None and spec.object_control and bool(dobj)
                out = dobj if control else self.subject_toks(head, depth + 1)
        self._subj_cache[verb.i] = out
        return out

    def actors_of(self, toks: list[Token], reciprocal: bool = False) -> list[str | None]:
        """Entity ids for argument heads, expanding coordination ("A and B", "Cuban and Russian X")."""
        ids: list[str | None] = []
        for head in toks:
            if head.lower_ in REL_PRONOUNS and head.dep_ in (*SUBJ, "nsubjpass") and head.head.dep_ == "relcl":
                head = _antecedent(head.head)
            conjs = _conjuncts(head)
            if len(conjs) == 1 and self.ctx.tok_entity(head) is None:
                # "two drug mules, Renae Lawrence and Scott Rush,": the coordinated apposition
                appos = [c for c in head.rights if c.dep_ == "appos" and c.conjuncts]
                if appos:
                    conjs = _conjuncts(appos[0])
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
                        group = _conjuncts(mods[0])
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
            if _is_passive(verb):
                subj = _children(verb, "nsubjpass")
                if subj and subj[0].lower_ in REL_PRONOUNS and verb.dep_ == "relcl":
                    return [_antecedent(verb)], None
                if subj:
                    return subj, None
                if verb.dep_ == "acl":
                    return [verb.head], None
            elif noun is None:
                dobj = _children(verb, "dobj")
                if dobj:
                    return dobj[:1], None
        for holder in holders:
            for child in holder.children:
                if child.dep_ == "dative":
                    objs = _children(child, "pobj")
                    if objs:
                        return objs, None
                    if child.pos_ in ("NOUN", "PROPN", "PRON"):
                        return [child], None
        for holder in reversed(holders):
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ in spec.target_preps:
                    objs = _children(child, "pobj")
                    if objs:
                        return objs, None
                    pcomp = _children(child, "pcomp")
                    if pcomp and pcomp[0].pos_ == "VERB":
                        return [], pcomp[0]
        return [], None

    def location_of(self, holders: list[Token]) -> str | None:
        for holder in holders:
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ in LOCATION_PREPS:
                    for pobj in _children(child, "pobj"):
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
        cands = _children(verb, "dobj", "nsubjpass")
        for prep in _children(verb, "prep"):
            cands += _children(prep, "pobj")
        for noun in cands:
            spec = frame.get(noun.lemma_.lower()) or frame.get(noun.lower_)
            if spec is not None:
                return noun, spec
        return None

    def verb_spec(self, verb: Token) -> Spec | None:
        lemma = verb.lemma_.lower()
        spec = None
        for prt in verb.children:  # phrasal verbs: "took over", "blew up"
            if prt.dep_ == "prt":
                spec = self.lex.verbs.get(f"{lemma} {prt.lower_}")
        spec = spec or self.lex.verbs.get(lemma)
        if spec is None:
            return None
        objs = _children(verb, "dobj", "nsubjpass")
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
                    consumed.add(noun.i)
                    self.add(tok, spec, noun)
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

    def add(self, verb: Token, spec: Spec, noun: Token | None) -> None:
        if self.restates(verb, spec):
            return
        f = _Found(trigger=verb, spec=spec, noun=noun)
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
        if spec.needs_target and f.targets in ([None], ["@previous"]) and f.target_event_tok is None:
            return
        f.needs_agent = not subj and (spec.official or _is_passive(verb))
        f.location = self.location_of([verb] + ([noun] if noun is not None else []))
        self.found[verb.i] = f

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
        f = _Found(trigger=noun, spec=spec, noun=noun)
        for child in noun.children:
            if child.dep_ == "poss":
                f.sources = self.actors_of([child])
            elif child.dep_ == "prep" and child.lower_ in ("by", "from"):
                f.sources = self.actors_of(_children(child, "pobj")) or [None]
            elif child.dep_ == "prep" and child.lower_ in spec.target_preps and child.lower_ != "to":
                f.targets = self.actors_of(_children(child, "pobj")) or [None]
        f.location = self.location_of([noun])
        if f.sources == [None] and f.targets == [None] and f.location is None and not spec.standalone:
            return  # a bare event noun with no actor or place says little
        self.found[noun.i] = f

    def _anaphoric(self, tok: Token) -> bool:
        """ "people involved in these activities", "those responsible": a generic, anaphoric target."""
        if tok.lemma_.lower() in GENERIC_PERSONS or tok.lower_ in GENERIC_PERSONS:
            return True
        return any(t.lower_ in ANAPHORIC_DETS and t.dep_ == "det" for t in tok.subtree)


# --- flags --------------------------------------------------------------------------------------


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


def _flags(trigger: Token, published_year: int | None, times: list[Any] | None = None) -> dict[str, Any]:
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
    hedged, hedge_cue = _hedge_cue(trigger)
    if PRECEDENCE[hedged] > PRECEDENCE[certainty]:
        certainty, cue = hedged, hedge_cue
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


def _trigger_text(doc_text: str, f: _Found) -> tuple[str, int, int]:
    t = f.trigger
    start = t.idx
    end = t.idx + len(t.text)
    if f.noun is not None and f.noun.i != t.i:
        n = f.noun
        lo, hi = min(start, n.idx), max(end, n.idx + len(n.text))
        if abs(n.i - t.i) <= 5:
            return doc_text[lo:hi], lo, hi
        return f"{t.text} … {n.text}", lo, hi
    return t.text, start, end


def _clause_span(f: _Found, sent: Span) -> tuple[int, int]:
    tok = f.trigger
    if tok.pos_ in ("NOUN", "PROPN") and tok.head.pos_ == "VERB":
        tok = tok.head
    toks = list(tok.subtree)
    start = max(toks[0].idx, sent.start_char)
    last = toks[-1]
    end = min(last.idx + len(last.text), sent.end_char)
    return start, end


# --- the component ------------------------------------------------------------------------------


def _implicit_agent(ctx: _Ctx, speaker: str | None) -> str | None:
    """An agentless official act reported by `speaker`: the government of the speaker's country,
    when the graph holds it; otherwise the speaker itself if it is an organisation (an official
    body speaking of its own acts). A person reporting a passive ("she was banned") is more
    often its target than its agent, so a person gets no implicit agency."""
    if speaker is None:
        return None
    gov = ctx.government_of(speaker)
    if gov:
        return gov
    ent = ctx.by_id.get(speaker)
    return speaker if ent is not None and ent.type == "Organization" else None


@component("events")
def events(analysis: Analysis) -> None:
    graph = analysis.graph
    doc = analysis.doc
    ctx = _Ctx(analysis)
    finder = _Finder(ctx, load_lexicon())
    published_year = int(analysis.article.published[:4]) if analysis.article.published else None

    for t in graph.times:
        tspan = doc.char_span(t.start, t.end, alignment_mode="expand")
        if tspan is not None:
            finder.in_times.update(range(tspan.start, tspan.end))

    sent_of: dict[int, int] = {}
    consumed: set[int] = set()
    for s in graph.sentences:
        span = doc.char_span(s.start, s.end, alignment_mode="expand")
        if span is None:
            continue
        before = set(finder.found)
        finder.visit(span, consumed)
        for i in set(finder.found) - before:
            sent_of[i] = s.index

    order = sorted(finder.found)
    by_tok: dict[int, list[Event]] = {}
    scopes: list[tuple[int, int, str | None]] = []
    last_target: dict[str, str] = {}  # event family → last resolved target
    text = analysis.article.text if doc.text == analysis.article.text else doc.text
    for i in order:
        f = finder.found[i]
        sidx = sent_of[i]
        sent = doc.char_span(graph.sentences[sidx].start, graph.sentences[sidx].end, alignment_mode="expand")
        assert sent is not None
        trig, t_start, t_end = _trigger_text(text, f)
        start, end = _clause_span(f, sent)
        flags = _flags(f.trigger, published_year, graph.times)
        sources = list(f.sources)
        if sources == [None] and f.needs_agent:
            speaker = _speaker_for(analysis, by_tok, f, t_start, t_end)
            sources = [_implicit_agent(ctx, speaker)]
        family = _family(f.spec.type)
        targets = list(f.targets)
        if targets == ["@previous"]:
            targets = [last_target.get(family)]
        evs: list[Event] = []
        for src in sources:
            for tgt in targets:
                if tgt is not None and tgt == src and len(targets) == 1:
                    tgt = None
                ev = Event(
                    id=f"V{len(graph.events) + 1}",
                    type=f.spec.type,
                    trigger=trig,
                    sentence=sidx,
                    start=start,
                    end=end,
                    mode=f.spec.mode,
                    source=src,
                    target=tgt,
                    location=f.location,
                    trigger_start=t_start,
                    trigger_end=t_end,
                    context=f.spec.context,
                    **flags,
                )
                graph.events.append(ev)
                evs.append(ev)
                if tgt:
                    last_target[family] = tgt
        by_tok[i] = evs
        if f.spec.type == "ACCUSE" and f.trigger.pos_ == "VERB":
            for obj in _children(f.trigger, "dobj"):
                toks = list(obj.subtree)
                scopes.append((toks[0].idx, toks[-1].idx + len(toks[-1].text), sources[0]))

    # targets that are embedded actions: "a complaint about [sending] soldiers" → that act's doer
    for i in order:
        f = finder.found[i]
        if f.target_event_tok is None:
            continue
        inner = by_tok.get(f.target_event_tok.i)
        if not inner:
            continue
        for ev in by_tok[i]:
            if ev.target is None and inner[0].source and inner[0].source != ev.source:
                ev.target = inner[0].source

    # implicit targets ("accepted the proposal"): the first other actor named in the clause
    for i in order:
        f = finder.found[i]
        if f.spec.implicit_target != "clause":
            continue
        for ev in by_tok[i]:
            if ev.target is None:
                ev.target = _other_actor_in(analysis, ev.start, ev.end, ev.source)

    analysis.scratch[EVENT_SCRATCH] = {"accuse_scopes": scopes}


def _family(etype: str) -> str:
    return "legal" if etype in ("ACCUSE", "INVESTIGATE", "SANCTION", "COERCE") else etype


def _speaker_for(analysis: Analysis, by_tok: dict[int, list[Event]], f: _Found, start: int, end: int) -> str | None:
    """Who reports an agentless act: the attribution's source, else the doer of the event whose
    content this act is ("a complaint about sending soldiers": the complainant)."""
    att = _attribution_covering(analysis.graph, start, end)
    who = attribution_speaker(analysis, att)
    if who:
        return who
    tok = f.trigger
    for _ in range(6):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        evs = by_tok.get(tok.i)
        if evs and evs[0].source:
            return evs[0].source
    return None


def _other_actor_in(analysis: Analysis, start: int, end: int, source: str | None) -> str | None:
    for s, _e, eid in analysis._spans:
        if s >= end:
            break
        if s >= start and eid != source:
            ent = analysis.graph.entity(eid)
            if ent is not None and ent.type in ("Country", "Organization"):
                return eid
    return None
