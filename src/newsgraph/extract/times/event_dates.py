"""The ``event_dates`` component: each event's date from the time expression that governs its
trigger in the parse, else the nearest in its sentence, else "before publication"."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from newsgraph.extract.pipeline import Analysis, component
from newsgraph.extract.times.values import fmt, parse_value
from newsgraph.model import DateValue, TimeExpr

if TYPE_CHECKING:
    from spacy.tokens import Token


def date_of(t: TimeExpr, published: str | None) -> DateValue | None:
    """The date an event takes from a time expression (None: the expression cannot date it)."""
    if t.type not in ("DATE", "TIME") or not t.value:
        return None
    if t.value == "PRESENT_REF":
        return DateValue(published, None) if published else None
    if t.value == "PAST_REF":
        return DateValue(published, "before") if published else None
    if t.value == "FUTURE_REF":
        return DateValue(published, "after") if published else None
    parsed = parse_value(t.value)
    if not parsed:
        return None
    # an event date is a plain ISO prefix: a week is its month when it lies in one;
    # weeks across two months, quarters and seasons fall back to their year
    value = t.value.split("T")[0]
    if parsed[1] == "week":
        monday = parsed[0]
        sunday = monday + dt.timedelta(days=6)
        value = fmt(monday, "month") if monday.month == sunday.month else f"{monday.year:04d}"
    elif not re.match(r"^\d{4}-\d\d", value):
        value = value[:4]
    return DateValue(value, t.qualifier)


def date_events(analysis: Analysis) -> None:
    graph = analysis.graph
    doc = analysis.doc
    published = analysis.article.published
    usable: list[tuple[TimeExpr, DateValue, Token | None]] = []
    for t in graph.times:
        dv = date_of(t, published)
        if dv is None:
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        usable.append((t, dv, span.root if span is not None and len(span) else None))
    for ev in graph.events:
        trig: Token | None = None
        if ev.trigger_start is not None and ev.trigger_end is not None:
            span = doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
            trig = span.root if span is not None and len(span) else None
        chosen: DateValue | None = None
        if trig is not None:
            # walk up from the trigger: the first node a time expression attaches to governs
            by_head: dict[int, list[tuple[TimeExpr, DateValue]]] = {}
            for t, dv, root in usable:
                if root is None or root.sent.start != trig.sent.start:
                    continue
                head = root.head
                # a time inside a prepositional phrase ("in July") attaches through the preposition
                if head.dep_ == "prep" or head.pos_ == "ADP":
                    head = head.head
                by_head.setdefault(head.i, []).append((t, dv))
            node = trig
            for _ in range(12):
                hits = by_head.get(node.i)
                if hits:
                    hits.sort(key=lambda h: abs(h[0].start - (ev.trigger_start or 0)))
                    chosen = hits[0][1]
                    break
                if node.head is node:
                    break
                node = node.head
        if chosen is None:
            same = [(t, dv) for t, dv, _ in usable if t.sentence == ev.sentence and ev.start <= t.start < ev.end]
            if not same:
                same = [(t, dv) for t, dv, _ in usable if t.sentence == ev.sentence]
            if same:
                pivot = ev.trigger_start if ev.trigger_start is not None else ev.start
                same.sort(key=lambda h: abs(h[0].start - pivot))
                chosen = same[0][1]
        if chosen is None:
            chosen = DateValue(published, "before") if published else DateValue(None, None)
        ev.date = DateValue(chosen.value, chosen.qualifier)


@component("event_dates", requires=("graph.times", "graph.events"), assigns=("event.date",))
def event_dates(analysis: Analysis) -> None:
    date_events(analysis)
