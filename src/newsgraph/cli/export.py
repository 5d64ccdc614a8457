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
) -> None:
    """Export every stored article graph (streamed from the store, in publication order)."""
    from newsgraph.export import EXPORTERS
    from newsgraph.export import ftm as ftm_export
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
        graphs = store.iter_graphs()
        if format == "ftm":  # each incident reported by 2+ articles: one Event with all its sources
            from newsgraph.corroboration import summarise

            backing = {s.id: s.to_dict() for s in summarise(store, min_articles=2)}
            n = ftm_export.write(graphs, out, strict=strict, incidents=backing)
        else:
            n = exporter.write(graphs, out)
    unit = {"ftm": "entities", "graphml": "facts (events and relations)", "gdelt": "events"}.get(format, "articles")
    if out != "-":
        err_console.print(f"wrote {n} {unit} to {out}", highlight=False)
