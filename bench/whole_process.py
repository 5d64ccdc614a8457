"""Whole-process speed: the user's own commands against bare spaCy, each a fresh process.

Run from the repository root (reads ``../shared/data/wikinews/articles.jsonl`` by path)::

    .venv/bin/python bench/whole_process.py                  # 400 articles, 2 alternating rounds
    .venv/bin/python bench/whole_process.py --docs 200 --rounds 1 --bare-one

Each round runs, one after the other and each as a subprocess (interpreter start, imports, model
loading and reading the file count for every one of them):

- ``bare``: a small script that loads the model, reads the same JSONL file and pipes its texts
  through ``nlp.pipe(n_process=cores)`` (spaCy alone, the ceiling);
- ``ingest``: ``newsgraph ingest FILE`` with default options into a fresh store ($NEWSGRAPH_DB);
- ``extract``: ``newsgraph extract FILE`` with default options, its JSONL to /dev/null;
- with ``--bare-one``, also ``bare`` on one process (what ``extract`` used to be compared to).

It prints the seconds, the peak RSS of each process tree and the load average before each run, and
each command's ratio to ``bare`` (bare seconds / command seconds: 1.0 = as fast as spaCy alone;
target >= 0.85). Other processes on a shared machine slow every run: the rounds alternate so they
slow both sides alike, and the best of each side is kept.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
# shared/ sits beside the repository (or beside the folder of worktrees holding it)
DEFAULT_DATA = next(
    (p / "shared" / "data" / "wikinews" / "articles.jsonl" for p in ROOT.parents if (p / "shared" / "data").is_dir()),
    ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl",
)
GIB = 1024**3
TARGET = 0.85


def bare_child(path: Path, n_process: int, batch_size: int) -> None:
    """Bare spaCy as a user script would run it: load the model, read the file, pipe the texts.

    The model's own pipes (``fast=False``): newsgraph's faster attribute ruler and lemmatizer
    (`newsgraph.spacy_pipes`) are newsgraph's work, not spaCy's.
    """
    from newsgraph.nlp import load_nlp

    nlp = load_nlp(fast=False)
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]
    n = sum(1 for _doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process))
    print(n, file=sys.stderr)


class Timing(NamedTuple):
    seconds: float  # wall clock
    cpu: float  # user + system CPU seconds of the process and every child it waited for
    peak_rss_gib: float  # peak of the RSS summed over the process tree (shared pages counted per process)
    peak_pss_gib: float  # peak of the PSS summed over the tree (shared pages split between processes)


def _tree_memory(ps: Any, pss: bool) -> tuple[int, int]:
    """RSS and PSS (bytes) summed over a process and its children; PSS 0 when not asked or unreadable."""
    import psutil

    rss = pss_sum = 0
    for p in [ps, *ps.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            if pss:
                info = p.memory_full_info()
                rss += info.rss
                pss_sum += info.pss
            else:
                rss += p.memory_info().rss
    return rss, pss_sum


def timed(cmd: list[str], env: dict[str, str], pss: bool = False) -> Timing:
    """Wall seconds, CPU seconds (load-independent, from ``wait4``) and peak memory of one command.

    Memory is sampled every 0.1 s over the whole process tree; PSS (``--pss``) reads smaps, which
    costs CPU itself, so it is off by default.
    """
    import psutil

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    peak = peak_pss = 0
    status = None
    usage = None
    while status is None:
        rss, pss_now = _tree_memory(ps, pss)
        peak, peak_pss = max(peak, rss), max(peak_pss, pss_now)
        time.sleep(0.1)
        pid, code, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            status, usage = code, ru
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime if usage else 0.0
    return Timing(elapsed, cpu, peak / GIB, peak_pss / GIB)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a JSONL corpus (default: wikinews)")
    parser.add_argument("--docs", type=int, default=400, help="the first N articles of the corpus")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best of each is kept")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1, help="bare spaCy's n_process")
    parser.add_argument("--bare-one", action="store_true", help="also time bare spaCy on one process")
    parser.add_argument("--only", default="ingest,extract", help="which commands to time (ingest,extract)")
    parser.add_argument("--pss", action="store_true", help="also sample the tree's summed PSS (reads smaps)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--baseline-src", type=Path, help="also time the commands of another checkout's src/ "
                        "(e.g. a worktree of an older commit), alternating with these")  # fmt: skip
    parser.add_argument("--bare-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--n-process", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_child:
        bare_child(args.bare_child, args.n_process, 64)
        return
    if not args.data.exists():
        raise SystemExit(f"corpus not found: {args.data} (run from the repository root next to ../shared)")

    newsgraph = str(Path(sys.executable).with_name("newsgraph"))
    me = str(Path(__file__).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "articles.jsonl"
        with args.data.open(encoding="utf-8") as src, corpus.open("w", encoding="utf-8") as out:
            for i, line in enumerate(src):
                if i >= args.docs:
                    break
                out.write(line)
        commands: dict[str, list[str]] = {
            "bare": [sys.executable, me, "--bare-child", str(corpus), "--n-process", str(args.cores)],
        }
        if args.bare_one:
            commands["bare-1"] = [sys.executable, me, "--bare-child", str(corpus), "--n-process", "1"]
        wanted = {w.strip() for w in args.only.split(",")}
        if "ingest" in wanted:
            commands["ingest"] = [newsgraph, "ingest", str(corpus)]
        if "extract" in wanted:
            commands["extract"] = [newsgraph, "extract", str(corpus)]
        envs: dict[str, dict[str, str]] = {}
        if args.baseline_src:
            for name in [n for n in commands if not n.startswith("bare")]:
                commands[f"{name}@base"] = commands[name]
                envs[f"{name}@base"] = {"PYTHONPATH": str(args.baseline_src.resolve())}
        print(f"whole-process bench · {os.cpu_count()} cores · {args.docs} articles of {args.data.name} · "
              f"bare = nlp.pipe(n_process={args.cores}) · {args.rounds} rounds", flush=True)  # fmt: skip
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in commands}
        for r in range(args.rounds):
            for name, cmd in commands.items():
                store = Path(tmp) / f"store-{r}-{name}.db"
                env = dict(os.environ, NEWSGRAPH_DB=str(store), **envs.get(name, {}))
                load = os.getloadavg()[0]
                t = timed(cmd, env, pss=args.pss)
                runs[name].append({"seconds": round(t.seconds, 2), "cpu_seconds": round(t.cpu, 2),
                                   "peak_rss_gib": round(t.peak_rss_gib, 3), "peak_pss_gib": round(t.peak_pss_gib, 3),
                                   "load": load})  # fmt: skip
                pss = f" · PSS {t.peak_pss_gib:.2f}" if args.pss else ""
                print(f"  round {r + 1} {name:14s} {t.seconds:7.1f} s · CPU {t.cpu:6.1f} s · peak RSS "
                      f"{t.peak_rss_gib:.2f} GiB{pss} · load {load:.2f}", flush=True)  # fmt: skip
            bare_s = runs["bare"][-1]["seconds"]
            ratios = ", ".join(f"{n} {bare_s / runs[n][-1]['seconds']:.2f}x" for n in commands if n != "bare")
            print(f"  round {r + 1} ratios vs bare: {ratios}", flush=True)
    best = {name: min(x["seconds"] for x in xs) for name, xs in runs.items()}
    cpu = {name: min(x["cpu_seconds"] for x in xs) for name, xs in runs.items()}
    print(f"\nbest of {args.rounds} (seconds, ratio = bare {best['bare']:.1f} s / command; CPU seconds, "
          f"ratio = bare {cpu['bare']:.1f} CPU s / command's):")  # fmt: skip
    for name, secs in best.items():
        line = f"  {name:14s} {secs:7.1f} s · CPU {cpu[name]:6.1f} s"
        if name != "bare":
            ratio = best["bare"] / secs
            line += f"  {ratio:.2f}x bare ({'ok' if ratio >= TARGET else 'below'} target {TARGET})"
            line += f" · CPU {cpu['bare'] / cpu[name]:.2f}x"
            if "bare-1" in best and name != "bare-1":
                line += f"  · {best['bare-1'] / secs:.2f}x bare-1"
        print(line)
    print(f"load average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        figures = {"docs": args.docs, "cores": args.cores, "runs": runs, "best": best, "best_cpu": cpu}
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
