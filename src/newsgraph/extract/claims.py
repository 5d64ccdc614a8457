"""Attribution, certainty and quotes: who says so, and how sure they are.

The component ``attributions`` finds reported statements in the source–cue–content
scheme of PARC and PolNeAR and the direct quotes of an article:

- reporting verbs with a clausal complement ("X said that …", "X has said that …",
  "“…,” says the statement published by Y"), with a noun-phrase object for verbs
  such as *denounce* ("denounced a network that recruits …"), or used
  parenthetically ("…, he said, …", "as X said");
- the frame "according to X, …";
- the speaker resolved to an entity (``Analysis.entity_at``): "the spokesperson for X"
  speaks for X; "the statement published by Y" is Y's; a relative pronoun ("who said")
  stands for the noun it modifies;
- the channel: from the verb (*tweet* → ``x``, *state* → ``statement``), from a channel
  noun ("the statement", "in an interview"), or from a platform named in a prepositional
  phrase of the cue ("on the social network X (formerly Twitter)" → ``x``);
- certainty from the cue (*claims* → ``alleged``, *denies* → ``denied``) and from hedges on
  the content's predicate (*would*, *allegedly*, *may*, *plans to*), cue words from
  ``data/claims/*.yaml``;
- nesting: an attribution whose cue lies inside another's content has that one as ``parent``.

Direct quotes (straight, curly, guillemets; split quotes are one Quote per piece) take
the speaker of the innermost attribution whose content holds them, else of the nearest
attribution in the same sentence, else of the previous or next sentence.

Helpers for the events and relations components: ``attribution_covering`` (who asserts
a span) and ``hedge_certainty`` (how sure the article or the speaker is of a predicate).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from newsgraph.extract.pipeline import Analysis, component
from newsgraph.model import ArticleGraph, Attribution, Quote

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "claims"

# Precedence when several certainty cues apply to one predicate.
PRECEDENCE: dict[str, int] = {"asserted": 0, "hypothetical": 1, "alleged": 2, "denied": 3}

QUOTE_MARKS = frozenset('"“”„«»')
MARK_CHARS = "".join(QUOTE_MARKS) + "'"
# Dependency labels that end a source noun phrase on its right (relative clauses, appositions
# after a comma, participial modifiers: "the ministry, headed by X," is the ministry).
NP_STOP_DEPS = frozenset({"relcl", "acl", "advcl", "punct", "appos", "cc", "conj"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
CONTENT_DEPS = frozenset({"ccomp"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj"})
CUE_LEFT_DEPS = frozenset({"aux", "auxpass", "neg", "advmod"})
XCOMP_CERTAINTIES = frozenset({"alleged", "denied", "hypothetical"})
RELATIVE_TAGS = frozenset({"WP", "WDT"})
FIRST_PERSON = frozenset({"i", "we", "you"})
OBJECT_LIKE_DEPS = frozenset({"dobj", "ccomp", "xcomp", "attr", "oprd", "dative"})
ADDRESSEE_VERBS = frozenset({"tell", "ask", "answer", "assure", "warn", "remind", "inform"})
EDGE_PUNCT = frozenset(",;:.-—–()[]")
# A transcript turn: a line that opens with an all-capitals speaker name and a colon ("WALLACE: …").
TRANSCRIPT_TURN = re.compile(r"^[ \t\"“]*([A-Z][A-Z.'\- ]{1,40}[A-Z])(:)[ \t]+", re.MULTILINE)


@dataclass(frozen=True)
class Lexicon:
    """The cue lexicons of ``data/claims/*.yaml`` as frozensets and dicts (loaded once)."""

    verbs: dict[str, dict[str, Any]]
    np_verbs: frozenset[str]
    channel_nouns: dict[str, str]
    platforms: dict[str, str]
    channel_preps: frozenset[str]
    publish_verbs: frozenset[str]
    spokesperson_nouns: frozenset[str]
    according: frozenset[str]
    prep_frames: dict[str, frozenset[str]]
    object_complement: frozenset[str]
    dash_marks: frozenset[str]
    noun_cues: dict[str, dict[str, Any]]
    light_verbs: frozenset[str]
    alleged_adverbs: frozenset[str]
    alleged_adjectives: frozenset[str]
    alleged_modals: frozenset[str]
    hypothetical_modals: frozenset[str]
    hypothetical_adverbs: frozenset[str]
    hypothetical_governors: frozenset[str]
    hypothetical_marks: frozenset[str]
    denied_governors: frozenset[str]
    denied_nouns: frozenset[str]


def _words(values: Iterable[Any]) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    with open(DATA_DIR / "cues.yaml", encoding="utf-8") as fh:
        cues = yaml.safe_load(fh)
    with open(DATA_DIR / "hedges.yaml", encoding="utf-8") as fh:
        hedges = yaml.safe_load(fh)
    verbs = {str(k).lower(): (v or {}) for k, v in cues["verbs"].items()}
    return Lexicon(
        verbs=verbs,
        np_verbs=frozenset(k for k, v in verbs.items() if v.get("np")),
        channel_nouns={str(k).lower(): str(v) for k, v in cues["channel_nouns"].items()},
        platforms={str(k).lower(): str(v) for k, v in cues["platforms"].items()},
        channel_preps=_words(cues["channel_preps"]),
        publish_verbs=_words(cues["publish_verbs"]),
        spokesperson_nouns=_words(cues["spokesperson_nouns"]),
        according=_words(cues["according"]),
        prep_frames={str(k).lower(): _words(v) for k, v in cues["prep_frames"].items()},
        object_complement=_words(cues["object_complement"]),
        dash_marks=frozenset(str(m) for m in cues["dash_marks"]),
        noun_cues={str(k).lower(): (v or {}) for k, v in cues["noun_cues"].items()},
        light_verbs=_words(cues["light_verbs"]),
        alleged_adverbs=_words(hedges["alleged_adverbs"]),
        alleged_adjectives=_words(hedges["alleged_adjectives"]),
        alleged_modals=_words(hedges["alleged_modals"]),
        hypothetical_modals=_words(hedges["hypothetical_modals"]),
        hypothetical_adverbs=_words(hedges["hypothetical_adverbs"]),
        hypothetical_governors=_words(hedges["hypothetical_governors"]),
        hypothetical_marks=_words(hedges["hypothetical_marks"]),
        denied_governors=_words(hedges["denied_governors"]),
        denied_nouns=_words(hedges["denied_nouns"]),
    )


# --------------------------------------------------------------------------- certainty


def stronger(a: tuple[str, str | None], b: tuple[str, str | None]) -> tuple[str, str | None]:
    """The certainty (with its cue) that takes precedence: denied > alleged > hypothetical > asserted."""
    return b if PRECEDENCE[b[0]] > PRECEDENCE[a[0]] else a


def _token_hedges(tok: Token, lex: Lexicon) -> tuple[str, str | None]:
    """Certainty cues on one predicate token: itself, its modifiers and its governor."""
    best: tuple[str, str | None] = ("asserted", None)
    low = tok.lower_
    if low in lex.alleged_adverbs or (low in lex.alleged_adjectives and tok.dep_ in ("amod", "compound")):
        best = stronger(best, ("alleged", tok.text))
    elif low in lex.hypothetical_adverbs:
        best = stronger(best, ("hypothetical", tok.text))
    for child in tok.children:
        cl, dep = child.lower_, child.dep_
        if dep == "advmod":
            if cl in lex.alleged_adverbs:
                best = stronger(best, ("alleged", child.text))
            elif cl in lex.hypothetical_adverbs:
                best = stronger(best, ("hypothetical", child.text))
        elif dep in ("aux", "auxpass"):
            if cl in lex.alleged_modals:
                best = stronger(best, ("alleged", child.text))
            elif cl in lex.hypothetical_modals:
                best = stronger(best, ("hypothetical", child.text))
        elif dep == "amod" and cl in lex.alleged_adjectives:
            best = stronger(best, ("alleged", child.text))
        elif dep == "mark" and cl in lex.hypothetical_marks:
            best = stronger(best, ("hypothetical", child.text))
    if tok.dep_ in ("xcomp", "ccomp", "pcomp", "dobj") and tok.head.i != tok.i:
        head = tok.head.lemma_.lower()
        if head in lex.denied_governors:
            best = stronger(best, ("denied", tok.head.text))
        elif tok.dep_ == "xcomp" and head in lex.hypothetical_governors:
            best = stronger(best, ("hypothetical", tok.head.text))
    if tok.dep_ == "pobj" and tok.head.head.lemma_.lower() in lex.denied_nouns:
        best = stronger(best, ("denied", tok.head.head.text))
    return best


def hedge_certainty(target: Token | Span | Iterable[Token]) -> tuple[str, str | None]:
    """Certainty of a predicate and the cue word that sets it: ``("alleged", "allegedly")``.

    Pass the predicate token(s) (an event trigger, a relation's participle — "allegedly
    linked", "would be generating", "plans to recruit", "denied recruiting"), not a whole
    sentence: each token's own modifiers and governor are read, not its subtree.
    Returns ``("asserted", None)`` when nothing hedges it.
    """
    lex = lexicon()
    tokens: Iterable[Token] = [target] if hasattr(target, "lower_") else target  # type: ignore[list-item]
    best: tuple[str, str | None] = ("asserted", None)
    for tok in tokens:
        best = stronger(best, _token_hedges(tok, lex))
    return best


certainty_of = hedge_certainty


# --------------------------------------------------------------------------- spans


def _np_bounds(head: Token) -> tuple[int, int]:
    """Token bounds [i, j) of a speaker noun phrase without its clauses and comma appositions."""
    left = head.left_edge.i
    right = head.i
    for child in head.rights:
        if child.dep_ in NP_STOP_DEPS:
            if child.dep_ == "appos" and child.i > 0 and child.doc[child.i - 1].dep_ != "punct":
                right = child.right_edge.i  # "the newspaper Ryazan Gazette": no comma, same phrase
                continue
            break
        right = child.right_edge.i
    doc = head.doc
    while left < right and doc[left].is_punct:
        left += 1
    while right > left and doc[right].is_punct and doc[right].text not in QUOTE_MARKS:
        right -= 1
    return left, right + 1


def _phrase_bounds(head: Token) -> tuple[int, int]:
    """Token bounds of a whole source phrase as PolNeAR marks it: the head's subtree (appositions,
    relative clauses and parentheses included, a comma-separated participle — "Trump, speaking
    in Ohio," — left out), edge punctuation trimmed; an apposition keeps its closing comma
    ("Phil Smith, a spokesman for the union, said")."""
    doc = head.doc
    left, right = head.left_edge.i, head.right_edge.i
    for child in head.rights:
        if child.dep_ == "acl" and child.tag_ in ("VBG", "VBN") and doc[child.left_edge.i - 1].text == ",":
            right = child.left_edge.i - 1
            break
    while left < right and doc[left].is_punct and doc[left].text not in QUOTE_MARKS:
        left += 1
    while (
        right > left
        and doc[right].is_punct
        and not (doc[right].text in ")]" and any(doc[k].text in "([" for k in range(left, right)))
    ):
        right -= 1
    if (
        right + 1 < len(doc)
        and doc[right + 1].text == ","
        and any(doc[k].text == "," for k in range(left, right))
        and any(c.dep_ == "appos" for c in head.children)
    ):
        right += 1
    return left, right + 1


def _char_span(doc_tokens: Any, i: int, j: int) -> tuple[int, int]:
    return doc_tokens[i].idx, doc_tokens[j - 1].idx + len(doc_tokens[j - 1].text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace and edge punctuation (quote marks stay: PolNeAR keeps them in contents)."""
    while start < end and (text[start].isspace() or text[start] in EDGE_PUNCT):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in EDGE_PUNCT):
        end -= 1
    return start, end


# --------------------------------------------------------------------------- quotes


class QuotePair(NamedTuple):
    """One quotation: ``open``/``close`` bound it with its marks, ``start``/``end`` its words."""

    open: int
    start: int
    end: int
    close: int


def find_quote_marks(text: str) -> list[QuotePair]:
    """Quotations, their marks paired in order within each paragraph.

    Straight, curly and guillemet marks and doubled apostrophes (''…'', as some wires write them)
    are paired by position, not by shape: machine-translated and scraped text often opens a quote
    with a closing mark. An unpaired mark at the end of a paragraph (a quote that runs on into the
    next one) is dropped.
    """
    pairs: list[QuotePair] = []
    pending: tuple[int, int] | None = None
    prev_newline = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        width = 1 if ch in QUOTE_MARKS else 2 if ch == "'" and i + 1 < n and text[i + 1] == "'" else 0
        if ch == "\n":
            if prev_newline:
                pending = None  # a blank line ends a paragraph
            prev_newline = True
        elif not ch.isspace():
            prev_newline = False
        if width:
            if pending is None:
                pending = (i, i + width)
            else:
                pairs.append(QuotePair(pending[0], pending[1], i, i + width))
                pending = None
            i += width
            continue
        i += 1
    return pairs


# --------------------------------------------------------------------------- speakers


@dataclass
class _Speaker:
    entity: str | None
    span: tuple[int, int] | None
    channel: str | None = None


def _entity_of_token(analysis: Analysis, head: Token) -> str | None:
    """The entity of a noun phrase: its head's mention first, else the best-overlapping one."""
    eid = analysis.entity_at(head.idx, head.idx + len(head.text))
    if eid is None:
        i, j = _np_bounds(head)
        start, end = _char_span(head.doc, i, j)
        eid = analysis.entity_at(start, end)
    return eid


def _pobj(prep: Token) -> Token | None:
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def _channel_noun_speaker(head: Token, lex: Lexicon) -> Token | None:
    """Who issued a statement: "the statement published by Y", "Y's statement", "a statement from Y"."""
    if head.dep_ == "dobj" and head.head.lemma_.lower() in lex.light_verbs | lex.publish_verbs:
        issuer = _subject_of(head.head)  # "the Council issued a statement …"
        if issuer is not None:
            return issuer
    for child in head.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            obj = _pobj(child)
            if obj is not None:
                return obj
        if child.dep_ == "acl" and child.lemma_.lower() in lex.publish_verbs:
            for grand in child.children:
                if grand.dep_ == "agent":
                    obj = _pobj(grand)
                    if obj is not None:
                        return obj
    return None


def resolve_speaker(analysis: Analysis, head: Token) -> _Speaker:
    """Resolve the head of a source phrase to an entity (and a channel when it names one)."""
    lex = lexicon()
    doc = head.doc
    if head.tag_ in RELATIVE_TAGS and head.head.dep_ == "relcl":
        noun = head.head.head  # "officials, who said …": the officials
        return _Speaker(_entity_of_token(analysis, noun), _char_span(doc, head.i, head.i + 1))
    lemma = head.lemma_.lower()
    span = _char_span(doc, *_phrase_bounds(head))
    if lemma in lex.channel_nouns:
        channel = lex.channel_nouns[lemma]
        speaker = _channel_noun_speaker(head, lex)
        if speaker is not None:
            return _Speaker(_entity_of_token(analysis, speaker), span, channel)
        return _Speaker(analysis.entity_at(*_char_span(doc, *_np_bounds(head))), span, channel)
    if lemma in lex.spokesperson_nouns:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "of"):
                obj = _pobj(child)
                if obj is not None:
                    eid = _entity_of_token(analysis, obj)
                    if eid is not None:
                        return _Speaker(eid, span)
    return _Speaker(_entity_of_token(analysis, head), span)


def _channel_of_cue(cue: Token, lex: Lexicon) -> str | None:
    """A platform or channel noun in a prepositional phrase of the cue ("on X", "in an interview")."""
    found: str | None = None
    for child in cue.children:
        if child.dep_ != "prep" or child.lower_ not in lex.channel_preps:
            continue
        for tok in child.subtree:
            low = tok.lower_
            if low in lex.platforms and (low != "x" or tok.text == "X"):
                return lex.platforms[low]
            if found is None and tok.lemma_.lower() in lex.channel_nouns and tok.pos_ == "NOUN":
                found = lex.channel_nouns[tok.lemma_.lower()]
    return found


# --------------------------------------------------------------------------- attributions


@dataclass
class _Candidate:
    speaker: _Speaker
    cue: tuple[int, int]
    cue_text: str
    content: tuple[int, int]
    certainty: tuple[str, str | None]
    channel: str | None
    content_heads: list[Token]


def _subject_of(verb: Token) -> Token | None:
    """The speaker of a cue verb: its subject, the agent of a passive, or its governor's subject."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if subjects:
        # "“… panic mode,” said Leslie Wimes": a quoted clause can lend the verb a second subject;
        # the speaker is the one nearest the verb
        return min(subjects, key=lambda c: abs(c.i - verb.i))
    for child in verb.children:
        if child.dep_ == "agent":
            obj = _pobj(child)
            if obj is not None:
                return obj
    if any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in verb.children):
        return None
    # "denied it and said that …" / "…, saying that …": the governing verb's subject
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
        return _subject_of(verb.head)
    return None


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


def _np_content(tok: Token, lemma: str, lex: Lexicon) -> list[Token]:
    """Object content of verbs such as *denounce* ("denounced a network that …") or, with a
    complement, *call* ("called the charges unsubstantiated", "described him as a fraud")."""
    objs = [c for c in tok.children if c.dep_ in OBJECT_DEPS]
    if not objs:
        return []
    comps = [c for c in tok.children if c.dep_ in ("oprd", "ccomp", "xcomp") or (c.dep_ == "prep" and c.lower_ == "as")]
    if lemma in lex.object_complement:
        return objs + comps if comps else []
    return objs + comps


def _prep_content(tok: Token, lemma: str, lex: Lexicon) -> tuple[Token, list[Token]] | None:
    """ "called for X", "complained about X": the preposition and its object."""
    preps = lex.prep_frames.get(lemma)
    if not preps:
        return None
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ in preps:
            objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objs:
                # "called on Trump to stop attacking …": the infinitive after the object belongs to it
                objs += [c for c in tok.rights if c.dep_ in ("xcomp", "ccomp") and c.i > child.i]
                return child, objs
    return None


def _verb_candidate(analysis: Analysis, tok: Token, lex: Lexicon, quotes: list[QuotePair]) -> _Candidate | None:
    lemma = tok.lemma_.lower()
    opts = lex.verbs.get(lemma)
    if opts is None or tok.pos_ != "VERB":
        return None
    negated = next((c for c in tok.children if c.dep_ == "neg"), None)
    doc = tok.doc
    cue_start, cue_end = _cue_bounds(tok)
    heads = [c for c in tok.children if c.dep_ in CONTENT_DEPS]
    if not heads:
        # "Trump said after the convention he would not accept …": a complement parsed as an adverbial
        # clause (own subject, no subordinator)
        heads = [
            c
            for c in tok.rights
            if c.dep_ == "advcl"
            and any(g.dep_ in SUBJECT_DEPS for g in c.children)
            and not any(g.dep_ == "mark" or (g.dep_ == "advmod" and g.tag_ == "WRB") for g in c.children)
        ]
    content: tuple[int, int] | None = None
    if not heads and opts.get("certainty") in XCOMP_CERTAINTIES:
        heads = [c for c in tok.children if c.dep_ == "xcomp"]
    if not heads and opts.get("np"):
        heads = _np_content(tok, lemma, lex)
    frame = _prep_content(tok, lemma, lex)
    if frame is not None and (not heads or frame[0].i > max(h.i for h in heads)):
        prep, objs = frame
        if not heads and prep.i == cue_end:
            cue_end += 1  # "called for", "complained about"
        heads = heads + objs  # "accused her of lying": the object and the charge
    if heads:
        content = _char_span(doc, *_content_bounds(heads))
    elif tok.dep_ == "parataxis" or (
        tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
    ):
        content = _char_span(doc, *_clause_minus(tok.head, tok))  # "…, he said, …" / "as X said, …"
        heads = [tok.head]
    subj = _subject_of(tok)
    if content is None and subj is not None and tok.dep_ in ("ROOT", "conj", "ccomp", "parataxis"):
        content = _adjacent_quote(doc.text, quotes, tok, subj, cue_start) or _fronted_content(tok, subj)
    if content is None:
        return None
    if subj is None and tok.dep_ == "acl" and tok.head.lemma_.lower() in lex.channel_nouns:
        subj = tok.head  # "a statement calling the test a violation": the statement's issuer speaks
    elif subj is None and tok.dep_ in ("acl", "relcl", "amod"):
        return None  # "the network said to be…": a modifier, not a report
    speaker = resolve_speaker(analysis, subj) if subj is not None else _Speaker(None, None)
    cue = _char_span(doc, cue_start, cue_end)
    certainty = stronger((str(opts.get("certainty", "asserted")), tok.text), _token_hedges(tok, lex))
    if certainty[0] == "asserted":
        certainty = ("asserted", None)
    if negated is not None and certainty[0] != "denied":
        certainty = ("hypothetical", negated.text)  # "has not said whether …": nobody asserts it
    for h in heads:
        certainty = stronger(certainty, _token_hedges(h, lex))
    channel = _channel_of_cue(tok, lex) or speaker.channel or opts.get("channel")
    return _Candidate(speaker, cue, doc[cue_start:cue_end].text, content, certainty, channel, heads)


def _fronted_content(tok: Token, subj: Token) -> tuple[int, int] | None:
    """ "Language unclear on coverage, experts say.": the clause before "subject + cue" at the end of
    a sentence, when the parser did not make it the cue's complement."""
    sent = tok.sent
    left = min(subj.left_edge.i, tok.i)
    if left - sent.start < 3 or tok.doc[left - 1].text not in (",", "—", "–"):
        return None
    if any(not t.is_punct for t in tok.doc[tok.i + 1 : sent.end] if t.dep_ not in ("npadvmod", "advmod")):
        return None  # "subject + cue" must close the sentence
    return _char_span(tok.doc, sent.start, left - 1)


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


def _noun_candidate(analysis: Analysis, tok: Token, lex: Lexicon) -> _Candidate | None:
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
    if subj is None and tok.dep_ == "dobj" and tok.head.lemma_.lower() in lex.light_verbs:
        subj = _subject_of(tok.head)
    if subj is None and clause is None:
        return None
    speaker = resolve_speaker(analysis, subj) if subj is not None else _Speaker(None, None)
    certainty: tuple[str, str | None] = (str(opts.get("certainty", "asserted")), tok.text)
    if certainty[0] == "asserted":
        certainty = ("asserted", None)
    for h in heads:
        certainty = stronger(certainty, _token_hedges(h, lex))
    return _Candidate(
        speaker,
        _char_span(doc, tok.i, cue_end),
        doc[tok.i : cue_end].text,
        _char_span(doc, *_content_bounds(heads)),
        certainty,
        lex.channel_nouns.get(tok.lemma_.lower()),
        heads,
    )


def _according_candidate(analysis: Analysis, tok: Token, lex: Lexicon) -> _Candidate | None:
    """ "According to X, …" / "…, according to X." """
    if tok.lower_ not in lex.according:
        return None
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        to = tok.doc[tok.i + 1]
    if to is None:
        return None
    obj = _pobj(to)
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
    certainty = _token_hedges(clause, lex)
    return _Candidate(
        speaker,
        _char_span(doc, tok.i, to.i + 1),
        doc[tok.i : to.i + 1].text,
        _char_span(doc, *bounds),
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


def _text_frames(
    analysis: Analysis, text: str, quotes: list[QuotePair], lex: Lexicon, taken: set[tuple[int, int]]
) -> list[_Candidate]:
    """Frames the parser does not see: "“…” ― Name" bylines of quotations and transcript turns
    ("WALLACE: If I may, sir, …"), found with one scan of the text each."""
    out: list[_Candidate] = []
    for q in quotes:
        i = q.close
        while i < len(text) and text[i] in " \t":
            i += 1
        if i >= len(text) or text[i] not in lex.dash_marks:
            continue
        j = i + 1
        while j < len(text) and text[j] in " \t":
            j += 1
        k = text.find("\n", j)
        name = text[j : (len(text) if k < 0 else k)].rstrip()
        words = name.split()
        if not (0 < len(words) <= 6 and name[0].isupper()) or any(ch in QUOTE_MARKS or ch in "?!" for ch in name):
            continue
        src = (j, j + len(name))
        out.append(
            _Candidate(
                _Speaker(analysis.entity_at(*src), src),
                (i, i + 1),
                text[i],
                (q.open, q.close),
                ("asserted", None),
                None,
                [],
            )
        )
    for m in TRANSCRIPT_TURN.finditer(text):
        cue = (m.start(2), m.end(2))
        if cue in taken:
            continue
        end = text.find("\n", m.end())
        content = _trim(text, m.end(), len(text) if end < 0 else end)
        content = (content[0], content[1] + (1 if content[1] < len(text) and text[content[1]] in QUOTE_MARKS else 0))
        if content[1] - content[0] < 2:
            continue
        src = (m.start(1), m.end(1))
        out.append(_Candidate(_Speaker(analysis.entity_at(*src), src), cue, ":", content, ("asserted", None), None, []))
    return out


def _covered_fraction(span: tuple[int, int], quotes: list[QuotePair]) -> float:
    length = max(1, span[1] - span[0])
    inside = sum(max(0, min(span[1], q.close) - max(span[0], q.open)) for q in quotes)
    return inside / length


@component("attributions")
def attributions(analysis: Analysis) -> None:
    """Fill ``graph.attributions`` and ``graph.quotes``."""
    lex = lexicon()
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
            )
            if cand is None or _speaker_own_hedge(text, cand, quote_marks):
                continue
            cand.content = _extend_with_quotes(text, cand.content, quote_marks, cand.cue)
            if cand.content[1] > cand.content[0]:
                found.append(cand)
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
                certainty=c.certainty[0],
                direct=_covered_fraction(c.content, quote_marks) >= 0.8,
                cue=c.cue_text,
                channel=c.channel,
                sentence=graph.sentence_of(c.cue[0]),
                certainty_cue=c.certainty[1],
            )
        )
    for a in out:
        parent = _innermost(out, a.cue_span[0], a.cue_span[1], exclude=a.id)
        a.parent = parent.id if parent else None
    graph.attributions = out
    graph.quotes = _quotes(graph, quote_marks)


def _innermost(attrs: list[Attribution], start: int, end: int, exclude: str | None = None) -> Attribution | None:
    best: Attribution | None = None
    for a in attrs:
        cs, ce = a.content_span
        if (
            a.id != exclude
            and cs <= start
            and end <= ce
            and (best is None or ce - cs < best.content_span[1] - best.content_span[0])
        ):
            best = a
    return best


def _quotes(graph: ArticleGraph, quote_marks: list[QuotePair]) -> list[Quote]:
    text = graph.article.text
    attrs = graph.attributions
    by_sentence: dict[int | None, list[Attribution]] = {}
    for a in attrs:
        by_sentence.setdefault(a.sentence, []).append(a)
    quotes: list[Quote] = []
    for qo, start, end, qc in quote_marks:
        body = text[start:end]
        if not body.strip():
            continue
        owner = _innermost(attrs, start, end)
        if owner is None:
            first, last = graph.sentence_of(qo), graph.sentence_of(qc - 1)
            near: list[Attribution] = []
            if first is not None and last is not None:
                near = [a for i in range(first, last + 1) for a in by_sentence.get(i, [])]
                if not near:
                    near = by_sentence.get(first - 1, []) or by_sentence.get(last + 1, [])
            if near:
                owner = min(near, key=lambda a: min(abs(a.cue_span[0] - qc), abs(a.cue_span[1] - qo)))
        if owner is None and len(body.split()) < 3:
            continue  # a scare quote in the article's own voice
        quotes.append(
            Quote(
                id=f"Q{len(quotes) + 1}",
                text=body,
                speaker=owner.source if owner else None,
                start=start,
                end=end,
                channel=owner.channel if owner else None,
                attribution=owner.id if owner else None,
            )
        )
    return quotes


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


def iter_attributed(graph: ArticleGraph) -> Iterator[tuple[Attribution, str]]:
    """Each attribution with its content text (for display and debugging)."""
    for a in graph.attributions:
        yield a, graph.article.text[a.content_span[0] : a.content_span[1]]
