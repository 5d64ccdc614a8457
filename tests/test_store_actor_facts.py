"""#14, schema v7: who plays which part in which fact is stored (`actor_facts`), keyed by actor.

An actor's facts in listing order are one range of its index that stops at the LIMIT, however
often it is reported. The table must say what joining the facts to their entities says, after
every write that changes an actor key (ingest, resolution, merge, split, re-ingest), and a store
made before v7 gets it by migration.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from newsgraph.model import Article, ArticleGraph, DateValue, Entity, Event, Mention, Relation, Sentence
from newsgraph.query import QueryService
from newsgraph.store import Store
from newsgraph.store.queries import FactFilter

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
from make_store_fixture import graphs  # noqa: E402

# what actor_facts must hold: every (fact, role) whose entity exists, with that entity's actor key
EXPECTED = " UNION ALL ".join(
    f"SELECT f.article_id, '{kind}', f.id, '{role}', e.id, e.actor, f.sort_date FROM {table} f "
    f"JOIN entities e ON e.article_id = f.article_id AND e.id = f.{column}"
    for kind, table in (("event", "events"), ("relation", "relations"))
    for role, column in (("source", "source"), ("target", "target"), ("by", "asserted_by"))
)


def stored_and_expected(db: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with sqlite3.connect(db) as conn:
        stored = conn.execute(
            "SELECT article_id, kind, fact_id, role, entity_id, actor, sort_date FROM actor_facts"
        ).fetchall()
        expected = conn.execute(EXPECTED).fetchall()
    return sorted(stored), sorted(expected)


def _report(i: int, speaker: str) -> ArticleGraph:
    """Report ``i``: the Zenda Guard detained a courier of Strelsau, says ``speaker`` (an event with three
    roles) and the Guard belongs to Zenda (a relation)."""
    text = f"The Zenda Guard detained a Strelsau courier, {speaker} said in report {i}. The Guard serves Zenda."
    art = Article.create(text, f"2022-04-{i + 1:02d}", title=f"Courier {i}")
    cut = text.index(". ") + 1
    sp = text.index(speaker)
    return ArticleGraph(
        article=art,
        sentences=[Sentence(0, 0, cut), Sentence(1, cut + 1, len(text))],
        entities=[
            Entity("e1", "Zenda Guard", "Organization", mentions=[Mention(4, 15, "Zenda Guard", 0)]),
            Entity("e2", "Strelsau", "Location", mentions=[Mention(27, 35, "Strelsau", 0)]),
            Entity("e3", speaker, "Person", mentions=[Mention(sp, sp + len(speaker), speaker, 0)]),
            Entity("e4", "Zenda", "Location", mentions=[Mention(len(text) - 6, len(text) - 1, "Zenda", 1)]),
        ],
        events=[Event("v1", "ARREST", "detained", 0, 0, cut, source="e1", target="e2", asserted_by="e3",
                      date=DateValue(f"2022-03-{20 - i:02d}") if i % 2 else None)],
        relations=[Relation("r1", "member_of", "e1", "e4", 1, cut + 1, len(text))],
        extractor_version="test",
    )  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "af.db"
    with Store(path) as store:
        batch = [_report(i, "Rudolf Rassendyll" if i % 2 else "Colonel Sapt") for i in range(8)]
        store.save_graphs(batch)
    return path


def test_actor_facts_follow_every_write_that_changes_an_actor_key(db: Path) -> None:
    stored, expected = stored_and_expected(db)
    assert len(expected) == 8 * 3 + 8 * 2 and stored == expected  # ingest: unresolved keys
    with Store(db) as store:
        batch = list(store.iter_graphs())
        store.resolve_graphs(batch)
        assert stored_and_expected(db)[0] == stored_and_expected(db)[1]  # resolution: canonical keys
        assert {r[5] for r in stored_and_expected(db)[0]} <= {f"c:{c}" for c in _canonical_ids(db)}
        ids = {name: cid for cid, name in _canonical_names(db)}
        kept = store.merge(ids["Rudolf Rassendyll"], ids["Colonel Sapt"])
        stored, expected = stored_and_expected(db)
        assert stored == expected and not any(r[5] == f"c:{ids['Colonel Sapt']}" for r in stored)  # merge
        member = next((r[0], r[4]) for r in stored if r[3] == "by")
        new_id = store.split(kept, [member])
        stored, expected = stored_and_expected(db)
        assert stored == expected and (member[0], member[1], f"c:{new_id}") in {(r[0], r[4], r[5]) for r in stored}
        store.save_graphs([_report(3, "Colonel Sapt")], replace=True)  # re-ingest of one article
        assert stored_and_expected(db)[0] == stored_and_expected(db)[1]


def _canonical_ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM canonical_entities")]


def _canonical_names(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, name FROM canonical_entities").fetchall()


@pytest.mark.parametrize("roles", [("source", "target"), ("source", "target", "by"), ("by",)])
@pytest.mark.parametrize("flt", [FactFilter(), FactFilter(date_from="2022-03-15", date_to="2022-04-04")])
def test_an_actors_facts_are_those_it_plays_a_role_in_in_listing_order(
    db: Path, roles: tuple[str, ...], flt: FactFilter
) -> None:
    """The facts found through `actor_facts` are those of the whole fact listing in which the actor
    plays one of the roles, in the same order, each once, cut at the limit."""
    with Store(db) as store:
        qs = QueryService(store)
        everything = store.facts(flt, limit=10_000)
        columns = {"source": "source_key", "target": "target_key", "by": "by_key"}
        for actor in qs.search_actors("", limit=20).items:
            key = actor["key"]
            for kind in ("event", "relation"):
                mine = [f for f in everything if f["kind"] == kind and any(f[columns[r]] == key for r in roles)]
                for limit in (1, 3, 100):
                    got = store.facts(FactFilter(**{**flt.__dict__, "kinds": (kind,)}), keys=[key], roles=roles,
                                      limit=limit)  # fmt: skip
                    assert got == mine[:limit]


def test_one_actors_facts_are_read_from_its_index_in_order(db: Path) -> None:
    with Store(db) as store:
        key = QueryService(store).search_actors("Zenda Guard").items[0]["key"]
        seen: list[tuple[str, Any]] = []
        event.listen(store.engine, "before_cursor_execute",
                     lambda _c, _cu, sql, params, _ctx, _m: seen.append((sql, params)))  # fmt: skip
        assert store.facts(FactFilter(), keys=[key], roles=("source", "target", "by"), limit=3)
    picks = [(sql, p) for sql, p in seen if "actor_facts" in sql]
    assert picks
    with sqlite3.connect(db) as conn:
        for sql, params in picks:
            plan = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
            assert any("COVERING INDEX ix_actor_facts_list (actor=? AND kind=?)" in d for d in plan), plan
            pick = plan[: plan.index("SCAN pick")]  # the outer sort orders only the picked rows
            assert not any("TEMP B-TREE" in d for d in pick), plan


def test_a_v6_store_gets_its_actor_facts_by_migration(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "store_v6.sql").read_text())
        assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'actor_facts'").fetchall()
    with Store(path) as store:
        assert store.migrated_from == 6
        key = QueryService(store).search_actors("Rufus Firefly").items[0]["key"]
        said = store.facts(FactFilter(), keys=[key], roles=("by",))
    assert [(f["kind"], f["type"]) for f in said] == [("relation", "leader_of")]
    stored, expected = stored_and_expected(path)
    assert stored == expected and len(stored) == 2 + 2 + 3  # v1 (2 roles), v1 of article 2, r1 (3 roles)
    assert len(graphs()) == 2
