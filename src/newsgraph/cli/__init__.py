"""The `newsgraph` command: a thin Typer layer over ingest, extract, store and query.

Each group of commands lives in its own module and registers itself on `app`.
"""

from __future__ import annotations

from newsgraph.cli import core  # noqa: F401  (registers commands)
from newsgraph.cli.app import app

for _module in ("entity", "web", "export", "admin"):
    try:
        __import__(f"newsgraph.cli.{_module}")
    except ModuleNotFoundError as _exc:  # a command group not built yet is simply absent
        if _exc.name != f"newsgraph.cli.{_module}":
            raise


def main() -> None:
    app()


__all__ = ["app", "main"]
