"""`newsgraph check` on a database server (PostgreSQL): every article stored whole.

The SQLite check (`newsgraph.store.backup.check_store`) also runs SQLite's integrity check; a
server checks its own pages, so here only what newsgraph promises is checked, in one read
transaction: each fact table holds exactly the rows the article's graph JSON lists (mentions
included), and no fact row belongs to an article that is not stored.
"""

from __future__ import annotations

import json

from sqlalchemy import create_engine, func, inspect, select

from newsgraph.store import schema
from newsgraph.store.backup import FACT_KEYS


def check_server_store(url: str) -> list[str]:
    """Problems found in the store at a database URL (empty when sound); raises if it cannot connect."""
    engine = create_engine(url)
    problems: list[str] = []
    try:
        with engine.connect() as conn, conn.begin():
            present = set(inspect(conn).get_table_names())
            if "articles" not in present:
                return [f"{engine.url.render_as_string()}: no newsgraph store here (no articles table)"]
            counts: dict[str, dict[str, int]] = {}
            for key in (*FACT_KEYS, "mentions"):
                if key in present:
                    table = schema.metadata.tables[key]
                    rows = conn.execute(select(table.c.article_id, func.count()).group_by(table.c.article_id))
                    counts[key] = {aid: int(n) for aid, n in rows}
            orphans = {(key, aid) for key, per_article in counts.items() for aid in per_article}
            arts = schema.articles
            for aid, payload in conn.execute(select(arts.c.id, arts.c.graph_json)):
                try:
                    graph = json.loads(payload)
                except (TypeError, ValueError):
                    problems.append(f"article {aid}: graph_json is not JSON")
                    continue
                expected = {key: len(graph.get(key) or []) for key in FACT_KEYS}
                expected["mentions"] = sum(len(e.get("mentions") or []) for e in graph.get("entities") or [])
                for key, want in expected.items():
                    if key not in counts:
                        continue
                    orphans.discard((key, aid))
                    got = counts[key].get(aid, 0)
                    if got != want:
                        problems.append(f"article {aid}: {got} {key} rows, its graph has {want}")
            for key, aid in sorted(orphans):
                problems.append(f"{counts[key][aid]} {key} rows of article {aid}, which is not stored")
    finally:
        engine.dispose()
    return problems
