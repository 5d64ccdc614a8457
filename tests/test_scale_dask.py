"""The Dask engine's pieces: resuming from written partitions, error rows (the user paths: test_scale_dask_cli.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsgraph.store import Store

pytestmark = pytest.mark.slow

SAMPLE = (
    Path(__file__).resolve().parent.parent / "src" / "newsgraph" / "data" / "sample" / "wikinews_topic_sample.jsonl"
)


def _records(n: int) -> list[dict[str, Any]]:
    """The ``n`` shortest sample articles (keeps the test fast)."""
    recs = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(recs, key=lambda r: len(r["text"]))[:n]


def _feed(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_interrupted_run_resumes_from_written_partitions(tmp_path: Path) -> None:
    """A partition written but not loaded (the run died between the two) is loaded on the next run."""
    from newsgraph.model import Article
    from newsgraph.read import read_paths
    from newsgraph.scale import extract_partition, ingest_dask, write_part

    feed = _feed(tmp_path / "feed.jsonl", _records(2))
    articles = [a for a in read_paths([feed]) if isinstance(a, Article)]
    work = tmp_path / "parts"
    work.mkdir()
    write_part(extract_partition([a.to_dict() for a in articles]), work)  # extracted, then "killed"
    with Store(tmp_path / "s.db") as store:
        # the pending partition is loaded first, so nothing is left for a cluster to do (none is started)
        report = ingest_dask([feed], store, work_dir=work, scheduler="tcp://127.0.0.1:9")
        assert (report.stored, report.skipped, report.failed) == (2, 2, [])
        assert store.known_ids(a.id for a in articles) == {a.id for a in articles}


def test_error_rows_are_reported_and_the_rest_loaded(tmp_path: Path) -> None:
    from newsgraph.model import Article, ArticleGraph
    from newsgraph.scale import _row, load_part, write_part

    good = ArticleGraph(Article.create("Officials met in Lima on Monday.", "2023-01-02"), extractor_version="t")
    rows = [_row(good), {"id": "x1", "published": "2023-01-01", "source": "feed.jsonl:3", "analysed": "false",
             "extractor_version": None, "graph_json": None, "error": "extraction failed (boom)"}]  # fmt: skip
    path = write_part(rows, tmp_path)
    with Store(tmp_path / "s.db") as store:
        stored, skipped, errors = load_part(path, store)
    assert (stored, skipped) == (1, 0)
    assert [(e.source, e.reason) for e in errors] == [("feed.jsonl:3", "extraction failed (boom)")]
