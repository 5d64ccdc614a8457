"""Direct quotes: quotation marks paired in the text, each quote given to its speaker.

Straight, curly, guillemet marks and doubled apostrophes are paired by position within a
paragraph (`find_quote_marks`). A quote takes the speaker of the innermost attribution whose
content holds it, else of the nearest attribution in the same sentence, else of the previous or
next sentence; a short quote nobody says is a scare quote in the article's own voice.
"""

from __future__ import annotations

from typing import NamedTuple

from newsgraph.model import ArticleGraph, Attribution, Quote

QUOTE_MARKS = frozenset('"“”„«»')
MARK_CHARS = "".join(QUOTE_MARKS) + "'"
SINGLE_OPEN = frozenset("'‘")
SINGLE_CLOSE = frozenset("'’")
# A single-quoted stretch longer than this is an apostrophe paired by mistake, not a quotation.
SINGLE_MAX = 150


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
    return sorted(pairs + _single_quotes(text, pairs))


def _single_quotes(text: str, doubles: list[QuotePair]) -> list[QuotePair]:
    """Single-quoted words outside double quotes ("rejected as 'slander'", headlines' ‘…’). An
    apostrophe is told from a mark by its neighbours: a mark opens before a word and closes after
    one (or after its punctuation); "it's", "Smiths' house" and quotes within quotes are skipped."""
    pairs: list[QuotePair] = []
    pending: int | None = None
    d = 0
    n = len(text)
    for i, ch in enumerate(text):
        if ch == "\n" and i + 1 < n and text[i + 1] == "\n":
            pending = None
        if ch not in SINGLE_OPEN and ch not in SINGLE_CLOSE:
            continue
        while d < len(doubles) and doubles[d].close <= i:
            d += 1
        if d < len(doubles) and doubles[d].open <= i:
            continue  # inside a double-quoted quotation
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if "'" in (prev, nxt) and ch == "'":
            continue  # a doubled apostrophe (''…''): paired as a double mark
        opens = ch in SINGLE_OPEN and not prev.isalnum() and nxt.isalnum()
        closes = ch in SINGLE_CLOSE and (prev.isalnum() or prev in ".,!?") and not nxt.isalnum()
        if pending is not None and closes:
            if i - pending <= SINGLE_MAX:
                pairs.append(QuotePair(pending, pending + 1, i, i + 1))
            pending = None
        elif opens:
            pending = i
    return pairs


def covered_fraction(span: tuple[int, int], quotes: list[QuotePair]) -> float:
    """The share of a span that lies inside quotations (a content mostly quoted is direct speech)."""
    length = max(1, span[1] - span[0])
    inside = sum(max(0, min(span[1], q.close) - max(span[0], q.open)) for q in quotes)
    return inside / length


def innermost_attribution(
    attrs: list[Attribution], start: int, end: int, exclude: str | None = None
) -> Attribution | None:
    """The attribution with the shortest content span holding [start, end) (nested reports)."""
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


def _opens_paragraph(text: str, offset: int) -> bool:
    """Nothing but blanks between the start of the text or a line break and ``offset``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return not text[line_start:offset].strip()


def build_quotes(graph: ArticleGraph, quote_marks: list[QuotePair]) -> list[Quote]:
    """The graph's quotes, from the paired marks and the attributions already found."""
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
        owner = innermost_attribution(attrs, start, end)
        if owner is None:
            first, last = graph.sentence_of(qo), graph.sentence_of(qc - 1)
            near: list[Attribution] = []
            if first is not None and last is not None:
                near = [a for i in range(first, last + 1) for a in by_sentence.get(i, [])]
                if not near and len(body.split()) >= 3:
                    # a quoted word or two ('charismatic') in a sentence nobody says is the article's
                    # own scare quote, never the previous speaker's
                    before, after = by_sentence.get(first - 1, []), by_sentence.get(last + 1, [])
                    # a quotation that opens its paragraph is introduced by the sentence after it when
                    # that one attributes ("“…” Fatima Bello, who sells vegetables, said …"); else it
                    # goes on with the speaker of the paragraph before (wire style)
                    near = (after or before) if _opens_paragraph(text, qo) else (before or after)
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
