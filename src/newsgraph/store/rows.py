"""Writing one article graph as rows: the article, its sentences (and their full-text index), its facts.

Every fact row is built by `schema.row_of` from the model's dataclass, so the columns and the
values come from one declaration.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, Table, select, text

from newsgraph.model import ArticleGraph
from newsgraph.store import schema
from newsgraph.store.schema import row_of

# the fact tables filled from an article's graph, in dependency order; sentences are written apart
_FACTS = (schema.entities, schema.mentions, schema.events, schema.relations, schema.attributions,
          schema.quotes, schema.times)  # fmt: skip


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(table.insert(), rows)


def insert_graph(conn: Connection, graph: ArticleGraph) -> None:
    """The article row, its sentences with their full-text rows, and every fact row."""
    art = graph.article
    conn.execute(
        schema.articles.insert().values(
            id=art.id,
            title=art.title,
            url=art.url,
            published=art.published,
            language=art.language,
            language_supported=art.language_supported,
            source_path=art.source_path,
            text=art.text,
            graph_json=json.dumps(graph.to_dict(), ensure_ascii=False),
            extractor_version=graph.extractor_version,
            ingested_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
    )
    sents = [row_of(schema.sentences, s, article_id=art.id, text=art.text[s.start : s.end]) for s in graph.sentences]
    _insert(conn, schema.sentences, sents)
    if conn.dialect.name == "sqlite" and sents:
        conn.execute(text("INSERT INTO sentences_fts (text, article_id, idx) VALUES (:text, :article_id, :idx)"), sents)
    insert_facts(conn, graph)


def insert_facts(conn: Connection, graph: ArticleGraph) -> None:
    aid = graph.article.id
    _insert(conn, schema.entities, [row_of(schema.entities, e, article_id=aid) for e in graph.entities])
    _insert(conn, schema.mentions, [
        row_of(schema.mentions, m, article_id=aid, entity_id=e.id) for e in graph.entities for m in e.mentions
    ])  # fmt: skip
    for table, items in (
        (schema.events, graph.events),
        (schema.relations, graph.relations),
        (schema.attributions, graph.attributions),
        (schema.quotes, graph.quotes),
        (schema.times, graph.times),
    ):
        _insert(conn, table, [row_of(table, x, article_id=aid) for x in items])


def delete_article(conn: Connection, article_id: str) -> None:
    for table in schema.FACT_TABLES:
        conn.execute(table.delete().where(table.c.article_id == article_id))
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM sentences_fts WHERE article_id = :a"), {"a": article_id})
    conn.execute(schema.articles.delete().where(schema.articles.c.id == article_id))


def rewrite_facts(conn: Connection, graph: ArticleGraph) -> None:
    """Rewrite an article's fact rows from its graph (a migration that adds columns), keeping the
    canonical ids the table holds."""
    aid = graph.article.id
    e = schema.entities
    linked = dict(conn.execute(select(e.c.id, e.c.canonical_id).where(e.c.article_id == aid)).all())
    for ent in graph.entities:
        ent.canonical_id = linked.get(ent.id, ent.canonical_id)
    for table in _FACTS:
        conn.execute(table.delete().where(table.c.article_id == aid))
    insert_facts(conn, graph)
