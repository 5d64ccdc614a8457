"""Checking that every article is stored whole, on SQLite and on a database server (PostgreSQL).

`row_count_problems` is the one comparison of each article's fact rows with its graph JSON; the
SQLite check (`newsgraph.store.backup.check_store`) runs it after SQLite's integrity, schema and
foreign-key checks, and `check_server_store` runs it on a server (which checks its own pages), in
one read transaction: each fact table holds exactly the rows the article's graph JSON lists
(mentions included; on SQLite the full-text index one row per sentence), and no fact row belongs to
an article that is not stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import create_engine, func, inspect, select

from newsgraph.store import schema

FACT_KEYS = ("sentences", "entities", "events", "relations", "attributions", "quotes", "times")
COUNTED = (*FACT_KEYS, "mentions", "sentences_fts")  # what `row_count_problems` can compare


def expected_rows(graph: Mapping[str, Any]) -> dict[str, int]:
    """The rows of each counted table that an article's graph (its JSON) stands for."""
    want = {key: len(graph.get(key) or []) for key in FACT_KEYS}
    want["mentions"] = sum(len(e.get("mentions") or []) for e in graph.get("entities") or [])
    want["sentences_fts"] = want["sentences"]
    return want


def row_count_problems(
    counts: Mapping[str, Mapping[str, int]], articles: Iterable[tuple[str, str | bytes | None]]
) -> list[str]:
    """Compare the stored rows with the graphs: ``counts`` is {table: {article id: rows}} for the
    tables present (a table missing from it is not compared), ``articles`` every stored (article id,
    graph JSON). Returns one problem line per mismatch, unreadable graph or row of an unstored article."""
    problems: list[str] = []
    orphans = {(key, aid) for key, per_article in counts.items() for aid in per_article}
    for aid, payload in articles:
        try:
            graph = json.loads(payload or "")
        except (TypeError, ValueError):
            problems.append(f"article {aid}: graph_json is not JSON")
            orphans -= {(key, aid) for key in counts}
            continue
        for key, want in expected_rows(graph).items():
            if key not in counts:
                continue
            orphans.discard((key, aid))
            got = counts[key].get(aid, 0)
            if got != want:
                problems.append(f"article {aid}: {got} {key} rows, its graph has {want}")
    for key, aid in sorted(orphans):
        problems.append(f"{counts[key][aid]} {key} rows of article {aid}, which is not stored")
    return problems


def check_server_store(url: str) -> list[str]:
    """Problems found in the store at a database URL (empty when sound); raises if it cannot connect."""
    engine = create_engine(url)
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
            arts = schema.articles
            return row_count_problems(counts, conn.execute(select(arts.c.id, arts.c.graph_json)).tuples())
    finally:
        engine.dispose()
