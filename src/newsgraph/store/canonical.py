"""Canonical entities in the store: linking article entities, the merge log, manual merge/split.

The SQL side of `newsgraph.resolve`. Tables (store/schema.py): ``canonical_entities``
(id, name, type, key), ``merge_log`` (every link, merge and split with its reason) and
``entities.canonical_id``. A canonical entity's aliases are the names and mention
texts of the article entities linked to it; its articles are theirs.

Ids are deterministic (``C`` + hash of the key), so resolving the same corpus twice
gives the same canonical entities. A merge deletes the absorbed row and logs
``merge`` (canonical_id = kept, other_id = absorbed): later entities whose key
points at the absorbed id follow that redirect. A split moves article entities to a
new canonical entity whose key is private, and logs ``split`` per entity so that
re-extracting the article keeps the user's decision.
"""

from __future__ import annotations

import datetime as dt
import json
import weakref
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from newsgraph.model import ArticleGraph, Entity
from newsgraph.resolve import Candidate, canonical_id_for, decide, entity_key, fingerprint
from newsgraph.store import Store, schema

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
    """The live canonical id for cid, following merge redirects; None when it no longer exists."""
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


class _Index:
    """The canonical entities by key, by surname and by key prefix.

    Loaded once per store and kept across ingest batches (see `_index_for`): reloading the
    whole table for every batch made a long ingest slow down with the size of the store.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
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
            live = _follow(self.conn, canonical_id_for(key))
            if live:
                return self.by_id.get(live)
        return None

    def candidates(self, etype: str, key: str, name: str) -> list[Candidate]:
        if etype == "Person":
            words = fingerprint(name).split()
            out = list(self.by_surname.get(words[-1], [])) if words else []
            if len(words) == 1:
                for c in out:
                    c.context = _context(self.conn, c.id)
            return out
        return self.by_prefix.get((etype, self._prefix(key)), [])[:2000]

    def manual(self, article_id: str, entity_id: str) -> str | None:
        cid = self.splits.get((article_id, entity_id))
        return _follow(self.conn, cid) if cid else None


_INDEXES: weakref.WeakKeyDictionary[Store, tuple[_Index, tuple[int, int]]] = weakref.WeakKeyDictionary()


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


def resolve_graphs(store: Store, graphs: Sequence[ArticleGraph], *, prune: bool = False) -> int:
    """Link every entity of these stored articles to a canonical entity; returns how many were linked.

    Entities already linked are left alone, so running this twice changes nothing. ``prune``
    drops canonical entities nothing points to any more: needed only after re-extraction.
    """
    linked = 0
    cached = _INDEXES.pop(store, None)  # taken out until this transaction commits
    with store.engine.begin() as conn:
        index: _Index | None = None
        work: list[tuple[ArticleGraph, list[Entity], set[str]]] = []
        for graph in graphs:
            aid = graph.article.id
            current = dict(conn.execute(select(ents.c.id, ents.c.canonical_id).where(ents.c.article_id == aid)).all())
            todo = [e for e in graph.entities if e.id in current and not current[e.id]]
            if todo:
                work.append((graph, todo, {entity_key(e, aid) for e in graph.entities}))
        if work:
            index = _index_for(cached, conn)
        # Full names first, bare surnames last: a surname then finds its bearer whatever the order.
        for bare in (False, True):
            for graph, todo, context in work:
                aid = graph.article.id
                mapping: dict[str, str] = {}
                for ent in todo:
                    if _bare_person(ent) != bare:
                        continue
                    assert index is not None
                    cid = _link(conn, index, ent, aid, context)
                    mapping[ent.id] = cid
                    ent.canonical_id = cid
                    linked += 1
                if mapping:
                    _set_graph_canonical(conn, aid, mapping)
        if index is not None and prune:
            _prune(conn)
            index = None  # pruned rows may still be in the index
        generation = _generation(conn) if index is not None else None
    if index is not None and generation is not None:
        _INDEXES[store] = (index, generation)
    return linked


def _bare_person(ent: Entity) -> bool:
    return ent.type == "Person" and len(fingerprint(ent.name).split()) == 1


def _link(conn: Connection, index: _Index, ent: Entity, aid: str, context: set[str]) -> str:
    """Decide, store and log the canonical entity of one article entity."""
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
            if conn.execute(select(ce.c.id).where(ce.c.id == cid)).first() is None:
                conn.execute(ce.insert().values(id=cid, name=ent.name, type=ent.type, key=d.key))
            index.add(Candidate(cid, ent.name, ent.type, d.key))
        else:
            cid = d.canonical_id
        reason, score = d.reason, d.score
    conn.execute(ents.update().where((ents.c.article_id == aid) & (ents.c.id == ent.id)).values(canonical_id=cid))
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


def resolve_all(store: Store) -> int:
    """Resolve every stored article (entities not yet linked)."""
    total = 0
    batch: list[ArticleGraph] = []
    for graph in store.iter_graphs():
        batch.append(graph)
        if len(batch) >= 100:
            total += resolve_graphs(store, batch, prune=True)
            batch = []
    if batch:
        total += resolve_graphs(store, batch, prune=True)
    return total


# ---- reads -------------------------------------------------------------------------------


def list_canonical(
    store: Store, *, type_: str | None = None, name: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Canonical entities with how many articles and mentions they have, most widely reported first."""
    n_articles = func.count(func.distinct(ents.c.article_id)).label("articles")
    q = (
        select(ce.c.id, ce.c.name, ce.c.type, ce.c.key, n_articles)
        .select_from(ce.outerjoin(ents, ents.c.canonical_id == ce.c.id))
        .group_by(ce.c.id, ce.c.name, ce.c.type, ce.c.key)
        .order_by(n_articles.desc(), ce.c.name)
        .limit(limit)
        .offset(offset)
    )
    if type_:
        q = q.where(ce.c.type == type_)
    if name:
        q = q.where(ce.c.name.ilike(f"%{name}%"))
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings().all()]


def get_canonical(store: Store, cid: str) -> dict[str, Any] | None:
    """One canonical entity: its aliases, its article entities and articles, and its merge log."""
    with store.engine.connect() as conn:
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
            .select_from(ments.join(ents, (ents.c.article_id == ments.c.article_id) & (ents.c.id == ments.c.entity_id)))
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


def merge_log(store: Store, *, limit: int = 100) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(ml).order_by(ml.c.seq.desc()).limit(limit)).mappings().all()]


# ---- manual decisions --------------------------------------------------------------------


def merge(store: Store, keep: str, other: str, *, reason: str = "manual merge") -> str:
    """Fold canonical entity `other` into `keep`; returns the kept id."""
    with store.engine.begin() as conn:
        k, o = _follow(conn, keep), _follow(conn, other)
        if k is None or o is None:
            raise KeyError(f"no canonical entity {keep if k is None else other!r}")
        if k == o:
            return k
        conn.execute(ents.update().where(ents.c.canonical_id == o).values(canonical_id=k))
        for (aid,) in conn.execute(select(ents.c.article_id).where(ents.c.canonical_id == k).distinct()).all():
            ids = [r[0] for r in conn.execute(
                select(ents.c.id).where((ents.c.article_id == aid) & (ents.c.canonical_id == k))
            ).all()]  # fmt: skip
            _set_graph_canonical(conn, aid, dict.fromkeys(ids, k))
        conn.execute(ce.delete().where(ce.c.id == o))
        _log(conn, "merge", k, reason, other_id=o)
    return k


def split(
    store: Store,
    cid: str,
    members: Iterable[tuple[str, str]],
    *,
    name: str | None = None,
    reason: str = "manual split",
) -> str:
    """Move article entities (article id, entity id) of `cid` to a new canonical entity; returns its id."""
    wanted = list(members)
    if not wanted:
        raise ValueError("nothing to split off")
    with store.engine.begin() as conn:
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
        first_aid, first_eid = wanted[0]
        new_key = f"{row['key']}#split:{first_aid}:{first_eid}"
        new_id = canonical_id_for(new_key)
        label = (
            name
            or conn.execute(
                select(ents.c.name).where((ents.c.article_id == first_aid) & (ents.c.id == first_eid))
            ).scalar_one()
        )
        if conn.execute(select(ce.c.id).where(ce.c.id == new_id)).first() is None:
            conn.execute(ce.insert().values(id=new_id, name=label, type=row["type"], key=new_key))
        for aid, eid in wanted:
            conn.execute(
                ents.update().where((ents.c.article_id == aid) & (ents.c.id == eid)).values(canonical_id=new_id)
            )
            _set_graph_canonical(conn, aid, {eid: new_id})
            _log(conn, "split", new_id, reason, other_id=live, article_id=aid, entity_id=eid)
    return new_id


def duplicate_keys(store: Store) -> list[tuple[str, int]]:
    """Keys held by more than one canonical entity (should be none)."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(ce.c.key, func.count()).group_by(ce.c.key).having(func.count() > 1)).all()
    return [(r[0], int(r[1])) for r in rows]
