"""The ``times`` component: time expressions found (spaCy DATE/TIME entities and the lexicon's
patterns) and normalised, each with its sentence."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from newsgraph.extract.pipeline import Analysis, component
from newsgraph.extract.times.anchoring import Ctx, Norm
from newsgraph.extract.times.normalise import normalise
from newsgraph.extract.times.patterns import alt, candidate_windows, lexicon
from newsgraph.extract.times.values import dp_value, parse_value
from newsgraph.model import TimeExpr, as_qualifier, as_timex_type

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

OPEN_DATE_WORDS = {"effective", "payable", "due", "until", "till", "through", "starting", "beginning", "expiring"}


def clause_tense(token: Token) -> str:
    """The tense of the clause governing ``token``: past, future, or nearest (present, modal,
    unknown), read from the verb and its auxiliaries in the dependency parse."""
    node = token
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") or node.head is node:
            break
        if node.lower_ in OPEN_DATE_WORDS:
            return "nearest"  # "effective Feb. 1", "payable Nov. 10", "until March": not the verb's tense
        node = node.head
    if node.pos_ not in ("VERB", "AUX"):
        return "nearest"
    auxes = [c for c in node.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in ("will", "shall", "'ll", "wo") for a in auxes):
        return "future"
    if node.lower_ == "going" and any(c.dep_ == "xcomp" for c in node.children):
        return "future"
    if node.tag_ == "VB" and any(a.lower_ == "to" for a in auxes):
        return "future"  # "is expected to close", "plans to meet"
    if node.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if node.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes):
        return "past"
    return "nearest"


def sentence_index(analysis: Analysis, offset: int) -> int | None:
    if analysis.graph.sentences:
        return analysis.graph.sentence_of(offset)
    doc = analysis.doc
    for i, sent in enumerate(doc.sents):
        if sent.start_char <= offset < sent.end_char:
            return i
    return None


_LEAD_RX = re.compile(
    r"^(?:(?:in|on|at|since|by|until|till|from|during|for|over|within|through|throughout|of|to|after|before|"
    r"as\s+of|as\s+early\s+as|as\s+late\s+as)\s+)+",
    re.IGNORECASE,
)
_TRAIL_RX = re.compile(r"[\s,.;:!?\"'“”()]+$")
_TIMEWORD_RX: re.Pattern[str] | None = None


def timeword_rx() -> re.Pattern[str]:
    global _TIMEWORD_RX
    if _TIMEWORD_RX is None:
        raw = lexicon().raw
        words = [*raw["months"], *raw["weekdays"], *raw["day_words"], *raw["seasons"]]
        _TIMEWORD_RX = re.compile(rf"\b(?:{alt(words)})\b|\b(?:1[6-9]|20)\d\d\b|\d{{1,2}}[:/]\d", re.IGNORECASE)
    return _TIMEWORD_RX


def find_times(
    text: str, doc: Doc | None, published: str | None, *, sent_of: Callable[[int], int | None]
) -> list[TimeExpr]:
    """All time expressions of a text, normalised against ``published`` (YYYY-MM-DD)."""
    dct: dt.date | None = None
    if published:
        try:
            dct = dt.date.fromisoformat(published[:10])
        except ValueError:
            dct = None
    lex = lexicon()
    cands: list[tuple[int, int, str, re.Match[str]]] = []
    for w_start, w_end in candidate_windows(text, lex.trigger):
        for name, rx in lex.patterns:
            for m in rx.finditer(text, w_start, w_end):
                if m.end() > m.start():
                    cands.append((m.start(), m.end(), name, m))
    # longest match wins; ties: the earlier pattern in the list
    order = {name: i for i, (name, _) in enumerate(lex.patterns)}
    cands.sort(key=lambda c: (-(c[1] - c[0]), order[c[2]], c[0]))
    chosen: list[tuple[int, int, str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for c in cands:
        if any(c[0] < e and s < c[1] for s, e in taken):
            continue
        chosen.append(c)
        taken.append((c[0], c[1]))
    chosen.sort(key=lambda c: c[0])

    # spaCy DATE/TIME entities the patterns did not cover: normalised by dateparser, if it can
    extra: list[tuple[int, int]] = []
    if doc is not None:
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            if any(ent.start_char < e and s < ent.end_char for s, e in taken):
                continue
            raw = ent.text
            lead = _LEAD_RX.match(raw)
            s = ent.start_char + (lead.end() if lead else 0)
            body = text[s : ent.end_char]
            trail = _TRAIL_RX.search(body)
            e = ent.end_char - (len(trail.group(0)) if trail else 0)
            if e > s and timeword_rx().search(text[s:e]):
                extra.append((s, e))

    tense_at: dict[int, str] = {}
    if doc is not None:
        for c_start, c_end, _n, _m in chosen:
            tok = doc.char_span(c_start, c_end, alignment_mode="expand")
            if tok is not None and len(tok):
                tense_at[c_start] = clause_tense(tok.root)

    out: list[TimeExpr] = []
    prev: TimeExpr | None = None
    items: list[tuple[int, int, str | None, re.Match[str] | None]] = [(s, e, n, m) for s, e, n, m in chosen]
    items += [(s, e, None, None) for s, e in extra]
    items.sort(key=lambda x: x[0])
    for start, end, pname, pm in items:
        prefer = tense_at.get(start, "nearest")
        if pname is None or pm is None:
            span = text[start:end]
            if dct is None or span.lower() in set(lex.raw.get("reject_alone", [])):
                continue
            dp = dp_value(span, dct, "future" if prefer == "future" else "past")
            if dp is None:
                continue
            norm = Norm(dp)
        else:
            ctx = Ctx(dct=dct, prefer=prefer, prev=prev, text=text, end=end)
            try:
                got = normalise(pname, pm, ctx)
            except (OverflowError, ValueError):  # a date past 9999 or before year 1: no value, not a crash
                continue
            if got is None:
                continue
            norm = got
            start += norm.start_trim
            end -= norm.end_trim
        span = text[start:end]
        t = TimeExpr(
            text=span,
            start=start,
            end=end,
            value=norm.value,
            qualifier=as_qualifier(norm.qualifier),
            type=as_timex_type(norm.type),
            anchor=norm.anchor,
            sentence=sent_of(start),
        )
        out.append(t)
        if t.type in ("DATE", "TIME") and parse_value(t.value) and t.qualifier is None:
            prev = t
    return out


@component("times", requires=("graph.sentences",), assigns=("graph.times",))
def times(analysis: Analysis) -> None:
    analysis.graph.times = find_times(
        analysis.text,
        analysis.doc,
        analysis.article.published,
        sent_of=lambda off: sentence_index(analysis, off),
    )
