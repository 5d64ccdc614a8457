"""Fast by default (#14): `ingest` and `extract` use every core unless told otherwise, and the
worker pool changes nothing in what is extracted (same graphs, same order as one process)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CODE = "import sys; from newsgraph.cli import main; sys.argv[0] = 'newsgraph'; main()"
PLACES = ["Lisbon", "Nairobi", "Quito", "Hanoi", "Oslo", "Accra", "Lima", "Cairo"]


def newsgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "COLUMNS": "200"})  # fmt: skip


def write_corpus(path: Path, n: int) -> Path:
    """``n`` short articles written for this test: enough for several worker chunks."""
    lines = []
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        text = (
            f"The mayor of {place} met union leaders on Tuesday to discuss bus fares, officials said. "
            f"Story number {i} adds that the city council of {place} will vote on the plan next week."
        )
        lines.append(json.dumps({"id": f"story-{i}", "date": f"2024-03-{1 + i % 28:02d}", "text": text}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def test_ingest_uses_every_core_by_default(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "in.jsonl", 20)
    run = newsgraph("ingest", str(corpus), "--db", str(tmp_path / "s.db"))
    assert run.returncode == 0, run.stderr[-3000:]
    assert re.search(rf"extraction processes\W+{cores()}\b", run.stdout), run.stdout
    assert re.search(r"stored\W+20\b", run.stdout), run.stdout


def test_extract_on_the_pool_gives_what_one_process_gives(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "in.jsonl", 40)
    default = newsgraph("extract", str(corpus))
    one = newsgraph("extract", str(corpus), "-j", "1")
    two = newsgraph("extract", str(corpus), "-j", "2")
    assert default.returncode == one.returncode == two.returncode == 0, default.stderr[-3000:]
    graphs = [json.loads(line) for line in one.stdout.splitlines()]
    assert len(graphs) == 40 and all(g["entities"] for g in graphs)
    assert default.stdout == one.stdout == two.stdout
