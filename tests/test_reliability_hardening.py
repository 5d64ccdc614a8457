"""Hardening round two (#15): each test here failed before its fix, and runs as the user does
(the `newsgraph` command in a subprocess, real files) where the item is a user path.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.store import Store
from newsgraph.store.backup import check_store

pytestmark = pytest.mark.slow


def newsgraph(*args: str, cwd: Path, timeout: float = 600, **kw: object) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("newsgraph")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "newsgraph.cli"]
    return subprocess.run(
        [*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "COLUMNS": "200"}, **kw,  # type: ignore[call-overload]
    )  # fmt: skip


def _popen(*args: str, cwd: Path) -> subprocess.Popen[str]:
    exe = Path(sys.executable).with_name("newsgraph")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "newsgraph.cli"]
    return subprocess.Popen(
        [*cmd, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip


CITIES = ["Oslo", "Quito", "Accra", "Hanoi", "Lima", "Riga", "Dakar", "Perth", "Bern", "Sofia", "Doha", "Kyiv"]


def _articles(n: int) -> list[dict[str, str]]:
    return [
        {"title": f"Bridge {i}", "date": "2024-03-04",
         "text": f"The mayor of {CITIES[i % len(CITIES)]} opened bridge number {i} on Monday, officials said."}
        for i in range(n)
    ]  # fmt: skip


# ---- 12. two overlapping ingests into one store -------------------------------------------------


def test_two_overlapping_ingests_into_one_store_skip_each_others_articles(tmp_path: Path) -> None:
    """Before: one of them died with `UNIQUE constraint failed: articles.id` (exit 1)."""
    records = _articles(12)
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records[:10]))
    (tmp_path / "b.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records[2:]))
    db = tmp_path / "s.db"
    Store(db).close()  # the store exists: this is not the new-store race (see test_reliability_schema.py)
    procs = [
        _popen("ingest", name, "--db", str(db), "--batch-size", "1", cwd=tmp_path) for name in ("a.jsonl", "b.jsonl")
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-1500:] for _, err in outs]
    assert check_store(db) == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 12
