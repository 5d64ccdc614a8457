"""The ``events`` component: who did what to whom, from dependency parses and a trigger lexicon.

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

``asserted_by``/``certainty`` from attributions are set by the ``assertions`` component (it runs
after this one and ``relations``); here ``certainty`` carries only the clause's own hedges.
The lexicon is in `lexicon`, arguments in `arguments`, flags in `flags`. See docs/events.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsgraph.extract.actors.context import ActorContext
from newsgraph.extract.attributions import attribution_covering, attribution_speaker
from newsgraph.extract.events.arguments import ArgumentFinder, Found, state_organ
from newsgraph.extract.events.flags import deontic_modal, event_flags
from newsgraph.extract.events.lexicon import trigger_lexicon
from newsgraph.extract.pipeline import Analysis, Scope, component
from newsgraph.extract.syntax import children, sentence_span
from newsgraph.model import Event, EventType, as_event_type

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


# What a verb may agree to or on: an object, a clause, a preposition ("agreed to a truce").
COMPLEMENT_DEPS = frozenset({"dobj", "xcomp", "ccomp", "prep", "dative", "pcomp"})


def _trigger_text(doc_text: str, f: Found) -> tuple[str, int, int]:
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


def _clause_span(f: Found, sent: Span) -> tuple[int, int]:
    tok = f.trigger
    if tok.pos_ in ("NOUN", "PROPN") and tok.head.pos_ == "VERB":
        tok = tok.head
    toks = list(tok.subtree)
    start = max(toks[0].idx, sent.start_char)
    last = toks[-1]
    end = min(last.idx + len(last.text), sent.end_char)
    return start, end


# --- the component ------------------------------------------------------------------------------


def _implicit_agent(ctx: ActorContext, speaker: str | None) -> str | None:
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


@component(
    "events",
    requires=("graph.sentences", "graph.times", "graph.attributions", "analysis.mentions"),
    assigns=("graph.events", "analysis.accuse_scopes"),
)
def events(analysis: Analysis) -> None:
    graph = analysis.graph
    doc = analysis.doc
    ctx = ActorContext(analysis)
    finder = ArgumentFinder(ctx, trigger_lexicon())
    published_year = int(analysis.article.published[:4]) if analysis.article.published else None

    for t in graph.times:
        tspan = doc.char_span(t.start, t.end, alignment_mode="expand")
        if tspan is not None:
            finder.in_times.update(range(tspan.start, tspan.end))

    sent_of: dict[int, int] = {}
    consumed: set[int] = set()
    for s in graph.sentences:
        span = sentence_span(doc, s)
        if span is None:
            continue
        before = set(finder.found)
        finder.visit(span, consumed)
        for i in set(finder.found) - before:
            sent_of[i] = s.index

    for i in [i for i, f in finder.found.items() if _no_act(finder, f)]:
        del finder.found[i]
    order = sorted(finder.found)
    by_tok: dict[int, list[Event]] = {}
    scopes: list[Scope] = []
    last_target: dict[str, str] = {}  # event family → last resolved target
    text = analysis.article.text if doc.text == analysis.article.text else doc.text
    for i in order:
        f = finder.found[i]
        sidx = sent_of[i]
        sent = sentence_span(doc, graph.sentences[sidx])
        assert sent is not None
        trig, t_start, t_end = _trigger_text(text, f)
        start, end = _clause_span(f, sent)
        flags = event_flags(f.trigger, published_year, graph.times)
        charge = finder.lex.senses.charge_of(f.trigger) if f.noun is f.trigger else None
        if charge is not None:
            if not _names_victim(f.trigger):
                by_tok[i] = []
                continue  # "charges including murder": the crime charged, not a reported event
            if charge.lemma_.lower() in finder.lex.senses.allegation_words and flags["certainty"] == "asserted":
                flags.update(certainty="alleged", certainty_cue=charge.text)
        etype, mode = f.spec.type, f.spec.mode
        if flags["negated"] and _in_request(finder, f.trigger):
            # "asked Moscow not to recruit X": a requested abstention, not a denial
            flags.update(hypothetical=True, certainty="hypothetical", certainty_cue=f.trigger.head.text)
        elif _intended(finder, f, flags) and _own_announcement(analysis, ctx, f, t_start, t_end):
            etype, mode = _intent_type(finder, etype, mode, flags["negated"])
        sources = list(f.sources)
        if sources == [None] and f.needs_agent and deontic_modal(f.trigger) is None:
            # ("the prisoners must be released, Amnesty said": who demands it is not who would act)
            speaker = _speaker_for(analysis, by_tok, f, t_start, t_end)
            if f.agentless_passive and not state_organ(ctx, speaker):
                speaker = None  # "X was detained, the committee said": no doer named
            sources = [_implicit_agent(ctx, speaker)]
        family = _family(f.spec.type)
        targets = list(f.targets)
        if targets == ["@previous"]:
            targets = [last_target.get(family)]
        evs: list[Event] = []
        if (
            targets == [None]
            and f.location is not None
            and not f.spec.reciprocal
            and not f.patient  # "dissident groups were suppressed in X": the groups, not X
            and etype in finder.lex.intent.get("location_targets", ())
        ):
            targets = [f.location]  # "arrived in Amman": PLOVER codes the place as the target
        for src in sources:
            for tgt in targets:
                if tgt is not None and tgt == src and len(targets) == 1:
                    tgt = None
                ev = Event(
                    id=f"V{len(graph.events) + 1}",
                    type=etype,
                    trigger=trig,
                    sentence=sidx,
                    start=start,
                    end=end,
                    mode=mode,
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
            for obj in children(f.trigger, "dobj"):
                toks = list(obj.subtree)
                scopes.append(Scope(toks[0].idx, toks[-1].idx + len(toks[-1].text), sources[0]))

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

    analysis.accuse_scopes = scopes
    graph.events = once_per_article(graph.events)


def once_per_article(events: list[Event]) -> list[Event]:
    """One event once per article (issue 12, item 4): news repeats its facts ("police arrested
    X … X's arrest … the arrest of X by police"), so a later event of the same type between the
    same source and target, with the same polarity and hypotheticality, is the same event and
    is dropped; the first mention (usually the fullest, in the lead) stays. Events with a
    missing source or target are kept: two unattributed attacks may be two attacks."""
    seen: set[tuple[str, str, str, bool, bool]] = set()
    kept: list[Event] = []
    for ev in events:
        if ev.source and ev.target:
            key = (ev.type, ev.source, ev.target, ev.negated, ev.hypothetical)
            if key in seen:
                continue
            seen.add(key)
        kept.append(ev)
    for n, ev in enumerate(kept, 1):
        ev.id = f"V{n}"
    return kept


def _no_act(finder: ArgumentFinder, f: Found) -> bool:
    """Word-sense guards that need the event's type or doer (`lexicon.SenseGuards`): a text that
    stipulates ("the budget provides $X"), talk about a topic with no counterpart ("Bush
    discussed the deficit")."""
    senses = finder.lex.senses
    if senses.stipulated(f.trigger, f.spec.type):
        return True
    if f.noun is None and senses.endangered(f.trigger, f.spec.type, finder.ctx.actor):
        return True
    if f.spec.needs_complement and f.noun is None and f.target_event_tok is None:
        # "X agreed, saying …": agreement with a view, nothing agreed to
        if f.trigger.dep_ == "acl":
            return False  # "the ceasefire agreed on Monday": the noun is what was agreed
        # (a complement follows the verb: "X, head of the group Stop the Drones, agreed" has none)
        return not any(c.dep_ in COMPLEMENT_DEPS and c.i > f.trigger.i for c in f.trigger.children)
    if f.spec.reciprocal and f.noun is None and f.targets == [None]:
        return senses.talks_alone(f.trigger, f.spec.type, finder.subject_toks(f.trigger))
    return False


def _names_victim(noun: Token) -> bool:
    """An event noun with its own victim or doer ("the murder of X", "X's killing")."""
    return any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of") for c in noun.children)


def _in_request(finder: ArgumentFinder, trigger: Token) -> bool:
    """The trigger is the complement of a request ("asked X not to recruit", "urged Y not to")."""
    if trigger.dep_ != "xcomp":
        return False
    head = finder.found.get(trigger.head.i)
    spec = head.spec if head is not None else finder.lex.verbs.get(trigger.head.lemma_.lower())
    return spec is not None and spec.type == "REQUEST"


def _intended(finder: ArgumentFinder, f: Found, flags: dict[str, Any]) -> bool:
    """An act announced rather than done: "will support", "is ready to contribute", "plans to
    impose", "said it would allow" (PLOVER codes these as AGREE or THREATEN)."""
    if flags["hypothetical"] and not flags["future"] and f.trigger.dep_ != "xcomp":
        return False  # "if", "may": a condition, not an announcement
    tok = f.trigger
    if tok.pos_ != "VERB":
        return False
    if flags["future"]:
        return True
    head = tok.head
    if tok.dep_ == "xcomp" and head.lemma_.lower() in finder.lex.intent.get("adjectives", ()):
        return True
    return tok.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ == "would" for c in tok.children)


def _intent_words(key: str) -> frozenset[str]:
    return trigger_lexicon().intent.get(key, frozenset())


def _own_announcement(analysis: Analysis, ctx: ActorContext, f: Found, start: int, end: int) -> bool:
    """An intent is announced when the writer reports it ("Turkey will allow …"), the doer (or
    someone of its country) says it, anyone states it as fact, or the governor says so ("plans
    to", "is ready to"). "Russia will invade, officials fear" is others' hedged prediction, not a
    threat by Russia."""
    if f.trigger.dep_ == "xcomp":
        return True  # "plans to impose", "is ready to send": the subject's own intent
    if f.trigger.dep_ == "ccomp" and f.trigger.head.lemma_.lower() in _intent_words("predictions"):
        return False  # "…, officials fear": a prediction
    att = attribution_covering(analysis.graph, start, end)
    if att is None or att.certainty == "asserted":
        return True
    source = f.sources[0]
    speaker = attribution_speaker(analysis, att)
    if source is None or speaker is None:
        return False
    code = ctx.country_code(source)
    return speaker == source or (code is not None and code == ctx.country_code(speaker))


def _intent_type(finder: ArgumentFinder, etype: str, mode: str | None, negated: bool) -> tuple[EventType, str | None]:
    intent = finder.lex.intent
    if etype in intent.get("promise", ()) and etype != "AGREE":
        return ("REJECT", etype.lower()) if negated else ("AGREE", mode or etype.lower())
    if etype in intent.get("threat", ()) and not negated:
        return "THREATEN", mode or etype.lower()
    return as_event_type(etype), mode


def _family(etype: str) -> str:
    return "legal" if etype in ("ACCUSE", "INVESTIGATE", "SANCTION", "COERCE") else etype


def _speaker_for(analysis: Analysis, by_tok: dict[int, list[Event]], f: Found, start: int, end: int) -> str | None:
    """Who reports an agentless act: the attribution's source, else the doer of the event whose
    content this act is ("a complaint about sending soldiers": the complainant)."""
    att = attribution_covering(analysis.graph, start, end)
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
    for _s, _e, eid in analysis.mentions.between(start, end):
        if eid != source:
            ent = analysis.graph.entity(eid)
            if ent is not None and ent.type in ("Country", "Organization"):
                return eid
    return None
