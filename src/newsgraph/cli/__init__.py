"""The `newsgraph` command: a thin Typer layer over ingest, extract, store and query.

Each group of commands lives in its own module and registers itself on `app`.
"""

from __future__ import annotations

from newsgraph.cli import admin, core, entity, export, incidents, query, review, web  # noqa: F401  (importing registers the commands)
from newsgraph.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
