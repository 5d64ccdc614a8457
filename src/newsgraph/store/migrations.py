"""Versioned schema: a new store is created at the latest version; an older one is migrated step by step.

`MIGRATIONS[n]` takes a store at version n-1 to version n. Add a step (and a
fixture of the old schema in tests) whenever `schema.py` changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.schema import CreateColumn

from newsgraph.model import ArticleGraph
from newsgraph.store import rows, schema

SCHEMA_VERSION = 7


def _fts_sqlite(conn: Connection) -> None:
    """Full-text index over sentence text (FTS5, kept in sync by the store's writes)."""
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5("
            "text, article_id UNINDEXED, idx UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')"
        )
    )


def _fts_postgres(conn: Connection) -> None:
    conn.execute(
        text("CREATE INDEX IF NOT EXISTS ix_sentences_fts_en ON sentences USING GIN (to_tsvector('english', text))")
    )


def create_fts(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        _fts_sqlite(conn)
    elif conn.dialect.name == "postgresql":
        _fts_postgres(conn)


def _fts_stemmed(conn: Connection) -> None:
    """v2: the sentence index stems words (Porter; PostgreSQL's english), so "recruit" finds "recruited"."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("DROP TABLE IF EXISTS sentences_fts"))
        _fts_sqlite(conn)
        conn.execute(
            text("INSERT INTO sentences_fts (text, article_id, idx) SELECT text, article_id, idx FROM sentences")
        )
    elif conn.dialect.name == "postgresql":
        conn.execute(text("DROP INDEX IF EXISTS ix_sentences_fts"))
        _fts_postgres(conn)


def _add_model_fields(conn: Connection) -> None:
    """v3: the tables gain every field the model has and they lacked (events: hypothetical, future,
    historical, context, certainty_cue, the trigger span, attribution; relations and attributions:
    cue, certainty_cue…; the merge log: what a merge absorbed). Old fact rows are refilled from
    each article's graph JSON, so a filter on a new column is right for articles stored before it."""
    insp = inspect(conn)
    added = False
    for table in (*schema.FACT_TABLES, schema.merge_log):
        have = {c["name"] for c in insp.get_columns(table.name)}
        for col in table.columns:
            if col.name in have:
                continue
            ddl = CreateColumn(col).compile(dialect=conn.dialect)
            conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))  # sql-safe: names from the model
            added = True
    for table in schema.FACT_TABLES:
        for index in table.indexes:
            index.create(conn, checkfirst=True)
    if added:
        schema.actor_facts.create(conn, checkfirst=True)  # the rewrite fills it (v7 refills it anyway)
        a = schema.articles
        for (aid,) in conn.execute(select(a.c.id)).all():
            payload = conn.execute(select(a.c.graph_json).where(a.c.id == aid)).scalar_one()
            rows.rewrite_facts(conn, ArticleGraph.from_dict(json.loads(payload)))


def _per_actor(conn: Connection) -> None:
    """v4: queries that scale (#14). Entity rows carry their actor key, mention count and first
    mention (indexed; filled by `_add_model_fields`), the fact tables gain per-role indexes, and
    the per-actor aggregates (`actors`) are built once here, then kept by every write."""
    _add_model_fields(conn)
    schema.actors.create(conn, checkfirst=True)
    for index in schema.actors.indexes:
        index.create(conn, checkfirst=True)
    keys = [r[0] for r in conn.execute(select(schema.entities.c.actor).distinct())]
    rows.refresh_actors(conn, keys)


def _source_ids(conn: Connection) -> None:
    """v5: the article's own id from its input (``source_id``, #14) gets a column, filled from each
    graph's JSON, and it and the URL are indexed (`newsgraph show SOURCE_ID` or `show URL`)."""
    a = schema.articles
    if "source_id" not in {c["name"] for c in inspect(conn).get_columns("articles")}:
        conn.execute(text("ALTER TABLE articles ADD COLUMN source_id TEXT"))
    if conn.dialect.name == "postgresql":
        conn.execute(text("UPDATE articles SET source_id = (graph_json::json -> 'article' ->> 'source_id')"))
    else:
        conn.execute(text("UPDATE articles SET source_id = json_extract(graph_json, '$.article.source_id')"))
    for index in a.indexes:
        index.create(conn, checkfirst=True)


def _listing_dates(conn: Connection) -> None:
    """v6: queries that stop at their LIMIT (#14). Events and relations store the date they are
    listed by (`rows.sort_date`: the event's own date, else the article's), entity rows their
    article's date; both are indexed (facts by date, an actor's articles by date), replacing the
    index on (actor, article), and the per-role fact indexes gain the date and fact id (covering).
    Filled here by SQL from the rows themselves, no graph re-read."""
    insp = inspect(conn)
    added = ((schema.events, "sort_date"), (schema.relations, "sort_date"), (schema.entities, "published"))
    for table, column in added:
        if column not in {c["name"] for c in insp.get_columns(table.name)}:
            ddl = CreateColumn(table.c[column]).compile(dialect=conn.dialect)
            conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))  # sql-safe: names from the schema
    conn.execute(text("UPDATE events SET sort_date = coalesce(date_value, "
                      "(SELECT a.published FROM articles a WHERE a.id = events.article_id))"))  # fmt: skip
    conn.execute(text("UPDATE relations SET sort_date = "
                      "(SELECT a.published FROM articles a WHERE a.id = relations.article_id)"))  # fmt: skip
    conn.execute(text("UPDATE entities SET published = "
                      "(SELECT a.published FROM articles a WHERE a.id = entities.article_id)"))  # fmt: skip
    for name in ("ix_entities_actor", "ix_entities_actor_date", *(f"ix_{t}_{r}" for t in ("events", "relations")
                                        for r in ("source", "target", "asserted_by"))):  # fmt: skip
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))  # sql-safe: fixed names; per-role ones gain columns
    for table in (schema.events, schema.relations, schema.entities):
        for index in table.indexes:
            index.create(conn, checkfirst=True)


def _actor_facts(conn: Connection) -> None:
    """v7: who plays which part in which fact (`schema.actor_facts`), so an actor's facts in listing
    order are one index range (#14). Filled here by SQL from the fact and entity rows, one statement
    per kind and role (the same rows `rows.actor_fact_rows` writes with each new fact)."""
    schema.actor_facts.create(conn, checkfirst=True)
    for index in schema.actor_facts.indexes:
        index.create(conn, checkfirst=True)
    conn.execute(schema.actor_facts.delete())
    for kind, table in (("event", "events"), ("relation", "relations")):
        for role, column in (("source", "source"), ("target", "target"), ("by", "asserted_by")):
            conn.execute(text(  # sql-safe: fixed table and column names, bound values
                "INSERT INTO actor_facts (article_id, kind, fact_id, role, entity_id, actor, sort_date) "
                f"SELECT f.article_id, :kind, f.id, :role, e.id, e.actor, f.sort_date FROM {table} f "
                f"JOIN entities e ON e.article_id = f.article_id AND e.id = f.{column} WHERE e.actor IS NOT NULL"
            ), {"kind": kind, "role": role})  # fmt: skip


MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _fts_stemmed, 3: _add_model_fields, 4: _per_actor, 5: _source_ids, 6: _listing_dates, 7: _actor_facts,
}  # fmt: skip


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("meta"):
        return 0
    row = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).first()
    return int(row[0]) if row else 0


def _set_version(conn: Connection, version: int) -> None:
    conn.execute(schema.meta.delete().where(schema.meta.c.key == "schema_version"))
    conn.execute(schema.meta.insert().values(key="schema_version", value=str(version)))


def ensure_schema(engine: Engine) -> int:
    """Create or migrate the store in ONE transaction that holds the write lock; returns the starting version.

    pysqlite runs each CREATE in autocommit unless a transaction was begun explicitly, so
    without ``BEGIN IMMEDIATE`` a kill mid-creation left a half-made store that later opens
    took for complete, and two processes creating one store at once collided.
    """
    with engine.connect() as conn:
        start = current_version(conn)
        complete = start == SCHEMA_VERSION and set(schema.metadata.tables) <= set(inspect(conn).get_table_names())
    if complete:
        return start  # the common case takes no write lock
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # waits (busy_timeout) for another creator, then re-reads
        elif conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7260521)"))  # one creator at a time
        start = migrate(conn)
        conn.commit()
    return start


def migrate(conn: Connection) -> int:
    """Bring the store to SCHEMA_VERSION inside the caller's transaction; returns the version it started at."""
    start = current_version(conn)
    if start > SCHEMA_VERSION:
        raise RuntimeError(
            f"store schema version {start} is newer than this newsgraph ({SCHEMA_VERSION}); upgrade newsgraph"
        )
    if start == 0 and not inspect(conn).has_table("articles"):
        schema.metadata.create_all(conn)
        create_fts(conn)
    else:
        for version in range(max(start, 1) + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[version](conn)
        # Tables added since the store was made (judgements, incidents) start empty: creating them is
        # always safe, so they need no numbered migration.
        schema.metadata.create_all(conn, checkfirst=True)
    _set_version(conn, SCHEMA_VERSION)
    return start
