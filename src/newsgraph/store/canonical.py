"""Canonical entities in the store: linking article entities, the merge log, manual merge/split.

The SQL side of `newsgraph.resolve`. Tables (store/schema.py): ``canonical_entities``
(id, name, type, key), ``merge_log`` (every link, merge and split with its reason) and
``entities.canonical_id``. A canonical entity's aliases are the names and mention
texts of the article entities linked to it; its articles are theirs.

Ids are deterministic (``C`` + hash of the key), so resolving the same corpus twice
gives the same canonical entities. A merge deletes the absorbed row and logs
``merge`` (canonical_id = kept, other_id = absorbed): later entities whose key
points at the absorbed id follow that redirect; the log's ``detail`` keeps what the absorbed
entity was. A split moves article entities to another canonical entity and logs ``split``
per entity so that re-extracting the article keeps the user's decision: back to the entity
a merge absorbed when they all came with that merge (the merge is undone, logged
``unmerge``), else to a new canonical entity whose key is private.
"""

from __future__ import annotations

import datetime as dt
import json
import weakref
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, select

from newsgraph.model import ArticleGraph, Entity
from newsgraph.resolve import Candidate, canonical_id_for, decide, entity_key, fingerprint
from newsgraph.store import schema
from newsgraph.store.queries import Queries
from newsgraph.store.rows import actor_of, refresh_actors

ce, ml, ents, ments, arts = (
    schema.canonical_entities,
    schema.merge_log,
    schema.entities,
    schema.mentions,
    schema.articles,
)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _log(conn: Connection, action: str, canonical_id: str, reason: str, **kw: Any) -> None:
    conn.execute(ml.insert().values(at=_now(), action=action, canonical_id=canonical_id, reason=reason, **kw))


def _follow(conn: Connection, cid: str) -> str | None:
    """The live canonical id for cid, following merge redirects; None when it no longer exists.

    A merge undone by a split (logged ``unmerge``) restored the absorbed entity, so it is found
    before any redirect is looked at."""
    seen = set()
    while cid not in seen:
        seen.add(cid)
        if conn.execute(select(ce.c.id).where(ce.c.id == cid)).first():
            return cid
        row = conn.execute(
            select(ml.c.canonical_id)
            .where((ml.c.action == "merge") & (ml.c.other_id == cid))
            .order_by(ml.c.seq.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        cid = row[0]
    return None


def _merge_to_undo(conn: Connection, live: str, wanted: Sequence[tuple[str, str]]) -> tuple[str, dict[str, Any]] | None:
    """The latest merge into `live` that brought in every one of these article entities and whose
    absorbed entity does not exist now: (its id, what it was); None when there is none."""
    want = {(a, e) for a, e in wanted}
    for other_id, payload in conn.execute(
        select(ml.c.other_id, ml.c.detail)
        .where((ml.c.action == "merge") & (ml.c.canonical_id == live) & ml.c.detail.is_not(None))
        .order_by(ml.c.seq.desc())
    ).all():
        detail = json.loads(payload)
        if want <= {(a, e) for a, e in detail.get("members", [])}:
            if conn.execute(select(ce.c.id).where(ce.c.id == other_id)).first() is None:
                return str(other_id), detail
            return None
    return None


def _context(conn: Connection, cid: str, limit: int = 200) -> set[str]:
    """Keys of the canonical entities that appear in the same articles as cid."""
    e2 = ents.alias("e2")
    rows = conn.execute(
        select(ce.c.key)
        .select_from(ents.join(e2, e2.c.article_id == ents.c.article_id).join(ce, ce.c.id == e2.c.canonical_id))
        .where((ents.c.canonical_id == cid) & (e2.c.canonical_id != cid))
        .distinct()
        .limit(limit)
    ).all()
    return {r[0] for r in rows}


def _set_graph_canonical(conn: Connection, article_id: str, mapping: dict[str, str]) -> None:
    row = conn.execute(select(arts.c.graph_json).where(arts.c.id == article_id)).first()
    if row is None:
        return
    data = json.loads(row[0])
    for e in data.get("entities", []):
        if e.get("id") in mapping:
            e["canonical_id"] = mapping[e["id"]]
    conn.execute(arts.update().where(arts.c.id == article_id).values(graph_json=json.dumps(data, ensure_ascii=False)))


def _current_links(conn: Connection, article_ids: list[str]) -> dict[tuple[str, str], str | None]:
    """(article id, entity id) -> canonical id (None: not linked yet) of these articles' entity rows."""
    out: dict[tuple[str, str], str | None] = {}
    for i in range(0, len(article_ids), 400):
        rows = conn.execute(
            select(ents.c.article_id, ents.c.id, ents.c.canonical_id).where(
                ents.c.article_id.in_(article_ids[i : i + 400])
            )
        )
        out.update(((r[0], r[1]), r[2]) for r in rows)
    return out


def _set_graphs_canonical(conn: Connection, mappings: dict[str, dict[str, str]]) -> None:
    """`_set_graph_canonical` for many articles: one read, one ``executemany`` write."""
    ids = list(mappings)
    for i in range(0, len(ids), 400):
        rows = conn.execute(select(arts.c.id, arts.c.graph_json).where(arts.c.id.in_(ids[i : i + 400]))).all()
        updates = []
        for aid, payload in rows:
            data = json.loads(payload)
            mapping = mappings[aid]
            for e in data.get("entities", []):
                if e.get("id") in mapping:
                    e["canonical_id"] = mapping[e["id"]]
            updates.append({"b_article": aid, "b_graph": json.dumps(data, ensure_ascii=False)})
        if updates:
            conn.execute(_SET_GRAPH, updates)


class _Index:
    """The canonical entities by key, by surname and by key prefix.

    Loaded once per store and kept across ingest batches (see `_index_for`): reloading the
    whole table for every batch made a long ingest slow down with the size of the store.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending: _Pending | None = None  # this batch's writes, flushed before any read of them
        self.by_key: dict[str, Candidate] = {}
        self.by_id: dict[str, Candidate] = {}
        self.by_surname: dict[str, list[Candidate]] = {}
        self.by_prefix: dict[tuple[str, str], list[Candidate]] = {}
        for r in conn.execute(select(ce.c.id, ce.c.name, ce.c.type, ce.c.key)).all():
            self.add(Candidate(r.id, r.name, r.type, r.key))
        self.has_merges = conn.execute(select(ml.c.seq).where(ml.c.action == "merge").limit(1)).first() is not None
        self.splits: dict[tuple[str, str], str] = {}
        for s in conn.execute(
            select(ml.c.article_id, ml.c.entity_id, ml.c.canonical_id).where(ml.c.action == "split").order_by(ml.c.seq)
        ).all():
            self.splits[(s.article_id, s.entity_id)] = s.canonical_id

    @staticmethod
    def _prefix(key: str) -> str:
        return key.rsplit(":", 1)[0] if key.count(":") >= 2 else key.split(":", 1)[0]

    def add(self, c: Candidate) -> None:
        self.by_key.setdefault(c.key, c)
        self.by_id[c.id] = c
        if c.type == "Person":
            words = c.key.split(":", 1)[-1].split()
            if words:
                self.by_surname.setdefault(words[-1], []).append(c)
        else:
            self.by_prefix.setdefault((c.type, self._prefix(c.key)), []).append(c)

    def exact(self, key: str) -> Candidate | None:
        if key in self.by_key:
            return self.by_key[key]
        if self.has_merges:
            self.flush()
            live = _follow(self.conn, canonical_id_for(key))
            if live:
                return self.by_id.get(live)
        return None

    def candidates(self, etype: str, key: str, name: str) -> list[Candidate]:
        if etype == "Person":
            words = fingerprint(name).split()
            out = list(self.by_surname.get(words[-1], [])) if words else []
            if len(words) == 1:
                self.flush()
                for c in out:
                    c.context = _context(self.conn, c.id)
            return out
        return self.by_prefix.get((etype, self._prefix(key)), [])[:2000]

    def manual(self, article_id: str, entity_id: str) -> str | None:
        cid = self.splits.get((article_id, entity_id))
        if not cid:
            return None
        self.flush()
        return _follow(self.conn, cid)

    def flush(self) -> None:
        if self.pending is not None:
            self.pending.flush(self.conn)


_SET_LINK = (
    ents.update()
    .where((ents.c.article_id == bindparam("b_article")) & (ents.c.id == bindparam("b_entity")))
    .values(canonical_id=bindparam("b_cid"), actor=bindparam("b_actor"))
)
# the entity's roles in facts follow its actor key (`schema.actor_facts`)
_SET_LINK_FACTS = (
    schema.actor_facts.update()
    .where((schema.actor_facts.c.article_id == bindparam("b_article"))
           & (schema.actor_facts.c.entity_id == bindparam("b_entity")))
    .values(actor=bindparam("b_actor"))
)  # fmt: skip
_SET_GRAPH = arts.update().where(arts.c.id == bindparam("b_article")).values(graph_json=bindparam("b_graph"))


def _insert_new(conn: Connection) -> Any:
    """INSERT of canonical entities that does nothing for a row already there (``ON CONFLICT DO NOTHING``)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(ce).on_conflict_do_nothing()
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(ce).on_conflict_do_nothing()


class _Pending:
    """The writes of one resolution batch, sent as one ``executemany`` per statement.

    Statements one by one (3-4 per entity, each built by SQLAlchemy anew) were most of the ingest
    main process's time. Reads that must see these writes (`_context`, `_follow`) flush first.
    """

    def __init__(self) -> None:
        self.new: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []

    def flush(self, conn: Connection) -> None:
        if self.new:
            conn.execute(_insert_new(conn), self.new)
            self.new = []
        if self.links:
            conn.execute(_SET_LINK, self.links)
            conn.execute(_SET_LINK_FACTS, self.links)
            self.links = []


_INDEXES: weakref.WeakKeyDictionary[Canonical, tuple[_Index, tuple[int, int]]] = weakref.WeakKeyDictionary()


def _generation(conn: Connection) -> tuple[int, int]:
    """Cheap fingerprint of the tables the index mirrors: changes when anyone else writes them."""
    n = conn.execute(select(func.count()).select_from(ce)).scalar_one()
    seq = conn.execute(select(func.max(ml.c.seq))).scalar()
    return int(n), int(seq or 0)


def _index_for(cached: tuple[_Index, tuple[int, int]] | None, conn: Connection) -> _Index:
    """The cached index if no other writer changed the tables since, else a fresh one."""
    if cached is not None and cached[1] == _generation(conn):
        cached[0].conn = conn
        return cached[0]
    return _Index(conn)


def _bare_person(ent: Entity) -> bool:
    return ent.type == "Person" and len(fingerprint(ent.name).split()) == 1


def _link(conn: Connection, index: _Index, ent: Entity, aid: str, context: set[str], touched: set[str]) -> str:
    """Decide the canonical entity of one article entity; queue its writes (`_Pending`), log a fuzzy link."""
    pending = index.pending
    assert pending is not None
    manual = index.manual(aid, ent.id)
    if manual:
        cid, reason, score = manual, "manual split kept", 1.0
    else:
        key = entity_key(ent, aid)
        exact = index.exact(key)
        d = None
        if _bare_person(ent):  # a known full-name bearer beats an earlier bare-surname entity
            d = decide(ent, aid, context - {key}, None, index.candidates(ent.type, key, ent.name))
            if d.canonical_id is None and exact is not None:
                d = decide(ent, aid, context - {key}, exact, [])
        else:
            cands = [] if exact else index.candidates(ent.type, key, ent.name)
            d = decide(ent, aid, context - {key}, exact, cands)
        if d.canonical_id is None:
            cid = canonical_id_for(d.key)
            if cid not in index.by_id:  # a row the index missed is left as it is (`_Pending.flush`)
                pending.new.append({"id": cid, "name": ent.name, "type": ent.type, "key": d.key})
            index.add(Candidate(cid, ent.name, ent.type, d.key))
        else:
            cid = d.canonical_id
        reason, score = d.reason, d.score
    pending.links.append({"b_article": aid, "b_entity": ent.id, "b_cid": cid, "b_actor": f"c:{cid}"})
    touched.update((actor_of(None, ent.type, ent.name), f"c:{cid}"))
    if not reason.startswith(("same key", "new ")) and not _logged(conn, cid, aid, ent.id, reason):
        _log(conn, "link", cid, reason, article_id=aid, entity_id=ent.id, score=score)
    return cid


def _logged(conn: Connection, cid: str, article_id: str, entity_id: str, reason: str) -> bool:
    """The same link is already in the log (an article re-extracted with --replace)."""
    return (
        conn.execute(
            select(ml.c.seq)
            .where((ml.c.action == "link") & (ml.c.canonical_id == cid) & (ml.c.article_id == article_id))
            .where((ml.c.entity_id == entity_id) & (ml.c.reason == reason))
            .limit(1)
        ).first()
        is not None
    )


def _prune(conn: Connection) -> int:
    """Drop canonical entities no article entity points to any more (after a re-extraction),
    except those a manual split or merge created."""
    linked = select(ents.c.canonical_id).where(ents.c.canonical_id.is_not(None)).distinct()
    manual = select(ml.c.canonical_id).where(ml.c.action.in_(("split", "merge"))).distinct()
    result = conn.execute(ce.delete().where(ce.c.id.not_in(linked) & ce.c.id.not_in(manual)))
    return int(result.rowcount or 0)


# ---- reads -------------------------------------------------------------------------------


# ---- manual decisions --------------------------------------------------------------------


class Canonical(Queries):
    """Cross-article identity, mixed into `Store` (the one facade)."""

    engine: Engine

    def iter_graphs(self, *, batch: int = 200) -> Iterator[ArticleGraph]:
        raise NotImplementedError  # provided by Store

    def resolve_graphs(self, graphs: Sequence[ArticleGraph], *, prune: bool = False) -> int:
        """Link every entity of these stored articles to a canonical entity; returns how many were linked.

        Entities already linked are left alone, so running this twice changes nothing. ``prune``
        drops canonical entities nothing points to any more: needed only after re-extraction.
        """
        cached = self._take_index()  # taken out until this transaction commits
        with self.engine.begin() as conn:
            linked, kept = self._link_in(conn, graphs, prune=prune, cached=cached)
        self._keep_index(kept)
        return linked

    def _take_index(self) -> tuple[_Index, tuple[int, int]] | None:
        """The kept canonical index, taken out: a transaction that adds to it and then rolls back
        must not leave its additions in the cache."""
        return _INDEXES.pop(self, None)

    def _keep_index(self, kept: tuple[_Index, tuple[int, int]] | None) -> None:
        """Keep the index (with its generation) for the next batch, once its transaction committed."""
        if kept is not None:
            _INDEXES[self] = kept

    def _link_in(
        self, conn: Connection, graphs: Sequence[ArticleGraph], *, prune: bool,
        cached: tuple[_Index, tuple[int, int]] | None,
    ) -> tuple[int, tuple[_Index, tuple[int, int]] | None]:  # fmt: skip
        """`resolve_graphs` inside the caller's transaction: (entities linked, the index to keep
        once that transaction commits, or None)."""
        linked = 0
        touched: set[str] = set()
        index: _Index | None = None
        work: list[tuple[ArticleGraph, list[Entity], set[str]]] = []
        current = _current_links(conn, [g.article.id for g in graphs if g.entities])
        for graph in graphs:
            aid = graph.article.id
            todo = [e for e in graph.entities if (aid, e.id) in current and not current[(aid, e.id)]]
            if todo:
                work.append((graph, todo, {entity_key(e, aid) for e in graph.entities}))
        mappings: dict[str, dict[str, str]] = {}
        if work:
            index = _index_for(cached, conn)
            index.pending = _Pending()
        # Full names first, bare surnames last: a surname then finds its bearer whatever the order.
        for bare in (False, True):
            for graph, todo, context in work:
                aid = graph.article.id
                for ent in todo:
                    if _bare_person(ent) != bare:
                        continue
                    assert index is not None
                    cid = _link(conn, index, ent, aid, context, touched)
                    mappings.setdefault(aid, {})[ent.id] = cid
                    ent.canonical_id = cid
                    linked += 1
        if index is not None:
            index.flush()
            index.pending = None
        _set_graphs_canonical(conn, mappings)
        refresh_actors(conn, touched)
        if index is not None and prune:
            _prune(conn)
            index = None  # pruned rows may still be in the index
        if index is None:
            return linked, None
        return linked, (index, _generation(conn))

    def resolve_all(self) -> int:
        """Resolve every stored article (entities not yet linked)."""
        total = 0
        batch: list[ArticleGraph] = []
        for graph in self.iter_graphs():
            batch.append(graph)
            if len(batch) >= 100:
                total += self.resolve_graphs(batch, prune=True)
                batch = []
        if batch:
            total += self.resolve_graphs(batch, prune=True)
        return total

    def list_canonical(
        self, *, type_: str | None = None, name: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Canonical entities (id, name, type, key, articles), most widely reported first; ``name``
        keeps those with a spelling that contains it, taken literally (see `most_reported`)."""
        rows, _total = self.most_reported(name=name, type_=type_, resolved=True, limit=limit, offset=offset)
        with self.engine.connect() as conn:
            keys = dict(conn.execute(select(ce.c.id, ce.c.key).where(ce.c.id.in_([r["id"] for r in rows]))).all())
        return [{"id": r["id"], "name": r["name"], "type": r["type"], "key": keys.get(r["id"], ""),
                 "articles": r["articles"]} for r in rows]  # fmt: skip

    def get_canonical(self, cid: str) -> dict[str, Any] | None:
        """One canonical entity: its aliases, its article entities and articles, and its merge log."""
        with self.engine.connect() as conn:
            live = _follow(conn, cid)
            if live is None:
                return None
            row = conn.execute(select(ce).where(ce.c.id == live)).mappings().first()
            assert row is not None
            members = (
                conn.execute(
                    select(ents.c.article_id, ents.c.id, ents.c.name, ents.c.type, arts.c.title, arts.c.published)
                    .select_from(ents.join(arts, arts.c.id == ents.c.article_id))
                    .where(ents.c.canonical_id == live)
                    .order_by(arts.c.published, ents.c.article_id)
                )
                .mappings()
                .all()
            )
            texts = conn.execute(
                select(ments.c.text)
                .select_from(
                    ments.join(ents, (ents.c.article_id == ments.c.article_id) & (ents.c.id == ments.c.entity_id))
                )
                .where((ents.c.canonical_id == live) & (ments.c.kind.in_(("name", "title", "demonym"))))
                .distinct()
            ).all()
            log = (
                conn.execute(select(ml).where((ml.c.canonical_id == live) | (ml.c.other_id == live)).order_by(ml.c.seq))
                .mappings()
                .all()
            )
        aliases = sorted({m["name"] for m in members} | {t[0] for t in texts} - {row["name"]})
        articles: dict[str, dict[str, Any]] = {}
        for m in members:
            articles.setdefault(m["article_id"], {"id": m["article_id"], "title": m["title"],
                                                  "published": m["published"], "entities": []})  # fmt: skip
            articles[m["article_id"]]["entities"].append(m["id"])
        return {
            **dict(row),
            "aliases": aliases,
            "articles": list(articles.values()),
            "merge_log": [dict(x) for x in log],
        }

    def merge_log(self, *, limit: int = 100) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(ml).order_by(ml.c.seq.desc()).limit(limit)).mappings().all()]

    def merge(self, keep: str, other: str, *, reason: str = "manual merge") -> str:
        """Fold canonical entity `other` into `keep`; returns the kept id.

        The log keeps what `other` was (its name, type and key, and which article entities it
        held), so that splitting those entities off again restores it (see `split`).
        """
        with self.engine.begin() as conn:
            k, o = _follow(conn, keep), _follow(conn, other)
            if k is None or o is None:
                raise KeyError(f"no canonical entity {keep if k is None else other!r}")
            if k == o:
                return k
            absorbed = conn.execute(select(ce.c.name, ce.c.type, ce.c.key).where(ce.c.id == o)).one()
            held = select(ents.c.article_id, ents.c.id).where(ents.c.canonical_id == o)
            moved = [list(r) for r in conn.execute(held.order_by(ents.c.article_id, ents.c.id)).all()]
            conn.execute(ents.update().where(ents.c.canonical_id == o).values(canonical_id=k, actor=f"c:{k}"))
            af = schema.actor_facts
            conn.execute(af.update().where(af.c.actor == f"c:{o}").values(actor=f"c:{k}"))
            for (aid,) in conn.execute(select(ents.c.article_id).where(ents.c.canonical_id == k).distinct()).all():
                ids = [r[0] for r in conn.execute(
                    select(ents.c.id).where((ents.c.article_id == aid) & (ents.c.canonical_id == k))
                ).all()]  # fmt: skip
                _set_graph_canonical(conn, aid, dict.fromkeys(ids, k))
            conn.execute(ce.delete().where(ce.c.id == o))
            detail = {"name": absorbed.name, "type": absorbed.type, "key": absorbed.key, "members": moved}
            _log(conn, "merge", k, reason, other_id=o, detail=json.dumps(detail, ensure_ascii=False))
            refresh_actors(conn, [f"c:{k}", f"c:{o}"])
        return k

    def split(
        self,
        cid: str,
        members: Iterable[tuple[str, str]],
        *,
        name: str | None = None,
        reason: str = "manual split",
    ) -> str:
        """Move article entities (article id, entity id) of `cid` to another canonical entity; returns its id.

        When every one of them came in with one earlier merge, the split undoes it: the absorbed
        entity comes back with its own id, name, type and key, and the merge no longer redirects
        (later mentions of it link to it again). Otherwise they go to a new canonical entity
        whose key is private to the split.
        """
        wanted = list(members)
        if not wanted:
            raise ValueError("nothing to split off")
        with self.engine.begin() as conn:
            live = _follow(conn, cid)
            if live is None:
                raise KeyError(f"no canonical entity {cid!r}")
            row = conn.execute(select(ce).where(ce.c.id == live)).mappings().first()
            assert row is not None
            for aid, eid in wanted:
                found = conn.execute(
                    select(ents.c.name).where(
                        (ents.c.article_id == aid) & (ents.c.id == eid) & (ents.c.canonical_id == live)
                    )
                ).first()
                if found is None:
                    raise KeyError(f"entity {aid}:{eid} is not part of {live}")
            undone = _merge_to_undo(conn, live, wanted)
            if undone is not None:
                new_id, detail = undone
                new_key, label, etype = detail["key"], name or detail["name"], detail["type"]
            else:
                first_aid, first_eid = wanted[0]
                new_key = f"{row['key']}#split:{first_aid}:{first_eid}"
                new_id = canonical_id_for(new_key)
                etype = row["type"]
                label = (
                    name
                    or conn.execute(
                        select(ents.c.name).where((ents.c.article_id == first_aid) & (ents.c.id == first_eid))
                    ).scalar_one()
                )
            if conn.execute(select(ce.c.id).where(ce.c.id == new_id)).first() is None:
                conn.execute(ce.insert().values(id=new_id, name=label, type=etype, key=new_key))
            for aid, eid in wanted:
                conn.execute(
                    ents.update()
                    .where((ents.c.article_id == aid) & (ents.c.id == eid))
                    .values(canonical_id=new_id, actor=f"c:{new_id}")
                )
                conn.execute(_SET_LINK_FACTS, {"b_article": aid, "b_entity": eid, "b_actor": f"c:{new_id}"})
                _set_graph_canonical(conn, aid, {eid: new_id})
                _log(conn, "split", new_id, reason, other_id=live, article_id=aid, entity_id=eid)
            refresh_actors(conn, [f"c:{live}", f"c:{new_id}"])
            if undone is not None:
                _log(conn, "unmerge", new_id, f"{reason}: undoes the merge into {live}", other_id=live)
        return new_id

    def duplicate_keys(self) -> list[tuple[str, int]]:
        """Keys held by more than one canonical entity (should be none)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(ce.c.key, func.count()).group_by(ce.c.key).having(func.count() > 1)).all()
        return [(r[0], int(r[1])) for r in rows]
