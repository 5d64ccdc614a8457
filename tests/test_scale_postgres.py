"""The store on PostgreSQL: writes, reads, full-text search, the Dask load path and exports.

Runs against ``$NEWSGRAPH_TEST_PG_URL`` (a database the tests may fill and wipe) when set;
otherwise starts a throwaway PostgreSQL server in a temporary directory with the local
``initdb``/``pg_ctl`` (as user ``nobody`` when run as root), and skips, saying why, when neither
is possible.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgraph.model import ArticleGraph
from newsgraph.store import Store
from newsgraph.store.migrations import SCHEMA_VERSION

pytestmark = pytest.mark.postgres


def _pg_bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def pg_server() -> Iterator[str]:
    """A server URL (without database): the given one, or a throwaway local server."""
    if url := os.environ.get("NEWSGRAPH_TEST_PG_URL"):
        yield url
        return
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("no NEWSGRAPH_TEST_PG_URL and no PostgreSQL binaries (initdb) on this machine")
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root without runuser: cannot start a throwaway PostgreSQL")
        prefix = [runuser, "-u", "nobody", "--"]
    root = Path(tempfile.mkdtemp(prefix="newsgraph-pg-"))
    if prefix:
        shutil.chown(root, user="nobody")
    data, port = root / "data", _free_port()
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "newsgraph", "--auth=trust",
                        "-E", "UTF8", "--no-locale"], check=True, capture_output=True, timeout=120)  # fmt: skip
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60",
                        "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                       check=True, capture_output=True, timeout=90)  # fmt: skip
    except (subprocess.SubprocessError, OSError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"could not start a throwaway PostgreSQL with {bindir}: {exc}")
    try:
        yield f"postgresql+psycopg://newsgraph@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh database per test (or, without CREATEDB rights, the given one wiped)."""
    from sqlalchemy import create_engine, make_url, text

    base = make_url(pg_server)
    name = f"ng_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:
        admin.dispose()
        from newsgraph.store import schema

        engine = create_engine(base)
        schema.metadata.drop_all(engine)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS meta"))
        engine.dispose()
        yield base.render_as_string(hide_password=False)
        return
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
        counts = {r["name"]: r for r in store.entity_counts()}
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
