"""The store on PostgreSQL: writes, reads, full-text search, the Dask load path and exports.

The ``pg_url`` fixture (conftest.py) runs against ``$NEWSGRAPH_TEST_PG_URL`` (a database the tests
may fill and wipe) when set; otherwise it starts a throwaway PostgreSQL server in a temporary
directory with the local ``initdb``/``pg_ctl`` (as user ``nobody`` when run as root). Without
either it skips, saying why, except under ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsgraph.model import ArticleGraph
from newsgraph.store import Store
from newsgraph.store.migrations import SCHEMA_VERSION

pytestmark = pytest.mark.postgres


def _graph(published: str = "2023-09-05") -> ArticleGraph:
    from test_export_formats import sample_graph

    return sample_graph(published)


def test_store_round_trip_on_postgres(pg_url: str) -> None:
    g1, g2 = _graph(), _graph("2023-09-07")
    with Store(pg_url) as store:
        assert store.dialect == "postgresql"
        assert store.save_graphs([g1, g2]).stored == 2
        assert store.save_graphs([g1]).skipped == 1  # idempotent
        assert store.save_graphs([g1], replace=True).stored == 1
        assert store.known_ids([g1.article.id, "nope"]) == {g1.article.id}
        got = store.get_graph(g1.article.id[:8])
        assert got is not None and got.to_dict() == g1.to_dict()
        assert [g.article.published for g in store.iter_graphs(batch=1)] == ["2023-09-05", "2023-09-07"]
        stats = store.stats()
        assert stats["articles"] == 2 and stats["events"] == 6 and stats["mentions"] == 14
        counts = {r["name"]: r for r in store.most_reported()[0]}
        assert counts["Ana Pérez"]["articles"] == 2 and counts["Ana Pérez"]["mentions"] == 4
        assert type(counts["Ana Pérez"]["mentions"]) is int
        hits = store.search_sentences("recruited fighters")  # to_tsvector / plainto_tsquery path
        assert {h["article_id"] for h in hits} == {g1.article.id, g2.article.id}
        assert hits[0]["end"] > hits[0]["start"]  # "end" is quoted
        assert store.search_sentences("'; DROP TABLE articles; --") == []
        assert len(store.list_articles()) == 2
    with Store(pg_url) as again:  # reopening migrates nothing and keeps everything
        assert again.migrated_from == SCHEMA_VERSION and again.stats()["articles"] == 2


def test_dask_load_path_and_exports_on_postgres(pg_url: str, tmp_path: Path) -> None:
    from newsgraph.export import export
    from newsgraph.scale import _row, load_part, write_part

    graphs = [_graph(), _graph("2023-09-08")]
    part = write_part([_row(g) for g in graphs], tmp_path)
    with Store(pg_url) as store:
        assert load_part(part, store)[:2] == (2, 0)
        assert load_part(part, store)[:2] == (0, 2)  # loading again is idempotent
        out = tmp_path / "all.jsonl"
        assert export("jsonl", store.iter_graphs(), out) == 2
        back = [ArticleGraph.from_dict(json.loads(line)) for line in out.read_text().splitlines()]
        assert [g.article.id for g in back] == [g.article.id for g in graphs]
        assert back[0].events[0].type == "RECRUIT"
        assert export("gdelt", store.iter_graphs(), tmp_path / "e.tsv") == 6


def test_newsgraph_db_url_selects_postgresql_for_every_command(pg_url: str, seed_path: Path, tmp_path: Path) -> None:
    """$NEWSGRAPH_DB=postgresql+psycopg://... once became a SQLite file named ``postgresql+psycopg:/...``
    (``Path`` collapses ``//``), and ``search`` answered "no match" with exit 0."""
    from conftest import run_newsgraph

    env = {**os.environ, "NEWSGRAPH_DB": pg_url}
    ingest = run_newsgraph("ingest", seed_path, env=env, cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr[-3000:]
    found = run_newsgraph("search", "trafficking network", env=env, cwd=tmp_path)
    assert found.returncode == 0 and "no match" not in found.stderr, found.stderr
    with Store(pg_url) as store:
        (article,) = store.list_articles()
    assert article["published"] == "2023-09-05" and "2023-09-05" in found.stdout  # the stored article matched
    assert list(tmp_path.iterdir()) == []  # no SQLite file (or folder) named after the URL


def test_check_on_a_postgresql_store(pg_url: str, seed_path: Path) -> None:
    """`check --db <postgresql url>` once answered with the backup command's "use pg_dump" message."""
    from sqlalchemy import create_engine, text

    from conftest import run_newsgraph

    assert run_newsgraph("ingest", seed_path, "--db", pg_url).returncode == 0
    ok = run_newsgraph("check", "--db", pg_url)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().endswith(": ok") and "pg_dump" not in ok.stdout + ok.stderr
    engine = create_engine(pg_url)
    with engine.begin() as conn:  # an article left half-stored: two of its mentions gone
        conn.execute(text("DELETE FROM mentions WHERE ctid IN (SELECT ctid FROM mentions LIMIT 2)"))
    engine.dispose()
    bad = run_newsgraph("check", "--db", pg_url)
    assert bad.returncode == 1
    assert "problem: article" in bad.stderr and "mentions rows, its graph has" in " ".join(bad.stderr.split())
