"""Read queries for the query layer (`newsgraph.query`): the SQL behind search, profiles, graphs, timelines.

`Queries` is mixed into `Store`: callers ask the store (``store.facts(...)``), never an
engine. Every method returns plain dicts. Every value a caller supplies goes in as a
bound parameter (SQLAlchemy Core), never as SQL text.

Cross-article identity: an entity row belongs to the *actor* ``c:<canonical_id>``
when the resolver filled ``canonical_id``, else to ``n:<type>:<name>``. `actor_key`
is that rule as a SQL expression, so grouping works before and after resolution.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    Table,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.sql import FromClause
from sqlalchemy.sql.elements import TextClause

from newsgraph.store import schema

CHUNK = 400  # values per IN (...) list: well under SQLite's bound-parameter limit


def actor_key(t: FromClause) -> ColumnElement[str]:
    """The actor key of an entities row (``c:…`` resolved, ``n:Type:name`` otherwise): the stored,
    indexed ``actor`` column that the store's writes keep (see `rows.actor_of`)."""
    return t.c.actor


def escape_like(value: str) -> str:
    """``value`` taken literally in a LIKE pattern (with ``escape="\\"``): the one LIKE-escape of the store."""
    # NUL is dropped: SQLite's LIKE stops at it, so 'x\\0' would have matched everything.
    return value.replace("\x00", "").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_contains(value: str) -> str:
    """A case-insensitive "contains" pattern for ``func.lower(col).like(..., escape="\\")``."""
    return f"%{escape_like(value.lower())}%"


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


# ---- facts: events and relations with their actors resolved -------------------------------


@dataclass
class FactFilter:
    """What the neighbourhood, profile, timeline and claims queries may narrow facts by."""

    types: Sequence[str] = ()
    certainty: Sequence[str] = ()
    date_from: str | None = None  # ISO prefix, compared on the fact's date (else the article's)
    date_to: str | None = None
    said_by: str | None = None  # actor key, or "article" for the article's own voice
    article_id: str | None = None
    kinds: Sequence[str] = field(default_factory=lambda: ("event", "relation"))


# The statements of the hot queries are built once per shape (which filters are set, which roles;
# `functools.cache`) with bound parameters for every value: building a SELECT over four aliased
# tables costs more than running it, and SQLAlchemy's compiled cache then serves the SQL text too.


_ONCE: dict[str, Any] = {}


def _statement_once(name: str, build: Callable[[], Any]) -> Any:
    """A statement without variants, built on first use."""
    if name not in _ONCE:
        _ONCE[name] = build()
    return _ONCE[name]


def _filter_shape(flt: FactFilter) -> tuple[Any, ...]:
    said = "article" if flt.said_by == "article" else ("key" if flt.said_by else "")
    return (bool(flt.types), bool(flt.certainty), bool(flt.date_from), bool(flt.date_to), said, bool(flt.article_id))


def _filter_params(flt: FactFilter) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if flt.types:
        params["types"] = list(flt.types)
    if flt.certainty:
        params["certainty"] = list(flt.certainty)
    if flt.date_from:
        params["date_from"] = flt.date_from
    if flt.date_to:
        params["date_to"] = flt.date_to + "\uffff"  # a prefix bound: "2023" includes everything dated in 2023
    if flt.said_by and flt.said_by != "article":
        params["said_by"] = flt.said_by
    if flt.article_id:
        params["article_id"] = flt.article_id
    return params


def _pick_filters(q: Any, t: Table, shape: tuple[Any, ...]) -> Any:
    """The filters of `_filter_shape` on the facts of table ``t`` (dates on the stored listing date)."""
    has_types, has_certainty, has_from, has_to, said, has_article = shape
    if has_types:
        q = q.where(t.c.type.in_(bindparam("types", expanding=True)))
    if has_certainty:
        q = q.where(t.c.certainty.in_(bindparam("certainty", expanding=True)))
    if said == "article":
        q = q.where(t.c.asserted_by.is_(None))
    return _in_window(q, t.c.sort_date, t.c.article_id, has_from, has_to, has_article)


def _in_window(q: Any, date: Any, article: Any, has_from: bool, has_to: bool, has_article: bool) -> Any:
    """The date range and one-article filters every listing takes, as bound parameters."""
    if has_from:
        q = q.where(date >= bindparam("date_from"))
    if has_to:
        q = q.where(date <= bindparam("date_to"))
    if has_article:
        q = q.where(article == bindparam("article_id"))
    return q


@functools.cache
def _fact_pick(kind: str, shape: tuple[Any, ...], driver: str, roles: tuple[str, ...] = ()) -> Any:
    """(article id, fact id) of the first ``:limit`` facts in listing order (date, article, id).

    ``driver``: "keys" finds the facts in which one of ``:keys`` plays one of ``roles`` in
    `schema.actor_facts` (`_playing`: for one actor, a range of its index in listing order that stops
    at the limit); "walk" (SQLite) walks the facts in date order by their index and keeps those of
    ``:keys``, stopping at the limit (`_facts_by_date`, for a frontier of actors with far more facts
    than the limit); "sentences" keeps those in ``:sentence_ids`` of article ``:aid``; "all" reads
    every fact passing the filter."""
    t = schema.events if kind == "event" else schema.relations
    if driver == "walk":
        return _facts_by_date(kind, shape, roles)
    if driver == "keys" and not any(shape[i] for i in (0, 1, 4, 5)):  # the actor's index alone: no fact row read
        return _playing(kind, roles, shape[2], shape[3]).limit(bindparam("limit")).subquery("pick")
    first: Any = t
    if driver == "keys":
        p = _playing(kind, roles, False, False).subquery("p")
        first = p.join(t, and_(t.c.article_id == p.c.article_id, t.c.id == p.c.id))
    if shape[4] == "key":
        by = schema.entities.alias("by")
        first = first.join(by, and_(by.c.article_id == t.c.article_id, by.c.id == t.c.asserted_by))
    q = select(t.c.article_id, t.c.id, t.c.sort_date).select_from(first)
    if driver == "sentences":
        q = q.where(t.c.article_id == bindparam("aid"), t.c.sentence.in_(bindparam("sentence_ids", expanding=True)))
    if shape[4] == "key":
        q = q.where(by.c.actor == bindparam("said_by"))
    q = _pick_filters(q, t, shape)
    return q.order_by(t.c.sort_date, t.c.article_id, t.c.id).limit(bindparam("limit")).subquery("pick")


def _facts_by_date(kind: str, shape: tuple[Any, ...], roles: tuple[str, ...]) -> Any:
    """SQLite: the facts of ``:keys`` found by walking the listing-date index (CROSS JOIN keeps the
    facts the outer loop) and stopping at ``:limit``; each fact's actors are two or three primary-key
    probes. Only with no filter but dates (`Queries.facts` decides)."""
    table = "events" if kind == "event" else "relations"
    joins, playing = [], []
    for role in roles:
        column = _ROLE_COLUMNS[role]
        joins.append(f"LEFT JOIN entities r_{role} ON r_{role}.article_id = t.article_id AND r_{role}.id = t.{column}")
        playing.append(f"r_{role}.actor IN :keys")
    where = "(" + " OR ".join(playing) + ")"
    if shape[2]:
        where += " AND t.sort_date >= :date_from"
    if shape[3]:
        where += " AND t.sort_date <= :date_to"
    sql = (
        f"SELECT t.article_id AS article_id, t.id AS id, t.sort_date AS sort_date FROM {table} t "
        f"{' '.join(joins)} WHERE {where} ORDER BY t.sort_date, t.article_id, t.id LIMIT :limit"
    )
    stmt = text(sql).bindparams(bindparam("keys", expanding=True))  # sql-safe: fixed clauses, bound values
    return stmt.columns(schema.events.c.article_id, schema.events.c.id, schema.events.c.sort_date).subquery("pick")


@functools.cache
def _fact_query(kind: str, shape: tuple[Any, ...], driver: str, roles: tuple[str, ...] = ()) -> Select[Any]:
    """Facts of one kind with their actors' keys and names, in date order, at most ``:limit``.

    ``shape`` says which filters are set (their values are the bound parameters of
    `_filter_params`); the facts are picked first (`_fact_pick`, LIMIT included), and only those
    are joined to their article and actors."""
    t = schema.events if kind == "event" else schema.relations
    a = schema.articles
    src, tgt, by = (schema.entities.alias(n) for n in ("src", "tgt", "by"))
    cols: list[Any] = [
        literal(kind).label("kind"), t.c.article_id, t.c.id.label("fact_id"), t.c.type, t.c.certainty,
        t.c.sentence, t.c.start, t.c.end, t.c.source, t.c.target, t.c.asserted_by,
        a.c.published, a.c.title, t.c.sort_date.label("date"),
        actor_key(src).label("source_key"), src.c.name.label("source_name"), src.c.type.label("source_type"),
        actor_key(tgt).label("target_key"), tgt.c.name.label("target_name"), tgt.c.type.label("target_type"),
        actor_key(by).label("by_key"), by.c.name.label("by_name"),
    ]  # fmt: skip
    if kind == "event":
        cols += [t.c.mode, t.c.trigger, t.c.negated, t.c.date_value, t.c.date_qualifier]
    else:
        cols += [
            literal(None).label("mode"), literal(None).label("trigger"), literal(False).label("negated"),
            literal(None).label("date_value"), literal(None).label("date_qualifier"),
        ]  # fmt: skip
    p = _fact_pick(kind, shape, driver, roles)
    frm = (
        p.join(t, and_(t.c.article_id == p.c.article_id, t.c.id == p.c.id))
        .join(a, a.c.id == t.c.article_id)
        .outerjoin(src, and_(src.c.article_id == t.c.article_id, src.c.id == t.c.source))
        .outerjoin(tgt, and_(tgt.c.article_id == t.c.article_id, tgt.c.id == t.c.target))
        .outerjoin(by, and_(by.c.article_id == t.c.article_id, by.c.id == t.c.asserted_by))
    )
    return select(*cols).select_from(frm).order_by(p.c.sort_date, p.c.article_id, p.c.id)


_ROLE_COLUMNS = {"source": "source", "target": "target", "by": "asserted_by"}


def _playing(kind: str, roles: Sequence[str], has_from: bool, has_to: bool) -> Select[Any]:
    """(article id, fact id, listing date) of the facts of this kind in which one of the actors ``:keys``
    plays one of these roles, in listing order, each once: a range of `schema.actor_facts`'s index per
    actor (covering). For one actor the index gives the order and the caller's LIMIT stops the read."""
    af = schema.actor_facts
    q = select(af.c.article_id, af.c.fact_id.label("id"), af.c.sort_date).where(
        af.c.actor.in_(bindparam("keys", expanding=True)), af.c.kind == kind, af.c.role.in_(list(roles))
    )
    q = _in_window(q, af.c.sort_date, af.c.article_id, has_from, has_to, False)
    order = (af.c.sort_date, af.c.article_id, af.c.fact_id)
    return q.group_by(*order).order_by(*order)


def _dicts(result: Any) -> list[dict[str, Any]]:
    """The rows of a result as plain dicts (cheaper than a RowMapping per row)."""
    names = list(result.keys())
    return [dict(zip(names, row, strict=True)) for row in result]


@functools.cache
def _co_mention_query(has_from: bool, has_to: bool, has_article: bool) -> Select[Any]:
    """Pairs of actors named in one sentence, one of them in ``:keys``, in date order, at most ``:limit``.

    The sentences of these actors' mentions are found first (entities by actor, then their
    mentions: a DISTINCT driver that the database materialises), and only then the other mentions
    of those sentences; joining every mention to every mention of its sentence first read each
    article's mentions once per mention of the actor."""
    m1, m2 = schema.mentions.alias("m1"), schema.mentions.alias("m2")
    e1, e2 = schema.entities.alias("e1"), schema.entities.alias("e2")
    a, s = schema.articles, schema.sentences
    d = (
        select(m1.c.article_id, m1.c.sentence, m1.c.entity_id, e1.c.actor, e1.c.name, e1.c.type)
        .select_from(e1.join(m1, and_(m1.c.article_id == e1.c.article_id, m1.c.entity_id == e1.c.id)))
        .where(e1.c.actor.in_(bindparam("keys", expanding=True)))  # a NULL sentence joins nothing below
        .distinct()
        .subquery("d")
    )
    q = (
        select(
            d.c.article_id, d.c.sentence, d.c.actor.label("source_key"), d.c.name.label("source_name"),
            d.c.type.label("source_type"), actor_key(e2).label("target_key"), e2.c.name.label("target_name"),
            e2.c.type.label("target_type"), s.c.start, s.c.end, a.c.published, a.c.title,
            d.c.entity_id.label("source"), e2.c.id.label("target"),
        )
        .select_from(
            d.join(m2, and_(m2.c.article_id == d.c.article_id, m2.c.sentence == d.c.sentence,
                            m2.c.entity_id != d.c.entity_id))
            .join(e2, and_(e2.c.article_id == m2.c.article_id, e2.c.id == m2.c.entity_id))
            .join(s, and_(s.c.article_id == d.c.article_id, s.c.idx == d.c.sentence))
            .join(a, a.c.id == d.c.article_id)
        )
        .where(actor_key(e2) != d.c.actor)
        .distinct()
    )  # fmt: skip
    q = _in_window(q, a.c.published, d.c.article_id, has_from, has_to, has_article)
    return q.order_by(a.c.published, d.c.article_id, d.c.sentence, d.c.entity_id, e2.c.id).limit(bindparam("limit"))


# Co-mention pairs per article an actor is named in (Wikinews: 7), for choosing a plan.
PAIRS_PER_ARTICLE = 7


# Facts in which an actor plays source or target (or says them), per article naming it (Wikinews), for
# choosing between finding an actor's facts by index and walking the facts in date order.
FACTS_PER_ARTICLE = {"event": 0.5, "relation": 0.2}


def _articles_naming(conn: Connection, keys: list[str]) -> int:
    """How many articles name these actors, summed over the actors (their `actors` aggregates)."""
    ac = schema.actors
    named = 0
    for chunk in _chunks(keys):
        q = _statement_once("actor_articles", lambda: select(func.coalesce(func.sum(ac.c.articles), 0)).where(
            ac.c.key.in_(bindparam("keys", expanding=True))))  # fmt: skip
        named += int(conn.execute(q, {"keys": list(chunk)}).scalar_one())
    return named


def _walk_by_date(conn: Connection, keys: list[str], limit: int) -> bool:
    """Whether walking the articles in date order costs less than collecting every pair of ``keys``.

    Collecting costs one row per pair (~ articles naming them x `PAIRS_PER_ARTICLE`, from the
    per-actor aggregates); walking costs a cheap look per article passed (about half a row's
    cost) until ``limit`` pairs are found, plus those rows."""
    pairs = _articles_naming(conn, keys) * PAIRS_PER_ARTICLE
    if pairs <= limit:
        return False
    total = int(conn.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM articles").scalar_one())  # ~count, O(log n)
    walked = min(total, total * limit / pairs)
    return pairs > limit + walked / 2


@functools.cache
def _co_mentions_by_date(has_from: bool, has_to: bool) -> TextClause:
    """SQLite: the pairs of `_co_mention_query`, found by walking the articles in date order (their
    ``published`` index; CROSS JOIN fixes the join order) and stopping at ``:limit``. ``+e1.actor``
    keeps the planner from probing the actor index once per key and article: each article's few
    entities are read by the article index and matched against the keys instead."""
    where = ""
    if has_from:
        where += " AND a.published >= :date_from"
    if has_to:
        where += " AND a.published <= :date_to"
    sql = (
        "SELECT DISTINCT m1.article_id, m1.sentence, e1.actor AS source_key, e1.name AS source_name, "
        "e1.type AS source_type, e2.actor AS target_key, e2.name AS target_name, e2.type AS target_type, "
        's.start, s."end", a.published, a.title, e1.id AS source, e2.id AS target '
        "FROM articles a CROSS JOIN entities e1 CROSS JOIN mentions m1 CROSS JOIN mentions m2 "
        "CROSS JOIN entities e2 CROSS JOIN sentences s "
        "WHERE e1.article_id = a.id AND +e1.actor IN :keys "
        "AND m1.article_id = e1.article_id AND m1.entity_id = e1.id "
        "AND m2.article_id = m1.article_id AND m2.sentence = m1.sentence AND m2.entity_id != m1.entity_id "
        "AND e2.article_id = m2.article_id AND e2.id = m2.entity_id AND e2.actor != e1.actor "
        f"AND s.article_id = m1.article_id AND s.idx = m1.sentence{where} "
        "ORDER BY a.published, m1.article_id, m1.sentence, e1.id, e2.id LIMIT :limit"
    )
    return text(sql).bindparams(bindparam("keys", expanding=True))  # sql-safe: fixed clauses, bound values


@functools.cache
def _co_mentions_of_one(has_from: bool, has_to: bool) -> TextClause:
    """SQLite, one actor ``:key``: the pairs of `_co_mention_query` found by reading the actor's entity
    rows in date order from its index (`ix_entities_actor_list`: date, article) and stopping at
    ``:limit``; only the order within an article is sorted. Costs what the limit asks, however often
    the actor is named, where walking every article (`_co_mentions_by_date`) costs the store."""
    where = ""
    if has_from:
        where += " AND e1.published >= :date_from"
    if has_to:
        where += " AND e1.published <= :date_to"
    sql = (
        "SELECT DISTINCT m1.article_id, m1.sentence, e1.actor AS source_key, e1.name AS source_name, "
        "e1.type AS source_type, e2.actor AS target_key, e2.name AS target_name, e2.type AS target_type, "
        's.start, s."end", a.published, a.title, e1.id AS source, e2.id AS target '
        "FROM entities e1 INDEXED BY ix_entities_actor_list CROSS JOIN mentions m1 CROSS JOIN mentions m2 "
        "CROSS JOIN entities e2 CROSS JOIN sentences s CROSS JOIN articles a "
        "WHERE e1.actor = :key "
        "AND m1.article_id = e1.article_id AND m1.entity_id = e1.id "
        "AND m2.article_id = m1.article_id AND m2.sentence = m1.sentence AND m2.entity_id != m1.entity_id "
        "AND e2.article_id = m2.article_id AND e2.id = m2.entity_id AND e2.actor != e1.actor "
        f"AND s.article_id = m1.article_id AND s.idx = m1.sentence AND a.id = e1.article_id{where} "
        "ORDER BY e1.published, e1.article_id, m1.sentence, e1.id, e2.id LIMIT :limit"
    )
    return text(sql)  # sql-safe: fixed clauses, bound values


@functools.cache
def _actor_rows_query() -> Select[Any]:
    e, a = schema.entities, schema.articles
    return (
        select(
            e.c.actor.label("key"), e.c.article_id, e.c.id, e.c.name, e.c.type, e.c.subtype, e.c.canonical_id,
            e.c.n_mentions, e.c.first_start, e.c.first_end, e.c.first_sentence, e.c.aliases, e.c.roles,
            a.c.published, a.c.title,
        )
        .join(a, a.c.id == e.c.article_id)
        .where(e.c.actor.in_(bindparam("keys", expanding=True)))
        .order_by(e.c.published, e.c.article_id, e.c.first_start, e.c.id)  # in an article: the first named first
    )  # fmt: skip


@functools.cache
def _actor_articles_query(part: str, has_from: bool, has_to: bool, has_article: bool) -> Select[Any]:
    """The actor ``:key``'s entity rows in listing order, at most ``:limit`` (`Queries.actor_articles`)."""
    e, a = schema.entities, schema.articles
    q = (
        select(
            e.c.actor.label("key"), e.c.article_id, e.c.id, e.c.name, e.c.type, e.c.subtype, e.c.canonical_id,
            e.c.n_mentions, e.c.first_start, e.c.first_end, e.c.first_sentence, e.c.aliases, e.c.roles,
            e.c.published, a.c.title,
        )
        .join(a, a.c.id == e.c.article_id)
        .where(e.c.actor == bindparam("key"))
        .order_by(e.c.published, e.c.article_id, e.c.first_start, e.c.id)
        .limit(bindparam("limit"))
    )  # fmt: skip
    if part == "dated":
        q = q.where(e.c.published.is_not(None))
    elif part == "undated":
        q = q.where(e.c.published.is_(None))
    return _in_window(q, e.c.published, e.c.article_id, has_from, has_to, has_article)


@functools.cache
def _statements_query(kind: str) -> Select[Any]:
    """Attributions (or quotes) whose speaker is one of ``:keys``, in publication order, at most ``:limit``."""
    e, a = schema.entities, schema.articles
    t = schema.attributions if kind == "attributions" else schema.quotes
    speaker = t.c.source if kind == "attributions" else t.c.speaker
    return (
        select(t, a.c.published, a.c.title, e.c.name.label("speaker_name"))
        .select_from(t.join(a, a.c.id == t.c.article_id)
                     .join(e, and_(e.c.article_id == t.c.article_id, e.c.id == speaker)))
        .where(e.c.actor.in_(bindparam("keys", expanding=True)))
        .order_by(e.c.published, e.c.article_id, t.c.start if kind == "quotes" else t.c.cue_start, t.c.id)
        .limit(bindparam("limit"))
    )  # fmt: skip


class Queries:
    """The read queries, mixed into `Store` (the one facade): every method returns plain dicts."""

    engine: Engine

    # ---- actors -------------------------------------------------------------------------------

    def most_reported(
        self,
        *,
        name: str | None = None,
        type_: str | None = None,
        resolved: bool = False,
        limit: int = 30,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """The one "most reported actors" query: actors by how many articles name them, most first.

        ``name`` keeps actors with a spelling (in any article) that contains it, taken literally;
        ``resolved`` keeps canonical entities only. Rows: key, id (the canonical id, or None),
        name, type, articles, mentions. Returns the page and the total.
        """
        ac = schema.actors
        cond: list[ColumnElement[bool]] = []
        if type_:
            cond.append(ac.c.type == type_)
        if resolved:
            cond.append(ac.c.canonical_id.is_not(None))
        if name:
            cond.append(ac.c.names.like(like_contains(name), escape="\\"))
        cols = (ac.c.key, ac.c.canonical_id.label("id"), ac.c.name, ac.c.type, ac.c.articles, ac.c.mentions)
        with self.engine.connect() as conn:
            total = int(conn.execute(select(func.count()).select_from(ac).where(*cond)).scalar_one())
            page = select(*cols).where(*cond).order_by(ac.c.articles.desc(), ac.c.name, ac.c.key)
            rows = [dict(r) for r in conn.execute(page.limit(limit).offset(offset)).mappings()]
        return rows, total

    def _fill_names(self, rows: list[dict[str, Any]]) -> None:
        """Resolved actors take their canonical name; unresolved ones keep the name in their key."""
        for r in rows:
            if r["key"].startswith("n:"):
                r["name"] = r["key"].split(":", 2)[2]
        names = self.canonical_labels([r["key"][2:] for r in rows if r["key"].startswith("c:")])
        for r in rows:
            if r["key"].startswith("c:") and r["key"][2:] in names:
                r["name"], r["type"] = names[r["key"][2:]]

    def canonical_labels(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        c = schema.canonical_entities
        out: dict[str, tuple[str, str]] = {}
        if not ids:
            return out
        q = _statement_once("canonical_labels", lambda: select(c.c.id, c.c.name, c.c.type).where(
            c.c.id.in_(bindparam("ids", expanding=True))))  # fmt: skip
        with self.engine.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(ids))):
                for r in conn.execute(q, {"ids": list(chunk)}):
                    out[r[0]] = (r[1], r[2])
        return out

    def actor_exists(self, key: str) -> bool:
        """Whether any entity row belongs to this actor (one index probe, not its rows)."""
        e = schema.entities
        q = _statement_once(
            "actor_exists", lambda: select(e.c.article_id).where(e.c.actor == bindparam("key")).limit(1)
        )
        with self.engine.connect() as conn:
            return conn.execute(q, {"key": key}).first() is not None

    def actor_rows(self, keys: Sequence[str]) -> list[dict[str, Any]]:
        """The per-article entity rows of these actors, with their article's date and title, their
        mention count, first mention, aliases and roles."""
        out: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(list(keys)):
                out += _dicts(conn.execute(_actor_rows_query(), {"keys": list(chunk)}))
        return out

    def actor_articles(
        self,
        key: str,
        *,
        limit: int,
        date_from: str | None = None,
        date_to: str | None = None,
        article_id: str | None = None,
        dated_first: bool = False,
    ) -> list[dict[str, Any]]:
        """The actor's first ``limit`` articles in listing order (date, article), each as the entity row
        named first in it, with the article's title; the actor's index gives them in that order, so
        only those rows are read. ``dated_first``: articles without a date after the dated ones
        (SQLite and `sorted` put None first and last respectively)."""
        params: dict[str, Any] = {"key": key, "date_from": date_from, "article_id": article_id,
                                  "date_to": date_to + "\uffff" if date_to else None}  # fmt: skip
        parts = [("dated", "undated")] if dated_first else [("any",)]
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        with self.engine.connect() as conn:
            for part in parts[0]:
                if part == "undated" and date_from:
                    break  # an article without a date is after no date (but before any, as `_in_range` says)
                q = _actor_articles_query(part, bool(date_from), bool(date_to) and part != "undated", bool(article_id))
                want = limit - len(out)
                fetch = want * 2 + 8
                while want > 0:
                    rows = _dicts(conn.execute(q, {**params, "limit": fetch}))
                    fresh = []
                    for r in rows:
                        if r["article_id"] not in seen:
                            seen.add(r["article_id"])
                            fresh.append(r)
                    if len(fresh) >= want or len(rows) < fetch:
                        out += fresh[:want]
                        break
                    for r in fresh:  # more rows per article than guessed: read further
                        seen.discard(r["article_id"])
                    fetch *= 4
        return out

    def actor_names(self, key: str) -> list[str]:
        """The name of every entity row of the actor, in listing order (from its covering index): what
        a profile counts its spellings on."""
        e = schema.entities
        q = _statement_once("actor_names", lambda: select(e.c.name).where(e.c.actor == bindparam("key")).order_by(
            e.c.published, e.c.article_id, e.c.first_start, e.c.id))  # fmt: skip
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(q, {"key": key})]

    def actor_summary(self, key: str) -> dict[str, Any]:
        """Articles naming the actor (its aggregate), its first and last dates and subtypes (index probes)."""
        e, ac = schema.entities, schema.actors
        with self.engine.connect() as conn:
            q = _statement_once("actor_count", lambda: select(ac.c.articles).where(ac.c.key == bindparam("key")))
            articles = conn.execute(q, {"key": key}).scalar()
            dated = and_(e.c.actor == bindparam("key"), e.c.published.is_not(None))
            first = _statement_once("actor_first", lambda: select(func.min(e.c.published)).where(dated))
            last = _statement_once("actor_last", lambda: select(func.max(e.c.published)).where(dated))
            sub = _statement_once("actor_subtypes", lambda: select(e.c.subtype).distinct().where(
                e.c.actor == bindparam("key"), e.c.subtype.is_not(None)))  # fmt: skip
            return {
                "articles": int(articles or 0),
                "first_seen": conn.execute(first, {"key": key}).scalar(),
                "last_seen": conn.execute(last, {"key": key}).scalar(),
                "subtypes": sorted(r[0] for r in conn.execute(sub, {"key": key}) if r[0]),
            }

    def actor_article_months(
        self, key: str, *, date_from: str | None = None, date_to: str | None = None, article_id: str | None = None
    ) -> dict[str | None, int]:
        """Articles naming the actor per month (``YYYY-MM``; None: undated), counted on its index."""
        e = schema.entities
        month = func.substr(e.c.published, 1, 7)
        q = select(month, func.count(func.distinct(e.c.article_id))).where(e.c.actor == key)
        if date_from:
            q = q.where(e.c.published >= date_from)
        if date_to:  # an undated article is kept with only an end date (`QueryService._in_range`)
            q = q.where(or_(e.c.published <= date_to + "\uffff", e.c.published.is_(None)))
        if article_id:
            q = q.where(e.c.article_id == article_id)
        with self.engine.connect() as conn:
            return {m: int(n) for m, n in conn.execute(q.group_by(month))}

    def facts(
        self,
        flt: FactFilter,
        *,
        keys: Sequence[str] = (),
        roles: Sequence[str] = ("source", "target"),
        limit: int = 2000,
        sentences: Sequence[tuple[str, int]] = (),
    ) -> list[dict[str, Any]]:
        """Events and relations (as `flt.kinds` says) in which one of ``keys`` plays one of ``roles``.

        With no keys: every fact passing the filter (or those in the given ``sentences``).
        """
        out: list[dict[str, Any]] = []
        key_list = list(dict.fromkeys(keys))
        shape = _filter_shape(flt)
        params = _filter_params(flt)
        role_t = tuple(roles)
        with self.engine.connect() as conn:
            for kind in flt.kinds:
                if kind not in ("event", "relation"):
                    continue
                batches: list[tuple[str, dict[str, Any]]] = []
                if key_list and self._walk_facts(conn, kind, shape, key_list, role_t, limit - len(out)):
                    batches.append(("walk", {"keys": key_list}))
                elif key_list:
                    batches += [("keys", {"keys": list(chunk)}) for chunk in _chunks(key_list)]
                elif sentences:
                    by_article: dict[str, list[int]] = {}
                    for aid, idx in sentences:
                        by_article.setdefault(aid, []).append(idx)
                    batches += [("sentences", {"aid": aid, "sentence_ids": idxs}) for aid, idxs in by_article.items()]
                else:
                    batches.append(("all", {}))
                for driver, extra in batches:
                    remaining = limit - len(out)
                    if remaining <= 0:
                        return out
                    q = _fact_query(kind, shape, driver, role_t if driver in ("keys", "walk") else ())
                    out += _dicts(conn.execute(q, {**params, **extra, "limit": remaining}))
        return out

    def _walk_facts(
        self, conn: Connection, kind: str, shape: tuple[Any, ...], keys: list[str], roles: tuple[str, ...], limit: int
    ) -> bool:
        """Whether walking the facts in date order (`_facts_by_date`) costs less than collecting every
        fact of ``keys`` from `schema.actor_facts` and sorting them: for several actors (a 2-hop
        frontier) with far more facts than ``limit``. One actor's facts come from its index in order
        and stop at the limit, so it never walks.

        Collecting costs an index row per fact and role (~ articles naming them x `FACTS_PER_ARTICLE`
        x roles, from the per-actor aggregates); walking costs the facts passed (the table x limit /
        their facts) with a probe per role each (a probe ~ 4 index rows). Only without filters other
        than dates, which would make the walk pass more facts than this counts."""
        if self.engine.dialect.name != "sqlite" or limit <= 0 or len(keys) < 2 or any(shape[i] for i in (0, 1, 4, 5)):
            return False
        facts = _articles_naming(conn, keys) * FACTS_PER_ARTICLE[kind]
        if facts <= limit:
            return False
        probe = {  # the largest rowid: a count that costs one index step
            "event": "SELECT coalesce(max(rowid), 0) FROM events",
            "relation": "SELECT coalesce(max(rowid), 0) FROM relations",
        }
        total = int(conn.exec_driver_sql(probe["event" if kind == "event" else "relation"]).scalar_one())
        walked = min(total, total * limit / facts)
        return walked * len(roles) * 4 < facts * len(roles)

    def co_mentions(
        self,
        keys: Sequence[str],
        *,
        limit: int = 2000,
        date_from: str | None = None,
        date_to: str | None = None,
        article_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Pairs of actors named in the same sentence, one of them in ``keys``: the weakest link, shown as such.

        The first ``limit`` pairs in date order. When these actors are named in so many articles that
        far more pairs exist than are wanted (a much reported actor, a 2-hop frontier), SQLite walks
        the articles in date order and stops at the limit (`_co_mentions_by_date`) instead of
        collecting and sorting every pair."""
        key_list = list(dict.fromkeys(keys))
        params: dict[str, Any] = {"date_from": date_from, "article_id": article_id}
        if date_to:
            params["date_to"] = date_to + "\uffff"
        out: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "sqlite" and not article_id and len(key_list) == 1:
                one = _co_mentions_of_one(bool(date_from), bool(date_to))
                return _dicts(conn.execute(one, {**params, "key": key_list[0], "limit": limit}))
            if (
                self.engine.dialect.name == "sqlite"
                and not article_id
                and key_list
                and _walk_by_date(conn, key_list, limit)
            ):
                walk = _co_mentions_by_date(bool(date_from), bool(date_to))
                return _dicts(conn.execute(walk, {**params, "keys": key_list, "limit": limit}))
            q = _co_mention_query(bool(date_from), bool(date_to), bool(article_id))
            for chunk in _chunks(key_list):
                rows = conn.execute(q, {**params, "keys": list(chunk), "limit": limit - len(out)})
                out += _dicts(rows)
                if len(out) >= limit:
                    break
        return out

    def statements_by(self, keys: Sequence[str], *, limit: int = 500) -> dict[str, list[dict[str, Any]]]:
        """Attributions and quotes whose speaker is one of these actors."""
        res: dict[str, list[dict[str, Any]]] = {"attributions": [], "quotes": []}
        with self.engine.connect() as conn:
            for chunk in _chunks(list(keys)):
                for kind in ("attributions", "quotes"):
                    rows = conn.execute(_statements_query(kind), {"keys": list(chunk), "limit": limit})
                    res[kind] += _dicts(rows)
        return res

    # ---- text and provenance ------------------------------------------------------------------

    def article(self, article_id: str) -> dict[str, Any] | None:
        a = schema.articles
        with self.engine.connect() as conn:
            row = (
                conn.execute(
                    select(a.c.id, a.c.title, a.c.url, a.c.published, a.c.language, a.c.text).where(
                        a.c.id == article_id
                    )
                )
                .mappings()
                .first()
            )
        return dict(row) if row else None

    def sentence_rows(self, article_id: str, start: int, end: int) -> list[dict[str, Any]]:
        """The sentences of an article that overlap [start, end)."""
        s = schema.sentences
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(s.c.idx, s.c.start, s.c.end, s.c.text)
                .where(s.c.article_id == article_id, s.c.start < max(end, start + 1), s.c.end > start)
                .order_by(s.c.idx)
            ).mappings()
            return [dict(r) for r in rows]

    def sentence_at(self, article_id: str, idx: int) -> dict[str, Any] | None:
        s = schema.sentences
        with self.engine.connect() as conn:
            row = (
                conn.execute(
                    select(s.c.idx, s.c.start, s.c.end, s.c.text).where(s.c.article_id == article_id, s.c.idx == idx)
                )
                .mappings()
                .first()
            )
        return dict(row) if row else None

    def fact_row(self, kind: str, article_id: str, fact_id: str) -> dict[str, Any] | None:
        """One event, relation, attribution or quote by its article and id."""
        tables = {
            "event": schema.events, "relation": schema.relations,
            "attribution": schema.attributions, "quote": schema.quotes,
        }  # fmt: skip
        t = tables.get(kind)
        if t is None:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.article_id == article_id, t.c.id == fact_id)).mappings().first()
        return dict(row) if row else None

    def entity_names(self, article_id: str) -> dict[str, dict[str, Any]]:
        e = schema.entities
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(e.c.id, e.c.name, e.c.type, actor_key(e).label("key")).where(e.c.article_id == article_id)
            ).mappings()
            return {r["id"]: dict(r) for r in rows}

    def entity_mentions(self, article_id: str, entity_id: str) -> list[dict[str, Any]]:
        m = schema.mentions
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(m.c.start, m.c.end, m.c.text, m.c.sentence)
                .where(m.c.article_id == article_id, m.c.entity_id == entity_id)
                .order_by(m.c.start)
            ).mappings()
            return [dict(r) for r in rows]

    def article_dates(self) -> list[dict[str, Any]]:
        """Articles per month, for the corpus-wide timeline strip."""
        a = schema.articles
        month = func.substr(a.c.published, 1, 7)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(month.label("month"), func.count().label("articles"))
                .where(a.c.published.is_not(None))
                .group_by(month)
                .order_by(month)
            ).mappings()
            return [dict(r) for r in rows]

    # ---- lookups for the command line and the landing page (#16) -------------------------------

    def actors_by_alias(self, text: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Actors one of whose entities is named ``text`` (any case) or was mentioned by that name."""
        e, m = schema.entities, schema.mentions
        k = actor_key(e)
        low = text.strip().lower()
        by_mention = select(m.c.article_id, m.c.entity_id).where(func.lower(m.c.text) == low)
        q = (
            select(
                k.label("key"),
                func.min(e.c.type).label("type"),
                func.max(e.c.name).label("name"),
                func.count(func.distinct(e.c.article_id)).label("articles"),
            )
            .where(or_(func.lower(e.c.name) == low, tuple_(e.c.article_id, e.c.id).in_(by_mention)))
            .group_by(k)
            .order_by(func.count(func.distinct(e.c.article_id)).desc(), k)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
        self._fill_names(rows)
        return rows

    def articles_by_prefix(self, prefix: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Articles whose id starts with ``prefix`` (to list the candidates of an ambiguous prefix)."""
        a = schema.articles
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(a.c.id, a.c.title, a.c.published)
                .where(a.c.id.like(f"{escape_like(prefix)}%", escape="\\"))
                .order_by(a.c.published, a.c.id)
                .limit(limit)
            ).mappings()
            return [dict(r) for r in rows]

    def corpus_summary(self, *, limit: int = 10) -> dict[str, Any]:
        """What the corpus is: its date range, languages, outlets (URL hosts) and most reported event types."""
        a, v = schema.articles, schema.events
        with self.engine.connect() as conn:
            first, last = conn.execute(select(func.min(a.c.published), func.max(a.c.published))).one()
            languages = [dict(r) for r in conn.execute(
                select(a.c.language, func.count().label("articles")).group_by(a.c.language)
                .order_by(func.count().desc()).limit(limit)).mappings()]  # fmt: skip
            urls = [r[0] for r in conn.execute(select(a.c.url).where(a.c.url.is_not(None)))]
            event_types = [dict(r) for r in conn.execute(
                select(v.c.type, func.count().label("events")).group_by(v.c.type)
                .order_by(func.count().desc(), v.c.type).limit(limit)).mappings()]  # fmt: skip
        from collections import Counter
        from urllib.parse import urlsplit

        hosts = Counter((urlsplit(u).hostname or "").removeprefix("www.") for u in urls if u)
        hosts.pop("", None)
        return {
            "first": first, "last": last, "languages": languages, "event_types": event_types,
            "outlets": [{"outlet": h, "articles": n} for h, n in hosts.most_common(limit)],
        }  # fmt: skip
