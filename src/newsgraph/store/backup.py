"""Backup and restore of a SQLite store, safe while an ingest or the web view is running.

Both directions go through SQLite's online backup API, never through a file copy:

- ``backup`` copies a consistent snapshot (one read transaction, WAL included) into a
  temporary file beside the destination, checks it, then renames it into place. Readers
  and writers of the live store are not blocked (WAL mode).
- ``restore`` first checks that the file is a newsgraph store: SQLite, intact
  (``PRAGMA integrity_check``), with the newsgraph tables and a schema version this code
  knows (older versions are migrated when the store is next opened), and that it passes
  `check_store`. It keeps a backup of the store it replaces (``<db>.before-restore-<UTC time>``,
  one per restore: a second restore never overwrites the first's), then copies the file into the live
  store in one write transaction: other connections see the old store or the new one,
  never a mix, and a crash mid-restore rolls back.

PostgreSQL stores are backed up with ``pg_dump``; these functions refuse database URLs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from newsgraph.store import schema
from newsgraph.store.check import COUNTED, row_count_problems
from newsgraph.store.migrations import SCHEMA_VERSION, create_fts

SQLITE_MAGIC = b"SQLite format 3\x00"
REQUIRED_TABLES = ("meta", "articles", "sentences", "entities", "mentions")


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why."""


@dataclass(frozen=True)
class StoreInfo:
    path: Path
    schema_version: int
    articles: int
    bytes: int


def sqlite_path(db: str | Path) -> Path:
    """The file of a SQLite store; database URLs other than sqlite:/// are refused."""
    value = str(db)
    if "://" in value:
        if not value.startswith("sqlite:///"):
            raise BackupError(
                f"{value.split('://', 1)[0]} stores are not backed up by newsgraph: use the database's own tools "
                "(for PostgreSQL: pg_dump / pg_restore)"
            )
        value = value.removeprefix("sqlite:///")
    return Path(value).expanduser()


def _connect_ro(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    conn.execute("PRAGMA query_only=ON")
    return conn


def inspect_store(path: Path) -> StoreInfo:
    """Check that ``path`` is an intact newsgraph store this code can open; raise BackupError if not."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise BackupError(f"{path}: not a SQLite database")
    try:
        conn = _connect_ro(path)
    except sqlite3.Error as exc:
        raise BackupError(f"{path}: cannot be opened ({exc})") from exc
    try:
        check = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if check != ["ok"]:
            raise BackupError(f"{path}: damaged database ({'; '.join(check[:3])})")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            raise BackupError(f"{path}: not a newsgraph store (no table {', '.join(missing)})")
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        try:
            version = int(row[0]) if row else 0
        except (TypeError, ValueError):
            version = 0
        if not 1 <= version <= SCHEMA_VERSION:
            raise BackupError(
                f"{path}: unknown newsgraph schema version {row[0] if row else '(none)'!s} "
                f"(this newsgraph reads versions 1 to {SCHEMA_VERSION})"
            )
        articles = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not a readable newsgraph store ({exc})") from exc
    finally:
        conn.close()
    return StoreInfo(path=path, schema_version=version, articles=articles, bytes=path.stat().st_size)


def _schema_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        return int(row[0]) if row else 0
    except (TypeError, ValueError):
        return 0


_SCHEMA_OBJECTS = "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"


def _schema_of(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[str, ...]]:
    """(type, name) of every table and index -> its column names (empty for an index)."""
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for kind, name in conn.execute(_SCHEMA_OBJECTS).fetchall():
        cols: tuple[str, ...] = ()
        if kind == "table":
            cols = tuple(r[1] for r in conn.execute("SELECT * FROM pragma_table_info(?)", (name,)))
        out[(kind, name)] = cols
    return out


def expected_schema() -> dict[tuple[str, str], tuple[str, ...]]:
    """The schema a new store has: created in memory from ``schema.py``, so never a hand-kept list."""
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            schema.metadata.create_all(conn)
            create_fts(conn)
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            return _schema_of(raw)
    finally:
        engine.dispose()


# Tables that hold the store's data. Another table missing (one added to schema.py later, such as
# judgements) is no problem: opening the store creates it, empty, as it would have started.
CORE_TABLES = frozenset(t.name for t in (*schema.FACT_TABLES, schema.actor_facts, schema.articles, schema.meta,
                                          schema.canonical_entities, schema.merge_log))  # fmt: skip


def _schema_problems(conn: sqlite3.Connection) -> list[str]:
    have = _schema_of(conn)
    tables = {name for kind, name in have if kind == "table"}
    problems: list[str] = []
    for (kind, name), cols in sorted(expected_schema().items()):
        owner = name if kind == "table" else _index_table(name)
        if owner in schema.metadata.tables and owner not in CORE_TABLES and owner not in tables:
            continue  # a table (or its index) the next open creates
        if (kind, name) not in have:
            problems.append(f"schema: {kind} {name} is missing")
        elif missing := [c for c in cols if c not in have[(kind, name)]]:
            problems.append(f"schema: table {name} lacks column {', '.join(missing)}")
    return problems


def _index_table(index: str) -> str | None:
    """The table an index of ``expected_schema()`` belongs to."""
    for table in schema.metadata.tables.values():
        if any(ix.name == index for ix in table.indexes):
            return table.name
    return None


def check_store(path: str | Path) -> list[str]:
    """Problems found in a SQLite store (empty when sound).

    Checks: integrity; the schema (every table, column, index and the full-text table of
    ``schema.py``; an older schema version is migrated on open, so only its version is checked);
    foreign keys; non-empty article texts; every article stored whole: each fact table holds
    exactly the rows the article's graph JSON lists (mentions included), and the full-text
    index has one row per sentence.
    """
    file = sqlite_path(path)
    problems: list[str] = []
    conn = _connect_ro(file)
    try:
        conn.execute("BEGIN")  # one read snapshot for every query below, even while an ingest writes (WAL)
        check = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if check != ["ok"]:
            return [f"integrity_check: {c}" for c in check[:20]]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        version = _schema_version(conn) if "meta" in tables else 0
        if version == SCHEMA_VERSION:
            problems += _schema_problems(conn)
        elif not 1 <= version < SCHEMA_VERSION:
            problems.append(f"schema version {version or '(none)'}: this newsgraph knows 1 to {SCHEMA_VERSION}")
        if "articles" not in tables:
            return problems
        fk: dict[str, int] = {}
        for table, *_ in conn.execute("PRAGMA foreign_key_check").fetchall():
            fk[table] = fk.get(table, 0) + 1
        problems += [f"{n} {table} rows break a foreign key" for table, n in sorted(fk.items())]
        empty = [r[0] for r in conn.execute("SELECT id FROM articles WHERE text IS NULL OR trim(text) = ''")]
        problems += [f"article {aid}: empty text" for aid in empty[:20]]
        counts: dict[str, dict[str, int]] = {}
        for key in COUNTED:
            if key in tables:
                sql = f"SELECT article_id, count(*) FROM {key} GROUP BY article_id"  # names from a constant tuple
                counts[key] = dict(conn.execute(sql))
        problems += row_count_problems(counts, conn.execute("SELECT id, graph_json FROM articles"))
    finally:
        conn.rollback()
        conn.close()
    return problems


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy(src: sqlite3.Connection, dest: Path) -> None:
    """Copy a consistent snapshot of ``src`` into a new self-contained file ``dest`` (no -wal needed)."""
    out = sqlite3.connect(dest)
    try:
        src.backup(out)  # pages=-1: one step, one read transaction, so one consistent snapshot
        out.execute("PRAGMA journal_mode=DELETE")
    finally:
        out.close()
    _fsync(dest)


def backup(db: str | Path, dest: str | Path) -> StoreInfo:
    """Write a consistent copy of the store ``db`` to ``dest`` (atomically: never a partial file)."""
    src_path = sqlite_path(db)
    dest_path = Path(dest).expanduser()
    if not src_path.is_file():
        raise BackupError(f"{src_path}: no such store")
    if dest_path.exists() and dest_path.resolve() == src_path.resolve():
        raise BackupError("the backup file must not be the store itself")
    if dest_path.is_dir():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        dest_path = dest_path / f"newsgraph-{stamp}.db"
    dest_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest_path.with_name(f".{dest_path.name}.partial")
    tmp.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(src_path, timeout=30)
        try:
            _copy(src, tmp)
        finally:
            src.close()
        inspect_store(tmp)
        os.replace(tmp, dest_path)
    except sqlite3.Error as exc:
        raise BackupError(f"backup of {src_path} failed ({exc})") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return inspect_store(dest_path)


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _unused(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3``…: a second restore never overwrites the store the first kept."""
    n = 1
    candidate = path
    while any(Path(f"{candidate}{suffix}").exists() for suffix in ("", "-wal", "-shm")):
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def restore(source: str | Path, db: str | Path, *, keep_previous: bool = True) -> tuple[StoreInfo, Path | None]:
    """Replace the store ``db`` with the backup ``source``; returns its info and where the old store was kept."""
    src_path = Path(source).expanduser()
    db_path = sqlite_path(db)
    inspect_store(src_path)
    if problems := check_store(src_path):
        more = f" and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
        raise BackupError(f"{src_path}: fails `newsgraph check` ({problems[0]}{more}); the store is unchanged")
    if db_path.exists() and db_path.resolve() == src_path.resolve():
        raise BackupError("the backup file is the store itself")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    kept: Path | None = None
    if db_path.exists() and db_path.stat().st_size > 0:
        try:
            inspect_store(db_path)
            usable = True
        except BackupError:
            usable = False
        if keep_previous and usable:
            kept = _unused(db_path.with_name(f"{db_path.name}.before-restore-{_stamp()}"))
            backup(db_path, kept)
        elif not usable:
            # A damaged store cannot be written through SQLite: set it aside whole and start clean.
            kept = _unused(db_path.with_name(f"{db_path.name}.damaged-{_stamp()}"))
            for suffix in ("", "-wal", "-shm"):
                part = Path(f"{db_path}{suffix}")
                if part.exists():
                    os.replace(part, Path(f"{kept}{suffix}"))
    try:
        src = _connect_ro(src_path)
        try:
            dst = sqlite3.connect(db_path, timeout=30)
            try:
                dst.execute("PRAGMA busy_timeout=30000")
                # One write transaction on the live store: concurrent readers see old or new, never a mix.
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=WAL")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"restore into {db_path} failed, the store is unchanged ({exc})") from exc
    with contextlib.suppress(OSError):
        _fsync(db_path)
    from newsgraph.store import Store

    Store(db_path).close()  # an older schema version is migrated now, not on first use
    return inspect_store(db_path), kept
