"""Shared fixtures: the seed article, the sample corpus, a fresh store, the parsed seed graph."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from newsgraph.model import Article, ArticleGraph
from newsgraph.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "src" / "newsgraph" / "data" / "sample"
SEED = SAMPLE_DIR / "cuba_recruitment_2023-09-05.txt"
SHARED = ROOT.parent / "shared"


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
