"""#14, schema v6: the date a fact is listed by is stored with it, and queries stop at their LIMIT.

Events and relations carry ``sort_date`` (the event's own date, else its article's), entity rows
their article's date; a store made before v6 gets them by migration. Listing an actor's facts by
walking the date index gives the same facts as finding them by the actor's index, and an actor named
twice in one article is listed by the entity named first.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from newsgraph.model import Article, ArticleGraph, DateValue, Entity, Event, Mention, Relation, Sentence
from newsgraph.query import QueryService
from newsgraph.store import Store
from newsgraph.store.queries import FactFilter

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
from make_store_fixture import graphs  # noqa: E402


def _article(i: int, *, dated: bool) -> ArticleGraph:
    """Article ``i``: Ruritania sanctions Grand Fenwick (an event), on a day of its own or none."""
    text = f"Ruritania sanctioned Grand Fenwick again, report {i}. Ruritania leads Grand Fenwick."
    art = Article.create(text, f"2021-03-{i + 1:02d}", title=f"Report {i}")
    cut = text.index(". ") + 1
    return ArticleGraph(
        article=art,
        sentences=[Sentence(0, 0, cut), Sentence(1, cut + 1, len(text))],
        entities=[
            Entity("e1", "Ruritania", "Country", mentions=[Mention(0, 9, "Ruritania", 0)]),
            Entity("e2", "Grand Fenwick", "Country", mentions=[Mention(21, 34, "Grand Fenwick", 0)]),
        ],
        events=[Event("v1", "SANCTION", "sanctioned", 0, 0, cut, source="e1", target="e2",
                      date=DateValue(f"2021-02-{28 - i:02d}") if dated else None)],
        relations=[Relation("r1", "leader_of", "e1", "e2", 1, cut + 1, len(text))],
        extractor_version="test",
    )  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "dates.db")
    s.save_graphs([_article(i, dated=i % 3 == 0) for i in range(12)])
    return s


def test_a_fact_is_stored_with_the_date_it_is_listed_by(store: Store, tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "dates.db") as conn:
        rows = conn.execute(
            "SELECT v.sort_date, v.date_value, a.published FROM events v JOIN articles a ON a.id = v.article_id"
        ).fetchall()
        assert rows and all(s == (d if d is not None else p) for s, d, p in rows)
        assert any(d is not None for _s, d, _p in rows) and any(d is None for _s, d, _p in rows)
        assert conn.execute("SELECT count(*) FROM relations r JOIN articles a ON a.id = r.article_id "
                            "WHERE r.sort_date IS NOT a.published").fetchone() == (0,)  # fmt: skip
        assert conn.execute("SELECT count(*) FROM entities e JOIN articles a ON a.id = e.article_id "
                            "WHERE e.published IS NOT a.published").fetchone() == (0,)  # fmt: skip


def test_a_v5_store_gets_its_listing_dates_by_migration(tmp_path: Path) -> None:
    db = tmp_path / "v5.db"
    with sqlite3.connect(db) as conn:
        conn.executescript((FIXTURES / "store_v5.sql").read_text())
        assert "sort_date" not in {r[1] for r in conn.execute("PRAGMA table_info(events)")}
    with Store(db) as store:
        facts = store.facts(FactFilter(), limit=100)
    assert {(f["kind"], f["date"]) for f in facts} == {("event", "2023-05-03"), ("event", "2023-06-06"),
                                                       ("relation", "2023-05-04")}  # fmt: skip
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM entities WHERE published IS NULL").fetchone() == (0,)
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "ix_entities_actor" not in indexes and {"ix_entities_actor_list", "ix_events_sort"} <= indexes


def test_walking_the_date_index_finds_the_same_facts(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Actors (a 2-hop frontier) with far more facts than the limit: their facts are found by walking
    the facts in date order and stopping at the limit; the answer is the one their own index gives."""
    from sqlalchemy import event

    from newsgraph.store import queries

    # a second key that matches nothing makes a frontier (one actor never walks: its index stops at the limit)
    keys = [QueryService(store).search_actors("Ruritania").items[0]["key"], "n:Person:Nobody At All"]
    for roles in (("source", "target"), ("source", "target", "by")):
        for flt in (FactFilter(), FactFilter(date_from="2021-02-25", date_to="2021-03-08")):
            monkeypatch.setattr(queries, "FACTS_PER_ARTICLE", {"event": 0.0, "relation": 0.0})
            found = store.facts(flt, keys=keys, roles=roles, limit=7)
            assert found == store.facts(flt, keys=keys[:1], roles=roles, limit=7)
            assert len(found) == 7
            seen: list[str] = []

            def listener(_c: object, _cu: object, statement: str, _p: object, _ctx: object, _m: bool,
                         seen: list[str] = seen) -> None:  # fmt: skip
                seen.append(statement)

            event.listen(store.engine, "before_cursor_execute", listener)
            monkeypatch.setattr(queries, "FACTS_PER_ARTICLE", {"event": 1000.0, "relation": 1000.0})
            walked = store.facts(flt, keys=keys, roles=roles, limit=7)
            event.remove(store.engine, "before_cursor_execute", listener)
            assert walked == found
            assert any("ORDER BY t.sort_date" in s for s in seen), "the walk was not taken"


def test_the_walk_reads_the_date_index_and_stops(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import event

    from newsgraph.store import queries

    keys = [QueryService(store).search_actors("Grand Fenwick").items[0]["key"], "n:Person:Nobody At All"]
    monkeypatch.setattr(queries, "FACTS_PER_ARTICLE", {"event": 1000.0, "relation": 1000.0})
    seen: list[tuple[str, object]] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda _c, _cu, statement, params, _ctx, _m: seen.append((statement, params)))  # fmt: skip
    store.facts(FactFilter(), keys=keys, limit=3)
    walks = [(s, p) for s, p in seen if "ORDER BY t.sort_date" in s]
    assert walks
    with sqlite3.connect(tmp_path / "dates.db") as conn:
        for sql, params in walks:
            plan = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]  # type: ignore[arg-type]
            assert any("USING INDEX ix_events_sort" in d or "USING INDEX ix_relations_sort" in d for d in plan), plan
            walk = plan[: plan.index("SCAN pick")]  # the pick; the outer sort orders only its few rows
            assert not any("TEMP B-TREE FOR ORDER BY" in d for d in walk), plan


def test_an_actor_named_twice_in_an_article_is_listed_by_its_first_mention(tmp_path: Path) -> None:
    """Two entity rows of one actor in one article (two spellings linked to one actor): the article's
    entry names the one mentioned first, whichever the extractor numbered first (before v6 the order
    of the rows on disk decided)."""
    text = "The Acme board met. Later, Acme said Acme Corporation would sell."
    art = Article.create(text, "2022-01-05", title="Acme")
    late, early = text.index("Acme Corporation"), text.index("Acme board")
    graph = ArticleGraph(
        article=art,
        sentences=[Sentence(0, 0, len(text))],
        entities=[
            Entity("e1", "Acme", "Organization", mentions=[Mention(late, late + 16, "Acme Corporation", 0)]),
            Entity("e2", "Acme", "Organization", mentions=[Mention(early, early + 4, "Acme", 0)]),
        ],
        extractor_version="test",
    )  # fmt: skip
    with Store(tmp_path / "twice.db") as store:
        store.save_graphs([graph, *graphs()])
        profile = QueryService(store).profile("n:Organization:Acme")
        timeline = QueryService(store).timeline(key="n:Organization:Acme")
    assert profile["articles"][0]["entity_id"] == "e2"
    assert profile["articles"][0]["first_mention"] == (early, early + 4)
    assert [it["evidence"]["fact_id"] for it in timeline["items"] if it["kind"] == "article"] == ["e2"]
