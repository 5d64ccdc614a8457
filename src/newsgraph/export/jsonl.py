"""JSONL: one article graph per line in the interchange format (shared/seed/README.md).

With reviews (#18) a line also has ``reviews``: one object per judged fact (kind, id, status, reviewer,
at, corrections, machine, notes); the facts hold the corrected values. `ArticleGraph.from_dict`
ignores the field."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from newsgraph.export._io import open_text
from newsgraph.model import ArticleGraph
from newsgraph.review import Reviews, state_dict


def write(graphs: Iterable[ArticleGraph], out: Path | str, *, reviews: Reviews | None = None) -> int:
    n = 0
    with open_text(out) as fh:
        for graph in graphs:
            data = graph.to_dict()
            if reviews is not None:
                judged = reviews.of_article(graph.article.id)
                data["reviews"] = [{"kind": kind, "id": fact_id, **state_dict(st)}
                                   for (kind, fact_id), st in sorted(judged.items())]  # fmt: skip
            fh.write(json.dumps(data, ensure_ascii=False) + "\n")
            n += 1
    return n
