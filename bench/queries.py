"""Query latency as a user meets it: the real `newsgraph serve` over HTTP, p50/p95 per endpoint.

Starts ``newsgraph serve --db STORE`` in a subprocess (the command a user runs), asks the API
for the most reported actors (``/api/actors``, default 40), then, for each actor and each
round, times one request per endpoint — profile, graph (1 and 2 hops), timeline, claims and
search (the actor's name) — from sending it to having read the whole JSON body. One unmeasured
pass over the endpoints warms the server first. Prints p50/p95 (ms), the store size and the
machine's load average before and after; ``--json FILE`` keeps the figures.

    .venv/bin/python bench/queries.py --db /tmp/wn.db
    .venv/bin/python bench/queries.py --db /tmp/wn.db --db /tmp/wn100k.db --rounds 1 --json /tmp/q.json

With several ``--db`` the stores are measured one after the other (a server each), each with its
own table and load average.

``--cpu`` measures the same requests in-process instead (the app called through Starlette's
test client, no socket): the CPU seconds each request costs this process (`time.process_time`),
which other programs on a busy machine do not change. Wall time on a loaded machine is mostly
waiting for a core; CPU time is what the code costs.

The store is not changed (the server only reads). See bench/README.md for figures.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ENDPOINTS: dict[str, str] = {
    "profile": "/api/profile?key={key}",
    "graph 1-hop": "/api/graph?key={key}&hops=1",
    "graph 2-hop": "/api/graph?key={key}&hops=2",
    "timeline": "/api/timeline?key={key}",
    "claims": "/api/claims?key={key}",
    "search": "/api/search?q={name}",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(base: str, path: str, timeout: float = 120.0) -> tuple[float, Any]:
    """(milliseconds until the whole body was read, the decoded JSON)."""
    t0 = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=timeout) as resp:  # our own local server
        body = resp.read()
    ms = (time.perf_counter() - t0) * 1000
    return ms, json.loads(body)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: a p95 is a latency some request really had)."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).with_name("newsgraph")
    cmd = [str(exe), "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"newsgraph serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            get(f"http://127.0.0.1:{port}", "/api/health", timeout=2)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("newsgraph serve did not answer within 180 s")


def measure_cpu(db: Path, n_actors: int, rounds: int) -> dict[str, Any]:
    """The same requests in-process: CPU milliseconds per request (load-independent)."""
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app

    load_before = os.getloadavg()
    with TestClient(create_app(db, check_assets=False)) as client:
        health = client.get("/api/health").json()
        top = client.get(f"/api/actors?limit={n_actors}").json()
        actors = [(a["key"], a["name"]) for a in top["items"]]
        paths = _paths(actors)
        for name in ENDPOINTS:
            client.get(paths[name][0])
        times: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
        for _round in range(rounds):
            for i in range(len(actors)):
                for name in ENDPOINTS:
                    t0 = time.process_time()
                    resp = client.get(paths[name][i])
                    resp.json()
                    times[name].append((time.process_time() - t0) * 1000)
                    if resp.status_code != 200:
                        raise SystemExit(f"{paths[name][i]}: {resp.status_code} {resp.text[:200]}")
    return _report(db, health, actors, rounds, load_before, times, "CPU")


def _paths(actors: list[tuple[str, str]]) -> dict[str, list[str]]:
    return {
        name: [
            tpl.format(key=urllib.parse.quote(key, safe=""), name=urllib.parse.quote(label, safe=""))
            for key, label in actors
        ]
        for name, tpl in ENDPOINTS.items()
    }


def measure(db: Path, n_actors: int, rounds: int) -> dict[str, Any]:
    """Start a server on ``db``, time the endpoints for its ``n_actors`` most reported actors, print a table."""
    load_before = os.getloadavg()
    port = free_port()
    server = start_server(db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        _ms, health = get(base, "/api/health")
        _ms, top = get(base, f"/api/actors?limit={n_actors}")
        actors = [(a["key"], a["name"]) for a in top["items"]]
        if not actors:
            raise SystemExit("the store has no actors")
        paths = _paths(actors)
        for name in ENDPOINTS:  # warm the server (imports, caches): not measured
            get(base, paths[name][0])
        times: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
        for _round in range(rounds):
            for i in range(len(actors)):
                for name in ENDPOINTS:
                    ms, _body = get(base, paths[name][i])
                    times[name].append(ms)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return _report(db, health, actors, rounds, load_before, times, "HTTP wall")


def _report(
    db: Path,
    health: dict[str, Any],
    actors: list[tuple[str, str]],
    rounds: int,
    load_before: tuple[float, float, float],
    times: dict[str, list[float]],
    what: str,
) -> dict[str, Any]:
    load_after = os.getloadavg()

    figures = {
        name: {
            "p50": round(statistics.median(v), 1),
            "p95": round(percentile(v, 95), 1),
            "max": round(max(v), 1),
            "n": len(v),
        }
        for name, v in times.items()
    }
    print(f"store {db}: {health['articles']} articles; {len(actors)} most reported actors x {rounds} rounds; {what}")
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")  # fmt: skip
    print(f"{'endpoint':<14}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'n':>6}")
    for name, f in figures.items():
        print(f"{name:<14}{f['p50']:>10}{f['p95']:>10}{f['max']:>10}{f['n']:>6}")
    print(flush=True)
    return {"db": str(db), "articles": health["articles"], "actors": len(actors), "rounds": rounds, "measure": what,
            "load_before": load_before, "load_after": load_after, "figures": figures}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, action="append",
                    help="a store to query (not changed); give it again for more stores")  # fmt: skip
    ap.add_argument("--actors", type=int, default=40, help="how many of the most reported actors")
    ap.add_argument("--rounds", type=int, default=2, help="requests per actor and endpoint")
    ap.add_argument("--json", type=Path, help="write the figures here too")
    ap.add_argument("--cpu", action="store_true", help="in-process CPU milliseconds per request instead of HTTP")
    args = ap.parse_args()
    run = measure_cpu if args.cpu else measure
    results = [run(db, args.actors, args.rounds) for db in args.db]
    if args.json:
        args.json.write_text(json.dumps(results[0] if len(results) == 1 else results, indent=2))


if __name__ == "__main__":
    main()
