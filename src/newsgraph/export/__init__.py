"""Exports: stored article graphs out to the tools people take them to.

One module per format; `EXPORTERS` maps a format name to its writer. Every writer takes an
iterable of `ArticleGraph` (streamed from the store) and a destination, and returns the number of
records written. ``-`` as destination means standard output for the single-file text formats.

| format   | writes                                   | read back with                      |
|----------|------------------------------------------|-------------------------------------|
| jsonl    | the interchange format, one graph a line | `ArticleGraph.from_dict`            |
| ftm      | FollowTheMoney entities, one a line      | `followthemoney` / OpenAleph import |
| graphml  | actors and events as nodes, roles linked | networkx, Gephi, yEd, Cytoscape     |
| gdelt    | GDELT-style event TSV, CAMEO roots       | spreadsheets, GDELT tooling         |
| csv      | a directory of CSV tables                | spreadsheets, pandas, DuckDB        |
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from newsgraph.model import ArticleGraph

Writer = Callable[[Iterable[ArticleGraph], "Path | str"], int]


@dataclass(frozen=True)
class Exporter:
    name: str
    write: Writer
    suffix: str  # default file suffix ("" for a directory)
    description: str
    directory: bool = False  # writes a directory of files, not one file
    stdout: bool = True  # can write to standard output ("-")


def _registry() -> dict[str, Exporter]:
    from newsgraph.export import csv_tables, ftm, gdelt, graphml, jsonl

    return {
        "jsonl": Exporter("jsonl", jsonl.write, ".jsonl", "article graphs in the interchange format"),
        "ftm": Exporter("ftm", ftm.write, ".ftm.json", "FollowTheMoney entities (Aleph/OpenAleph), one a line"),
        "graphml": Exporter("graphml", graphml.write, ".graphml", "actors and events for Gephi/networkx", stdout=False),
        "gdelt": Exporter("gdelt", gdelt.write, ".tsv", "GDELT-style event table, PLOVER mapped to CAMEO roots"),
        "csv": Exporter("csv", csv_tables.write, "", "CSV tables (articles, entities, events, …)", directory=True,
                        stdout=False),
    }  # fmt: skip


EXPORTERS: dict[str, Exporter] = _registry()


def export(format: str, graphs: Iterable[ArticleGraph], out: Path | str) -> int:
    """Write ``graphs`` in ``format`` to ``out``; returns the number of records written."""
    try:
        exporter = EXPORTERS[format]
    except KeyError:
        raise ValueError(f"unknown export format {format!r}; known: {', '.join(EXPORTERS)}") from None
    return exporter.write(graphs, out)


__all__ = ["EXPORTERS", "Exporter", "export"]
