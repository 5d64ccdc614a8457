"""Writing one article graph as rows: the article, its sentences (and their full-text index), its facts.

Every fact row is built by `schema.row_of` from the model's dataclass, so the columns and the
values come from one declaration.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Table, func, literal_column, select, text

from newsgraph.model import ArticleGraph, Entity
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
            source_id=art.source_id,
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


def actor_of(canonical_id: str | None, type_: str, name: str) -> str:
    """The actor key of an entity row: ``c:<canonical id>`` once resolved, else ``n:<type>:<name>``."""
    return f"c:{canonical_id}" if canonical_id else f"n:{type_}:{name}"


def _entity_row(aid: str, published: str | None, e: Entity) -> dict[str, Any]:
    """An entity's row with its derived columns: actor key, mention count, first mention (by offset,
    a non-empty one first), the article's date."""
    first = min(e.mentions, key=lambda m: (m.end <= m.start, m.start), default=None)
    return row_of(
        schema.entities, e, article_id=aid, actor=actor_of(e.canonical_id, e.type, e.name),
        n_mentions=len(e.mentions), first_start=first.start if first else None,
        first_end=first.end if first else None, first_sentence=first.sentence if first else None,
        published=published,
    )  # fmt: skip


def sort_date(row: dict[str, Any], published: str | None) -> str | None:
    """The date a fact row is listed by: an event's own date, else its article's (what
    ``coalesce(date_value, published)`` gave when the queries computed it per row)."""
    own = row.get("date_value")
    return own if own is not None else published


_ROLES = (("source", "source"), ("target", "target"), ("by", "asserted_by"))  # role, the fact's column


def actor_fact_rows(kind: str, rows: list[dict[str, Any]], actors: dict[str, str]) -> list[dict[str, Any]]:
    """The `schema.actor_facts` rows of these event (or relation) rows: one per role whose entity is
    in ``actors`` (entity id -> actor key), with the fact's listing date."""
    out = []
    for r in rows:
        for role, column in _ROLES:
            eid = r.get(column)
            if eid is not None and eid in actors:
                out.append({"article_id": r["article_id"], "kind": kind, "fact_id": r["id"], "role": role,
                            "entity_id": eid, "actor": actors[eid], "sort_date": r["sort_date"]})  # fmt: skip
    return out


def insert_facts(conn: Connection, graph: ArticleGraph) -> None:
    aid, published = graph.article.id, graph.article.published
    entity_rows = [_entity_row(aid, published, e) for e in graph.entities]
    actors = {r["id"]: r["actor"] for r in entity_rows}
    _insert(conn, schema.entities, entity_rows)
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
        rows = [row_of(table, x, article_id=aid) for x in items]
        if table is schema.events or table is schema.relations:
            for r in rows:
                r["sort_date"] = sort_date(r, published)
            kind = "event" if table is schema.events else "relation"
            _insert(conn, schema.actor_facts, actor_fact_rows(kind, rows, actors))
        _insert(conn, table, rows)


def delete_article(conn: Connection, article_id: str) -> None:
    for table in (*schema.FACT_TABLES, schema.actor_facts):
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
    for table in (*_FACTS, schema.actor_facts):
        conn.execute(table.delete().where(table.c.article_id == aid))
    insert_facts(conn, graph)


def refresh_actors(conn: Connection, keys: Iterable[str]) -> None:
    """Recount the per-actor aggregates (`schema.actors`) of these actor keys from their entity rows.

    Called in the transaction that changed them (a stored or deleted article, a link, a merge, a
    split), so the table is always what grouping the entities would give.
    """
    wanted = sorted(set(keys))
    e, ce, ac = schema.entities, schema.canonical_entities, schema.actors
    if conn.dialect.name == "postgresql":
        names = func.string_agg(func.distinct(func.lower(e.c.name)), literal_column("','"))
    else:
        names = func.group_concat(func.distinct(func.lower(e.c.name)))
    for i in range(0, len(wanted), 400):
        chunk = wanted[i : i + 400]
        conn.execute(ac.delete().where(ac.c.key.in_(chunk)))
        grouped = (
            select(
                e.c.actor, func.max(e.c.canonical_id), func.coalesce(func.max(ce.c.name), func.max(e.c.name)),
                func.coalesce(func.max(ce.c.type), func.min(e.c.type)), func.count(func.distinct(e.c.article_id)),
                func.coalesce(func.sum(e.c.n_mentions), 0), names,
            )
            .select_from(e.outerjoin(ce, ce.c.id == e.c.canonical_id))
            .where(e.c.actor.in_(chunk))
            .group_by(e.c.actor)
        )  # fmt: skip
        conn.execute(
            ac.insert().from_select(["key", "canonical_id", "name", "type", "articles", "mentions", "names"], grouped)
        )


def actors_of_articles(conn: Connection, article_ids: Iterable[str]) -> set[str]:
    """The actor keys of these articles' entities (to refresh after they change)."""
    e = schema.entities
    ids = list(article_ids)
    out: set[str] = set()
    for i in range(0, len(ids), 400):
        out |= {r[0] for r in conn.execute(select(e.c.actor).where(e.c.article_id.in_(ids[i : i + 400])).distinct())}
    return out
