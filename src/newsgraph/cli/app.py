"""The Typer application and the options every command shares."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(
    name="newsgraph",
    help="Turn news articles into a sourced, time-aware graph: who did what to whom, when — and who says so.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file or database URL (default: the user data dir, or $NEWSGRAPH_DB)."),
]


STORES_NAMED: list[str | Path] = []  # the stores this command resolved, for an error line that must name one


def db_path(db: str | None) -> str | Path:
    from newsgraph.settings import default_db_path

    path = db or default_db_path()
    STORES_NAMED.append(path)
    return path
