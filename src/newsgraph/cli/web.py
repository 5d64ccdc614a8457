"""`newsgraph serve`: the JSON API and the web view over a store (local only unless told otherwise)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsgraph.cli.app import DbOption, app, console, db_path, err_console

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def serve_store(db: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Run the web view over the store at ``db`` until interrupted; prints the address first."""
    import uvicorn

    from newsgraph.api import AssetsMissing, create_app

    try:
        web = create_app(db, bound_host=host)
    except AssetsMissing as exc:
        err_console.print(f"cannot start the web view: {exc}", markup=False, highlight=False)
        raise typer.Exit(2) from exc
    shown = f"[{host}]" if ":" in host else host
    console.print(f"newsgraph web view: http://{shown}:{port}/  (Ctrl-C to stop)", markup=False, highlight=False)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(
            f"warning: listening on {host}: anyone who can reach this address can read the store",
            markup=False,
            highlight=False,
        )
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (default: this machine only).")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(min=1, max=65535)] = DEFAULT_PORT,
) -> None:
    """Serve the JSON API and the web view (network, timeline, evidence) of the store."""
    serve_store(db_path(db), host=host, port=port)
