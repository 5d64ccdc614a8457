"""The seed article end to end: the events and relations lines of the shared scorer (issue 4's bar)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import sys
from pathlib import Path

import pytest

from newsgraph.model import ArticleGraph

pytestmark = pytest.mark.slow

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SCORER = SHARED / "tools" / "score_seed.py"
EXPECTED = SHARED / "seed" / "expected.json"


def _score(graph: ArticleGraph, tmp_path: Path) -> str:
    if not SCORER.exists() or not EXPECTED.exists():
        pytest.skip("shared seed scorer not available")
    out = tmp_path / "seed.jsonl"
    out.write_text(json.dumps(graph.to_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
    spec = importlib.util.spec_from_file_location("score_seed", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    buf = io.StringIO()
    argv = sys.argv
    sys.argv = ["score_seed.py", str(out), str(EXPECTED), "--verbose"]
    try:
        with contextlib.redirect_stdout(buf):
            module.main()
    finally:
        sys.argv = argv
    return buf.getvalue()


def test_seed_events_and_relations(seed_graph: ArticleGraph, tmp_path: Path) -> None:
    report = _score(seed_graph, tmp_path)
    ev = re.search(r"events: type\+actors (\d+)/(\d+); date \d+/\d+; attribution (\d+)/\d+", report)
    rel = re.search(r"relations: type\+actors (\d+)/(\d+); attribution (\d+)/\d+", report)
    assert ev and rel, report
    assert int(ev.group(1)) >= 9, report
    assert int(ev.group(3)) >= 8, report
    assert int(rel.group(1)) == int(rel.group(2)), report


def test_seed_events_point_to_their_evidence(seed_graph: ArticleGraph) -> None:
    text = seed_graph.article.text
    assert seed_graph.events
    for ev in seed_graph.events:
        assert ev.id.startswith("V")
        assert ev.trigger_start is not None and ev.trigger_end is not None
        sent = seed_graph.sentences[ev.sentence]
        assert sent.start <= ev.start <= ev.trigger_start < ev.trigger_end <= ev.end <= sent.end
        if "…" not in ev.trigger:
            assert text[ev.trigger_start : ev.trigger_end] == ev.trigger
    ids = [r.id for r in seed_graph.relations]
    assert len(ids) == len(set(ids))
    keys = [(r.type, r.source, r.target) for r in seed_graph.relations]
    assert len(keys) == len(set(keys)), "a relation is duplicated"
