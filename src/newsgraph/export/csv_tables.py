"""CSV tables for spreadsheets and dataframes: one file per kind of fact, in a directory.

``articles.csv``, ``entities.csv``, ``mentions.csv``, ``events.csv``, ``event_participants.csv``,
``relations.csv``, ``attributions.csv``, ``quotes.csv``, ``times.csv``. Every event is a row of
``events.csv`` (with or without a source or target) and each of its actors a row of
``event_participants.csv`` with its role (source, target, location, asserted_by).
Every fact row carries its ``article_id``;
entity references are ids within the article, with the entity's name beside them. Written as
UTF-8 with a byte-order mark (so Excel reads accents right) and RFC 4180 quoting. A text cell that
starts with ``=``, ``+``, ``-`` or ``@`` is prefixed with an apostrophe so that a spreadsheet shows
it instead of evaluating it as a formula (CSV injection).

Review (#18): ``entities``, ``events``, ``relations``, ``attributions`` and ``quotes`` end with
``review_status`` (unreviewed, confirmed, rejected, corrected), ``reviewed_by``, ``reviewed_at`` and
``machine`` (for a corrected fact, the machine's values of the corrected fields, as JSON); the row
itself holds the corrected values.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsgraph.export._io import atomic_path, evidence, safe_cell
from newsgraph.model import ArticleGraph
from newsgraph.phrasing import event_sentence
from newsgraph.review import Reviews

REVIEW_COLUMNS = ("review_status", "reviewed_by", "reviewed_at", "machine")
REVIEWED = {"entities": ("entity", "entity_id"), "events": ("event", "event_id"),
            "relations": ("relation", "relation_id"), "attributions": ("attribution", "attribution_id"),
            "quotes": ("quote", "quote_id")}  # fmt: skip

TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("article_id", "source_id", "published", "title", "url", "language", "language_supported",
                 "extractor_version", "text_offset", "text"),
    "entities": ("article_id", "entity_id", "name", "type", "subtype", "country", "canonical_id", "aliases", "roles",
                 "mentions"),
    "mentions": ("article_id", "entity_id", "entity_name", "start", "end", "text", "sentence", "kind"),
    "events": ("article_id", "event_id", "type", "mode", "source_id", "source", "target_id", "target", "location_id",
               "location", "date", "date_qualifier", "asserted_by_id", "asserted_by", "certainty", "negated",
               "trigger", "sentence", "start", "end", "evidence", "summary", "incident"),
    "event_participants": ("article_id", "event_id", "role", "entity_id", "entity_name", "entity_type"),
    "relations": ("article_id", "relation_id", "type", "source_id", "source", "target_id", "target",
                  "asserted_by_id", "asserted_by", "certainty", "sentence", "start", "end", "evidence"),
    "attributions": ("article_id", "attribution_id", "source_id", "source", "cue", "certainty", "direct",
                     "source_start", "source_end", "cue_start", "cue_end", "content_start", "content_end", "content"),
    "quotes": ("article_id", "quote_id", "speaker_id", "speaker", "channel", "start", "end", "text"),
    "times": ("article_id", "text", "value", "qualifier", "type", "start", "end", "sentence"),
}  # fmt: skip
TABLES = {name: cols + REVIEW_COLUMNS if name in REVIEWED else cols for name, cols in TABLES.items()}


def rows(graph: ArticleGraph) -> dict[str, list[dict[str, Any]]]:
    art = graph.article
    aid = art.id
    names = {e.id: e.name for e in graph.entities}
    types = {e.id: e.type for e in graph.entities}
    text = art.text

    def span(s: list[int] | None, i: int) -> int | None:
        return s[i] if s else None

    return {
        "articles": [{"article_id": aid, "source_id": art.source_id, "published": art.published, "title": art.title,
                      "url": art.url, "language": art.language, "language_supported": art.language_supported,
                      "extractor_version": graph.extractor_version, "text_offset": art.text_offset,
                      "text": art.text}],
        "entities": [{"article_id": aid, "entity_id": e.id, "name": e.name, "type": e.type, "subtype": e.subtype,
                      "country": e.country, "canonical_id": e.canonical_id, "aliases": "; ".join(e.aliases),
                      "roles": "; ".join(e.roles), "mentions": len(e.mentions)} for e in graph.entities],
        "mentions": [{"article_id": aid, "entity_id": e.id, "entity_name": e.name, "start": m.start, "end": m.end,
                      "text": m.text, "sentence": m.sentence, "kind": m.kind}
                     for e in graph.entities for m in e.mentions],
        "events": [{"article_id": aid, "event_id": v.id, "type": v.type, "mode": v.mode, "source_id": v.source,
                    "source": names.get(v.source or ""), "target_id": v.target, "target": names.get(v.target or ""),
                    "location_id": v.location, "location": names.get(v.location or ""),
                    "date": v.date.value if v.date else None, "date_qualifier": v.date.qualifier if v.date else None,
                    "asserted_by_id": v.asserted_by, "asserted_by": names.get(v.asserted_by or ""),
                    "certainty": v.certainty, "negated": v.negated, "trigger": v.trigger, "sentence": v.sentence,
                    "start": v.start, "end": v.end, "evidence": evidence(graph, v.start, v.end),
                    "summary": event_sentence(v.type, names.get(v.source or ""), names.get(v.target or ""),
                                              trigger=v.trigger, negated=bool(v.negated)),
                    "incident": v.incident}
                   for v in graph.events],
        "event_participants": [{"article_id": aid, "event_id": v.id, "role": role, "entity_id": eid,
                                "entity_name": names.get(eid), "entity_type": types.get(eid)}
                               for v in graph.events
                               for role, eid in (("source", v.source), ("target", v.target),
                                                 ("location", v.location), ("asserted_by", v.asserted_by))
                               if eid],
        "relations": [{"article_id": aid, "relation_id": r.id, "type": r.type, "source_id": r.source,
                       "source": names.get(r.source), "target_id": r.target, "target": names.get(r.target),
                       "asserted_by_id": r.asserted_by, "asserted_by": names.get(r.asserted_by or ""),
                       "certainty": r.certainty, "sentence": r.sentence, "start": r.start, "end": r.end,
                       "evidence": evidence(graph, r.start, r.end)} for r in graph.relations],
        "attributions": [{"article_id": aid, "attribution_id": a.id, "source_id": a.source,
                          "source": names.get(a.source or ""), "cue": a.cue or text[a.cue_span[0]:a.cue_span[1]],
                          "certainty": a.certainty, "direct": a.direct, "source_start": span(a.source_span, 0),
                          "source_end": span(a.source_span, 1), "cue_start": a.cue_span[0], "cue_end": a.cue_span[1],
                          "content_start": a.content_span[0], "content_end": a.content_span[1],
                          "content": text[a.content_span[0]:a.content_span[1]]} for a in graph.attributions],
        "quotes": [{"article_id": aid, "quote_id": q.id, "speaker_id": q.speaker,
                    "speaker": names.get(q.speaker or ""), "channel": q.channel, "start": q.start, "end": q.end,
                    "text": q.text} for q in graph.quotes],
        "times": [{"article_id": aid, "text": t.text, "value": t.value, "qualifier": t.qualifier, "type": t.type,
                   "start": t.start, "end": t.end, "sentence": t.sentence} for t in graph.times],
    }  # fmt: skip


def review_columns(table_rows: dict[str, list[dict[str, Any]]], reviews: Reviews | None) -> None:
    """Add the review columns to the rows of reviewable facts (``unreviewed`` without judgements)."""
    for name, (kind, id_column) in REVIEWED.items():
        for row in table_rows[name]:
            if reviews is None:
                row.update({"review_status": "unreviewed", "reviewed_by": "", "reviewed_at": "", "machine": ""})
            else:
                row.update(reviews.columns(row["article_id"], kind, row[id_column]))


def write(graphs: Iterable[ArticleGraph], out: Path | str, *, reviews: Reviews | None = None) -> int:
    """Write the tables into directory ``out``; returns the number of articles.

    ``reviews``: the graphs come through `Reviews.apply` (corrected, filtered) and rows say their status."""
    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:  # each table is written to a temporary file, renamed when all are done
        paths = {name: stack.enter_context(atomic_path(directory / f"{name}.csv")) for name in TABLES}
        files = {
            name: stack.enter_context(path.open("w", encoding="utf-8-sig", newline="")) for name, path in paths.items()
        }
        writers = {name: csv.DictWriter(fh, fieldnames=TABLES[name]) for name, fh in files.items()}
        for w in writers.values():
            w.writeheader()
        n = 0
        for graph in graphs:
            tables = rows(graph)
            review_columns(tables, reviews)
            for name, table_rows in tables.items():
                writers[name].writerows({k: safe_cell(v) for k, v in r.items()} for r in table_rows)
            n += 1
    return n
