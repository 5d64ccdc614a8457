"""The `newsgraph` command: a thin Typer layer over ingest, extract, store and query.

Each group of commands lives in its own module and registers itself on `app`.
"""

from __future__ import annotations

from newsgraph.cli import admin, core, entity, export, incidents, query, review, web  # noqa: F401  (importing registers the commands)
from newsgraph.cli.app import app


def main() -> None:
    try:
        app()
    except Exception as exc:
        line = admin.out_of_space_line(exc)  # a full disk: one clear line, not a traceback
        if line is None:
            raise
        from newsgraph.cli.app import err_console

        err_console.print(line, markup=False, highlight=False, soft_wrap=True)
        raise SystemExit(1) from None


__all__ = ["app", "main"]
