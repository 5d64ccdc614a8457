"""Build a large store for the query benchmark by cycling a stored corpus with shifted dates.

Extracting 100k articles takes hours on 2 cores; the query benchmark needs only a store of that
size with the shape of real data. This copies a SOURCE store (made by `newsgraph ingest`) and
then copies its stored rows again, pass after pass, inside the database (``INSERT … SELECT``):
each pass shifts the publication date (and the event dates that are full days) by one day more
and re-keys the article (its id is a hash of date and text, as ingest computes it), so every
article is distinct. Entity rows keep their canonical ids and actor keys (the same text resolves
the same way), the article's graph JSON is re-keyed too, the full-text index gets the copies'
sentences, and the per-actor aggregates (`actors`) are recounted once at the end, as the
store's writes would have kept them. Nothing is re-extracted and nothing is resolved again, so
100k articles take minutes, not hours.

    .venv/bin/python bench/cycled_store.py /tmp/wn.db /tmp/wn100k.db --articles 100000

SQLite only (the benchmark store). The output store lives outside the repository (GBs at 100k).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from newsgraph.model import article_id
from newsgraph.store import Store, rows, schema

# fact tables copied per pass; the article id is re-keyed, events' full-day dates are shifted
_COPIED = (schema.sentences, schema.entities, schema.mentions, schema.events, schema.relations,
           schema.attributions, schema.quotes, schema.times, schema.actor_facts)  # fmt: skip


def shifted(day: str | None, days: int) -> str | None:
    if not day or len(day) != 10:
        return day
    try:
        return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()
    except ValueError:
        return day


def _shifted_graph(payload: str, new_id: str, published: str | None, days: int) -> str:
    graph: dict[str, Any] = json.loads(payload)
    graph["article"]["id"] = new_id
    graph["article"]["published"] = published
    for v in graph.get("events", []):
        if isinstance(v.get("date"), dict):
            v["date"]["value"] = shifted(v["date"].get("value"), days)
    return json.dumps(graph, ensure_ascii=False)


def _copy_pass(conn: sqlite3.Connection, originals: list[tuple[Any, ...]], days: int) -> int:
    """One more copy of ``originals`` (article rows), ``days`` later; returns how many were written."""
    conn.execute("DELETE FROM idmap")
    art_cols = [c.name for c in schema.articles.columns]
    new_rows = []
    mapping = []
    for row in originals:
        r = dict(zip(art_cols, row, strict=True))
        published = shifted(r["published"], days)
        new_id = article_id(r["text"], published)
        mapping.append((r["id"], new_id))
        r.update(id=new_id, published=published, graph_json=_shifted_graph(r["graph_json"], new_id, published, days))
        new_rows.append(tuple(r[c] for c in art_cols))
    conn.executemany("INSERT INTO idmap (old, new) VALUES (?, ?)", mapping)
    quoted = ", ".join(f'"{c}"' for c in art_cols)
    conn.executemany(f"INSERT INTO articles ({quoted}) VALUES ({', '.join('?' * len(art_cols))})", new_rows)
    for table in _COPIED:
        cols = [c.name for c in table.columns]
        exprs = []
        for c in cols:
            if c == "article_id":
                exprs.append("m.new")
            elif (table is schema.events and c == "date_value") or c in ("sort_date", "published"):
                exprs.append(  # a full day moves; a month or year stays (as `shifted` does)
                    f"CASE WHEN length(t.{c}) = 10 AND date(t.{c}) IS NOT NULL "
                    f"THEN date(t.{c}, '+{days} day') ELSE t.{c} END"
                )
            else:
                exprs.append(f't."{c}"')
        conn.execute(
            f"INSERT INTO {table.name} ({', '.join(chr(34) + c + chr(34) for c in cols)}) "  # sql-safe: schema names
            f"SELECT {', '.join(exprs)} FROM {table.name} t JOIN idmap m ON m.old = t.article_id"
        )
    conn.execute(
        "INSERT INTO sentences_fts (text, article_id, idx) "
        "SELECT s.text, s.article_id, s.idx FROM sentences s JOIN idmap m ON m.new = s.article_id"
    )
    return len(new_rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path, help="a SQLite store made by newsgraph ingest (not changed)")
    ap.add_argument("dest", type=Path, help="the store to build (must not exist)")
    ap.add_argument("--articles", type=int, default=100_000)
    args = ap.parse_args()
    if args.dest.exists():
        raise SystemExit(f"{args.dest} exists: give a new path")
    t0 = time.perf_counter()
    src = sqlite3.connect(args.source)
    dst = sqlite3.connect(args.dest)
    src.backup(dst)  # a consistent copy, even while an ingest is writing the source
    src.close()
    dst.close()
    with Store(args.dest):  # migrate if needed; sets WAL and the store's pragmas once
        pass
    conn = sqlite3.connect(args.dest, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    art_cols = ", ".join(f'"{c.name}"' for c in schema.articles.columns)
    originals = conn.execute(f"SELECT {art_cols} FROM articles ORDER BY published, id").fetchall()
    base = len(originals)
    if not base:
        raise SystemExit("the source store has no articles")
    conn.execute("CREATE TEMP TABLE idmap (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
    print(f"{base} source articles; building {args.articles} (load {os.getloadavg()[0]:.1f})", flush=True)
    written, days = base, 0
    while written < args.articles:
        days += 1
        batch = originals[: args.articles - written]
        conn.execute("BEGIN")
        written += _copy_pass(conn, batch, days)
        conn.execute("COMMIT")
        rate = (written - base) / (time.perf_counter() - t0)
        print(f"pass {days}: {written} articles, {rate:.0f}/s (load {os.getloadavg()[0]:.1f})", flush=True)
    conn.close()
    with Store(args.dest) as store, store.engine.begin() as sa_conn:
        keys = [r[0] for r in sa_conn.execute(select(schema.entities.c.actor).distinct())]
        rows.refresh_actors(sa_conn, keys)
    with Store(args.dest) as store:
        print(store.stats(), f"{time.perf_counter() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
