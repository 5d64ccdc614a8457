"""Crash safety: an ingest killed with SIGKILL loses nothing committed, leaves nothing half-stored,
and resumes; readers during an ingest (the web view) always see a consistent store (SQLite WAL).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import record_figures, summary
from newsgraph.store import Store
from newsgraph.store.backup import backup, check_store

pytestmark = pytest.mark.slow

WIKINEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikinews" / "articles.jsonl"
N_ARTICLES = 30
BATCH = 4
KILLS = int(os.environ.get("NEWSGRAPH_CRASH_KILLS", "3"))  # raise it for a longer stress run
FIGURES: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    record_figures(__name__, FIGURES)


# Without the shared data (a clean CI clone), a synthetic corpus of the same size stands in.
_SYNTH = [
    "The government of {c} announced on Monday that it would cut fuel taxes, the finance minister said.",
    "Protesters gathered outside the parliament in {c} to demand new elections, police said.",
    "Officials in {c} signed an agreement with the World Bank to fund {n} new schools.",
    "The foreign minister of {c} met her counterpart to discuss the border dispute, according to a statement.",
]
_COUNTRIES = ["Peru", "Chile", "Kenya", "Norway", "Vietnam", "Ghana", "Portugal", "Nepal", "Canada", "Egypt"]


def write_corpus(path: Path, n: int = N_ARTICLES) -> int:
    """n articles as JSONL; returns how many distinct articles it holds."""
    records: list[dict[str, str]] = []
    if WIKINEWS.is_file():
        with WIKINEWS.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if len(rec.get("text") or "") > 400 and rec.get("date"):
                    rec["text"] = rec["text"][:1200]
                    records.append(rec)
                if len(records) == n:
                    break
    while len(records) < n:
        i = len(records)
        body = " ".join(s.format(c=_COUNTRIES[(i + k) % 10], n=i + k) for k, s in enumerate(_SYNTH))
        records.append({"date": f"2023-01-{1 + i % 28:02d}", "title": f"Story {i}", "text": f"Story {i}. {body}"})
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return n


def start_ingest(corpus: Path, db: Path) -> subprocess.Popen[str]:
    code = "import sys; from newsgraph.cli import main; sys.argv[0] = 'newsgraph'; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "ingest", str(corpus), "--db", str(db), "--batch-size", str(BATCH)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )


def stored_ids(db: Path) -> set[str]:
    if not db.exists():
        return set()
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return {r[0] for r in conn.execute("SELECT id FROM articles")}
    except sqlite3.OperationalError:  # the store is still being created
        return set()


def wait_for(pred: object, proc: subprocess.Popen[str], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():  # type: ignore[operator]
            return
        if proc.poll() is not None:
            _out, err = proc.communicate()
            raise AssertionError(f"ingest ended before the kill (exit {proc.returncode}): {err[-2000:]}")
        time.sleep(0.02)
    proc.kill()
    raise AssertionError("timed out waiting for the ingest")


def test_sigkill_mid_ingest_loses_nothing_and_resumes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    # The ingest streams fast (a run can store ~25 short articles between its first batch and the kill):
    # room for every kill to land with articles still to come, so the resume has work to do.
    total = write_corpus(corpus, max(N_ARTICLES, KILLS * BATCH * 16 + 8))
    db = tmp_path / "store.db"
    rng = random.Random(8)
    committed: set[str] = set()
    kills = 0
    for _ in range(KILLS):
        proc = start_ingest(corpus, db)
        target = len(committed) + BATCH  # at least one more batch committed by this run
        wait_for(lambda t=target: len(stored_ids(db)) >= t, proc)  # type: ignore[misc]
        time.sleep(rng.uniform(0.0, 0.6))  # then kill at a random point, usually mid-batch
        if proc.poll() is not None:
            break
        seen = stored_ids(db)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        kills += 1
        after = stored_ids(db)
        assert seen <= after, f"committed articles lost by the kill: {sorted(seen - after)}"
        assert committed <= after
        assert check_store(db) == [], "a killed ingest left the store inconsistent"
        committed = after
    assert kills == KILLS, "the ingest finished before it could be killed: make the corpus bigger"
    assert len(committed) < total

    proc = start_ingest(corpus, db)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-3000:]
    skipped = re.search(r"skipped \(already stored\)\D*(\d+)", out)
    assert skipped and int(skipped.group(1)) == len(committed), out  # resumed: nothing re-extracted
    final = stored_ids(db)
    assert len(final) == total and committed <= final
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (total, total)
        assert conn.execute("SELECT count(*) FROM entities WHERE canonical_id IS NULL").fetchone()[0] == 0
    assert check_store(db) == []
    FIGURES["kills survived"] = FIGURES.get("kills survived", 0) + kills
    FIGURES["articles (crash corpus)"] = total


def test_readers_and_backups_during_an_ingest_see_consistent_data(tmp_path: Path) -> None:
    """The web view (its API, over the same store) and other readers read while the ingest writes:
    never a lock error, never a 5xx, never a half-stored article, never a count going backwards."""
    corpus = tmp_path / "corpus.jsonl"
    total = write_corpus(corpus, 20)
    db = tmp_path / "store.db"
    Store(db).close()  # the store exists before the readers start
    proc = start_ingest(corpus, db)
    counts: list[int] = []
    problems: list[str] = []
    errors: list[BaseException] = []
    backups = 0

    def read_loop() -> None:
        from fastapi.testclient import TestClient

        from newsgraph.api import create_app

        try:
            with Store(db) as store:
                web = TestClient(create_app(store, check_assets=False), raise_server_exceptions=False)
                while proc.poll() is None:
                    n = store.stats()["articles"]
                    counts.append(n)
                    for path, params in [("/api/overview", {}), ("/api/articles", {"limit": 50}),
                                         ("/api/search", {"q": "the"})]:  # fmt: skip
                        r = web.get(path, params=params)
                        if r.status_code != 200:
                            problems.append(f"web view {path}: {r.status_code} {r.text[:200]}")
                    problems.extend(check_store(db))
                    time.sleep(0.05)
        except BaseException as exc:  # reported below
            errors.append(exc)

    reader = threading.Thread(target=read_loop)
    reader.start()
    try:
        while proc.poll() is None:
            if stored_ids(db):
                snap = backup(db, tmp_path / f"during-{backups}.db")
                problems.extend(check_store(snap.path))
                backups += 1
                time.sleep(0.3)
            else:
                time.sleep(0.05)
    finally:
        _out, err = proc.communicate(timeout=120)
        reader.join(timeout=30)
    assert proc.returncode == 0, err[-3000:]
    assert not errors, errors
    assert problems == []
    assert len(counts) >= 5 and counts == sorted(counts), "a reader saw the store go backwards"
    assert len(stored_ids(db)) == total
    assert backups >= 1
    FIGURES["reads during ingest"] = len(counts)
    FIGURES["backups during ingest"] = backups


def test_kill_between_storing_and_resolving_is_repaired_on_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Articles are stored, then their entities linked across articles in a second transaction.

    A kill between the two once left stored articles unlinked for good (the resumed ingest skips
    stored articles); the resumed ingest now links what an interrupted one left unlinked.
    """
    from newsgraph.ingest import ingest

    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 6)
    db = tmp_path / "store.db"

    def killed(*_args: object, **_kw: object) -> int:
        raise KeyboardInterrupt  # stands in for SIGKILL right after the batch was committed

    with Store(db) as store:
        with monkeypatch.context() as m:
            m.setattr(store, "resolve_graphs", killed)
            with pytest.raises(KeyboardInterrupt):
                ingest([corpus], store, batch_size=3)
        assert store.stats()["articles"] == 3
        unlinked = "SELECT count(*) FROM entities WHERE canonical_id IS NULL"
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            assert conn.execute(unlinked).fetchone()[0] > 0
        report = ingest([corpus], store, batch_size=3)
        assert report.stored == 3 and report.skipped == 3
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        assert conn.execute(unlinked).fetchone()[0] == 0, "entities of the interrupted batch were never linked"
    assert check_store(db) == []


def test_killed_extraction_worker_does_not_hang_a_parallel_ingest(tmp_path: Path) -> None:
    """A spaCy worker killed (say by the OOM killer) once hung a `-j N` ingest forever; now its batch
    fails over to the serial path and the ingest goes on (fixed in 7ff7cfe: ProcessPoolExecutor)."""
    import psutil

    corpus = tmp_path / "corpus.jsonl"
    total = write_corpus(corpus, 40)
    db = tmp_path / "store.db"
    code = "import sys; from newsgraph.cli import main; sys.argv[0] = 'newsgraph'; main()"
    cmd = [sys.executable, "-c", code, "ingest", str(corpus), "--db", str(db), "--batch-size", str(BATCH), "-j", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: len(stored_ids(db)) >= BATCH, proc, timeout=180)
    workers = psutil.Process(proc.pid).children(recursive=True)
    assert workers
    workers[0].send_signal(signal.SIGKILL)
    last, stalled_since = len(stored_ids(db)), time.monotonic()
    while proc.poll() is None:
        now = len(stored_ids(db))
        if now != last:
            last, stalled_since = now, time.monotonic()
        if time.monotonic() - stalled_since > 30:
            for child in psutil.Process(proc.pid).children(recursive=True):  # they hold the pipes open
                child.kill()
            proc.kill()
            proc.communicate(timeout=30)
            pytest.fail(f"the ingest hung after a worker was killed ({last} of {total} stored)")
        time.sleep(0.2)
    out, err = proc.communicate(timeout=60)
    # the batch of the dead worker was redone or reported failed: every article is one or the other
    first = len(stored_ids(db))
    failed = int(summary(out)["failed"])
    assert proc.returncode == (1 if failed else 0), err[-3000:]
    assert first + failed == total, f"{first} stored + {failed} reported failed, of {total}"
    # a re-run completes the store with exactly the missing articles
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert int(summary(rerun.stdout)["stored"]) == total - first
    assert len(stored_ids(db)) == total and check_store(db) == []
    FIGURES["worker kills survived"] = FIGURES.get("worker kills survived", 0) + 1
