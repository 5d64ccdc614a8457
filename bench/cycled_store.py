"""Build a large store for the query benchmark by cycling a stored corpus with shifted dates.

Extracting 100k articles takes hours on 2 cores; the query benchmark needs only a store of that
size with the shape of real data. This reads every article graph of a SOURCE store (made by
`newsgraph ingest`) and writes it again, pass after pass, through the store's own write path
(`Store.save_graphs`, then `Store.resolve_graphs` on the first pass): each pass shifts the
publication date (and the event dates that are full days) by one day more and re-keys the
article (its id is a hash of date and text), so every article is distinct. Canonical ids of
the first pass are kept on later passes (the same text resolves the same way), which spares
re-running resolution on copies.

    .venv/bin/python bench/cycled_store.py /tmp/wn.db /tmp/wn100k.db --articles 100000

The output store lives outside the repository (a few GB at 100k).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import time
from pathlib import Path

from newsgraph.model import ArticleGraph, article_id
from newsgraph.store import Store


def shifted(day: str | None, days: int) -> str | None:
    if not day or len(day) != 10:
        return day
    try:
        return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()
    except ValueError:
        return day


def copy_of(graph: ArticleGraph, days: int, canonical: dict[tuple[str, str], str | None]) -> ArticleGraph:
    """The graph as if published ``days`` later: new date, new id, same facts and canonical links."""
    art = graph.article
    published = shifted(art.published, days)
    new = ArticleGraph.from_dict(graph.to_dict())
    new.article = dataclasses.replace(art, published=published, id=article_id(art.text, published))
    for e in new.entities:
        e.canonical_id = canonical.get((art.id, e.id), e.canonical_id)
    for v in new.events:
        if v.date is not None:
            v.date.value = shifted(v.date.value, days)
    return new


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path, help="a store made by newsgraph ingest")
    ap.add_argument("dest", type=Path, help="the store to build (must not exist)")
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=200)
    args = ap.parse_args()
    if args.dest.exists():
        raise SystemExit(f"{args.dest} exists: give a new path")
    with Store(args.source) as src:
        originals = list(src.iter_graphs())
    print(f"{len(originals)} source articles; building {args.articles} (load {os.getloadavg()[0]:.1f})", flush=True)
    t0 = time.perf_counter()
    written = 0
    canonical: dict[tuple[str, str], str | None] = {}
    with Store(args.dest) as dest:
        days = 0
        while written < args.articles:
            batch: list[ArticleGraph] = []
            for graph in originals:
                if written + len(batch) >= args.articles:
                    break
                if days == 0:
                    fresh = ArticleGraph.from_dict(graph.to_dict())
                    for e in fresh.entities:
                        e.canonical_id = None  # the first pass is resolved as an ingest would
                    batch.append(fresh)
                else:
                    batch.append(copy_of(graph, days, canonical))
                if len(batch) >= args.batch:
                    written += _store(dest, batch, first=days == 0, canonical=canonical)
                    batch = []
            if batch:
                written += _store(dest, batch, first=days == 0, canonical=canonical)
            days += 1
            rate = written / (time.perf_counter() - t0)
            print(f"pass {days}: {written} articles, {rate:.0f}/s (load {os.getloadavg()[0]:.1f})", flush=True)
        print(dest.stats(), flush=True)


def _store(dest: Store, batch: list[ArticleGraph], *, first: bool, canonical: dict[tuple[str, str], str | None]) -> int:
    result = dest.save_graphs(batch)
    if first:
        dest.resolve_graphs(batch)  # sets each entity's canonical_id on the graph objects
        for g in batch:
            for e in g.entities:
                canonical[(g.article.id, e.id)] = e.canonical_id
    return result.stored


if __name__ == "__main__":
    main()
