"""#15 item 7: merging one canonical entity into another and splitting it back restores the prior state.

Before the fix the split gave the absorbed entity a new id under the other's key
("country:CL#split:…") and the merge kept redirecting, so later mentions of it still linked
to the entity it had been merged into. The merge and split run as the user runs them
(`newsgraph entity merge|split` in a subprocess) on a store built from graphs written here.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from newsgraph.model import Article, ArticleGraph, Entity, Mention
from newsgraph.resolve import canonical_id_for
from newsgraph.store import Store
from newsgraph.store.rows import refresh_actors

NEWSGRAPH = [str(Path(sys.executable).with_name("newsgraph"))]  # the installed command, as a user runs it


def country(eid: str, name: str, code: str) -> Entity:
    return Entity(id=eid, name=name, type="Country", country=code,
                  mentions=[Mention(start=0, end=len(name), text=name, kind="name")])  # fmt: skip


def article(text: str, published: str, entities: list[Entity]) -> ArticleGraph:
    return ArticleGraph(article=Article.create(text, published), entities=entities)


def canonical_state(db: Path) -> dict[str, Any]:
    """The store's identity tables: canonical entities, each entity's link, and the links in the graph JSON."""
    import json

    with sqlite3.connect(db) as conn:
        return {
            "canonical_entities": sorted(conn.execute("SELECT id, name, type, key FROM canonical_entities")),
            "entities": sorted(conn.execute("SELECT article_id, id, canonical_id FROM entities")),
            "graph_json": sorted(
                (aid, e["id"], e.get("canonical_id"))
                for aid, payload in conn.execute("SELECT id, graph_json FROM articles")
                for e in json.loads(payload)["entities"]
            ),
        }


def actors_table(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT key, canonical_id, name, type, articles, mentions, names FROM actors"))


def assert_actors_current(db: Path) -> None:
    """The per-actor aggregates kept by every write equal a recount from the entity rows (#14)."""
    kept = actors_table(db)
    with Store(db) as store, store.engine.begin() as conn:
        keys = [r[0] for r in conn.exec_driver_sql("SELECT DISTINCT actor FROM entities")]
        conn.exec_driver_sql("DELETE FROM actors")
        refresh_actors(conn, keys)
    assert actors_table(db) == kept


def cli(*args: str) -> str:
    done = subprocess.run([*NEWSGRAPH, *args], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_merge_then_split_restores_the_prior_identity(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    china_articles = [
        article("China and Chile signed a trade deal.", "2024-03-01",
                [country("E1", "China", "CN"), country("E2", "Chile", "CL")]),
        article("China opened a port.", "2024-03-02", [country("E1", "China", "CN")]),
    ]  # fmt: skip
    chile_article = article("Chile held an election.", "2024-03-03", [country("E1", "Chile", "CL")])
    with Store(db) as store:
        store.save_graphs([*china_articles, chile_article])
        store.resolve_graphs([*china_articles, chile_article])
    china, chile = canonical_id_for("country:CN"), canonical_id_for("country:CL")
    before = canonical_state(db)
    actors_before = actors_table(db)
    assert_actors_current(db)
    assert (china, "China", "Country", "country:CN") in before["canonical_entities"]

    cli("entity", "merge", chile, china, "--db", str(db))
    merged = canonical_state(db)
    assert_actors_current(db)
    assert china not in {r[0] for r in merged["canonical_entities"]}
    members = [f"{a.article.id}:E1" for a in china_articles]
    out = cli("entity", "split", chile, *members, "--db", str(db))
    assert china in out

    assert canonical_state(db) == before, "merge then split did not restore the store's identities"
    assert actors_table(db) == actors_before
    with Store(db) as store:
        info = store.get_canonical(china)
        assert info is not None and info["id"] == china and info["key"] == "country:CN"
        later = article("China sent an envoy.", "2024-03-04", [country("E1", "China", "CN")])
        store.save_graphs([later])
        store.resolve_graphs([later])
        linked = store.get_graph(later.article.id)
        assert linked is not None and linked.entities[0].canonical_id == china, "later mentions still follow the merge"
        assert store.get_canonical(chile) is not None
        assert [r["action"] for r in store.merge_log()][:2] == ["unmerge", "split"]
    assert_actors_current(db)


def test_a_split_of_entities_that_came_from_no_merge_makes_a_new_entity(tmp_path: Path) -> None:
    with Store(tmp_path / "store.db") as store:
        graphs = [
            article("Chile voted.", "2024-03-01", [country("E1", "Chile", "CL")]),
            article("Chile won.", "2024-03-02", [country("E1", "Chile", "CL")]),
        ]
        store.save_graphs(graphs)
        store.resolve_graphs(graphs)
        chile = canonical_id_for("country:CL")
        new_id = store.split(chile, [(graphs[1].article.id, "E1")], name="Chile (team)")
        info = store.get_canonical(new_id)
        assert new_id != chile and info is not None and info["key"].startswith("country:CL#split:")
        assert info["name"] == "Chile (team)"
