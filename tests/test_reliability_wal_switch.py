"""Several processes opening one new store at once: SQLite can answer "database is locked" to
`PRAGMA journal_mode=WAL` at once, without its busy handler (another process is switching the
file or recovering its WAL index). The connection hook retries instead of failing the open (CI
saw 3 of 4 processes fail in test_stores_created_by_several_processes_at_once_do_not_collide)."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from newsgraph.store import sqlite_pragmas


class _Cursor:
    def __init__(self, locked_times: int, message: str = "database is locked") -> None:
        self.locked_times = locked_times
        self.message = message
        self.executed: list[str] = []

    def execute(self, sql: str) -> None:
        if sql == "PRAGMA journal_mode=WAL" and self.locked_times:
            self.locked_times -= 1
            raise sqlite3.OperationalError(self.message)
        self.executed.append(sql)

    def close(self) -> None:
        pass


class _Connection:
    def __init__(self, cursor: _Cursor) -> None:
        self._cursor = cursor

    def cursor(self) -> Any:
        return self._cursor


def test_a_locked_wal_switch_is_retried_until_it_succeeds() -> None:
    cur = _Cursor(locked_times=3)
    sqlite_pragmas(_Connection(cur), None)
    assert "PRAGMA journal_mode=WAL" in cur.executed
    assert cur.executed[-1] == "PRAGMA foreign_keys=ON"


def test_other_errors_are_not_retried() -> None:
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        sqlite_pragmas(_Connection(_Cursor(locked_times=1, message="disk I/O error")), None)
