"""#14: the hot queries (profile, graph 1 and 2 hops, timeline, claims, search) find their rows by index.

Every SELECT the query layer sends for them is recorded and explained by SQLite (`EXPLAIN QUERY
PLAN`); none may read a big table whole. Before the stored, indexed actor key, each per-actor
query matched a CASE expression over every entity row (``SCAN entities``) and read every event.
The one table read whole on purpose is ``actors`` (one row per actor, not per article): a name
search matches any part of any spelling, which no index answers.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from newsgraph.query import QueryService
from newsgraph.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from make_store_fixture import graphs

BIG = ("articles", "sentences", "entities", "mentions", "events", "relations", "attributions", "quotes", "times",
       "actor_facts")  # fmt: skip


@pytest.fixture
def recorded(tmp_path: Path) -> Iterator[tuple[Store, Path, list[tuple[str, Any]]]]:
    db = tmp_path / "plans.db"
    with Store(db) as store:
        batch = graphs()
        store.save_graphs(batch)
        store.resolve_graphs(batch)
        seen: list[tuple[str, Any]] = []

        def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                seen.append((statement, parameters))

        event.listen(store.engine, "before_cursor_execute", record)
        yield store, db, seen


def full_scans(db: Path, statements: list[tuple[str, Any]]) -> list[str]:
    found = []
    with sqlite3.connect(db) as conn:
        for sql, params in statements:
            for _id, _parent, _unused, detail in conn.execute("EXPLAIN QUERY PLAN " + sql, params):
                words = detail.split()
                if words[:1] == ["SCAN"] and len(words) > 1 and words[1] in BIG:
                    found.append(f"{detail}  <-  {' '.join(sql.split())[:160]}")
    return found


@pytest.mark.parametrize("endpoint", ["profile", "graph1", "graph2", "timeline", "claims", "search"])
def test_hot_queries_use_their_indexes(recorded: tuple[Store, Path, list[tuple[str, Any]]], endpoint: str) -> None:
    store, db, seen = recorded
    qs = QueryService(store)
    key = qs.search_actors("").items[0]["key"]
    seen.clear()
    calls = {
        "profile": lambda: qs.profile(key),
        "graph1": lambda: qs.neighbourhood(key, hops=1),
        "graph2": lambda: qs.neighbourhood(key, hops=2),
        "timeline": lambda: qs.timeline(key=key),
        "claims": lambda: qs.claims(key=key),
        "search": lambda: qs.search("Freedonia"),
    }
    result = calls[endpoint]()
    assert result, "the query answered nothing: the plan check would prove nothing"
    assert seen, "no SELECT recorded"
    assert full_scans(db, seen) == []


def plan_details(db: Path, statements: list[tuple[str, Any]]) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[3] for sql, params in statements for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]


def test_co_mentions_walk_the_articles_by_date_when_pairs_abound(
    recorded: tuple[Store, Path, list[tuple[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A much reported actor (or a 2-hop frontier) has far more co-mention pairs than the limit: the
    pairs are then found by walking the articles in date order (their index) and stopping at the
    limit, instead of collecting and sorting every pair; the answer is the same either way."""
    from newsgraph.store import queries

    store, db, seen = recorded
    keys = [r["key"] for r in QueryService(store).search_actors("", limit=50).items]
    monkeypatch.setattr(queries, "PAIRS_PER_ARTICLE", 0)  # few pairs: collected and sorted
    collected = store.co_mentions(keys, limit=3)
    assert collected, "the fixture has no co-mentions: the comparison would prove nothing"
    seen.clear()
    monkeypatch.setattr(queries, "PAIRS_PER_ARTICLE", 10_000)  # pairs abound: walk by date
    walked = store.co_mentions(keys, limit=3)
    assert walked == collected
    details = plan_details(db, seen)
    assert "SCAN a USING INDEX ix_articles_published" in details, details
    assert full_scans(db, seen) == []


@pytest.mark.parametrize("endpoint", ["profile", "timeline"])
def test_an_actors_articles_come_in_index_order(
    recorded: tuple[Store, Path, list[tuple[str, Any]]], endpoint: str
) -> None:
    """A profile or timeline lists an actor's first articles from its index, already in date order, and
    stops at the page: no statement reads the actor's rows to sort them (at 100k articles the most
    reported actor is named in ~40,000)."""
    store, db, seen = recorded
    qs = QueryService(store)
    key = qs.search_actors("").items[0]["key"]
    seen.clear()
    qs.profile(key) if endpoint == "profile" else qs.timeline(key=key)
    listing = [(sql, p) for sql, p in seen if "FROM entities JOIN articles" in " ".join(sql.split())]
    assert listing, "no listing of the actor's articles recorded"
    with sqlite3.connect(db) as conn:
        for sql, params in listing:
            plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
            assert any("ix_entities_actor_list" in d for d in plan), plan
            assert not any("TEMP B-TREE" in d for d in plan), plan


def test_one_actors_co_mentions_come_from_its_index_in_date_order(
    recorded: tuple[Store, Path, list[tuple[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One actor's co-mention pairs (a 1-hop graph) are read from its own rows in date order (its index)
    and stop at the limit, however many articles name it; the rows are those the other plans give."""
    from newsgraph.store import queries

    store, db, seen = recorded
    nobody = "n:Person:Nobody At All"  # a second key that matches nothing forces the plans for several actors
    for key in [r["key"] for r in QueryService(store).search_actors("", limit=10).items]:
        for limit in (1, 3, 2000):
            monkeypatch.setattr(queries, "PAIRS_PER_ARTICLE", 0)
            collected = store.co_mentions([key, nobody], limit=limit)
            monkeypatch.setattr(queries, "PAIRS_PER_ARTICLE", 10_000)
            walked = store.co_mentions([key, nobody], limit=limit)
            seen.clear()
            one = store.co_mentions([key], limit=limit)
            assert one == collected == walked
            details = plan_details(db, seen)
            assert "SEARCH e1 USING INDEX ix_entities_actor_list (actor=?)" in details, details
    assert any(store.co_mentions([r["key"]]) for r in QueryService(store).search_actors("").items)
