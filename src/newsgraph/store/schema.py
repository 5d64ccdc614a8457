"""The store's tables, declared once as data (SQLAlchemy Core), portable across SQLite and PostgreSQL.

Each article keeps its whole graph as JSON (the source of truth for `show` and
exports) and, beside it, one row per fact for querying. Every fact row carries
its article id and character offsets: provenance is never dropped.

A fact table's columns come from the model's dataclass (`newsgraph.model`), so each
fact's shape is written once: a new field on `Event` is a new column of ``events``
(the migration step that adds it to older stores is generic, see `migrations.py`),
and `row_of` turns a dataclass into that table's row by the same rules.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable
from dataclasses import MISSING, Field, dataclass, fields, is_dataclass
from typing import Any, Literal, get_type_hints

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
    false,
)
from sqlalchemy import text as sql_text
from sqlalchemy.types import TypeEngine

from newsgraph import model

metadata = MetaData()

_SCALARS: dict[type, type[TypeEngine[Any]]] = {str: Text, int: Integer, bool: Boolean, float: Float}


def _unwrap(tp: Any) -> tuple[Any, bool]:
    """(the type without ``| None``, whether None is allowed); a Literal of strings counts as ``str``."""
    optional = False
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        optional = len(args) < len(typing.get_args(tp))
        if all(typing.get_origin(a) is Literal for a in args):
            return str, optional
        tp = args[0] if len(args) == 1 else tp
    if typing.get_origin(tp) is Literal:
        return str, optional or None in typing.get_args(tp)
    return tp, optional


@dataclass(frozen=True)
class _Mapped:
    """One column of a fact table and how to read its value from the model object."""

    column: Column[Any]
    get: Callable[[Any], Any]


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda obj: getattr(obj, name)


def _nested(name: str, inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda obj: None if getattr(obj, name) is None else inner(getattr(obj, name))


def _json_list(name: str) -> Callable[[Any], Any]:
    return lambda obj: json.dumps(getattr(obj, name), ensure_ascii=False) if getattr(obj, name) else None


def _span_end(name: str, i: int) -> Callable[[Any], Any]:
    return lambda obj: None if getattr(obj, name) is None else getattr(obj, name)[i]


def _scalar_column(name: str, tp: type, f: Field[Any], optional: bool) -> Column[Any]:
    if f.default is MISSING and f.default_factory is MISSING and not optional:  # required: never NULL
        return Column(name, _SCALARS[tp](), nullable=False)
    if tp is bool and isinstance(f.default, bool):  # a flag: old rows read false when the column is added
        return Column(name, Boolean(), nullable=False, default=f.default, server_default=false())
    if tp is str and isinstance(f.default, str) and not optional:
        quoted = "'" + f.default.replace("'", "''") + "'"
        return Column(name, Text(), nullable=False, default=f.default, server_default=sql_text(quoted))
    return Column(name, _SCALARS[tp](), nullable=True)


def _mapped(cls: type, *, rename: dict[str, str] | None = None) -> list[_Mapped]:
    """A column per scalar field of a model dataclass. A nested dataclass gives ``<field>_<sub>``
    columns (``date`` -> ``date_value``, ``date_qualifier``); a ``<x>_span`` list gives ``<x>_start``
    and ``<x>_end``; a list of strings (aliases, roles) is JSON text; other lists (mentions) have
    their own table."""
    rename = rename or {}
    hints = get_type_hints(cls)
    out: list[_Mapped] = []
    for f in fields(cls):
        tp, optional = _unwrap(hints[f.name])
        name = rename.get(f.name, f.name)
        if isinstance(tp, type) and is_dataclass(tp):
            for sub in _mapped(tp):
                col = Column(f"{name}_{sub.column.name}", sub.column.type, nullable=True)
                out.append(_Mapped(col, _nested(f.name, sub.get)))
        elif typing.get_origin(tp) is list and f.name.endswith("_span"):
            stem = name.removesuffix("_span")
            out += [_Mapped(Column(f"{stem}_start", Integer), _span_end(f.name, 0)),
                    _Mapped(Column(f"{stem}_end", Integer), _span_end(f.name, 1))]  # fmt: skip
        elif tp in _SCALARS:
            out.append(_Mapped(_scalar_column(name, tp, f, optional), _attr(f.name)))
        elif typing.get_origin(tp) is list and typing.get_args(tp) == (str,):  # aliases, roles: JSON text
            out.append(_Mapped(Column(name, Text, nullable=True), _json_list(f.name)))
        elif typing.get_origin(tp) is list:
            continue
        else:
            raise TypeError(f"{cls.__name__}.{f.name}: no column type for {tp!r}")
    return out


_ROWS: dict[str, list[_Mapped]] = {}


def _fact_table(
    name: str, cls: type, *extra: Any, rename: dict[str, str] | None = None, skip: tuple[str, ...] = ()
) -> Table:
    """The table of one fact kind: ``article_id``, any columns of its own, then the dataclass's fields
    (but ``skip``: fields the store fills from elsewhere)."""
    mapped = [m for m in _mapped(cls, rename=rename) if m.column.name not in skip]
    _ROWS[name] = mapped
    own = [x for x in extra if isinstance(x, Column)]
    rest = [x for x in extra if not isinstance(x, Column)]  # indexes, after every column exists
    return Table(name, metadata, _article_fk(), *own, *(m.column for m in mapped), *rest)


def row_of(table: Table, obj: Any, **extra: Any) -> dict[str, Any]:
    """The row of ``table`` for one model object (plus columns it does not carry, e.g. ``article_id``)."""
    return {**extra, **{m.column.name: m.get(obj) for m in _ROWS[table.name]}}


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
    Column("source_id", Text),  # the input's own id (JSONL/CSV ``id``): `newsgraph show desk-42` finds it
    Index("ix_articles_source_id", "source_id"),
    Index("ix_articles_url", "url"),
)  # fmt: skip

sentences = _fact_table(
    "sentences", model.Sentence,
    Column("text", Text, nullable=False),
    Index("ix_sentences_article", "article_id", "idx", unique=True),
    rename={"index": "idx"},
)  # fmt: skip

# Derived columns (kept by the store's writes, see rows.py): `actor` is the actor key (``c:<canonical
# id>`` once resolved, else ``n:<type>:<name>``), indexed with the article's date so that every
# per-actor query starts from it and an actor's first or last articles are a LIMIT away; the mention
# count and first mention spare the queries a pass over `mentions`.
entities = _fact_table(
    "entities", model.Entity,
    Column("actor", Text),
    Column("n_mentions", Integer),
    Column("first_start", Integer),
    Column("first_end", Integer),
    Column("first_sentence", Integer),
    Column("published", String(10)),  # the article's date (v6): an actor's articles in date order by index
    Index("ix_entities_article", "article_id", "id", unique=True),
    Index("ix_entities_name", "name"),
    Index("ix_entities_canonical_id", "canonical_id"),
    # an actor's rows in listing order (date, article, first mention), covering what its profile counts
    Index("ix_entities_actor_list", "actor", "published", "article_id", "first_start", "id", "name", "subtype"),
)  # fmt: skip

mentions = _fact_table(
    "mentions", model.Mention,
    Column("entity_id", String(32), nullable=False),
    Index("ix_mentions_entity", "article_id", "entity_id"),
    Index("ix_mentions_sentence", "article_id", "sentence"),
)  # fmt: skip

# `sort_date` (v6) is the date a fact is listed by, written with the row: the event's own date, else its
# article's (`rows.sort_date`). Indexed with the article and fact id (the full listing order), so a
# listing in date order can walk the index and stop at its LIMIT (`queries._facts_by_date`); the
# per-role indexes carry it too, so an actor's facts are picked in order from the indexes alone.
events = _fact_table(
    "events", model.Event,
    Column("sort_date", String(32)),
    Index("ix_events_article", "article_id", "id", unique=True),
    Index("ix_events_sort", "sort_date", "article_id", "id"),
    Index("ix_events_type", "type"),
    Index("ix_events_source", "article_id", "source", "sort_date", "id"),
    Index("ix_events_target", "article_id", "target", "sort_date", "id"),
    Index("ix_events_asserted_by", "article_id", "asserted_by", "sort_date", "id"),
    skip=("incident",),  # read from incident_reports, which the incidents own
)  # fmt: skip

relations = _fact_table(
    "relations", model.Relation,
    Column("sort_date", String(32)),  # the article's date (relations carry none of their own)
    Index("ix_relations_article", "article_id", "id", unique=True),
    Index("ix_relations_sort", "sort_date", "article_id", "id"),
    Index("ix_relations_source", "article_id", "source", "sort_date", "id"),
    Index("ix_relations_target", "article_id", "target", "sort_date", "id"),
    Index("ix_relations_asserted_by", "article_id", "asserted_by", "sort_date", "id"),
)  # fmt: skip

# Who plays which part in which fact (v7), one row per (fact, role) whose entity exists: the actor key of
# the entity in that role and the fact's listing date, written with the fact (`rows.insert_facts`) and
# re-keyed wherever an entity's actor key changes (resolution, merge, split). An actor's facts in listing
# order are one range of `ix_actor_facts_list` that stops at its LIMIT, however often the actor is
# reported; before, they were found through every entity row of the actor and a probe per role.
actor_facts = Table(
    "actor_facts", metadata,
    _article_fk(),
    Column("kind", String(8), nullable=False),  # event | relation
    Column("fact_id", String(32), nullable=False),
    Column("role", String(8), nullable=False),  # source | target | by (the fact's asserted_by)
    Column("entity_id", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Column("sort_date", String(32)),
    Index("ix_actor_facts_list", "actor", "kind", "sort_date", "article_id", "fact_id", "role"),
    Index("ix_actor_facts_entity", "article_id", "entity_id"),
)  # fmt: skip

attributions = _fact_table(
    "attributions", model.Attribution,
    Index("ix_attributions_article", "article_id", "id", unique=True),
    Index("ix_attributions_source", "article_id", "source"),
)  # fmt: skip

quotes = _fact_table(
    "quotes", model.Quote,
    Index("ix_quotes_article", "article_id", "id", unique=True),
    Index("ix_quotes_speaker", "article_id", "speaker"),
)  # fmt: skip

times = _fact_table(
    "times", model.TimeExpr,
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
    Column("action", String(16), nullable=False),  # link | merge | split | unmerge
    Column("canonical_id", String(64), nullable=False),
    Column("other_id", String(64)),
    Column("article_id", String(64)),
    Column("entity_id", String(32)),
    Column("score", Float),
    Column("reason", Text, nullable=False),
    Column("detail", Text),  # merge: JSON of the absorbed entity (name, type, key, members), for a split to restore
)  # fmt: skip

# Per-actor aggregates, kept by ingest, resolution, merge and split (`Store.refresh_actors`): the most
# reported actors and the actor search read this table instead of grouping every entity row.
actors = Table(
    "actors", metadata,
    Column("key", Text, primary_key=True),
    Column("canonical_id", String(64)),
    Column("name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("articles", Integer, nullable=False),
    Column("mentions", Integer, nullable=False),
    Column("names", Text, nullable=False),  # every spelling, lower-cased, comma-separated: what a search matches
)  # fmt: skip
Index("ix_actors_rank", actors.c.articles.desc(), actors.c.name, actors.c.key)

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
