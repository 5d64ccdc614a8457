"""Store administration: backup and restore (safe while an ingest or the web view runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsgraph.cli.app import DbOption, app, console, db_path, err_console


@app.command()
def backup(
    dest: Annotated[Path, typer.Argument(help="Backup file to write (or a directory: a dated file is made in it).")],
    db: DbOption = None,
) -> None:
    """Write a consistent copy of the store, even while an ingest is running."""
    from newsgraph.store.backup import BackupError
    from newsgraph.store.backup import backup as do_backup

    try:
        info = do_backup(db_path(db), dest)
    except BackupError as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    console.print(
        f"backed up {info.articles} articles (schema version {info.schema_version}, {info.bytes:,} bytes) "
        f"to {info.path}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def restore(
    source: Annotated[Path, typer.Argument(help="A backup file made by `newsgraph backup`.")],
    db: DbOption = None,
    keep_previous: Annotated[
        bool, typer.Option(help="Keep a backup of the store being replaced as <db>.before-restore-<UTC time>.")
    ] = True,
) -> None:
    """Replace the store with a backup, after checking it is an intact newsgraph store."""
    from newsgraph.store.backup import BackupError
    from newsgraph.store.backup import restore as do_restore

    try:
        info, kept = do_restore(source, db_path(db), keep_previous=keep_previous)
    except BackupError as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    if kept is not None:
        console.print(f"the previous store was kept as {kept}", markup=False, highlight=False, soft_wrap=True)
    console.print(
        f"restored {info.articles} articles (schema version {info.schema_version}) into {info.path}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def check(db: DbOption = None) -> None:
    """Check the store: SQLite integrity, and every article stored whole. Exit code 1 if not."""
    from newsgraph.store.backup import BackupError, check_store

    target = db_path(db)
    try:
        if "://" in str(target) and not str(target).startswith("sqlite:"):  # a database server (PostgreSQL)
            from newsgraph.store.check import check_server_store

            problems = check_server_store(str(target))
        else:
            problems = check_store(target)
    except (BackupError, OSError) as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except Exception as exc:  # sqlite3.Error: a file that is not a store at all
        err_console.print(f"error: cannot check {db_path(db)} ({exc})", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    for problem in problems:
        err_console.print(f"problem: {problem}", markup=False, highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)
    console.print(f"{db_path(db)}: ok", markup=False, highlight=False, soft_wrap=True)
