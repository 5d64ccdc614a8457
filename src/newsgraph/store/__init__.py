"""The store: the only module that speaks SQL. SQLite by default, PostgreSQL by URL.

Writes go one transaction per batch: a batch is stored whole or not at all, so
an interrupted ingest never leaves a half-stored article behind.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, func, or_, select, text

from newsgraph.model import ArticleGraph
from newsgraph.store import rows, schema, search
from newsgraph.store.canonical import Canonical
from newsgraph.store.migrations import ensure_schema
from newsgraph.store.queries import escape_like
from newsgraph.store.search import SearchFilter

if TYPE_CHECKING:
    from newsgraph.review import Judgement


@dataclass
class SaveResult:
    stored: int = 0
    skipped: int = 0  # already in the store with the same content id


def store_url(db: str | Path) -> str:
    """A path means SQLite; anything with ``://`` is a SQLAlchemy URL (e.g. postgresql+psycopg://…)."""
    value = str(db)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """Every SQLite connection of a store: WAL, a 30 s busy wait, foreign keys (a connect hook)."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")  # first: switching a new file to WAL needs a lock too
    # readers (the web view) never block the ingest. SQLite answers "database is locked" at once,
    # without its busy handler, when another process is switching the same new file to WAL or
    # recovering its WAL index (several processes opening a new store at once): retry for a while.
    deadline = time.monotonic() + 30
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _serving_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """A store that answers queries (`newsgraph serve`): a larger page cache (64 MiB a connection,
    filled only as read; SQLite's default is 2 MiB) and the file memory-mapped (pages read without a
    system call each; up to 1 GiB), since every query hops between index and table pages."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA mmap_size=1073741824")
    cur.close()


class Store(Canonical):
    """Article graphs in, query rows out: the one facade over the database.

    Query, CLI, API, scale-out and export call its methods; no SQLAlchemy engine or SQL
    is used outside ``newsgraph.store``. The reads behind the query layer are in
    `queries.Queries`, cross-article identity in `canonical.Canonical`.
    """

    def __init__(self, db: str | Path, *, serving: bool = False) -> None:
        """``serving``: tuned for answering queries (`_serving_pragmas`), as the web API is."""
        url = store_url(db)
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", sqlite_pragmas)
            if serving:
                event.listen(self.engine, "connect", _serving_pragmas)
        self.migrated_from = ensure_schema(self.engine)

    @property
    def url(self) -> URL:
        """The database URL: where a SQLite store's file is, or which server database (for work files)."""
        return self.engine.url

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writes -------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            return (
                conn.execute(select(schema.articles.c.id).where(schema.articles.c.id == article_id)).first() is not None
            )

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are stored already (for incremental ingest)."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                found |= {
                    r[0] for r in conn.execute(select(schema.articles.c.id).where(schema.articles.c.id.in_(chunk)))
                }
        return found

    def unlinked_article_ids(self) -> list[str]:
        """Stored articles with entities not linked to a canonical entity yet.

        Storing a batch and linking its entities are two transactions: an ingest killed
        between them leaves these, and the next ingest links them (see `newsgraph.ingest`).
        """
        e = schema.entities
        with self.engine.connect() as conn:
            rows = conn.execute(select(e.c.article_id).where(e.c.canonical_id.is_(None)).distinct())
            return sorted(r[0] for r in rows)

    def save_graphs(self, graphs: Sequence[ArticleGraph], *, replace: bool = False) -> SaveResult:
        """Store a batch in one transaction; an article already stored is skipped (or replaced).

        A replaced article whose entities were linked to canonical entities has its new ones linked in
        the same transaction (`Canonical._link_in`): linked after the commit, a reader would see every
        actor of the article lose it, then get it back."""
        result = SaveResult()
        cached = self._take_index() if replace else None  # back only once this transaction commits
        kept = None
        with self.engine.begin() as conn:
            self._write_lock(conn)
            touched: set[str] = set()
            replaced: list[ArticleGraph] = []
            for graph in graphs:
                exists = conn.execute(
                    select(schema.articles.c.id).where(schema.articles.c.id == graph.article.id)
                ).first()
                if exists and not replace:
                    result.skipped += 1
                    continue
                linked_before = False
                if exists:
                    before = rows.actors_of_articles(conn, [graph.article.id])
                    linked_before = any(key.startswith("c:") for key in before)
                    touched |= before
                    rows.delete_article(conn, graph.article.id)
                rows.insert_graph(conn, graph)
                touched |= {rows.actor_of(e.canonical_id, e.type, e.name) for e in graph.entities}
                result.stored += 1
                if linked_before:
                    replaced.append(graph)
            rows.refresh_actors(conn, touched)
            if replaced:
                _linked, kept = self._link_in(conn, replaced, prune=True, cached=cached)
        if replace:
            self._keep_index(kept if replaced else cached)
        return result

    def _write_lock(self, conn: Connection) -> None:
        """Take the write lock before the existence checks, so two ingests of the same articles
        into one store skip each other's instead of dying on `UNIQUE constraint failed`."""
        if self.dialect == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # pysqlite would begin only at the first INSERT
        elif self.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7260522)"))

    # ---- reads --------------------------------------------------------------------------

    def get_graph(self, article_id: str) -> ArticleGraph | None:
        """The stored graph of one article; an unambiguous id prefix is accepted, and so is the id the
        article had in its input (``source_id``) or its URL when only one article has it."""
        a = schema.articles
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(a.c.graph_json).where(a.c.id.like(f"{escape_like(article_id)}%", escape="\\")).limit(2)
            ).all()
            if not rows:
                by_source = (a.c.source_id == article_id) | (a.c.url == article_id)
                rows = conn.execute(select(a.c.graph_json).where(by_source).limit(2)).all()
        if len(rows) != 1:
            return None
        return ArticleGraph.from_dict(json.loads(rows[0][0]))

    def articles_by_source(self, ref: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Articles whose input id (``source_id``) or URL is ``ref`` (several feeds may reuse an id)."""
        a = schema.articles
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(a.c.id, a.c.title, a.c.published)
                .where((a.c.source_id == ref) | (a.c.url == ref))
                .order_by(a.c.published, a.c.id)
                .limit(limit)
            ).mappings()
            return [dict(r) for r in rows]

    def iter_graphs(self, *, batch: int = 200) -> Iterator[ArticleGraph]:
        """Every stored graph, in publication order, without loading all at once."""
        last = ("", "")
        a = schema.articles
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(a.c.published, a.c.id, a.c.graph_json)
                    .where(
                        (func.coalesce(a.c.published, "") > last[0])
                        | ((func.coalesce(a.c.published, "") == last[0]) & (a.c.id > last[1]))
                    )
                    .order_by(func.coalesce(a.c.published, ""), a.c.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            incident_of = self.incidents_of_events([aid for _p, aid, _g in rows])
            for _published, aid, payload in rows:
                graph = ArticleGraph.from_dict(json.loads(payload))
                for ev in graph.events:
                    ev.incident = incident_of.get((aid, ev.id))
                yield graph
            last = (rows[-1][0] or "", rows[-1][1])

    def stats(self) -> dict[str, int]:
        out: dict[str, int] = {}
        with self.engine.connect() as conn:
            for table in (
                schema.articles,
                schema.sentences,
                schema.entities,
                schema.mentions,
                schema.events,
                schema.relations,
                schema.attributions,
                schema.quotes,
                schema.times,
            ):
                out[table.name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        return out

    def list_articles(self, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        a = schema.articles
        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    select(a.c.id, a.c.title, a.c.published, a.c.language, a.c.language_supported, a.c.url)
                    .order_by(a.c.published, a.c.id)
                    .limit(limit)
                    .offset(offset)
                )
                .mappings()
                .all()
            )
        return [dict(r) for r in rows]

    def search_sentences(
        self, query: str, *, limit: int = 20, offset: int = 0, flt: SearchFilter | None = None
    ) -> list[dict[str, Any]]:
        """Full-text search over sentences: stemmed words, prefixes, phrases, OR/NOT (`store.search`)."""
        return search.search_sentences(self.engine, query, limit=limit, offset=offset, flt=flt)

    # ---- judgements (newsgraph.review) ----------------------------------------------------

    def add_judgements(self, judgements: Sequence[Judgement]) -> int:
        """Append judgements (the audit log is append-only); one already stored is skipped."""
        t = schema.judgements
        rows = [
            {
                "id": j.id, "article_id": j.anchor.article_id, "kind": j.anchor.kind, "start": j.anchor.start,
                "end": j.anchor.end, "label": j.anchor.label, "verdict": j.verdict, "reviewer": j.reviewer,
                "at": j.at, "corrections_json": json.dumps(j.corrections, ensure_ascii=False), "note": j.note,
                "before_json": json.dumps(j.before, ensure_ascii=False, default=str),
            }
            for j in judgements
        ]  # fmt: skip
        with self.engine.begin() as conn:
            known = {r[0] for r in conn.execute(select(t.c.id).where(t.c.id.in_([r["id"] for r in rows])))}
            fresh = [r for r in rows if r["id"] not in known]
            if fresh:
                conn.execute(t.insert(), fresh)
        return len(fresh)

    def judgements(self, *, article_id: str | None = None) -> list[Judgement]:
        """Every judgement, oldest first (of one article: its id or an unambiguous prefix)."""
        from newsgraph.review import Anchor, Judgement

        t = schema.judgements
        query = select(t).order_by(t.c.at, t.c.id)
        if article_id:
            query = query.where(t.c.article_id.like(f"{escape_like(article_id)}%", escape="\\"))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            Judgement(
                anchor=Anchor(r["article_id"], r["kind"], r["start"], r["end"], r["label"]),
                verdict=r["verdict"], reviewer=r["reviewer"], at=r["at"],
                corrections=json.loads(r["corrections_json"] or "{}"), note=r["note"],
                before=json.loads(r["before_json"] or "{}"), id=r["id"],
            )
            for r in rows
        ]  # fmt: skip

    # ---- incidents (newsgraph.incidents) --------------------------------------------------

    def event_rows(
        self, *, assigned: bool | None = None, incident_ids: Iterable[str] | None = None
    ) -> list[dict[str, Any]]:
        """Events with what incident clustering compares: canonical participants, dates, outlet, sentence.

        ``assigned``: True only events already in an incident, False only those not yet, None all.
        ``incident_ids``: only the events of these incidents.
        """
        ev, ent, art, sen, ir = (schema.events, schema.entities, schema.articles, schema.sentences,
                                 schema.incident_reports)  # fmt: skip
        query = (
            select(ev.c.article_id, ev.c.id, ev.c.type, ev.c.trigger, ev.c.source, ev.c.target, ev.c.location,
                   ev.c.date_value, ev.c.asserted_by, ev.c.negated, ev.c.sentence, art.c.published, art.c.url,
                   art.c.title, ev.c.start, ev.c.end, sen.c.text.label("sentence_text"), ir.c.incident_id)
            .join(art, art.c.id == ev.c.article_id)
            .outerjoin(sen, (sen.c.article_id == ev.c.article_id) & (sen.c.idx == ev.c.sentence))
            .outerjoin(ir, (ir.c.article_id == ev.c.article_id) & (ir.c.event_id == ev.c.id))
            .order_by(art.c.published, ev.c.article_id, ev.c.id)
        )  # fmt: skip
        if assigned is True:
            query = query.where(ir.c.incident_id.is_not(None))
        elif assigned is False:
            query = query.where(ir.c.incident_id.is_(None))
        with self.engine.connect() as conn:
            if incident_ids is None:
                rows = [dict(r) for r in conn.execute(query).mappings()]
            else:
                wanted_ids, rows = sorted(set(incident_ids)), []
                for start in range(0, len(wanted_ids), 500):
                    chunk = wanted_ids[start : start + 500]
                    rows += [dict(r) for r in conn.execute(query.where(ir.c.incident_id.in_(chunk))).mappings()]
            wanted = {r["article_id"] for r in rows}
            canon: dict[tuple[str, str], str] = {}
            by_sentence: dict[tuple[str, int], set[str]] = {}
            if wanted:
                ment = schema.mentions
                for aid, eid, cid in conn.execute(
                    select(ent.c.article_id, ent.c.id, ent.c.canonical_id).where(ent.c.article_id.in_(wanted))
                ):
                    canon[(aid, eid)] = cid or f"{aid}:{eid}"
                for aid, eid, sent in conn.execute(
                    select(ment.c.article_id, ment.c.entity_id, ment.c.sentence).where(ment.c.article_id.in_(wanted))
                ):
                    if sent is not None:
                        by_sentence.setdefault((aid, sent), set()).add(canon.get((aid, eid), f"{aid}:{eid}"))
        for r in rows:
            aid = r["article_id"]
            for role in ("source", "target", "location", "asserted_by"):
                if r[role]:
                    r[role] = canon.get((aid, r[role]), f"{aid}:{r[role]}")
            r["participants"] = sorted(by_sentence.get((aid, r["sentence"]), set()))
        return rows

    def article_urls(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """Article id -> its URL (None when it has none), for the given ids."""
        ids = list(dict.fromkeys(article_ids))
        a = schema.articles
        out: dict[str, str | None] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                for aid, url in conn.execute(select(a.c.id, a.c.url).where(a.c.id.in_(ids[start : start + 500]))):
                    out[aid] = url
        return out

    def article_texts(self, article_ids: Iterable[str]) -> dict[str, str]:
        ids = list(dict.fromkeys(article_ids))
        a = schema.articles
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                for aid, body in conn.execute(select(a.c.id, a.c.text).where(a.c.id.in_(ids[start : start + 500]))):
                    out[aid] = body
        return out

    def save_incident_decisions(self, rows: Sequence[dict[str, Any]]) -> None:
        """Persist where each event went (article_id, event_id, incident_id, score, reasons, manual, action)."""
        ir, log = schema.incident_reports, schema.incident_log
        at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.engine.begin() as conn:
            for r in rows:
                conn.execute(ir.delete().where((ir.c.article_id == r["article_id"]) & (ir.c.event_id == r["event_id"])))
            if rows:
                conn.execute(ir.insert(), [
                    {k: r[k] for k in ("article_id", "event_id", "incident_id", "score", "reasons", "manual")}
                    for r in rows
                ])  # fmt: skip
                conn.execute(log.insert(), [
                    {"at": at, "action": r["action"], "incident_id": r["incident_id"], "article_id": r["article_id"],
                     "event_id": r["event_id"], "score": r["score"], "reasons": r["reasons"]}
                    for r in rows
                ])  # fmt: skip

    def incidents_near(self, types: Iterable[str | None], spans: Sequence[tuple[str, str]] | None) -> set[str]:
        """Incidents with an event of one of ``types`` published or dated within one of ``spans`` (ISO days).

        What incremental placement loads: the candidates of new events, not the whole store. Events with
        neither date, or dated by a year or month only in a span's years, always count (they cannot be ruled
        out); ``spans`` None: no date bound.
        """
        ev, art, ir = schema.events, schema.articles, schema.incident_reports
        kinds = {t for t in types if t}
        typed = ev.c.type.in_(sorted(kinds)) if kinds else None
        untyped = ev.c.type.is_(None) if None in set(types) else None
        which = [c for c in (typed, untyped) if c is not None]
        if not which:
            return set()
        query = (
            select(ir.c.incident_id).distinct()
            .join(ev, (ev.c.article_id == ir.c.article_id) & (ev.c.id == ir.c.event_id))
            .join(art, art.c.id == ev.c.article_id)
            .where(which[0] if len(which) == 1 else which[0] | which[1])
        )  # fmt: skip
        if spans is not None:
            near = [(art.c.published.between(lo, hi + "~")) | ev.c.date_value.between(lo, hi + "~")
                    | ((func.length(ev.c.date_value) < 10) & ev.c.date_value.between(lo[:4], hi[:4] + "~"))
                    for lo, hi in spans]  # fmt: skip
            query = query.where(or_(*near, art.c.published.is_(None) & ev.c.date_value.is_(None)))
        with self.engine.connect() as conn:
            return {r[0] for r in conn.execute(query)}

    def incident_ids(self, *, min_articles: int = 1) -> list[str]:
        """Incidents reported by at least ``min_articles`` distinct articles."""
        ir = schema.incident_reports
        query = select(ir.c.incident_id).group_by(ir.c.incident_id)
        if min_articles > 1:
            query = query.having(func.count(ir.c.article_id.distinct()) >= min_articles)
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(query)]

    def incident_numbers(self) -> int:
        """The highest number N of an incident id IN in the store (0 when none): new ids start after it."""
        ir = schema.incident_reports
        with self.engine.connect() as conn:
            ids = [r[0] for r in conn.execute(select(ir.c.incident_id).distinct())]
        return max((int(i[1:]) for i in ids if i.startswith("I") and i[1:].isdigit()), default=0)

    def move_incident_reports(
        self, events: Sequence[tuple[str, str]], incident_id: str, *, action: str, reason: str
    ) -> int:
        """Put the given (article id, event id) reports in ``incident_id`` by hand, logged with the reason."""
        ir, log = schema.incident_reports, schema.incident_log
        at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.engine.begin() as conn:
            for aid, eid in events:
                conn.execute(ir.update().where((ir.c.article_id == aid) & (ir.c.event_id == eid))
                             .values(incident_id=incident_id, manual=True, score=None, reasons=reason))  # fmt: skip
            if events:
                conn.execute(log.insert(), [
                    {"at": at, "action": action, "incident_id": incident_id, "article_id": aid, "event_id": eid,
                     "score": None, "reasons": reason}
                    for aid, eid in events
                ])  # fmt: skip
        return len(events)

    def incidents_of_events(self, article_ids: Sequence[str]) -> dict[tuple[str, str], str]:
        """(article id, event id) -> incident id, for the given articles' placed events."""
        ir = schema.incident_reports
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(ir.c.article_id, ir.c.event_id, ir.c.incident_id).where(ir.c.article_id.in_(list(article_ids)))
            ).all()
        return {(aid, eid): iid for aid, eid, iid in rows}

    def canonical_names(self, ids: Iterable[str]) -> dict[str, str]:
        """Display names of canonical entities (ids not found are left out)."""
        wanted = list(dict.fromkeys(i for i in ids if i))
        c = schema.canonical_entities
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                for cid, name in conn.execute(select(c.c.id, c.c.name).where(c.c.id.in_(wanted[start : start + 500]))):
                    out[cid] = name
        return out

    def incident_log_rows(self, *, incident_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        log = schema.incident_log
        query = select(log).order_by(log.c.seq.desc()).limit(limit)
        if incident_id:
            query = query.where(log.c.incident_id == incident_id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]


def open_store(db: str | Path | None = None) -> Store:
    from newsgraph.settings import default_db_path

    return Store(db or default_db_path())
