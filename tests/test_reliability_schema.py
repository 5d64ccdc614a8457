"""A new store is created whole or not at all; `check` verifies the schema; `restore` refuses what fails it.

Before the fix each CREATE ran in autocommit (pysqlite), so a kill during creation left a
half-made store that every later open took for complete (`no such table: sentences_fts`),
`check` said ok, and two processes creating one store at once collided.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsgraph.store import Store
from newsgraph.store.backup import BackupError, backup, check_store, expected_schema, restore


def _newsgraph() -> list[str]:
    exe = Path(sys.executable).with_name("newsgraph")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "newsgraph.cli"]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_newsgraph(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )


# Kills its own process (SIGKILL) just before the Nth CREATE statement of a new store.
_KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from sqlalchemy import Engine, event
    from newsgraph.store import Store

    limit, seen = int(sys.argv[2]), [0]

    @event.listens_for(Engine, "before_cursor_execute")
    def kill(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("CREATE"):
            seen[0] += 1
            if seen[0] == limit:
                os.kill(os.getpid(), signal.SIGKILL)

    Store(sys.argv[1]).close()
    print(seen[0])
    """
)


def _creates() -> int:
    return len(expected_schema()) - 5  # FTS5 makes its 5 shadow tables itself


@pytest.mark.parametrize("where", ["second", "middle", "last"])
def test_a_kill_while_a_new_store_is_created_leaves_no_broken_store(tmp_path: Path, where: str) -> None:
    n = _creates()
    limit = {"second": 2, "middle": n // 2, "last": n}[where]
    db = tmp_path / "new.db"
    killed = subprocess.run([sys.executable, "-c", _KILLER, str(db), str(limit)], capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("The mayor of Lisbon opened a new bridge on Monday, officials said.\n")
    ingest = _run("ingest", "in", "--db", str(db), "--date", "2024-03-04", cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr[-2000:]
    check = _run("check", "--db", str(db), cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert check_store(db) == []


def _open(path: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    barrier.wait()
    Store(path).close()


def test_stores_created_by_several_processes_at_once_do_not_collide(tmp_path: Path) -> None:
    """Two ingests starting on a new store used to die with `table meta already exists`."""
    ctx = multiprocessing.get_context("spawn")
    for trial in range(3):
        db = str(tmp_path / f"race{trial}.db")
        barrier = ctx.Barrier(4)
        procs = [ctx.Process(target=_open, args=(db, barrier)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        assert [p.exitcode for p in procs] == [0, 0, 0, 0], f"trial {trial}"
        assert check_store(db) == []


def test_two_ingests_on_a_new_store(tmp_path: Path) -> None:
    """The user's path: two `newsgraph ingest` started together on a store that does not exist yet."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i, city in enumerate(["Oslo", "Quito", "Accra"]):
        (corpus / f"{i}.txt").write_text(f"The mayor of {city} opened a new bridge on Monday, officials said.\n")
    db = tmp_path / "new.db"
    cmd = [*_newsgraph(), "ingest", "in", "--db", str(db), "--date", "2024-03-04"]
    procs = [
        subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in "ab"
    ]
    results = [(p.wait(300), p.communicate()[1]) for p in procs]
    assert [rc for rc, _ in results] == [0, 0], results
    assert check_store(db) == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


@pytest.fixture(scope="module")
def _ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store made by `newsgraph ingest` (once per module: the CLI loads spaCy)."""
    base = tmp_path_factory.mktemp("ingested")
    (base / "in").mkdir()
    (base / "in" / "a.txt").write_text("The mayor of Lima opened a new bridge on Monday, officials said.\n")
    result = _run("ingest", "in", "--db", str(base / "live.db"), "--date", "2024-03-04", cwd=base)
    assert result.returncode == 0, result.stderr
    return base / "live.db"


@pytest.fixture
def sound(tmp_path: Path, _ingested: Path) -> Path:
    db = tmp_path / "live.db"
    shutil.copyfile(_ingested, db)
    return db


BREAKAGES = {
    "missing FTS table": ("DROP TABLE sentences_fts", "table sentences_fts is missing"),
    "missing table": ("DROP TABLE times", "table times is missing"),
    "missing index": ("DROP INDEX ix_events_type", "index ix_events_type is missing"),
    "broken foreign key": (
        "PRAGMA foreign_keys=OFF; INSERT INTO canonical_entities VALUES ('c1', 'X', 'Person', 'x');"
        "INSERT INTO times (article_id, text, start, \"end\") VALUES ('ghost', 'today', 0, 5)",
        "times rows break a foreign key",
    ),
    "empty text": ("UPDATE articles SET text = ''", "empty text"),
}


@pytest.mark.parametrize("kind", list(BREAKAGES))
def test_check_finds_a_broken_schema_foreign_key_or_empty_text(tmp_path: Path, sound: Path, kind: str) -> None:
    sql, message = BREAKAGES[kind]
    assert _run("check", "--db", str(sound), cwd=tmp_path).returncode == 0
    conn = sqlite3.connect(sound)
    conn.executescript(sql)
    conn.close()
    result = _run("check", "--db", str(sound), cwd=tmp_path)
    assert result.returncode == 1 and message in result.stderr, result.stderr


@pytest.mark.parametrize("kind", ["missing FTS table", "missing index", "empty text"])
def test_restore_refuses_a_backup_that_fails_check(tmp_path: Path, sound: Path, kind: str) -> None:
    bad = tmp_path / "bad.db"
    backup(sound, bad)
    conn = sqlite3.connect(bad)
    conn.executescript(BREAKAGES[kind][0])
    conn.close()
    before = sound.read_bytes()
    with pytest.raises(BackupError, match="fails `newsgraph check`"):
        restore(bad, sound)
    result = _run("restore", str(bad), "--db", str(sound), cwd=tmp_path)
    assert result.returncode == 1 and BREAKAGES[kind][1] in result.stderr, result.stderr
    assert sound.read_bytes() == before
    assert not list(tmp_path.glob("live.db.before-restore*"))
