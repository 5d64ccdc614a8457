"""``newsgraph export``: the stored graphs in the formats other tools load."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from newsgraph.cli.app import DbOption, app, db_path, err_console


@app.command("export")
def export_command(
    format: Annotated[
        str, typer.Option("--format", "-f", help="jsonl, ftm, graphml, gdelt or csv (a directory of tables).")
    ] = "jsonl",
    out: Annotated[
        str, typer.Option("--out", "-o", help="Output file (a directory for csv); '-' is standard output.")
    ] = "-",
    db: DbOption = None,
    strict: Annotated[bool, typer.Option(help="ftm: fail instead of warning when a value would be dropped.")] = False,
    confirmed_only: Annotated[
        bool, typer.Option("--confirmed-only", help="Only facts a reviewer confirmed or corrected.")
    ] = False,
    hide_rejected: Annotated[
        bool, typer.Option("--hide-rejected", help="Leave out facts a reviewer rejected.")
    ] = False,
) -> None:
    """Export every stored article graph (streamed from the store, in publication order).

    Reviewed facts go out as reviewed (corrections applied) with their review status: a column in csv
    and graphml, ``reviews`` in jsonl, who checked them in ftm."""
    from newsgraph.export import EXPORTERS, csv_tables, graphml, jsonl
    from newsgraph.export import ftm as ftm_export
    from newsgraph.review import Reviews

    REVIEWED_FORMATS = {"csv": csv_tables.write, "graphml": graphml.write, "jsonl": jsonl.write}
    from newsgraph.store import open_store

    exporter = EXPORTERS.get(format)
    if exporter is None:
        err_console.print(f"unknown format {format!r}: use one of {', '.join(EXPORTERS)}")
        raise typer.Exit(2)
    if out == "-" and not exporter.stdout:
        err_console.print(f"--format {format} writes {'a directory' if exporter.directory else 'a file'}: pass --out")
        raise typer.Exit(2)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    from newsgraph.corroboration import update_incidents

    with open_store(db_path(db)) as store:
        update_incidents(store)  # every exported event carries its incident id: place new events first
        reviews = Reviews(store, confirmed_only=confirmed_only, hide_rejected=hide_rejected)
        graphs = reviews.apply(store.iter_graphs())
        if format == "ftm":  # each incident reported by 2+ articles: one Event with all its sources
            from newsgraph.corroboration import summarise

            backing = {s.id: s.to_dict() for s in summarise(store, min_articles=2)}
            n = ftm_export.write(graphs, out, strict=strict, incidents=backing, reviews=reviews)
        elif format in REVIEWED_FORMATS:
            n = REVIEWED_FORMATS[format](graphs, out, reviews=reviews)
        else:
            n = exporter.write(graphs, out)
    unit = {"ftm": "entities", "graphml": "facts (events and relations)", "gdelt": "events"}.get(format, "articles")
    if out != "-":
        err_console.print(f"wrote {n} {unit} to {out}", highlight=False)
