"""`newsgraph incidents`: one real occurrence across articles, its independent sources and disagreements."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from newsgraph.cli.app import DbOption, app, console, db_path


@app.command()
def incidents(
    db: DbOption = None,
    min_articles: Annotated[
        int, typer.Option("--min-articles", help="Only incidents reported by this many articles.")
    ] = 2,
    limit: Annotated[int, typer.Option(help="At most this many incidents.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per incident.")] = False,
    no_update: Annotated[bool, typer.Option("--no-update", help="Do not place new events first.")] = False,
) -> None:
    """Incidents: the same event reported by several articles, merged, with independent sources counted.

    New events are placed first (incrementally: incidents already formed are never re-clustered).
    """
    from newsgraph.corroboration import summarise, update_incidents
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        counts = {"placed": 0, "joined": 0, "new": 0} if no_update else update_incidents(store)
        found = summarise(store, min_articles=min_articles)
        names = store.canonical_names(
            x for s in found for r in s.reports for x in (r.source, r.target, r.asserted_by) if x
        )
    if as_json:
        for s in found[:limit]:
            data = s.to_dict()
            for rep in data["reports"]:
                for role in ("source", "target", "said_by"):
                    rep[role] = names.get(rep[role], rep[role]) if rep[role] else None
            print(json.dumps(data, ensure_ascii=False))
        return
    if counts["placed"]:
        console.print(f"placed {counts['placed']} new events: {counts['joined']} joined an incident, "
                      f"{counts['new']} opened one", markup=False, highlight=False)  # fmt: skip
    console.print(f"{len(found)} incidents reported by {min_articles}+ articles", markup=False, highlight=False)
    for s in found[:limit]:
        b = s.backing
        tag = "single source" if b.single_source else f"{b.independent_articles} independent articles"
        console.print(f"\n{s.id} {s.type} {s.first or '?'} .. {s.last or '?'}: {b.articles} articles, {tag}, "
                      f"{b.speakers} speakers", markup=False, highlight=False)  # fmt: skip
        for r in s.reports[:8]:
            said = f" (says {names.get(r.asserted_by, r.asserted_by)})" if r.asserted_by else ""
            console.print(f"  {r.published or 'undated'} {r.article_id[:10]} {r.sentence[:140]}{said}",
                          markup=False, highlight=False, soft_wrap=True)  # fmt: skip
        for d in s.disagreements:
            sides = "; ".join(f"{names.get(v, v)}: {len(keys)} report(s)" for v, keys in d.sides.items())
            console.print(f"  DISAGREE on {d.aspect}: {sides}", markup=False, highlight=False)
