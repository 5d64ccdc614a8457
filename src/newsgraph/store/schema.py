"""The store's tables, declared once as data (SQLAlchemy Core), portable across SQLite and PostgreSQL.

Each article keeps its whole graph as JSON (the source of truth for `show` and
exports) and, beside it, one row per fact for querying. Every fact row carries
its article id and character offsets: provenance is never dropped.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()


def _article_fk() -> Column[str]:
    return Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False)


meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)  # fmt: skip

articles = Table(
    "articles", metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text),
    Column("url", Text),
    Column("published", String(10), index=True),
    Column("language", String(16)),
    Column("language_supported", Boolean, nullable=False, default=True),
    Column("source_path", Text),
    Column("text", Text, nullable=False),
    Column("graph_json", Text, nullable=False),
    Column("extractor_version", String(32)),
    Column("ingested_at", String(32)),
)  # fmt: skip

sentences = Table(
    "sentences", metadata,
    _article_fk(),
    Column("idx", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_sentences_article", "article_id", "idx", unique=True),
)  # fmt: skip

entities = Table(
    "entities", metadata,
    _article_fk(),
    Column("id", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("subtype", String(64)),
    Column("canonical_id", String(64), index=True),
    Index("ix_entities_article", "article_id", "id", unique=True),
    Index("ix_entities_name", "name"),
)  # fmt: skip

mentions = Table(
    "mentions", metadata,
    _article_fk(),
    Column("entity_id", String(32), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("sentence", Integer),
    Column("kind", String(16)),
    Index("ix_mentions_entity", "article_id", "entity_id"),
)  # fmt: skip

events = Table(
    "events", metadata,
    _article_fk(),
    Column("id", String(32), nullable=False),
    Column("type", String(32), nullable=False),
    Column("mode", String(64)),
    Column("source", String(32)),
    Column("target", String(32)),
    Column("location", String(32)),
    Column("date_value", String(32)),
    Column("date_qualifier", String(16)),
    Column("asserted_by", String(32)),
    Column("certainty", String(16), nullable=False),
    Column("negated", Boolean, nullable=False, default=False),
    Column("sentence", Integer),
    Column("start", Integer),
    Column("end", Integer),
    Column("trigger", Text),
    Index("ix_events_article", "article_id", "id", unique=True),
    Index("ix_events_type", "type"),
)  # fmt: skip

relations = Table(
    "relations", metadata,
    _article_fk(),
    Column("id", String(32), nullable=False),
    Column("type", String(32), nullable=False),
    Column("source", String(32), nullable=False),
    Column("target", String(32), nullable=False),
    Column("asserted_by", String(32)),
    Column("certainty", String(16), nullable=False),
    Column("sentence", Integer),
    Column("start", Integer),
    Column("end", Integer),
    Index("ix_relations_article", "article_id", "id", unique=True),
)  # fmt: skip

attributions = Table(
    "attributions", metadata,
    _article_fk(),
    Column("id", String(32), nullable=False),
    Column("source", String(32)),
    Column("source_start", Integer),
    Column("source_end", Integer),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("content_start", Integer),
    Column("content_end", Integer),
    Column("certainty", String(16), nullable=False),
    Column("direct", Boolean, nullable=False, default=False),
    Index("ix_attributions_article", "article_id", "id", unique=True),
)  # fmt: skip

quotes = Table(
    "quotes", metadata,
    _article_fk(),
    Column("id", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("speaker", String(32)),
    Column("channel", String(32)),
    Column("start", Integer),
    Column("end", Integer),
    Index("ix_quotes_article", "article_id", "id", unique=True),
)  # fmt: skip

times = Table(
    "times", metadata,
    _article_fk(),
    Column("text", Text, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("value", String(32)),
    Column("qualifier", String(16)),
    Index("ix_times_article", "article_id"),
)  # fmt: skip

# Cross-article identity: one canonical entity per real actor (filled by `newsgraph.resolve`).
canonical_entities = Table(
    "canonical_entities", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("key", Text, nullable=False, index=True),
)  # fmt: skip

merge_log = Table(
    "merge_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("action", String(16), nullable=False),  # link | merge | split
    Column("canonical_id", String(64), nullable=False),
    Column("other_id", String(64)),
    Column("article_id", String(64)),
    Column("entity_id", String(32)),
    Column("score", Float),
    Column("reason", Text, nullable=False),
)  # fmt: skip

FACT_TABLES = (sentences, entities, mentions, events, relations, attributions, quotes, times)

# An analyst's judgements (newsgraph.review): anchored to the article id and evidence span, not to fact rows,
# and without a foreign key, so `ingest --replace` and a new extractor release never delete them.
judgements = Table(
    "judgements", metadata,
    Column("id", String(32), primary_key=True),
    Column("article_id", String(64), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("label", Text, nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("at", String(32), nullable=False),
    Column("corrections_json", Text, nullable=False, default="{}"),
    Column("note", Text),
    Column("before_json", Text, nullable=False, default="{}"),
)  # fmt: skip

# Incidents (newsgraph.incidents): which events of which articles report one real occurrence, and why.
incident_reports = Table(
    "incident_reports", metadata,
    _article_fk(),
    Column("event_id", String(32), nullable=False),
    Column("incident_id", String(64), nullable=False, index=True),
    Column("score", Float),
    Column("reasons", Text, nullable=False, default=""),
    Column("manual", Boolean, nullable=False, default=False),
    Index("ix_incident_reports_event", "article_id", "event_id", unique=True),
)  # fmt: skip

incident_log = Table(
    "incident_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("action", String(16), nullable=False),  # join | new | merge | split
    Column("incident_id", String(64), nullable=False),
    Column("article_id", String(64)),
    Column("event_id", String(32)),
    Column("score", Float),
    Column("reasons", Text, nullable=False, default=""),
)  # fmt: skip
