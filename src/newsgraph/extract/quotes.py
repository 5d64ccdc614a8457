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

