"""Ingest: read → extract → store, in batches, skipping what the store already holds.

The orchestration shared by the CLI, the API and the Dask engine. Articles
already stored (same content id) are skipped before the NLP runs, so re-running
on a grown feed only processes new articles, and a killed ingest resumes where
its last committed batch ended.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from newsgraph.extract.pipeline import extract_articles
from newsgraph.model import Article
from newsgraph.read import ReadError, read_paths
from newsgraph.settings import Settings
from newsgraph.store import Store


@dataclass
class IngestReport:
    read: int = 0
    stored: int = 0
    skipped: int = 0
    failed: list[ReadError] = field(default_factory=list)
    not_analysed: int = 0  # stored but flagged: unsupported language

    @property
    def ok(self) -> bool:
        return not self.failed


Progress = Callable[[int], None]
T = TypeVar("T")


def read_counted(
    paths: Iterable[str | Path],
    report: IngestReport,
    *,
    date: str | None = None,
    settings: Settings | None = None,
    on_error: Callable[[ReadError], None] | None = None,
) -> Iterator[Article]:
    """The readable articles under ``paths``; each one read and each failure is counted in ``report``."""
    for item in read_paths(paths, date=date, settings=settings):
        if isinstance(item, ReadError):
            report.failed.append(item)
            if on_error:
                on_error(item)
            continue
        report.read += 1
        yield item


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` articles (the last may be shorter); streams its input."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def new_articles(
    articles: Iterable[Article],
    store: Store,
    report: IngestReport,
    *,
    replace: bool = False,
    size: int = 64,
    on_skip: Progress | None = None,
) -> Iterator[Article]:
    """The articles not stored yet (nor repeated earlier in their batch of ``size``), streamed.

    The store is asked once per ``size`` articles; what is left out is counted in ``report.skipped``.
    """
    for batch in batched(articles, size):
        seen: set[str] = set()
        unique = [a for a in batch if not (a.id in seen or seen.add(a.id))]  # type: ignore[func-returns-value]
        known = set() if replace else store.known_ids(a.id for a in unique)
        todo = [a for a in unique if a.id not in known]
        report.skipped += len(batch) - len(todo)
        if on_skip and len(batch) > len(todo):
            on_skip(len(batch) - len(todo))
        yield from todo


def link_interrupted(store: Store) -> None:
    """Link the entities of articles an interrupted ingest stored but did not get to link."""
    pending = store.unlinked_article_ids()
    if not pending:
        return
    for i in range(0, len(pending), 100):
        graphs = [g for g in (store.get_graph(aid) for aid in pending[i : i + 100]) if g is not None]
        store.resolve_graphs(graphs)


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    date: str | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    replace: bool = False,
    settings: Settings | None = None,
    on_progress: Progress | None = None,
    on_error: Callable[[ReadError], None] | None = None,
) -> IngestReport:
    """Ingest every article under ``paths``; one transaction per batch of ``batch_size`` graphs.

    One stream: this process reads, skips what is stored, and stores and links each batch of graphs
    while the ``n_process`` extraction workers (`extract_articles`) already work on the next
    articles, so neither side waits for the other.
    """
    report = IngestReport()

    def failed(article: Article, reason: str) -> None:
        err = ReadError(article.source_path or article.id, reason)
        report.failed.append(err)
        if on_error:
            on_error(err)

    link_interrupted(store)  # resume: a kill between storing a batch and linking it loses no link
    articles = read_counted(paths, report, date=date, settings=settings, on_error=on_error)
    todo = new_articles(articles, store, report, replace=replace, size=batch_size, on_skip=on_progress)
    graphs = extract_articles(todo, batch_size=batch_size, n_process=n_process, on_error=failed)
    for batch in batched(graphs, batch_size):
        result = store.save_graphs(batch, replace=replace)
        if result.stored:  # one canonical entity per actor across articles (newsgraph.resolve)
            store.resolve_graphs([g for g in batch if g.entities], prune=replace)
        report.stored += result.stored
        report.skipped += result.skipped
        report.not_analysed += sum(1 for g in batch if not g.article.language_supported)
        if on_progress:
            on_progress(len(batch))
    return report
