"""The Dask engine on a LocalCluster with 2 workers: partitions, Parquet, idempotent load, incremental, resume."""

from __future__ import annotations

import json
from collections.abc import Iterator
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


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from dask.distributed import Client, LocalCluster

    from newsgraph.scale import warm_workers

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as c,
    ):
        warm_workers(c)
        yield c


def test_dask_ingest_incremental_and_idempotent(tmp_path: Path, client: Any) -> None:
    import pyarrow.parquet as pq

    from newsgraph.scale import ingest_dask

    recs = _records(8)
    feed = _feed(tmp_path / "feed.jsonl", recs[:6])
    work = tmp_path / "parts"
    with Store(tmp_path / "s.db") as store:
        report = ingest_dask([feed], store, client=client, work_dir=work, partition_size=2)
        assert (report.read, report.stored, report.skipped, report.failed) == (6, 6, 0, [])
        parts = sorted(work.glob("part-*.parquet"))
        assert len(parts) == 3  # 6 articles in partitions of 2
        assert set((work / "loaded.txt").read_text().split()) == {p.name for p in parts}
        table = pq.read_table(parts[0])
        assert table.num_rows == 2 and "graph_json" in table.column_names
        stored = store.get_graph(table.column("id")[0].as_py())
        assert stored is not None and stored.sentences and stored.extractor_version
        # the workers built the same graph this process builds
        from newsgraph.extract.pipeline import extract_articles

        again = next(extract_articles([stored.article]))
        assert all(e.canonical_id for e in stored.entities)  # resolved on load, as the local ingest does
        for e in stored.entities:
            e.canonical_id = None
        assert again.to_dict() == stored.to_dict()

        # re-run: nothing new, nothing extracted, nothing stored twice
        report = ingest_dask([feed], store, client=client, work_dir=work, partition_size=2)
        assert (report.read, report.stored, report.skipped) == (6, 0, 6)
        assert len(list(work.glob("part-*.parquet"))) == 3

        # grown feed: only the two new articles are processed
        _feed(feed, recs)
        report = ingest_dask([feed], store, client=client, work_dir=work, partition_size=2)
        assert (report.read, report.stored, report.skipped) == (8, 2, 6)
        assert len(list(work.glob("part-*.parquet"))) == 4
        assert store.stats()["articles"] == 8


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


def test_cli_ingest_engine_dask_on_a_scheduler(tmp_path: Path, client: Any) -> None:
    from typer.testing import CliRunner

    from newsgraph.cli import app

    feed = _feed(tmp_path / "feed.jsonl", _records(3))
    db = tmp_path / "cli.db"
    address = client.scheduler.address
    args = ["ingest", str(feed), "--db", str(db), "--engine", "dask", "--scheduler", address, "--batch-size", "2"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cli.db.parts" / "loaded.txt").exists()
    with Store(db) as store:
        assert store.stats()["articles"] == 3
    assert CliRunner().invoke(app, [*args[:-4], "--engine", "spark"]).exit_code == 2
