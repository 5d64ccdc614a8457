"""JSONL: one article graph per line in the interchange format (shared/seed/README.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from newsgraph.export._io import open_text
from newsgraph.model import ArticleGraph


def write(graphs: Iterable[ArticleGraph], out: Path | str) -> int:
    n = 0
    with open_text(out) as fh:
        for graph in graphs:
            fh.write(json.dumps(graph.to_dict(), ensure_ascii=False) + "\n")
            n += 1
    return n
