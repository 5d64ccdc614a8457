"""Sentence search: a reader's query syntax, translated safely for SQLite FTS5 or PostgreSQL (#16).

The syntax a reader types into a search box:

- words, all required: ``Cuba recruit`` (stemmed by the index: ``recruit`` finds recruited,
  recruits, recruiting);
- a prefix: ``recruit*`` (also recruitment, recruiter);
- a phrase: ``"Cuba recruits fighters"`` (the words in that order, each stemmed);
- ``OR`` between two terms, ``NOT`` (or a leading ``-``) before a term to exclude it.

Every word reaches the engine as a quoted string, never as syntax of its own: a stray quote,
parenthesis, colon or ``NEAR`` is just text. The FTS5 index uses the Porter stemmer
(``porter unicode61``); PostgreSQL uses its ``english`` configuration. The match offsets come
back as ``highlights`` (character spans within the sentence) for the caller to mark.
Written by hand: this grammar is smaller than any query-parser library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text

from newsgraph.store.queries import like_contains

OPEN, CLOSE = "\x02", "\x03"  # FTS5 highlight() markers: control characters never in stored text
TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass
class Term:
    words: list[str]
    prefix: bool = False
    negated: bool = False
    or_before: bool = False  # joined to the previous term by OR


@dataclass
class SearchFilter:
    date_from: str | None = None
    date_to: str | None = None
    language: str | None = None
    source: str | None = None  # part of the article URL (the outlet) or title
    article_ids: list[str] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]


def parse(query: str) -> list[Term]:
    """The query as terms; operators are recognised only in capitals, as in most search boxes."""
    terms: list[Term] = []
    pending_or = pending_not = False
    for m in TOKEN.finditer(query):
        phrase, raw = m.group(1), m.group(2)
        if raw in ("OR", "|"):
            pending_or = bool(terms)
            continue
        if raw in ("NOT", "AND"):
            pending_not = pending_not or raw == "NOT"
            continue
        negated = pending_not
        prefix = False
        if phrase is None:
            assert raw is not None
            if raw.startswith("-") and len(raw) > 1:
                negated, raw = True, raw[1:]
            prefix = raw.endswith("*")
            words = _words(raw)
            if len(words) > 1:  # "U.S." or "al-Shabaab": one phrase
                prefix = False
        else:
            words = _words(phrase)
        if not words:
            continue
        terms.append(Term(words, prefix=prefix, negated=negated, or_before=pending_or and not negated))
        pending_or = pending_not = False
    if terms and all(t.negated for t in terms):  # nothing to exclude from: search the words instead
        for t in terms:
            t.negated = False
    return terms


def _quoted(t: Term) -> str:
    body = '"' + " ".join(w.replace('"', '""') for w in t.words) + '"'
    return body + ("*" if t.prefix else "")


def fts5_match(terms: list[Term]) -> str:
    """An FTS5 MATCH expression: positives (ORs grouped), then each exclusion as ``NOT``."""
    groups: list[list[str]] = []
    for t in terms:
        if t.negated:
            continue
        if t.or_before and groups:
            groups[-1].append(_quoted(t))
        else:
            groups.append([_quoted(t)])
    expr = " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups)
    for t in terms:
        if t.negated:
            expr += f" NOT {_quoted(t)}"
    return expr


def websearch_text(terms: list[Term]) -> str:
    """The same query for PostgreSQL's ``websearch_to_tsquery`` (no prefixes there: the stem is used)."""
    parts = []
    for t in terms:
        body = '"' + " ".join(t.words) + '"' if len(t.words) > 1 else t.words[0]
        parts.append(("or " if t.or_before else "") + ("-" if t.negated else "") + body)
    return " ".join(parts)


def marked_spans(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Text with FTS5 highlight markers -> the clean text and the character spans that matched."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    start: int | None = None
    for ch in marked:
        if ch == OPEN:
            start = pos
        elif ch == CLOSE:
            if start is not None and pos > start:
                spans.append((start, pos))
            start = None
        else:
            out.append(ch)
            pos += 1
    return "".join(out), spans


def _where(flt: SearchFilter, params: dict[str, Any]) -> str:
    sql = ""
    if flt.date_from:
        sql += " AND a.published >= :df"
        params["df"] = flt.date_from
    if flt.date_to:
        sql += " AND a.published <= :dt"
        params["dt"] = flt.date_to + "\uffff"  # a prefix includes the whole period
    if flt.language:
        sql += " AND lower(a.language) = :lang"
        params["lang"] = flt.language.lower()
    if flt.source and "\x00" in flt.source:
        sql += " AND 1 = 0"  # a NUL matches nothing (SQLite's LIKE would stop at it and match everything)
    elif flt.source:
        sql += " AND (lower(a.url) LIKE :src ESCAPE '\\' OR lower(a.title) LIKE :src ESCAPE '\\')"
        params["src"] = like_contains(flt.source)
    return sql


def search_sentences(
    engine: Engine, query: str, *, limit: int = 20, offset: int = 0, flt: SearchFilter | None = None
) -> list[dict[str, Any]]:
    """Sentences matching ``query``, best first, each with ``highlights`` (spans within its text).

    SQLite, no filter: the score of the page's last match is found on the full-text index alone
    (bm25, no join), and only the matches scoring as well are joined, highlighted and sorted (#14:
    a name in 40 % of 100k articles matches ~50,000 sentences, each joined to its article and
    highlighted before the sort took ~0.4 s). Ties at the cut are all kept, so the page is the same."""
    terms = parse(query)
    if not terms:
        return []
    flt = flt or SearchFilter()
    params: dict[str, Any] = {"n": limit, "o": offset}
    where = _where(flt, params)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            params["q"] = fts5_match(terms)
            if not where:  # no filter: rank on the index alone first, then read only what can be on the page
                cut = conn.execute(
                    text("SELECT bm25(sentences_fts) AS score FROM sentences_fts WHERE sentences_fts MATCH :q "
                         "ORDER BY score LIMIT 1 OFFSET :k"),
                    {"q": params["q"], "k": limit + offset - 1},
                ).scalar()  # fmt: skip
                if cut is not None:  # more matches than the page needs: the rest score worse than the last
                    where = " AND bm25(sentences_fts) <= :cut"
                    params["cut"] = cut
            rows = conn.execute(
                text(  # sql-safe: fixed clauses from _where with bound parameters; constant highlight markers
                    "SELECT f.article_id, CAST(f.idx AS INTEGER) AS idx, s.start, s.\"end\", "
                    f"highlight(sentences_fts, 0, '{OPEN}', '{CLOSE}') AS marked, a.title, a.published, "
                    "a.language, a.url FROM sentences_fts f "
                    "JOIN sentences s ON s.article_id = f.article_id AND s.idx = f.idx "
                    "JOIN articles a ON a.id = f.article_id "
                    f"WHERE sentences_fts MATCH :q{where} "
                    "ORDER BY bm25(sentences_fts), a.published LIMIT :n OFFSET :o"
                ),
                params,
            ).mappings().all()  # fmt: skip
            out = []
            for r in rows:
                clean, spans = marked_spans(r["marked"])
                row = {k: v for k, v in r.items() if k != "marked"}
                out.append({**row, "text": clean, "highlights": [list(s) for s in spans]})
            return out
        params["q"] = websearch_text(terms)
        rows = conn.execute(
            text(  # sql-safe: fixed clauses from _where with bound parameters; constant highlight markers
                'SELECT s.article_id, s.idx, s.start, s."end", s.text, a.title, a.published, a.language, a.url, '
                "ts_headline('english', s.text, websearch_to_tsquery('english', :q), "
                f"'StartSel={OPEN}, StopSel={CLOSE}, HighlightAll=true') AS marked "
                "FROM sentences s JOIN articles a ON a.id = s.article_id "
                f"WHERE to_tsvector('english', s.text) @@ websearch_to_tsquery('english', :q){where} "
                "ORDER BY ts_rank(to_tsvector('english', s.text), websearch_to_tsquery('english', :q)) DESC, "
                "a.published LIMIT :n OFFSET :o"
            ),
            params,
        ).mappings().all()  # fmt: skip
        out = []
        for r in rows:
            _clean, spans = marked_spans(r["marked"])
            row = {k: v for k, v in r.items() if k != "marked"}
            out.append({**row, "highlights": [list(s) for s in spans]})
        return out
