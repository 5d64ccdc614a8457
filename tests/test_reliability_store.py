"""Data safety: backup and restore of the store, and migrations from every earlier schema version."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.store import Store
from newsgraph.store.backup import BackupError, backup, check_store, restore
from newsgraph.store.migrations import SCHEMA_VERSION

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
from make_store_fixture import graphs  # noqa: E402

STORE_DUMPS = sorted(FIXTURES.glob("store_v*.sql"), key=lambda p: int(re.findall(r"\d+", p.stem)[0]))


def _version(dump: Path) -> int:
    return int(re.findall(r"\d+", dump.stem)[0])


def _load_dump(dump: Path, db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.executescript(dump.read_text(encoding="utf-8"))
    conn.close()


def _ids(db: Path) -> set[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {r[0] for r in conn.execute("SELECT id FROM articles")}


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    db = tmp_path / "live.db"
    with Store(db) as store:
        store.save_graphs(graphs()[:1])
    return db


# ---- migrations ---------------------------------------------------------------------------------


def test_there_is_a_fixture_for_every_earlier_schema_version() -> None:
    versions = {_version(p) for p in STORE_DUMPS}
    missing = set(range(1, SCHEMA_VERSION)) - versions
    assert not missing, f"capture store_v<N>.sql (tests/fixtures/make_store_fixture.py) for versions {missing}"


@pytest.mark.parametrize("dump", STORE_DUMPS, ids=[p.stem for p in STORE_DUMPS])
def test_store_of_every_schema_version_migrates_without_loss(tmp_path: Path, dump: Path) -> None:
    db = tmp_path / "old.db"
    _load_dump(dump, db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (str(_version(dump)),)
        before = {aid: json.loads(g) for aid, g in conn.execute("SELECT id, graph_json FROM articles")}
    assert before, "the fixture holds articles"
    with Store(db) as store:
        assert store.migrated_from == _version(dump)
        stats = store.stats()
        assert stats["articles"] == len(before)
        for aid, graph in before.items():
            got = store.get_graph(aid)
            assert got is not None and got.article.text == graph["article"]["text"]
            assert len(got.entities) == len(graph["entities"]) and len(got.events) == len(graph["events"])
        assert {r["article_id"] for r in store.search_sentences("minister")} <= set(before)
        assert store.search_sentences("Freedonia"), "full-text index lost in migration"
        # the migrated store takes new articles
        fresh = graphs()[1]
        store.save_graphs([fresh], replace=True)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (str(SCHEMA_VERSION),)
    assert check_store(db) == []
    with Store(db) as again:  # opening a migrated store again is a no-op
        assert again.migrated_from == SCHEMA_VERSION


def test_store_newer_than_the_code_is_refused_clearly(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(RuntimeError, match="newer than this newsgraph"):
        Store(db)


# ---- backup and restore -------------------------------------------------------------------------


def test_cli_backup_then_restore_round_trip(tmp_path: Path, filled: Path) -> None:
    runner = CliRunner()
    dest = tmp_path / "backups" / "b1.db"
    result = runner.invoke(app, ["backup", str(dest), "--db", str(filled)])
    assert result.exit_code == 0, result.output
    assert "backed up 1 articles" in result.stdout
    assert not list(dest.parent.glob("*.partial")) and not Path(f"{dest}-wal").exists()
    saved = _ids(filled)

    with Store(filled) as store:  # the store moves on after the backup
        store.save_graphs(graphs()[1:])
    later = _ids(filled)
    assert len(later) == 2

    result = runner.invoke(app, ["restore", str(dest), "--db", str(filled)])
    assert result.exit_code == 0, result.output
    assert _ids(filled) == saved
    (kept,) = filled.parent.glob(f"{filled.name}.before-restore-*")
    assert _ids(kept) == later, "the replaced store was not kept"
    assert check_store(filled) == []
    with Store(filled) as store:  # and the restored store works
        assert store.search_sentences("Freedonia")
        store.save_graphs(graphs()[1:])
    assert _ids(filled) == later

    result = runner.invoke(app, ["check", "--db", str(filled)])
    assert result.exit_code == 0 and "ok" in result.stdout


def test_backup_into_a_directory_names_a_dated_file(tmp_path: Path, filled: Path) -> None:
    info = backup(filled, tmp_path)
    assert info.path.parent == tmp_path and info.path.name.startswith("newsgraph-") and info.articles == 1


@pytest.mark.parametrize("kind", ["random-bytes", "empty", "plain-sqlite", "future-version", "truncated", "missing"])
def test_restore_refuses_what_is_not_a_known_store_and_changes_nothing(tmp_path: Path, filled: Path, kind: str) -> None:
    bad = tmp_path / f"{kind}.db"
    if kind == "random-bytes":
        bad.write_bytes(bytes(range(256)) * 40)
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "plain-sqlite":
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE articles (id TEXT)")
    elif kind == "future-version":
        backup(filled, bad)
        with sqlite3.connect(bad) as conn:
            conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    elif kind == "truncated":
        full = tmp_path / "full.db"
        backup(filled, full)
        data = full.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    before = filled.read_bytes()
    with pytest.raises(BackupError) as err:
        restore(bad, filled)
    assert str(bad) in str(err.value)
    assert filled.read_bytes() == before and not list(filled.parent.glob(f"{filled.name}.before-restore*"))
    result = CliRunner().invoke(app, ["restore", str(bad), "--db", str(filled)])
    assert result.exit_code == 1 and result.stderr.startswith("error: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_restore_over_a_damaged_store_sets_it_aside(tmp_path: Path, filled: Path) -> None:
    good = tmp_path / "good.db"
    backup(filled, good)
    filled.write_bytes(b"garbage" * 1000)
    info, kept = restore(good, filled)
    assert info.articles == 1 and kept is not None and kept.read_bytes().startswith(b"garbage")
    assert check_store(filled) == []


def test_restore_of_an_older_schema_version_migrates_it(tmp_path: Path, filled: Path) -> None:
    for dump in STORE_DUMPS:
        old = tmp_path / f"{dump.stem}.db"
        _load_dump(dump, old)
        info, _ = restore(old, filled)
        assert info.schema_version == SCHEMA_VERSION and check_store(filled) == []


def test_backup_refuses_a_postgres_url(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="pg_dump"):
        backup("postgresql+psycopg://u@localhost/newsgraph", tmp_path / "x.db")


def test_check_finds_a_half_stored_article(tmp_path: Path, filled: Path) -> None:
    """The integrity check the crash tests rely on can fail: rows missing, rows orphaned."""
    assert check_store(filled) == []
    (aid,) = _ids(filled)
    with sqlite3.connect(filled) as conn:
        conn.execute("DELETE FROM sentences WHERE article_id = ? AND idx = 1", (aid,))
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("INSERT INTO entities (article_id, id, name, type) VALUES ('ghost', 'e1', 'X', 'Person')")
    problems = check_store(filled)
    assert any("1 sentences rows, its graph has 2" in p for p in problems), problems
    assert any("ghost" in p for p in problems), problems
    result = CliRunner().invoke(app, ["check", "--db", str(filled)])
    assert result.exit_code == 1 and "problem:" in result.stderr


def test_restore_under_an_open_store_is_seen_by_it(tmp_path: Path, filled: Path) -> None:
    """The web view keeps its store open: after a restore it reads the restored data, not a mix."""
    snapshot = tmp_path / "one.db"
    backup(filled, snapshot)
    with Store(filled) as live:  # stands in for the running web view
        live.save_graphs(graphs()[1:])
        assert live.stats()["articles"] == 2
        restore(snapshot, filled)
        assert live.stats()["articles"] == 1
        assert live.search_sentences("Sylvania") == []
        live.save_graphs(graphs()[1:])  # and it can still write
        assert live.stats()["articles"] == 2
    assert check_store(filled) == []


def test_row_count_problems_is_one_pure_comparison_for_sqlite_and_servers() -> None:
    """`newsgraph check` on SQLite and on PostgreSQL share this one comparison (it was written twice)."""
    import json

    from newsgraph.store.check import row_count_problems

    graph = json.dumps({"sentences": [{}, {}], "entities": [{"mentions": [{}, {}, {}]}], "events": [{}]})
    sound = {"sentences": {"a": 2}, "entities": {"a": 1}, "mentions": {"a": 3}, "sentences_fts": {"a": 2}}
    assert row_count_problems(sound, [("a", graph)]) == []
    assert row_count_problems({**sound, "events": {"a": 1}}, [("a", graph)]) == []
    broken = {**sound, "mentions": {"a": 2, "b": 4}}
    assert row_count_problems(broken, [("a", graph), ("c", "{not json")]) == [
        "article a: 2 mentions rows, its graph has 3",
        "article c: graph_json is not JSON",
        "4 mentions rows of article b, which is not stored",
    ]
