"""`newsgraph incidents`: one real occurrence across articles, its independent sources and disagreements;
`newsgraph incidents merge|split|log`: the manual corrections and the log of every placement."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from newsgraph.cli.app import DbOption, app, console, db_path, err_console

incidents_app = typer.Typer(
    name="incidents",
    help="Incidents: the same event reported by several articles, merged, with independent sources counted.",
    invoke_without_command=True,
)
app.add_typer(incidents_app, name="incidents")


@incidents_app.callback()
def incidents(
    ctx: typer.Context,
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
    `merge`, `split` and `log` correct them by hand and show why each event went where it did.
    """
    if ctx.invoked_subcommand is not None:
        return
    from newsgraph.corroboration import named, summarise, update_incidents
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        counts = {"placed": 0, "joined": 0, "new": 0} if no_update else update_incidents(store)
        found = summarise(store, min_articles=min_articles)
        shown = [named(store, s.to_dict()) for s in found[:limit]]
    if as_json:
        for data in shown:
            print(json.dumps(data, ensure_ascii=False))
        return
    if counts["placed"]:
        console.print(f"placed {counts['placed']} new events: {counts['joined']} joined an incident, "
                      f"{counts['new']} opened one", markup=False, highlight=False)  # fmt: skip
    console.print(f"{len(found)} incidents reported by {min_articles}+ articles", markup=False, highlight=False)
    for s in shown:
        tag = "single source" if s["single_source"] else f"{s['independent_articles']} independent articles"
        console.print(f"\n{s['id']} {s['type']} {s['first_report'] or '?'} .. {s['last_report'] or '?'}: "
                      f"{s['articles']} articles, {tag}, {s['outlets']} outlets, {s['speakers']} speakers",
                      markup=False, highlight=False)  # fmt: skip
        for r in s["reports"][:8]:
            said = f" (says {r['said_by']})" if r["said_by"] else ""
            copy = " [copy]" if r["copy_of"] else ""
            console.print(f"  {r['published'] or 'undated'} {r['article_id'][:10]}/{r['event']} {r['outlet'] or ''}"
                          f"{copy}: {r['sentence'][:140]}{said}", markup=False, highlight=False,
                          soft_wrap=True)  # fmt: skip
        for d in s["disagreements"]:
            sides = "; ".join(f"{v}: {len(keys)} report(s)" for v, keys in d["sides"].items())
            console.print(f"  DISAGREE on {d['aspect']}: {sides}", markup=False, highlight=False)


@incidents_app.command()
def merge(
    keep: Annotated[str, typer.Argument(help="The incident to keep, e.g. I3.")],
    others: Annotated[list[str], typer.Argument(help="Incidents to fold into KEEP.")],
    db: DbOption = None,
    reason: Annotated[str, typer.Option(help="Why (kept in the incident log).")] = "manual merge",
) -> None:
    """Merge incidents by hand: every report of OTHERS joins KEEP (kept across later ingests)."""
    from newsgraph.corroboration import IncidentError
    from newsgraph.corroboration import merge as merge_incidents
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        try:
            moved = merge_incidents(store, keep, others, reason=reason)
        except IncidentError as exc:
            err_console.print(str(exc), markup=False, highlight=False)
            raise typer.Exit(1) from None
    console.print(f"merged {', '.join(others)} into {keep}: {moved} report(s) moved", highlight=False)


@incidents_app.command()
def split(
    incident_id: Annotated[str, typer.Argument(help="The incident to split, e.g. I3.")],
    events: Annotated[list[str], typer.Argument(help="ARTICLE/EVENT reports to move out (article id or prefix).")],
    db: DbOption = None,
    reason: Annotated[str, typer.Option(help="Why (kept in the incident log).")] = "manual split",
) -> None:
    """Split reports off an incident into a new incident (kept across later ingests)."""
    from newsgraph.corroboration import IncidentError
    from newsgraph.corroboration import split as split_incident
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        try:
            new_id = split_incident(store, incident_id, events, reason=reason)
        except IncidentError as exc:
            err_console.print(str(exc), markup=False, highlight=False)
            raise typer.Exit(2) from None
    console.print(f"split {len(events)} report(s) off {incident_id} into {new_id}", highlight=False)


@incidents_app.command()
def log(
    incident_id: Annotated[str | None, typer.Argument(help="Only this incident.")] = None,
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
) -> None:
    """The incident log, newest first: every event placed (join/new, score, reasons), merges and splits."""
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        rows = store.incident_log_rows(incident_id=incident_id, limit=limit)
    for r in rows:  # one line each (no table): greppable, and never wrapped mid-word
        score = "" if r["score"] is None else f" {r['score']:.2f}"
        where = f"{r['article_id']}/{r['event_id']}"
        console.print(f"{r['seq']} {r['at']} {r['action']} {r['incident_id']} {where}{score}: {r['reasons']}",
                      markup=False, highlight=False, soft_wrap=True)  # fmt: skip
