"""Shared fixtures: the seed article, the sample corpus, a fresh store, the parsed seed graph."""

from __future__ import annotations

import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from newsgraph.model import Article, ArticleGraph, Attribution, Entity
from newsgraph.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "src" / "newsgraph" / "data" / "sample"
SEED = SAMPLE_DIR / "cuba_recruitment_2023-09-05.txt"
SHARED = ROOT.parent / "shared"
# The commands a user runs, from this environment (the venv's console scripts).
BIN = Path(sys.executable).parent
NEWSGRAPH = BIN / "newsgraph"
DASK = BIN / "dask"
CHROMIUM = os.environ.get("NEWSGRAPH_CHROMIUM", "/usr/bin/chromium")


def watched_page(browser: Any) -> Any:
    """A 1500x900 page in its own browser context whose script errors and console errors are
    collected in ``page.problems`` (tests assert it stays empty)."""
    context = browser.new_context(viewport={"width": 1500, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.problems = problems
    return pg


def require_chromium() -> str:
    """The Chromium the browser tests drive; skipped without it, except under CI=true (a failure)."""
    if not Path(CHROMIUM).exists():
        skip_unless_ci(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


def in_ci() -> bool:
    """CI sets CI=true: there, a missing PostgreSQL or Chromium is a failure, never a skip."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_unless_ci(reason: str) -> None:
    """Skip here (saying why); under CI fail instead, since CI installs everything the suite needs."""
    if in_ci():
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def run_newsgraph(*args: str | Path, timeout: float = 600, env: dict[str, str] | None = None,
                  cwd: Path | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """The real `newsgraph` command in a subprocess, as a user runs it."""
    return subprocess.run([str(NEWSGRAPH), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=cwd)  # fmt: skip


def summary(output: str) -> dict[str, str]:
    """The rows of the ``ingest summary`` table a user reads (label -> value)."""
    rows: dict[str, str] = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if len(cells) == 2 and cells[0]:
            rows[cells[0]] = cells[1]
    return rows


# ---- PostgreSQL: $NEWSGRAPH_TEST_PG_URL, or a throwaway server from the local binaries ----------------


def _pg_bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A server URL (without database): the given one, or a throwaway local server for the session."""
    if url := os.environ.get("NEWSGRAPH_TEST_PG_URL"):
        yield url
        return
    bindir = _pg_bindir()
    if bindir is None:
        skip_unless_ci("no NEWSGRAPH_TEST_PG_URL and no PostgreSQL binaries (initdb) on this machine")
    assert bindir is not None
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        runuser = shutil.which("runuser")
        if runuser is None:
            skip_unless_ci("running as root without runuser: cannot start a throwaway PostgreSQL")
        prefix = [str(runuser), "-u", "nobody", "--"]
    root = Path(tempfile.mkdtemp(prefix="newsgraph-pg-"))
    if prefix:
        shutil.chown(root, user="nobody")
    data, port = root / "data", free_port()
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "newsgraph", "--auth=trust",
                        "-E", "UTF8", "--no-locale"], check=True, capture_output=True, timeout=120)  # fmt: skip
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60",
                        "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                       check=True, capture_output=True, timeout=90)  # fmt: skip
    except (subprocess.SubprocessError, OSError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        skip_unless_ci(f"could not start a throwaway PostgreSQL with {bindir}: {exc}")
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


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def seed_article() -> Article:
    from newsgraph.read import read_paths

    (article,) = list(read_paths([SEED]))
    assert isinstance(article, Article)
    return article


@pytest.fixture(scope="session")
def seed_graph(seed_article: Article) -> ArticleGraph:
    """The seed article through the full pipeline (parsed once per test session)."""
    from newsgraph.extract.pipeline import extract_article

    return extract_article(seed_article)


def graph_of(text: str, published: str = "2023-09-05") -> ArticleGraph:
    """Run the full pipeline on a hand-written text (for construction-by-construction tests)."""
    from newsgraph.extract.pipeline import extract_article

    return extract_article(Article.create(text, published))


@functools.lru_cache(maxsize=64)
def cached_graph_of(text: str) -> ArticleGraph:
    """``graph_of`` once per text for tests that ask several questions of one sentence (read only)."""
    return graph_of(text)


def span_text(g: ArticleGraph, span: list[int] | None) -> str | None:
    """The article text of a ``[start, end]`` span of the graph (None for no span)."""
    return g.article.text[span[0] : span[1]] if span else None


def attribution_by_cue(g: ArticleGraph, cue: str) -> Attribution:
    """The first attribution whose cue reads exactly ``cue`` (fails listing the cues found)."""
    found = [a for a in g.attributions if span_text(g, a.cue_span) == cue]
    assert found, f"no attribution with cue {cue!r}: {[span_text(g, a.cue_span) for a in g.attributions]}"
    return found[0]


def entity_mentioned(text: str, mention: str) -> Entity:
    """The actor of ``text`` that has a mention reading exactly ``mention`` (fails naming the actors)."""
    g = cached_graph_of(text)
    for ent in g.entities:
        if any(m.text == mention for m in ent.mentions):
            return ent
    raise AssertionError(f"no entity mentioned as {mention!r}: {[(e.name, e.type) for e in g.entities]}")


def record_figures(section: str, figures: dict[str, int]) -> None:
    """Merge this module's figures into $NEWSGRAPH_RELIABILITY_FIGURES (JSON), for docs/reliability.md."""
    target = os.environ.get("NEWSGRAPH_RELIABILITY_FIGURES")
    if not target or not figures:
        return
    path = Path(target)
    data = json.loads(path.read_text()) if path.exists() else {}
    data[section] = {**data.get(section, {}), **figures}
    path.write_text(json.dumps(data, indent=1, sort_keys=True))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_in_thread(store: Store) -> Iterator[str]:
    """The API and web view over ``store`` on a free loopback port, in a thread; yields its URL."""
    import httpx
    import uvicorn

    from newsgraph.api import create_app

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    try:
        yield url
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_command(db: str | Path, *, timeout: float = 120) -> Iterator[str]:
    """`newsgraph serve --db DB --port P` in a subprocess, as a user starts the web view; yields its URL."""
    import httpx

    port = free_port()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([str(NEWSGRAPH), "serve", "--db", str(db), "--port", str(port)],
                                stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise AssertionError(f"newsgraph serve did not come up: {log.read().decode(errors='replace')}")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)


_SKIPPED_BY_MARK: dict[str, list[str]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        for mark in ("browser", "postgres"):
            if mark in report.keywords:
                _SKIPPED_BY_MARK.setdefault(mark, []).append(report.nodeid)


def pytest_terminal_summary(terminalreporter: object) -> None:
    """Say loudly that browser / PostgreSQL tests were skipped (outside CI; under CI=true they fail)."""
    write = getattr(terminalreporter, "write_line", print)
    what = {"browser": "Chromium (apt-get install chromium)", "postgres": "PostgreSQL (apt-get install postgresql)"}
    for mark, nodeids in _SKIPPED_BY_MARK.items():
        write(f"NOTE: {len(nodeids)} {mark} tests were SKIPPED: {what[mark]} is missing; CI installs and runs them")
