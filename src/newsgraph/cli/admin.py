"""Store administration: backup and restore (safe while an ingest or the web view runs), and the
error line of a write that failed for want of space."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path
from typing import Annotated

import typer

from newsgraph.cli.app import STORES_NAMED, DbOption, app, console, db_path, err_console

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_PG_DISK_FULL = "53100"  # PostgreSQL's SQLSTATE disk_full


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception, what it wraps (SQLAlchemy's ``orig``) and its causes and contexts."""
    out: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or any(e is seen for seen in out):
            continue
        out.append(e)
        orig = getattr(e, "orig", None)
        todo += [orig if isinstance(orig, BaseException) else None, e.__cause__, e.__context__]
    return out


def _shown(store: str | Path) -> str:
    """A store as an error line may show it: a database URL without its password."""
    if "://" in str(store):
        from sqlalchemy.engine import make_url

        try:
            return make_url(str(store)).render_as_string(hide_password=True)
        except Exception:
            return str(store).split("://", 1)[0] + "://…"
    return str(store)


def out_of_space_line(exc: BaseException) -> str | None:
    """One error line naming the store (or the file) when ``exc`` is a write that failed for want
    of space (SQLite `database or disk is full` or `disk I/O error`, PostgreSQL disk_full, ENOSPC,
    EDQUOT, EFBIG); None for any other error.

    A failed write rolls its transaction back: what earlier batches committed is kept and the same
    command resumes once there is room (an ingest skips what is stored).
    """
    store = _shown(STORES_NAMED[-1]) if STORES_NAMED else "the store"
    after = "the failed write was rolled back, what was stored before is intact; free space and run the command again"
    for e in _causes(exc):
        if isinstance(e, sqlite3.Error):
            code = getattr(e, "sqlite_errorcode", 0) & 0xFF
            if code == sqlite3.SQLITE_FULL or "disk is full" in str(e):
                return f"error: the disk holding {store} is full ({e}): {after}"
            if code == sqlite3.SQLITE_IOERR or "disk I/O error" in str(e):
                return (f"error: cannot write to {store} ({e}: the disk is full, a file size limit was reached "
                        f"or the disk is failing): {after}")  # fmt: skip
        if getattr(e, "sqlstate", None) == _PG_DISK_FULL or getattr(e, "pgcode", None) == _PG_DISK_FULL:
            return f"error: the disk of the database server of {store} is full ({str(e).strip()}): {after}"
        if isinstance(e, OSError) and e.errno in _FULL_ERRNOS:
            where = e.filename if e.filename is not None else "the output"
            return f"error: no room to write {where} ({e.strerror or e}): free space and run the same command again"
    return None


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
