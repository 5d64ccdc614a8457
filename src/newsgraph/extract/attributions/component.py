"""The ``attributions`` component: reported statements in the source–cue–content scheme of PARC
and PolNeAR, and the article's direct quotes.

- reporting verbs with a clausal complement ("X said that …", "X has said that …",
  "“…,” says the statement published by Y"), with a noun-phrase object for verbs
  such as *denounce* ("denounced a network that recruits …"), or used
  parenthetically ("…, he said, …", "as X said");
- the frame "according to X, …";
- the speaker resolved to an entity (`speakers.resolve_speaker`);
- the channel: from the verb (*tweet* → ``x``, *state* → ``statement``), from a channel
  noun ("the statement", "in an interview"), or from a platform named in a prepositional
  phrase of the cue ("on the social network X (formerly Twitter)" → ``x``);
- certainty from the cue (*claims* → ``alleged``, *denies* → ``denied``) and from hedges on
  the content's predicate (`newsgraph.extract.certainty`), cue words from ``data/attributions/cues.yaml``;
- nesting: an attribution whose cue lies inside another's content has that one as ``parent``.

Quotes are paired and given their speaker by `newsgraph.extract.quotes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsgraph.extract.actors.context import ActorContext
from newsgraph.extract.attributions.cues import CueLexicon, cue_lexicon
from newsgraph.extract.attributions.speakers import (
    Speaker,
    channel_of_cue,
    char_span,
    entity_of_phrase,
    np_bounds,
    resolve_speaker,
)
from newsgraph.extract.certainty import direct_negation, stronger, token_hedges
from newsgraph.extract.dateline import find_dateline
from newsgraph.extract.pipeline import Analysis, component
from newsgraph.extract.quotes import (
    MARK_CHARS,
    QUOTE_MARKS,
    QuotePair,
    build_quotes,
    covered_fraction,
    find_quote_marks,
    innermost_attribution,
)
from newsgraph.extract.syntax import PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS, pobj, speaker_subject
from newsgraph.model import ArticleGraph, Attribution, as_certainty

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CONTENT_DEPS = frozenset({"ccomp"})
OBJECT_DEPS = frozenset({"dobj"})
CUE_LEFT_DEPS = frozenset({"aux", "auxpass", "neg", "advmod"})
XCOMP_CERTAINTIES = frozenset({"alleged", "denied", "hypothetical"})
INFLECTED_TAGS = frozenset({"VBZ", "VBD", "VBN", "VBG"})
# Verbs whose clausal complement is not a held proposition: copulas, causatives and "make sure".
NOT_ATTITUDE_VERBS = frozenset({"be", "make", "ensure", "have", "do", "get", "let", "mean", "matter", "seem", "appear"})
COPULAS = frozenset({"be", "seem", "appear", "remain", "become", "feel", "sound", "look", "stay"})
FIRST_PERSON = frozenset({"i", "we", "you"})
OBJECT_LIKE_DEPS = frozenset({"dobj", "ccomp", "xcomp", "attr", "oprd", "dative"})
OBJECT_PRONOUNS = frozenset({"him", "her", "them", "me", "us"})
ADDRESSEE_VERBS = frozenset({"tell", "ask", "answer", "assure", "warn", "remind", "inform"})
# what makes a participle of addressing more than an adjunct: an auxiliary, an agent, a subject
ADDRESSED_BLOCKERS = frozenset({"aux", "auxpass", "agent"}) | SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS
# determiners of a noun only: a "verb" with one of them (or an adjective, a noun modifier) before it is a
# misread noun
ARTICLES = frozenset({"a", "an", "the", "this", "that", "these", "those"})
EDGE_PUNCT = frozenset(",;:.-—–()[]")
# A transcript turn: a line that opens with an all-capitals speaker name and a colon ("WALLACE: …").
TRANSCRIPT_TURN = re.compile(r"^[ \t\"“]*([A-Z][A-Z.'\- ]{1,40}[A-Z])(:)[ \t]+", re.MULTILINE)
# A headline that gives its claim to a speaker: "Caddell: Voters Worried About …" (the title line,
# one to four capitalised words, a colon).
HEADLINE_SPEAKER = re.compile(r"\A[ \t]*([A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3})(:)[ \t]+(?=\S)")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace and edge punctuation (quote marks stay: PolNeAR keeps them in contents)."""
    while start < end and (text[start].isspace() or text[start] in EDGE_PUNCT):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in EDGE_PUNCT):
        end -= 1
    return start, end


@dataclass
class _Candidate:
    speaker: Speaker
    cue: tuple[int, int]
    cue_text: str
    content: tuple[int, int]
    certainty: tuple[str, str | None]
    channel: str | None
    content_heads: list[Token]
    stance: bool = False  # a verb of holding or evaluating ("believes", "wants"), not of saying
    question: bool = False  # a question asked ("asked whether …"): the cues inside it are not statements


def _clause_minus(clause: Token, cut: Token) -> tuple[int, int]:
    """Token bounds of a clause without the parenthetical subtree ``cut`` (whichever side is longer
    when the cut is at an edge; the whole clause when it sits in the middle)."""
    doc = clause.doc
    lo, hi = clause.left_edge.i, clause.right_edge.i + 1
    while hi - 1 > lo and doc[hi - 1].is_punct and doc[hi - 1].text not in QUOTE_MARKS:
        hi -= 1
    while lo < hi - 1 and doc[lo].is_punct and doc[lo].text not in QUOTE_MARKS:
        lo += 1
    clo, chi = cut.left_edge.i, cut.right_edge.i + 1
    if clo <= lo:
        return chi, hi
    if chi >= hi:
        return lo, clo
    return lo, hi


def _cue_bounds(tok: Token) -> tuple[int, int]:
    """Token bounds of a verbal cue: the verb with its adjacent auxiliaries, negation and adverbs on
    the left ("has also said", "is warning") and a particle on the right ("pointed out"), as PolNeAR
    marks them."""
    start, end = tok.i, tok.i + 1
    for child in reversed(list(tok.lefts)):
        if child.i == start - 1 and child.dep_ in CUE_LEFT_DEPS:
            start = child.i
        else:
            break
    for child in tok.rights:
        if child.dep_ == "prt" and child.i == end:
            end += 1
    return start, end


def _content_bounds(heads: list[Token]) -> tuple[int, int]:
    return min(h.left_edge.i for h in heads), max(h.right_edge.i for h in heads) + 1


def _np_content(tok: Token, lemma: str, lex: CueLexicon) -> list[Token]:
    """Object content of verbs such as *denounce* ("denounced a network that …") or, with a
    complement, *call* ("called the charges unsubstantiated", "described him as a fraud")."""
    # "you can always explain yourself": a reflexive object is the subject again, not what is said
    objs = [c for c in tok.children if c.dep_ in OBJECT_DEPS and not c.lower_.endswith(("self", "selves"))]
    if not objs:
        # "conceded defeat saying …": the object the parser gave the participle as its subject
        objs = [g for c in tok.rights for g in c.children if g.dep_ in SUBJECT_DEPS and _stolen_object(g, c)]
    if lex.verbs.get(lemma, {}).get("np") == "noun":
        # "said the same thing" reports something; "said little", "said it", "said nothing" do not
        objs = [o for o in objs if o.pos_ in ("NOUN", "PROPN")]
    if not objs:
        return []
    comps = [c for c in tok.children if c.dep_ in ("oprd", "ccomp", "xcomp") or (c.dep_ == "prep" and c.lower_ == "as")]
    if lemma in lex.object_complement:
        if not comps and len(objs) == 2 and not any(o.tag_ in ("WP", "WDT") for o in tok.subtree if o.i < tok.i):
            comps = objs[1:]  # "branded the country an outlaw nation": the parser's second object
        return objs + comps if comps else []
    return objs + comps


def _prep_content(tok: Token, lemma: str, lex: CueLexicon) -> tuple[Token, list[Token]] | None:
    """ "called for X", "complained about X": the preposition and its object."""
    preps = lex.prep_frames.get(lemma)
    if not preps:
        return None
    for child in tok.rights:
        # the parser may read the preposition as a particle with an object ("called on people to …")
        if child.dep_ in ("prep", "prt") and child.lower_ in preps:
            objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objs:
                # "called on Trump to stop attacking …": the infinitive after the object belongs to it
                objs += [c for c in tok.rights if c.dep_ in ("xcomp", "ccomp") and c.i > child.i]
                return child, objs
    return None


def cue_lemma(tok: Token, lex: CueLexicon) -> str:
    """The lexicon lemma of a verb: spaCy's lemma, else the inflected form with its ending removed
    (the small model lemmatises "hopes" to "hop"); unchanged when neither is a cue."""
    lemma = tok.lemma_.lower()
    if lemma in lex.verbs or tok.tag_ not in INFLECTED_TAGS:
        return lemma
    low = tok.lower_
    for cut, add in (("s", ""), ("es", ""), ("d", ""), ("ed", ""), ("ing", ""), ("ing", "e"), ("ies", "y")):
        if low.endswith(cut) and low[: -len(cut)] + add in lex.verbs:
            return low[: -len(cut)] + add
    return lemma


def _verb_candidate(analysis: Analysis, tok: Token, lex: CueLexicon, quotes: list[QuotePair]) -> _Candidate | None:
    if tok.pos_ != "VERB":
        return None
    if any(
        (c.dep_ in ("amod", "compound") or (c.dep_ == "det" and c.lower_ in ARTICLES)) and c.i < tok.i
        for c in tok.children
    ):
        return None  # "Central American states Mexico and Panama attended …": a noun tagged as a verb
    lemma = cue_lemma(tok, lex)
    opts = lex.verbs.get(lemma)
    if opts is None:
        return _clause_candidate(analysis, tok)
    negated = direct_negation(tok)
    if negated is not None and negated.i < tok.i and _quote_between(tok.doc, negated.i, tok.i):
        negated = None  # "“Probably not,” she said": the negation is the quoted answer's
    if _unsaid(tok, lex):
        return None  # "came short of calling for …": a statement that was not made reports nothing
    doc = tok.doc
    cue_start, cue_end = _cue_bounds(tok)
    if opts.get("object"):
        # an idiom with a fixed object ("as X put it, …"): a cue only with that object, which joins it
        fixed = next((c for c in tok.rights if c.dep_ == "dobj" and c.lower_ == opts["object"]), None)
        if fixed is None or fixed.i != cue_end:
            return None
        cue_end += 1
    # a verb whose stance is held towards a thing ("supported", "opposed") does not frame a clause
    # before it: "… passed its resolution, only three members opposed." reports a vote
    object_only = bool(opts.get("object_only"))
    heads = [c for c in tok.children if c.dep_ in CONTENT_DEPS and not (object_only and c.i < tok.i)]
    if not heads:
        # "Trump said after the convention he would not accept …": a complement parsed as an adverbial
        # clause (own subject, no subordinator)
        heads = [
            c
            for c in tok.rights
            if c.dep_ == "advcl"
            and c.tag_ != "VBG"  # "conceded defeat saying …" is a participle, not a complement
            and any(g.dep_ in SUBJECT_DEPS for g in c.children)
            and not any(g.dep_ == "mark" or (g.dep_ == "advmod" and g.tag_ == "WRB") for g in c.children)
        ]
    if not heads and lemma in lex.question_verbs:
        # "asked the minister if Brazil will …": the question, parsed as an adverbial clause
        heads = [
            c
            for c in tok.rights
            if c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("if", "whether") for g in c.children)
        ]
    content: tuple[int, int] | None = None
    if not heads and (opts.get("certainty") in XCOMP_CERTAINTIES or opts.get("xcomp")):
        heads = [c for c in tok.children if c.dep_ == "xcomp"]
        if heads:
            # "urged supporters to monitor the polls": the object controls the infinitive, and both
            # are what is urged
            heads = [c for c in tok.children if c.dep_ == "dobj" and c.i < heads[0].i] + heads
    if not heads:
        # "told a meeting of leaders that few people understood …": the that-clause parsed as a
        # relative clause of the addressee (a real relative "that" is its subject or object, not a mark)
        heads = [
            r
            for c in tok.children
            if c.dep_ in ("dobj", "dative")
            for r in c.children
            if r.dep_ == "relcl" and any(g.dep_ == "mark" and g.lower_ == "that" for g in r.children)
        ][:1]
    if not heads and opts.get("np"):
        heads = _np_content(tok, lemma, lex)
    if not heads and not (
        tok.tag_ == "VBN" and not any(c.lower_ in ("has", "have", "had") or c.dep_ in SUBJECT_DEPS for c in tok.lefts)
    ):
        # "a charge the government rejected as 'slander'": what the cue calls it is what is said
        # (a bare participle — "commonly known as Burma" — names, it does not report; one with a
        # subject is a past tense the tagger took for a participle); the parser may hang a quoted
        # adjective on "as" as a modifier ("rejected as “baseless”")
        heads = [
            o
            for c in tok.rights
            if c.dep_ == "prep" and c.lower_ == "as"
            for o in c.children
            if o.dep_ in ("pobj", "amod", "acomp") and not o.is_punct
        ]
    frame = _prep_content(tok, lemma, lex)
    if frame is not None and (not heads or frame[0].i > max(h.i for h in heads)):
        prep, objs = frame
        if not heads and prep.i == cue_end:
            cue_end += 1  # "called for", "complained about"
        heads = heads + objs  # "accused her of lying": the object and the charge
    if heads:
        content = char_span(doc, *_cut_coordinated_cue(tok, heads, lex))
    elif tok.dep_ == "parataxis" or (
        tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
    ):
        content = char_span(doc, *_clause_minus(tok.head, tok))  # "…, he said, …" / "as X said, …"
        heads = [tok.head]
    subj = _cue_subject(analysis, tok, cue_start)
    if content is not None and subj is not None:
        content = _quote_before_cue(doc.text, quotes, content, min(doc[cue_start].idx, subj.left_edge.idx))
    if content is None and subj is not None and tok.dep_ in ("ROOT", "conj", "ccomp", "parataxis"):
        content = (
            _adjacent_quote(doc.text, quotes, tok, subj, cue_start)
            or _fronted_content(tok, subj)
            or _after_colon(doc.text, tok)
        )
    if content is None or _anonymity_request(heads):
        return None
    if negated is not None and not opts.get("stance") and (lemma in lex.response_verbs or _open_question(heads)):
        # "never explained why …", "it was not announced whether …", "did not respond to requests for
        # comment": no statement was made and none is reported (a negated belief is still held, and
        # "did not say that …" keeps its content out of the article's own voice)
        return None
    noun_channel: str | None = None
    if subj is None and tok.dep_ == "acl" and tok.head.lemma_.lower() in lex.channel_nouns:
        subj = tok.head  # "a statement calling the test a violation": the statement's issuer speaks
        if tok.head.dep_ == "dobj" and tok.head.head.lemma_.lower() in lex.light_verbs | lex.publish_verbs:
            # "the council issued a statement calling …": the one who issued it is the source
            issuer = speaker_subject(tok.head.head)
            if issuer is not None:
                subj, noun_channel = issuer, lex.channel_nouns[tok.head.lemma_.lower()]
    elif subj is None and tok.dep_ in ("acl", "relcl", "amod"):
        return None  # "the network said to be…": a modifier, not a report
    elif subj is None and tok.dep_ == "pcomp" and tok.head.pos_ == "ADP" and tok.head.dep_ in ("prep", "conj"):
        # "they ended the check by announcing that …", "came just short of calling for …"
        governor = tok.head.head
        direct = governor.pos_ in ("VERB", "AUX")
        for _ in range(2):  # "held X in contempt for refusing": through the noun and its preposition
            if governor.pos_ in ("VERB", "AUX") or governor.dep_ not in ("pobj", "prep"):
                break
            governor = governor.head
        if governor.pos_ not in ("VERB", "AUX") and governor.head.pos_ in ("VERB", "AUX"):
            governor = governor.head
        if governor.pos_ in ("VERB", "AUX"):
            subj = speaker_subject(governor)
            if subj is None:
                # "the minister was quoted as saying …", "after saying …, she was taken to …": the
                # participle's subject is the clause's subject, passive or not
                subj = next((c for c in governor.children if c.dep_ in PASSIVE_SUBJECT_DEPS), None)
            prep_word = tok.head.lower_
            if (direct and prep_word in ("for", "of")) or (prep_word == "for" and tok.head.head.dep_ == "pobj"):
                # "the board held the treasurer in contempt for refusing to …", "praised her for
                # saying …": the one blamed or praised is the one who refuses or says
                subj = _controlling_object(analysis, governor, tok.head) or subj
    if subj is not None and _stolen_object(subj, tok):
        subj = speaker_subject(tok.head)  # "X conceded defeat saying …": X says it
    if _addressed_participle(tok, lemma):
        subj = None  # "Asked about the strike, the mayor said …": the mayor was asked; who asked is not said
    speaker = resolve_speaker(analysis, subj) if subj is not None else Speaker(None, None)
    if speaker.span is not None and subj is not None and speaker.span[0] <= doc[cue_start].idx < speaker.span[1]:
        # "a statement announcing …": the source phrase stops before the cue that modifies it
        speaker.span = char_span(doc, *np_bounds(subj))
    cue = char_span(doc, cue_start, cue_end)
    certainty = stronger((str(opts.get("certainty", "asserted")), tok.text), token_hedges(tok))
    if certainty[0] == "asserted":
        certainty = ("asserted", None)
    if negated is not None and certainty[0] != "denied":
        certainty = ("hypothetical", negated.text)  # "has not said whether …": nobody asserts it
    for h in heads:
        certainty = stronger(certainty, token_hedges(h))
    # "told the BBC in an interview": the medium addressed is the more precise channel
    channel = (
        _medium_addressee(analysis, tok)
        or channel_of_cue(tok, lex)
        or speaker.channel
        or noun_channel
        or opts.get("channel")
    )
    question = lemma in lex.question_verbs and _open_question(heads)
    stance = bool(opts.get("stance"))
    return _Candidate(speaker, cue, doc[cue_start:cue_end].text, content, certainty, channel, heads, stance, question)


def _quote_before_cue(
    text: str, quotes: list[QuotePair], content: tuple[int, int], phrase_start: int
) -> tuple[int, int]:
    """ "X called for his release: “We are concerned,” its director said": a quotation that opens
    after a colon or a full stop and closes right before "speaker + cue" is what the cue reports,
    even when the parser gave the cue the clause before the quotation as well."""
    for q in quotes:
        if (
            content[0] < q.open < content[1] <= q.close <= phrase_start
            and text[content[0] : q.open].rstrip().endswith((":", ".", "!", "?"))
            and not text[q.close : phrase_start].strip(" ,.;:!?" + MARK_CHARS)
        ):
            return q.open, q.close
    return content


def _open_question(heads: list[Token]) -> bool:
    """A content that is an open question ("why the port closed", "whether talks resume")."""
    return any(
        h.left_edge.tag_ in ("WRB", "WP", "WDT")
        or any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in h.children)
        for h in heads
    )


def _quote_between(doc: Doc, i: int, j: int) -> bool:
    return any(doc[k].text in QUOTE_MARKS for k in range(i + 1, j))


def _stolen_object(subj: Token, tok: Token) -> bool:
    """ "X conceded defeat saying, “…”": the parser made the governing verb's bare object the subject
    of the participle after it; a participle adjunct has its governor's subject."""
    gov = tok.head
    return (
        tok.tag_ == "VBG"
        and tok.dep_ in ("advcl", "xcomp")
        and subj.pos_ == "NOUN"
        and subj.head.i == tok.i
        and subj.right_edge.i == tok.i - 1
        and subj.left_edge.i == gov.i + 1
        and gov.pos_ == "VERB"
        and not any(c.dep_ == "dobj" for c in gov.children)
    )


def _addressed_participle(tok: Token, lemma: str) -> bool:
    """ "Asked about the plan, …", "Told of the verdict, …": a passive participle of a verb of
    addressing, without an auxiliary or an agent, heads an adjunct whose implied subject is the one
    addressed, not the one who speaks."""
    return (
        lemma in ADDRESSEE_VERBS
        and tok.tag_ == "VBN"
        and tok.dep_ in ("advcl", "acl", "ROOT", "conj")
        and not any(c.dep_ in ADDRESSED_BLOCKERS for c in tok.children)
    )


def _unsaid(tok: Token, lex: CueLexicon) -> bool:
    """A cue that the frame around it says did not happen: "came just short of calling for …",
    "refrained from criticising …", "failed to mention …", "without saying …"
    (`unsaid_preps`, `unsaid_governors` of the cue lexicon)."""
    head = tok.head
    if tok.dep_ == "pcomp" and head.pos_ == "ADP":
        governors = lex.unsaid_preps.get(head.lower_)
        if governors is not None and (not governors or head.head.lemma_.lower() in governors):
            return True
    return tok.dep_ == "xcomp" and head.lemma_.lower() in lex.unsaid_governors


def _cut_coordinated_cue(tok: Token, heads: list[Token], lex: CueLexicon) -> tuple[int, int]:
    """ "called on police to release the videos and called on people to …": a cue verb coordinated
    inside the content (the parser hung it on the content's verb) is a statement of its own; the
    content stops before its conjunction."""
    doc = tok.doc
    lo, hi = bounds = _content_bounds(heads)
    anchors = {h.i for h in heads} | {tok.i}
    for t in doc[max(lo, tok.i + 1) : hi]:
        if (
            t.dep_ == "conj"
            and t.pos_ == "VERB"
            and t.head.i in anchors
            and cue_lemma(t, lex) == cue_lemma(tok, lex)
            and not any(c.dep_ in SUBJECT_DEPS for c in t.children)
        ):
            cc = next((c for c in t.head.children if c.dep_ == "cc" and c.i < t.i), None)
            end = cc.i if cc is not None else t.i
            while end > lo + 1 and doc[end - 1].is_punct:
                end -= 1
            return lo, end
    return bounds


def _anonymity_request(heads: list[Token]) -> bool:
    """ "an official who asked not to be named": the request covers the source, it reports nothing
    (a negated passive infinitive of *name* or *identify*)."""
    return any(
        h.lemma_.lower() in ("name", "identify")
        and any(c.dep_ == "auxpass" for c in h.children)
        and any(c.dep_ == "neg" for c in h.children)
        for h in heads
    )


def _speaking_entity(analysis: Analysis, tok: Token) -> bool:
    entity = analysis.graph.entity(entity_of_phrase(analysis, tok))
    return entity is not None and entity.type != "Place"


def _controlling_object(analysis: Analysis, governor: Token, before: Token) -> Token | None:
    """The object of ``governor`` before ``before`` when it denotes someone who can speak (an actor
    that is not a place, or a personal pronoun): "pressed the chief executive to admit …"."""
    for child in governor.children:
        if child.dep_ != "dobj" or child.i >= before.i:
            continue
        if child.lower_ in OBJECT_PRONOUNS or child.pos_ == "PROPN":
            return child
        named = next((c for c in child.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if named is not None:
            return named
        if _speaking_entity(analysis, child):
            return child
    return None


def _cue_subject(analysis: Analysis, tok: Token, cue_start: int) -> Token | None:
    """Who speaks through a cue verb: its subject (``speaker_subject``), with what the parser leaves
    out of that rule:

    - object control: "the committee pressed the chief executive to admit …", "left many nations
      feeling that …" — the object of the governing verb holds the infinitive or participle
      (not with *promise*-type verbs, whose subject keeps it, nor with a thing as object: "used
      the speech to deny …" is the subject's denial);
    - an adjective in between: "was able to tout", "will be unable to … accuse" — the subject of
      the copula;
    - no subject at all because the parser attached the name elsewhere ("Obama and Clinton call
      them …" with the names as conjuncts of the phrase before, "Hillary Clinton apparently
      disagrees" as an apposition): the noun right before the cue.
    """
    lex = cue_lexicon()
    own = [c for c in tok.children if c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS]
    if (
        not own
        and tok.dep_ == "xcomp"
        and tok.head.pos_ == "VERB"
        and tok.tag_ in ("VB", "VBG")
        and not lex.verbs.get(cue_lemma(tok.head, lex), {}).get("subject_control")
    ):
        obj = _controlling_object(analysis, tok.head, tok)
        if obj is not None:
            return obj
    reporter = _reporter_of_coordinated(tok, lex)
    if reporter is not None:
        return reporter
    subj = speaker_subject(tok)
    if subj is not None:
        return subj
    head = tok
    while head.dep_ in ("xcomp", "conj") and head.head.i != head.i:
        head = head.head
        if head.pos_ == "ADJ" and head.dep_ == "acomp" and head.head.pos_ in ("AUX", "VERB"):
            holder = speaker_subject(head.head)
            # "it is worth noting that …": an expletive holds nothing
            return None if holder is None or holder.lower_ in ("it", "this", "there") else holder
        if head.pos_ not in ("VERB", "AUX", "ADJ"):
            break
    if tok.dep_ in ("ROOT", "conj", "ccomp") and not any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in tok.children):
        prev = tok.doc[cue_start - 1] if cue_start > tok.sent.start else None
        if (
            prev is not None
            and prev.dep_ in ("appos", "conj", "pobj", "compound")
            and (prev.tag_ in ("NNP", "NNPS", "NNS") or prev.lower_ in ("he", "she", "they"))
            and prev.head.i < prev.i
        ):
            return prev
    return None


def _reporter_of_coordinated(tok: Token, lex: CueLexicon) -> Token | None:
    """ "X said the country would leave the union and suggested that …", "X said he would act and
    warned against …", "X said new factors helped, citing …": a cue without a subject that the
    parser coordinated with (or hung as a participle on) the verb of another cue's reported clause
    continues the reporter's turn, so its speaker is the reporter. Taken only when the syntax says
    so: a comma participle, a pronoun as the clause's subject (the reporter again: "said he"), or
    a finite verb beside a modal one ("would leave … and suggested" cannot share the modal).
    "The police said the man fired at officers and threatened a nurse" keeps the man."""
    if any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in tok.children):
        return None
    verb = tok
    while verb.dep_ == "conj" and verb.head.i != verb.i and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        verb = verb.head
    participle = (
        tok.dep_ == "advcl" and tok.tag_ == "VBG" and tok.i > 0 and tok.doc[tok.i - 1].text == "," and verb is tok
    )
    if participle:
        verb = tok.head
    elif verb is tok:
        return None
    clause_subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    reporter = verb.head
    if (
        clause_subj is None
        or verb.dep_ != "ccomp"
        or reporter.pos_ != "VERB"
        or cue_lemma(reporter, lex) not in lex.verbs
    ):
        return None
    reporter_subj = next((c for c in reporter.children if c.dep_ in SUBJECT_DEPS), None)
    if reporter_subj is None:
        return None
    modal_mismatch = (
        any(c.tag_ == "MD" for c in verb.children)
        and tok.tag_ in ("VBD", "VBZ", "VBP")
        and not any(c.dep_ in ("aux", "auxpass") for c in tok.children)
    )
    if participle or modal_mismatch or _same_referent(clause_subj, reporter_subj):
        return reporter_subj
    return None


def _same_referent(pronoun: Token, reporter: Token) -> bool:
    """ "China said it …", "Perdue said he …", "officials said they …": a personal pronoun subject
    of the reported clause that agrees in number (and, for a pronoun reporter, in form) with the
    reporter; "They said he …" and "He said they …" are someone else."""
    low = pronoun.lower_
    if low not in ("he", "she", "it", "they"):
        return False
    if reporter.pos_ == "PRON":
        return reporter.lower_ == low
    plural = reporter.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in reporter.children)
    return plural == (low == "they")


def _medium_addressee(analysis: Analysis, tok: Token) -> str | None:
    """ "X told Reuters": an addressee that is a news medium is the channel (by its name), not the
    speaker; "told reporters" or "told parliament" is an audience and leaves the channel open."""
    for child in tok.children:
        target = child if child.dep_ in ("dobj", "dative") else None
        if child.dep_ == "prep" and child.lower_ == "to":
            target = pobj(child)
        if target is None or target.pos_ != "PROPN":
            continue
        entity = analysis.graph.entity(entity_of_phrase(analysis, target))
        if entity is not None and entity.subtype == "media":
            return entity.name
    return None


def _clause_candidate(analysis: Analysis, tok: Token) -> _Candidate | None:
    """A verb outside the lexicon whose complement is a finite clause with its own subject ("the
    court ruled that …", "we learned that …"): verbs that take a that-clause are verbs of saying,
    knowing or believing, so the clause is held by the subject (PolNeAR's broad notion)."""
    if tok.lemma_.lower() in NOT_ATTITUDE_VERBS or tok.dep_ in ("acl", "amod", "aux", "auxpass"):
        return None
    clause = next(
        (
            c
            for c in tok.children
            if c.dep_ == "ccomp"
            and c.i > tok.i
            and c.pos_ in ("VERB", "AUX")
            and any(g.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS or g.dep_ == "expl" for g in c.children)
            and (
                any(g.dep_ == "mark" and g.lower_ in ("that", "whether", "if") for g in c.children)
                or c.i == tok.i + 1
                or (c.left_edge.i == tok.i + 1 and c.left_edge.dep_ in SUBJECT_DEPS | {"det", "poss", "compound"})
            )
        ),
        None,
    )
    if clause is None:
        return None
    subj = speaker_subject(tok)
    if subj is None or subj.lower_ in ("it", "this", "that", "there"):
        return None  # "it seems that …": no holder
    doc = tok.doc
    cue_start, cue_end = _cue_bounds(tok)
    certainty = stronger(("asserted", None), token_hedges(tok))
    certainty = stronger(certainty, token_hedges(clause))
    speaker = resolve_speaker(analysis, subj)
    return _Candidate(
        speaker,
        char_span(doc, cue_start, cue_end),
        doc[cue_start:cue_end].text,
        char_span(doc, *_content_bounds([clause])),
        certainty,
        channel_of_cue(tok, cue_lexicon()) or speaker.channel,
        [clause],
        True,
    )


def _fronted_content(tok: Token, subj: Token) -> tuple[int, int] | None:
    """ "Language unclear on coverage, experts say.": the clause before "subject + cue" at the end of
    a sentence, when the parser did not make it the cue's complement."""
    sent = tok.sent
    left = min(subj.left_edge.i, tok.i)
    if left - sent.start < 3 or tok.doc[left - 1].text not in (",", "—", "–"):
        return None
    if any(not t.is_punct for t in tok.doc[tok.i + 1 : sent.end] if t.dep_ not in ("npadvmod", "advmod")):
        return None  # "subject + cue" must close the sentence
    return char_span(tok.doc, sent.start, left - 1)


def _after_colon(text: str, tok: Token) -> tuple[int, int] | None:
    """ "The Times reports:" / "Limbaugh continued: …": what follows the colon after the cue — the
    rest of the line, or the next paragraph when the colon ends the line (a block quotation)."""
    doc = tok.doc
    nxt = tok.i + 1
    while nxt < len(doc) and doc[nxt].dep_ in ("prt", "advmod", "npadvmod") and doc[nxt].i < tok.sent.end:
        nxt += 1
    if nxt >= len(doc) or doc[nxt].text != ":":
        return None
    start = doc[nxt].idx + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    if text[start:line_end].strip():
        return _trim(text, start, line_end)
    body = start
    while body < len(text) and text[body].isspace():
        body += 1
    if body >= len(text) or text.count("\n", start, body) > 3:
        return None
    end = text.find("\n\n", body)
    return _trim(text, body, len(text) if end < 0 else end)


def _adjacent_quote(
    text: str, quotes: list[QuotePair], tok: Token, subj: Token, cue_start: int
) -> tuple[int, int] | None:
    """A quotation right before the cue phrase ("“…,” she said", "“…,” said X") or right after it
    ("X said: “…”"), when the parser gave the cue no complement."""
    doc = tok.doc
    phrase_start = min(doc[cue_start].idx, subj.left_edge.idx)
    phrase_end = max(tok.idx + len(tok.text), subj.right_edge.idx + len(subj.right_edge.text))
    # a quotation that closes its own sentence ("… level." Egypt has said little.) is someone else's
    # unless the cue has nothing else to report ("“…” Clinton said, looking at the crowd.")
    addressee = ("dobj", "dative") if tok.lemma_.lower() in ADDRESSEE_VERBS else ()
    bare = not any(c.dep_ in OBJECT_LIKE_DEPS and c.dep_ not in addressee for c in tok.children)
    for q in quotes:
        if q.close <= phrase_start and not text[q.close : phrase_start].strip(" \n,.;:!?" + MARK_CHARS):
            gap = text[q.end - 1 : phrase_start]
            if bare or any(ch in gap for ch in ",?!—–-"):
                return q.open, q.close
        if q.open >= phrase_end and not text[phrase_end : q.open].strip(" \n,:"):
            return q.open, q.close
        if q.open > phrase_end:
            break
    return None


def _noun_candidate(analysis: Analysis, tok: Token, lex: CueLexicon) -> _Candidate | None:
    """ "his claim that …", "Trump's comments about …", "raised questions about …"."""
    if tok.pos_ != "NOUN":
        return None
    opts = lex.noun_cues.get(tok.lemma_.lower())
    if opts is None:
        return None
    doc = tok.doc
    cue_end = tok.i + 1
    heads: list[Token] = []
    clause = next(
        (
            c
            for c in tok.children
            if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
        ),
        None,
    )
    if clause is not None:
        heads = [clause]
    else:
        preps = {str(p).lower() for p in opts.get("preps", [])}
        for child in tok.rights:
            if child.dep_ == "prep" and child.lower_ in preps:
                objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                if objs:
                    heads = objs
                    if child.i == cue_end:
                        cue_end += 1
                break
    if not heads:
        return None
    subj: Token | None = next((c for c in tok.children if c.dep_ == "poss"), None)
    if subj is None:
        # "a New York Times report that …", "Trump claims that …" (a verb read as a noun with its
        # subject as a compound): the name before the noun is whose statement it is
        subj = next(
            (
                c
                for c in tok.lefts
                if c.dep_ in ("compound", "nmod", "nsubj")
                and c.pos_ == "PROPN"
                and (c.ent_type_ in ("ORG", "PERSON", "NORP") or _speaking_entity(analysis, c))
            ),
            None,
        )
    if (subj is None or subj.pos_ == "PRON") and tok.dep_ == "dobj":
        # "made the claim", "X expressed their concern": the verb's subject holds it
        holder = speaker_subject(tok.head)
        if holder is not None and (subj is not None or tok.head.lemma_.lower() in lex.light_verbs):
            subj = holder
    if subj is None and clause is None:
        return None
    speaker = resolve_speaker(analysis, subj) if subj is not None else Speaker(None, None)
    certainty: tuple[str, str | None] = (str(opts.get("certainty", "asserted")), tok.text)
    if certainty[0] == "asserted":
        certainty = ("asserted", None)
    for h in heads:
        certainty = stronger(certainty, token_hedges(h))
    return _Candidate(
        speaker,
        char_span(doc, tok.i, cue_end),
        doc[tok.i : cue_end].text,
        char_span(doc, *_content_bounds(heads)),
        certainty,
        lex.channel_nouns.get(tok.lemma_.lower()),
        heads,
    )


def _adjective_candidate(analysis: Analysis, tok: Token, lex: CueLexicon) -> _Candidate | None:
    """ "Many farmers are convinced that …", "The mayor has been critical of the plan", "She is
    determined to run", "It is unclear whether …", "X made it clear that …": an adjective of
    holding after a copula (or *make*); the copula's subject holds the clause, infinitive or
    prepositional object; an impersonal "it" holds nothing (no source)."""
    opts = lex.adjective_cues.get(tok.lower_)
    if opts is None or not (tok.pos_ == "ADJ" or tok.tag_ == "VBN"):
        return None
    head = tok.head
    holder_of: Token
    if tok.dep_ in ("acomp", "oprd", "ccomp") and head.lemma_.lower() in COPULAS | {"make"}:
        holder_of = head
    elif tok.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in tok.children):
        holder_of = tok  # "are convinced that": a passive participle
    else:
        return None  # "a concerned citizen": attributive, nobody holds anything
    if head.i == tok.i:
        head = tok
    anchors = [tok] if holder_of is tok else [tok, holder_of]
    heads: list[Token] = []
    cue_end = tok.i + 1
    for anchor in anchors:
        for c in anchor.children:
            if c.i <= tok.i:
                continue
            # "made it clear that …" / "made it clear he had …": a clause the parser hung as adverbial
            that_clause = c.dep_ == "advcl" and (
                any(g.dep_ == "mark" and g.lower_ in ("that", "whether", "if") for g in c.children)
                or (
                    any(g.dep_ in SUBJECT_DEPS for g in c.children)
                    and not any(g.dep_ == "mark" or g.tag_ == "WRB" for g in c.children)
                )
            )
            if c.dep_ == "ccomp" or that_clause or (c.dep_ == "xcomp" and opts.get("xcomp") and anchor is tok):
                heads.append(c)
            elif c.dep_ == "prep" and anchor is tok and c.lower_ in {str(p) for p in opts.get("preps", [])}:
                objs = [o for o in c.children if o.dep_ in ("pobj", "pcomp")]
                if objs:
                    heads.extend(objs)
                    if c.i == cue_end:
                        cue_end += 1  # "critical of", "worried about"
        if heads:
            break
    if not heads:
        return None
    subjects = [c for c in holder_of.children if c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS | {"expl"}]
    if holder_of.lemma_.lower() == "make":
        subj: Token | None = speaker_subject(holder_of)
        impersonal = False
    else:
        subj = subjects[0] if subjects else None
        impersonal = subj is None or subj.dep_ == "expl" or subj.lower_ in ("it", "there")
    if impersonal and not opts.get("impersonal"):
        return None
    if not impersonal and subj is None:
        return None
    doc = tok.doc
    cue_start = _cue_bounds(holder_of)[0] if holder_of is not tok else _cue_bounds(tok)[0]
    if impersonal and subj is not None and subj.i < cue_start:
        cue_start = subj.i  # "it is unclear": PolNeAR's cue takes the "it"
    speaker = resolve_speaker(analysis, subj) if subj is not None and not impersonal else Speaker(None, None)
    certainty: tuple[str, str | None] = (str(opts.get("certainty", "asserted")), tok.text)
    if certainty[0] == "asserted":
        certainty = ("asserted", None)
    negated = direct_negation(holder_of) or direct_negation(tok)
    if negated is not None and certainty[0] != "denied":
        certainty = ("hypothetical", negated.text)  # "is not sure that …", "it is not clear whether …"
    for h in heads:
        certainty = stronger(certainty, token_hedges(h))
    return _Candidate(
        speaker,
        char_span(doc, cue_start, cue_end),
        doc[cue_start:cue_end].text,
        char_span(doc, *_content_bounds(heads)),
        certainty,
        channel_of_cue(holder_of, lex),
        heads,
        True,
    )


def _according_candidate(analysis: Analysis, tok: Token, lex: CueLexicon) -> _Candidate | None:
    """ "According to X, …" / "…, according to X." """
    if tok.lower_ not in lex.according:
        return None
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        to = tok.doc[tok.i + 1]
    if to is None:
        return None
    obj = pobj(to)
    if obj is None:
        return None
    clause = tok.head
    while clause.pos_ not in ("VERB", "AUX") and clause.dep_ != "ROOT" and clause.head.i != clause.i:
        clause = clause.head
    if clause.i == tok.i:
        return None
    doc = tok.doc
    bounds = _clause_minus(clause, tok)
    if bounds[1] <= bounds[0]:
        return None
    speaker = resolve_speaker(analysis, obj)
    if speaker.span is not None and bounds[0] > tok.i and doc[bounds[0]].idx < speaker.span[1]:
        # "According to a fellow at X, Ana Ruiz, the port …": the name after the title is the source's
        while bounds[0] < bounds[1] and doc[bounds[0]].idx < speaker.span[1]:
            bounds = (bounds[0] + 1, bounds[1])
    certainty = token_hedges(clause)
    return _Candidate(
        speaker,
        char_span(doc, tok.i, to.i + 1),
        doc[tok.i : to.i + 1].text,
        char_span(doc, *bounds),
        certainty,
        speaker.channel,
        [clause],
    )


def _extend_with_quotes(
    text: str, span: tuple[int, int], quotes: list[QuotePair], cue: tuple[int, int]
) -> tuple[int, int]:
    """Trim a content span, then widen it to the whole quotations it cuts into: a quotation is the
    speaker's words from mark to mark ("“A. B. C,” he said": the parser gives only C; "“…,” says":
    keep the ”). A quotation that holds the cue itself ("“I think …”") is not widened to."""
    start, end = _trim(text, *span)
    for q in quotes:
        if q.open < end and q.close > start and not (q.open <= cue[0] < q.close):
            start, end = min(start, q.open), max(end, q.close)
    return start, end


def _continue_quotes(text: str, found: list[_Candidate], quotes: list[QuotePair]) -> None:
    """A quotation that goes on after its cue ("“A,” she said, “B.”" or "“A,” she said. “B.”") is
    the same statement: the content runs to the end of the last piece, unless another cue claims it."""
    claimed = [c.content for c in found]
    for c in found:
        if not any(q.open == c.content[0] or q.close == c.content[1] for q in quotes):
            continue
        pos = max(c.cue[1], c.speaker.span[1] if c.speaker.span else 0, c.content[1])
        for q in quotes:
            if q.open < pos:
                continue
            gap = text[pos : q.open]
            if gap.strip(" ,.;:") or "\n" in gap or any(s < q.close and q.open < e for s, e in claimed):
                break
            c.content = (c.content[0], q.close)
            pos = q.close
        # "“A,” he told the host, “B.”": the parser gives the cue only B; A is the same statement
        start = min(c.cue[0], c.speaker.span[0] if c.speaker.span else c.cue[0])
        if c.content[0] <= start:
            continue
        for q in reversed(quotes):
            if q.close > start:
                continue
            gap = text[q.close : start]
            if not gap.strip(" ,.;:") and "\n" not in gap and not any(s < q.close and q.open < e for s, e in claimed):
                c.content = (q.open, c.content[1])
            break


def _speaker_own_hedge(text: str, cand: _Candidate, quotes: list[QuotePair]) -> bool:
    """ "“… I think NATO may be obsolete …”": inside a quotation, a first- or second-person cue is
    the quoted speaker's own turn of phrase, not a new source (the quotation is already attributed)."""
    span = cand.speaker.span
    if span is None or text[span[0] : span[1]].lower() not in FIRST_PERSON:
        return False
    return any(q.open <= cand.cue[0] < q.close for q in quotes)


def _drop_borrowed_quotes(text: str, found: list[_Candidate], quotes: list[QuotePair]) -> list[_Candidate]:
    """ "A statement said the death would leave the group “without a leader”. General X agreed, …":
    a bare cue took the quotation before it, but that quotation is already inside an earlier
    statement's content, so it is that speaker's words; the later cue is dropped, not given them."""
    kept: list[_Candidate] = []
    for c in found:
        quote = next((q for q in quotes if (q.open, q.close) == c.content), None)
        before_cue = c.content[1] <= c.cue[0] and quote is not None
        if (
            quote is not None
            and text[quote.open : quote.close].rstrip(MARK_CHARS + " ").endswith(",")
            and "\n" not in text[quote.close : c.cue[0]]
        ):
            before_cue = False  # "“…,” the union wrote": a quotation handed over to its cue is that cue's
        if before_cue and any(
            o is not c and o.cue[1] <= c.content[0] and o.content[0] <= c.content[0] and c.content[1] <= o.content[1]
            for o in found
        ):
            continue
        kept.append(c)
    return kept


def _drop_quoted_reports(found: list[_Candidate], quotes: list[QuotePair]) -> list[_Candidate]:
    """ "“People tell me the plant will close,” the mayor said": a cue inside a quotation that
    another statement reports is part of the quoted speaker's words, not a statement of its own —
    the quotation is the mayor's, verbatim (PolNeAR does not mark it either: 3 of 62 such cues on
    its dev split are gold). A quotation nobody is given keeps its inner cues."""
    kept: list[_Candidate] = []
    for c in found:
        quote = next((q for q in quotes if q.open <= c.cue[0] < q.close), None)
        if quote is not None and any(
            o is not c
            and not (quote.open <= o.cue[0] < quote.close)
            and o.content[0] <= c.cue[0]
            and c.cue[1] <= o.content[1]
            for o in found
        ):
            continue
        kept.append(c)
    return kept


def _drop_questioned(found: list[_Candidate]) -> list[_Candidate]:
    """ "Reporters asked the minister if Brazil will declare the group a terrorist organisation": a cue
    inside a question is part of what is asked, not a statement anyone made."""
    questions = [c for c in found if c.question]
    return [
        c
        for c in found
        if not any(q is not c and q.content[0] <= c.cue[0] and c.cue[1] <= q.content[1] for q in questions)
    ]


def _drop_embedded_stances(text: str, found: list[_Candidate], quotes: list[QuotePair]) -> list[_Candidate]:
    """A stance verb ("believes", "wants", "supports") inside another statement's content or inside
    a quotation is part of what that speaker says ("Trump said he believes …"), and one whose holder
    is "I", "you" or "we" is the speaker's own turn of phrase: neither is a separate attribution."""
    kept: list[_Candidate] = []
    for c in found:
        if c.stance:
            holder = text[c.speaker.span[0] : c.speaker.span[1]].lower() if c.speaker.span else ""
            if (
                holder in FIRST_PERSON
                or any(q.open <= c.cue[0] < q.close for q in quotes)
                or any(
                    o is not c and o.speaker.span is not None and o.content[0] <= c.cue[0] and c.cue[1] <= o.content[1]
                    for o in found
                )
            ):
                continue
        kept.append(c)
    return kept


def _text_frames(
    analysis: Analysis, text: str, quotes: list[QuotePair], lex: CueLexicon, taken: set[tuple[int, int]]
) -> list[_Candidate]:
    """Frames the parser does not see: "“…” ― Name" bylines of quotations and transcript turns
    ("WALLACE: If I may, sir, …"), found with one scan of the text each."""
    out: list[_Candidate] = []
    for q in quotes:
        i = q.close
        while i < len(text) and text[i] in " \t\xa0\n" and text.count("\n", q.close, i + 1) <= 2:
            i += 1  # the byline may stand on the next line: "“…”⏎― Name"
        if i >= len(text) or text[i] not in lex.dash_marks:
            continue
        j = i + 1
        while j < len(text) and text[j] in " \t\xa0":
            j += 1
        k = text.find("\n", j)
        # the byline's closing full stop is not part of the name ("“…” ― Ana Ruiz.")
        name = text[j : (len(text) if k < 0 else k)].rstrip().rstrip(".")
        words = name.split()
        if not (0 < len(words) <= 6 and name[0].isupper()) or any(ch in QUOTE_MARKS or ch in "?!" for ch in name):
            continue
        src = (j, j + len(name))
        out.append(
            _Candidate(
                Speaker(analysis.mentions.at(*src), src),
                (i, i + 1),
                text[i],
                (q.open, q.close),
                ("asserted", None),
                None,
                [],
            )
        )
    dateline = find_dateline(text)
    turns = list(TRANSCRIPT_TURN.finditer(text))
    headline = HEADLINE_SPEAKER.match(text)
    if headline is not None and dateline is None and text.find("\n", headline.end()) != -1:
        turns.append(headline)  # only a title line (more text follows), never a whole one-line text
    for m in turns:
        cue = (m.start(2), m.end(2))
        if cue in taken or (dateline is not None and m.start(1) < dateline.end):
            continue  # "WASHINGTON: …" is where the story was filed, not a speaker's turn
        end = text.find("\n", m.end())
        content = _trim(text, m.end(), len(text) if end < 0 else end)
        content = (content[0], content[1] + (1 if content[1] < len(text) and text[content[1]] in QUOTE_MARKS else 0))
        if content[1] - content[0] < 2:
            continue
        src = (m.start(1), m.end(1))
        speaker = Speaker(analysis.mentions.at(*src), src)
        out.append(_Candidate(speaker, cue, ":", content, ("asserted", None), None, []))
    return out


@component(
    "attributions",
    requires=("graph.sentences", "analysis.mentions"),
    assigns=("graph.attributions", "graph.quotes"),
)
def attributions(analysis: Analysis) -> None:
    """Fill ``graph.attributions`` and ``graph.quotes``."""
    lex = cue_lexicon()
    graph = analysis.graph
    doc = analysis.doc
    text = graph.article.text
    quote_marks = find_quote_marks(text)
    found: list[_Candidate] = []
    for sent in doc.sents:
        for tok in sent:
            cand = (
                _verb_candidate(analysis, tok, lex, quote_marks)
                or _according_candidate(analysis, tok, lex)
                or _noun_candidate(analysis, tok, lex)
                or _adjective_candidate(analysis, tok, lex)
            )
            if cand is None or _speaker_own_hedge(text, cand, quote_marks):
                continue
            cand.content = _extend_with_quotes(text, cand.content, quote_marks, cand.cue)
            if cand.content[1] > cand.content[0]:
                found.append(cand)
    found = _drop_embedded_stances(text, found, quote_marks)
    found = _drop_questioned(found)
    found = _drop_quoted_reports(found, quote_marks)
    found = _drop_borrowed_quotes(text, found, quote_marks)
    dateline = find_dateline(text)
    for c in found:
        if dateline is not None and c.speaker.span is not None and c.speaker.span[0] < dateline.end:
            start = dateline.end
            while start < c.speaker.span[1] and (text[start].isspace() or text[start] in EDGE_PUNCT):
                start += 1
            head_after = analysis.mentions.at(start, c.speaker.span[1]) == c.speaker.entity is not None
            if start < c.speaker.span[1] and head_after:
                # "WASHINGTON -- President Obama said": the phrase after the dateline is the speaker
                c.speaker = Speaker(c.speaker.entity, (start, c.speaker.span[1]), c.speaker.channel)
            else:
                c.speaker = Speaker(None, None, c.speaker.channel)  # the dateline's place or agency never speaks
    _continue_quotes(text, found, quote_marks)
    found.extend(_text_frames(analysis, text, quote_marks, lex, {c.cue for c in found}))
    found.sort(key=lambda c: (c.cue[0], c.cue[1]))
    out: list[Attribution] = []
    for n, c in enumerate(found, 1):
        out.append(
            Attribution(
                id=f"A{n}",
                source=c.speaker.entity,
                source_span=list(c.speaker.span) if c.speaker.span else None,
                cue_span=list(c.cue),
                content_span=list(c.content),
                certainty=as_certainty(c.certainty[0]),
                direct=covered_fraction(c.content, quote_marks) >= 0.8,
                cue=c.cue_text,
                channel=c.channel,
                sentence=graph.sentence_of(c.cue[0]),
                certainty_cue=c.certainty[1],
            )
        )
    for a in out:
        parent = innermost_attribution(out, a.cue_span[0], a.cue_span[1], exclude=a.id)
        a.parent = parent.id if parent else None
    graph.attributions = out
    graph.quotes = build_quotes(graph, quote_marks)


def attribution_covering(graph: ArticleGraph, start: int, end: int) -> Attribution | None:
    """The innermost attribution whose content span contains [start, end).

    Trailing punctuation, quote marks and spaces after a content span count as inside it, so a
    clause span that runs to the sentence's full stop is still covered.
    """
    text = graph.article.text
    best: Attribution | None = None
    for a in graph.attributions:
        cs, ce = a.content_span
        if cs > start:
            continue
        if end > ce and text[ce:end].strip(" \n.,;:!?" + "".join(QUOTE_MARKS)):
            continue
        if best is None or ce - cs < best.content_span[1] - best.content_span[0]:
            best = a
    return best


def attribution_speaker(analysis: Analysis, att: Attribution | None) -> str | None:
    """The speaker of an attribution: its resolved source, else the actor its source span's head
    denotes ("the newspaper Pravda": the appositive name)."""
    if att is None:
        return None
    if att.source:
        return str(att.source)
    if not att.source_span:
        return None
    span = analysis.doc.char_span(att.source_span[0], att.source_span[1], alignment_mode="expand")
    if span is None:
        return None
    return ActorContext(analysis).actor(span.root)
