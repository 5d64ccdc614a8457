"""Golden output: `newsgraph extract` on the seed and the 98 sample articles, as a user runs it.

The safety net for refactors of extract/: the interchange output must stay identical, or each
difference must be an intended change. To accept intended changes, regenerate with
`NEWSGRAPH_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_output.py` and list them in the
commit message and CHANGELOG.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_DIR, SEED

GOLDEN = ROOT / "tests" / "fixtures" / "golden"
INPUTS = {"seed": SEED, "sample": SAMPLE_DIR / "wikinews_topic_sample.jsonl"}
SECTIONS = ("article", "sentences", "entities", "events", "relations", "attributions", "quotes", "times")


def _newsgraph() -> list[str]:
    exe = Path(sys.executable).with_name("newsgraph")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "newsgraph.cli"]


def _extract(path: Path) -> list[dict]:
    out = subprocess.run(
        [*_newsgraph(), "extract", str(path), "--format", "jsonl"],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _portable(graphs: list[dict]) -> list[dict]:
    """Article source paths from the package folder on, so any checkout (a worktree, CI) compares equal."""
    for graph in graphs:
        article = graph.get("article") or {}
        path = article.get("source_path")
        if isinstance(path, str) and "src/newsgraph/" in path:
            article["source_path"] = path[path.index("src/newsgraph/") :]
    return graphs


def _differences(expected: list[dict], got: list[dict]) -> list[str]:
    """One line per article and section that differs (a readable summary, not a diff dump)."""
    lines: list[str] = []
    if len(expected) != len(got):
        lines.append(f"article count {len(expected)} -> {len(got)}")
    for old, new in zip(expected, got, strict=False):
        title = (old.get("article") or {}).get("title") or (old.get("article") or {}).get("id")
        for section in SECTIONS:
            if old.get(section) != new.get(section):
                a, b = old.get(section), new.get(section)
                size = f" ({len(a)} -> {len(b)})" if isinstance(a, list) and isinstance(b, list) else ""
                lines.append(f"{title!r}: {section} differs{size}")
        extra = sorted(set(old) ^ set(new))
        if extra:
            lines.append(f"{title!r}: top-level keys differ: {extra}")
    return lines


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(INPUTS))
def test_extract_output_matches_golden(name: str) -> None:
    golden = GOLDEN / f"{name}.jsonl.gz"
    got = _portable(_extract(INPUTS[name]))
    assert got, f"newsgraph extract printed nothing for {INPUTS[name]}"
    if os.environ.get("NEWSGRAPH_UPDATE_GOLDEN") == "1":
        text = "".join(json.dumps(graph, ensure_ascii=False, sort_keys=True) + "\n" for graph in got)
        with open(golden, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
            fh.write(text.encode("utf-8"))  # mtime=0: regenerating unchanged output changes no byte
    with gzip.open(golden, "rt", encoding="utf-8") as fh:
        expected = _portable([json.loads(line) for line in fh if line.strip()])
    differences = _differences(expected, got)
    assert not differences, "extract output changed:\n" + "\n".join(differences[:60])
