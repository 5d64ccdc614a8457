"""Scale-out as users run it: `newsgraph ingest --engine dask --scheduler` on 1 vs 2 `dask worker` processes.

    .venv/bin/python bench/dask_whole_process.py                  # 120 Wikinews articles
    .venv/bin/python bench/dask_whole_process.py --docs 300 --json out.json

For each worker count a fresh `dask scheduler` and `dask worker --nworkers K --nthreads 1` are
started (cold: each worker loads the model on its first partition, as in real use), then the
whole `newsgraph ingest` command is timed from start to exit (reading, language detection,
partitions out and back, Parquet, load into SQLite, entity resolution). A local
`newsgraph ingest -j 1` of the same feed is the baseline. Finally the Parquet partitions of the
last run are loaded again into a fresh store in this process (`newsgraph.scale.load_part`): the
rate at which the one driver writes results, which bounds how many workers it can keep busy.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"
BIN = Path(sys.executable).parent


def write_feed(data: Path, n: int, out: Path) -> Path:
    with data.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    return out


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{run.stderr[-3000:]}")
    return time.perf_counter() - start


def dask_run(feed: Path, workers: int, db: Path, partition: int) -> float:
    from dask.distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        sched = subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        work = subprocess.Popen([str(BIN / "dask"), "worker", address, "--nworkers", str(workers), "--nthreads", "1",
                                 "--no-dashboard", "--local-directory", tmp],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            time.sleep(1)
            with Client(address, timeout=60, set_as_default=False) as c:
                c.wait_for_workers(workers, timeout=120)
            return timed([str(BIN / "newsgraph"), "ingest", str(feed), "--db", str(db), "--engine", "dask",
                          "--scheduler", address, "--batch-size", str(partition)])  # fmt: skip
        finally:
            for p in (work, sched):
                p.terminate()
                p.wait(timeout=60)


def load_rate(parts: Path, db: Path) -> dict[str, float]:
    from newsgraph.scale import load_part
    from newsgraph.store import Store

    files = sorted(parts.glob("part-*.parquet"))
    with Store(db) as store:
        start = time.perf_counter()
        stored = sum(load_part(f, store)[0] for f in files)
        seconds = time.perf_counter() - start
    return {"partitions": len(files), "articles": stored, "seconds": round(seconds, 2),
            "articles_per_s": round(stored / seconds, 1) if seconds else 0.0}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=120)
    parser.add_argument("--partition", type=int, default=16, help="--batch-size: articles per partition")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict[str, Any] = {"docs": args.docs, "partition": args.partition, "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        feed = write_feed(args.data, args.docs, Path(tmp) / "feed.jsonl")
        local = timed([str(BIN / "newsgraph"), "ingest", str(feed), "--db", str(Path(tmp) / "local.db"), "-j", "1"])
        results["local_j1_s"] = round(local, 1)
        print(f"local ingest -j 1: {local:.1f} s ({args.docs / local:.2f} articles/s)", flush=True)
        for k in (1, 2):
            db = Path(tmp) / f"dask{k}.db"
            secs = dask_run(feed, k, db, args.partition)
            results[f"dask_{k}_workers_s"] = round(secs, 1)
            print(f"dask, {k} worker process(es): {secs:.1f} s ({args.docs / secs:.2f} articles/s)", flush=True)
        results["load"] = load_rate(Path(tmp) / "dask2.db.parts", Path(tmp) / "reload.db")
        print(f"driver loads partitions at {results['load']['articles_per_s']} articles/s "
              f"({results['load']['articles']} articles, {results['load']['partitions']} partitions)")  # fmt: skip
    results["load_after"] = os.getloadavg()
    print(f"load average before {results['load_before']}, after {results['load_after']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
