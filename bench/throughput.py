"""Throughput and memory benchmark: bare spaCy vs full newsgraph extraction, RSS at 1k/10k, Dask 1 vs 2 workers.

Run from the repository root (reads ``../shared/data/wikinews/articles.jsonl`` by path)::

    .venv/bin/python bench/throughput.py                      # everything (10k RSS run takes a while)
    .venv/bin/python bench/throughput.py --sizes 1000 --no-dask --speed-docs 300   # quick look

What it measures, in one run on the same articles:

1. speed: docs/s of bare ``nlp.pipe`` and of full extraction (``extract_articles``: ``nlp.pipe``
   plus every registered newsgraph component), both on all cores (``--n-process``) over the same
   pre-read articles, and their ratio (target >= 0.8). Model loading is excluded from both.
2. memory: for each size in ``--sizes`` a fresh subprocess runs the real ingest (streaming reader
   -> extraction -> SQLite store) and reports peak RSS of the process tree (sampled with psutil)
   and end-to-end docs/s. Wikinews has 5,732 articles: beyond that the corpus is cycled, each
   further pass shifting the publication date by one day so that every article id is distinct.
3. scale-out: ``newsgraph.scale.ingest_dask`` on a ``LocalCluster`` with 1 and then 2 worker
   processes (one thread each), warm (models loaded before timing), docs/s for each.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"
GIB = 1024**3


def corpus_records(path: Path, n: int) -> Iterator[dict[str, Any]]:
    """``n`` records from the corpus, cycled with the date shifted one day per extra pass (distinct ids)."""
    produced = 0
    for cycle in itertools.count():
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if produced >= n:
                    return
                rec = json.loads(line)
                if cycle:
                    day = dt.date.fromisoformat(rec["date"][:10]) + dt.timedelta(days=cycle)
                    rec["date"] = day.isoformat()
                    rec["id"] = f"{rec['id']}-c{cycle}"
                yield rec
                produced += 1
        if produced == 0:
            raise SystemExit(f"no articles in {path}")


def write_corpus(path: Path, n: int, out: Path) -> Path:
    with out.open("w", encoding="utf-8") as fh:
        for rec in corpus_records(path, n):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return out


class RssSampler:
    """Peak memory of this process and of this process plus all its children (psutil).

    RSS summed over the tree counts the pages the forked workers share with the parent (the model,
    the lexicons: copy-on-write) once per process; PSS (proportional set size, from smaps) splits
    each shared page between the processes sharing it, so its sum is the tree's real footprint.
    """

    def __init__(self, interval: float = 0.1) -> None:
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.peak_self = 0
        self.peak_tree = 0
        self.peak_tree_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> int:
        import psutil

        own = self.proc.memory_full_info()
        total, pss = own.rss, own.pss
        for child in self.proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                info = child.memory_full_info()
                total += info.rss
                pss += info.pss
        self.peak_self = max(self.peak_self, own.rss)
        self.peak_tree = max(self.peak_tree, total)
        self.peak_tree_pss = max(self.peak_tree_pss, pss)
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


# ---- 1. speed -------------------------------------------------------------------------------------


def run_speed(data: Path, n: int, n_process: int, batch_size: int, rounds: int) -> dict[str, Any]:
    from newsgraph.extract.pipeline import available_pipeline, extract_articles
    from newsgraph.model import Article
    from newsgraph.nlp import load_nlp
    from newsgraph.read import read_paths

    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_corpus(data, n, Path(tmp) / "speed.jsonl")
        t0 = time.perf_counter()
        articles = [a for a in read_paths([corpus]) if isinstance(a, Article) and a.language_supported]
        read_rate = len(articles) / (time.perf_counter() - t0)
    texts = [a.text for a in articles]
    nlp = load_nlp(fast=False)  # bare spaCy: the model's own pipes (newsgraph's faster ones are not bare)
    list(nlp.pipe(texts[:8]))  # warm caches
    list(extract_articles(articles[:8]))
    bare: list[float] = []
    full: list[float] = []
    for r in range(rounds):
        t0 = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
            pass
        bare.append(len(texts) / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        for _graph in extract_articles(articles, batch_size=batch_size, n_process=n_process):
            pass
        full.append(len(texts) / (time.perf_counter() - t0))
        print(f"  round {r + 1}: bare {bare[-1]:.1f} docs/s, full {full[-1]:.1f} docs/s", flush=True)
    b, f = max(bare), max(full)
    from newsgraph.nlp import _close_pools

    _close_pools()  # the extraction workers are not needed by the later (subprocess) runs
    return {
        "docs": len(texts),
        "read_docs_per_s": read_rate,
        "bare_docs_per_s": b,
        "full_docs_per_s": f,
        "ratio": f / b,
        "components": available_pipeline(),
        "spacy_pipes": list(nlp.pipe_names),
    }


def profile_components(data: Path, n: int) -> list[tuple[str, float]]:
    """Seconds per extraction component over ``n`` articles (parse excluded), single process."""
    from newsgraph.extract.pipeline import EXTRACTOR_VERSION as VERSION
    from newsgraph.extract.pipeline import Analysis, available_pipeline, get_component
    from newsgraph.model import Article, ArticleGraph
    from newsgraph.nlp import load_nlp

    nlp = load_nlp()
    recs = list(corpus_records(data, n))
    articles = [Article.create(r["text"], r["date"]) for r in recs]
    t0 = time.perf_counter()
    docs = list(nlp.pipe([a.text for a in articles], batch_size=64))
    parse = time.perf_counter() - t0
    names = available_pipeline()
    spent = dict.fromkeys(names, 0.0)
    for art, doc in zip(articles, docs, strict=True):
        analysis = Analysis(article=art, doc=doc, graph=ArticleGraph(article=art, extractor_version=VERSION))
        for name in names:
            t = time.perf_counter()
            get_component(name)(analysis)
            spent[name] += time.perf_counter() - t
    return [("spaCy parse (1 process)", parse), *spent.items()]


# ---- 2. memory ------------------------------------------------------------------------------------


def rss_child(data: Path, n: int, n_process: int, batch_size: int) -> dict[str, Any]:
    """Ingest ``n`` articles into a fresh SQLite store; peak RSS of the process tree."""
    from newsgraph.ingest import ingest
    from newsgraph.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_corpus(data, n, Path(tmp) / f"corpus-{n}.jsonl")
        store = Store(Path(tmp) / "bench.db")
        curve: list[tuple[int, int]] = []
        done = 0
        with RssSampler() as sampler:
            t0 = time.perf_counter()

            def progress(k: int) -> None:
                nonlocal done
                before, done = done, done + k
                curve.append((done, sampler.sample()))
                if before * 10 // n != done * 10 // n:  # a line every 10 %: a cut-short run still tells
                    rate = done / (time.perf_counter() - t0)
                    print(
                        f"    {done:>6}/{n} articles · RSS tree {curve[-1][1] / GIB:.2f} GiB · peak "
                        f"{sampler.peak_tree / GIB:.2f} GiB (PSS {sampler.peak_tree_pss / GIB:.2f}) · "
                        f"{rate:.1f} docs/s · load {os.getloadavg()[0]:.1f}",
                        file=sys.stderr,
                        flush=True,
                    )

            report = ingest([corpus], store, batch_size=batch_size, n_process=n_process, on_progress=progress)
            elapsed = time.perf_counter() - t0
        store.close()
    marks = {}
    for frac in (0.1, 0.5, 1.0):
        target = int(n * frac)
        point = next((c for c in curve if c[0] >= target), curve[-1] if curve else (0, 0))
        marks[f"{int(frac * 100)}%"] = round(point[1] / GIB, 3)
    return {
        "articles": n,
        "stored": report.stored,
        "failed": len(report.failed),
        "seconds": round(elapsed, 1),
        "ingest_docs_per_s": round(report.stored / elapsed, 2) if elapsed else 0.0,
        "peak_rss_main_gib": round(sampler.peak_self / GIB, 3),
        "peak_rss_tree_gib": round(sampler.peak_tree / GIB, 3),
        "peak_pss_tree_gib": round(sampler.peak_tree_pss / GIB, 3),
        "load_avg_at_end": os.getloadavg(),
        "rss_tree_at_gib": marks,
    }


def run_rss(data: Path, n: int, n_process: int, batch_size: int) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--rss-child", str(n), "--data", str(data),
           "--n-process", str(n_process), "--batch-size", str(batch_size)]  # fmt: skip
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)  # progress lines pass on stderr
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


# ---- 3. dask --------------------------------------------------------------------------------------


def run_dask(data: Path, n: int, workers: int, partition_size: int) -> dict[str, Any]:
    from dask.distributed import Client, LocalCluster

    from newsgraph.scale import ingest_dask, warm_workers
    from newsgraph.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_corpus(data, n, Path(tmp) / "dask.jsonl")
        with (
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            warm_workers(client)
            store = Store(Path(tmp) / "dask.db")
            t0 = time.perf_counter()
            report = ingest_dask([corpus], store, client=client, work_dir=Path(tmp) / "parts",
                                 partition_size=partition_size)  # fmt: skip
            elapsed = time.perf_counter() - t0
            store.close()
    return {"workers": workers, "articles": report.stored, "seconds": round(elapsed, 1),
            "docs_per_s": round(report.stored / elapsed, 2)}  # fmt: skip


# ---- main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a JSONL corpus (default: wikinews)")
    parser.add_argument("--speed-docs", type=int, default=1000, help="articles for bare vs full (0: skip)")
    parser.add_argument("--rounds", type=int, default=1, help="alternate bare/full this many times, keep the best")
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts for RSS runs ('' skips)")
    parser.add_argument("--n-process", type=int, default=os.cpu_count() or 1, help="spaCy processes (default: cores)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--dask-docs", type=int, default=300, help="articles for the Dask 1 vs 2 workers run")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--profile-docs", type=int, default=0, help="also time each component on N articles")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--rss-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.rss_child:
        print(json.dumps(rss_child(args.data, args.rss_child, args.n_process, args.batch_size)))
        return
    if not args.data.exists():
        raise SystemExit(f"corpus not found: {args.data} (run from the repository root next to ../shared)")

    import platform

    import psutil

    results: dict[str, Any] = {
        "machine": {
            "cores": os.cpu_count(),
            "ram_gib": round(psutil.virtual_memory().total / GIB, 1),
            "python": platform.python_version(),
            "load_avg_at_start": os.getloadavg(),
        },
        "n_process": args.n_process,
        "batch_size": args.batch_size,
    }
    print(f"newsgraph throughput bench · {os.cpu_count()} cores · n_process={args.n_process} · "
          f"batch_size={args.batch_size} · corpus {args.data}", flush=True)  # fmt: skip

    if args.speed_docs:
        print(f"\n[1] bare nlp.pipe vs full extraction on the same {args.speed_docs} articles", flush=True)
        sp = run_speed(args.data, args.speed_docs, args.n_process, args.batch_size, args.rounds)
        results["speed"] = sp
        print(f"  components: {', '.join(sp['components'])}; spaCy pipes: {', '.join(sp['spacy_pipes'])}")
        print(f"  reading (decode + language detection): {sp['read_docs_per_s']:.1f} docs/s (1 process)")
        print(f"  bare nlp.pipe      {sp['bare_docs_per_s']:8.1f} docs/s")
        print(f"  full extraction    {sp['full_docs_per_s']:8.1f} docs/s")
        ok = "ok" if sp["ratio"] >= 0.8 else "BELOW TARGET"
        print(f"  ratio full/bare    {sp['ratio']:8.2f}   (target >= 0.80: {ok})", flush=True)

    if args.profile_docs:
        print(f"\n[1b] time per component over {args.profile_docs} articles (1 process)", flush=True)
        prof = profile_components(args.data, args.profile_docs)
        results["profile_seconds"] = dict(prof)
        for name, secs in prof:
            print(f"  {name:28s} {secs:8.2f} s")

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if sizes:
        print("\n[2] peak RSS, full ingest (read -> extract -> SQLite) in a fresh process per size", flush=True)
        if any(s > 5732 for s in sizes) and args.data == DEFAULT_DATA:
            print("  (wikinews has 5,732 articles: larger sizes cycle it, each pass shifting dates one day "
                  "so ids stay distinct)")  # fmt: skip
        results["rss"] = []
        for n in sizes:
            r = run_rss(args.data, n, args.n_process, args.batch_size)
            results["rss"].append(r)
            flat = ", ".join(f"{k} {v:.2f}" for k, v in r["rss_tree_at_gib"].items())
            print(f"  {n:>6} articles: peak RSS {r['peak_rss_tree_gib']:.2f} GiB (process tree; PSS "
                  f"{r['peak_pss_tree_gib']:.2f}; main "
                  f"{r['peak_rss_main_gib']:.2f}) · at {flat} GiB · {r['ingest_docs_per_s']:.1f} docs/s "
                  f"end to end · {r['seconds']} s", flush=True)  # fmt: skip
        peak = max(r["peak_rss_tree_gib"] for r in results["rss"])
        print(f"  target: flat and under 1.5 GiB: {'ok' if peak < 1.5 else 'ABOVE TARGET'}")

    if not args.no_dask and args.dask_docs:
        print(f"\n[3] Dask LocalCluster, {args.dask_docs} articles, warm workers (1 thread each)", flush=True)
        results["dask"] = []
        for workers in (1, 2):
            d = run_dask(args.data, args.dask_docs, workers, partition_size=max(8, args.dask_docs // 12))
            results["dask"].append(d)
            print(f"  {workers} worker{'s' if workers > 1 else ' '}: {d['docs_per_s']:.1f} docs/s "
                  f"({d['articles']} articles in {d['seconds']} s)", flush=True)  # fmt: skip
        if len(results["dask"]) == 2 and results["dask"][0]["docs_per_s"]:
            print(f"  speed-up 2 vs 1: {results['dask'][1]['docs_per_s'] / results['dask'][0]['docs_per_s']:.2f}x")

    results["load_avg_at_end"] = os.getloadavg()
    print(f"\nload average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
          "(other processes on the machine depress every figure)")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
