"""Extraction as a pipeline of small named components over one working value.

Modelled on spaCy: each component is a function registered by name that reads
the parsed document and fills part of the `ArticleGraph`. The pipeline order is
data (`DEFAULT_PIPELINE`), so a stage can be swapped or benchmarked alone.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsgraph.model import Article, ArticleGraph

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

EXTRACTOR_VERSION = "0.1.0"
# A batch is also cut when its texts reach this many characters: a parse's peak memory follows the
# tokens in the batch, so a few very long articles (100k characters) never share one with 60 others.
CHUNK_CHARS = 100_000


@dataclass
class Analysis:
    """The working state of one article while components fill its graph."""

    article: Article
    doc: Doc
    graph: ArticleGraph
    # (start, end, entity id) of every entity mention, sorted; rebuilt by `index_mentions`.
    _spans: list[tuple[int, int, str]] = field(default_factory=list)
    scratch: dict[str, Any] = field(default_factory=dict)  # per-article data shared by components

    def index_mentions(self) -> None:
        self._spans = sorted((m.start, m.end, e.id) for e in self.graph.entities for m in e.mentions)

    def entity_at(self, start: int, end: int) -> str | None:
        """The entity whose mention best overlaps the character span [start, end)."""
        best, best_overlap = None, 0
        i = bisect.bisect_left(self._spans, (start - 200, 0, ""))
        for s, e, eid in self._spans[i:]:
            if s >= end:
                break
            overlap = min(e, end) - max(s, start)
            if overlap > best_overlap:
                best, best_overlap = eid, overlap
        return best

    def entity_for_span(self, span: Span) -> str | None:
        return self.entity_at(span.start_char, span.end_char)


Component = Callable[[Analysis], None]
_REGISTRY: dict[str, Component] = {}

DEFAULT_PIPELINE: tuple[str, ...] = (
    "sentences",
    "entities",
    "times",
    "attributions",
    "events",
    "relations",
    "event_dates",
)


def component(name: str) -> Callable[[Component], Component]:
    """Register an extraction component under ``name``."""

    def register(fn: Component) -> Component:
        _REGISTRY[name] = fn
        return fn

    return register


def get_component(name: str) -> Component:
    _load_builtin_components()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no extraction component named {name!r}; known: {sorted(_REGISTRY)}") from None


def _load_builtin_components() -> None:
    """Import the modules whose import registers the built-in components."""
    import importlib

    for module in ("sentences", "entities", "times", "claims", "events", "relations"):
        try:
            importlib.import_module(f"newsgraph.extract.{module}")
        except ModuleNotFoundError as exc:  # a stage not built yet is simply absent
            if exc.name != f"newsgraph.extract.{module}":
                raise


def available_pipeline(names: Sequence[str] = DEFAULT_PIPELINE) -> list[str]:
    _load_builtin_components()
    return [n for n in names if n in _REGISTRY]


def build_graph(article: Article, doc: Doc, pipeline: Sequence[str] = DEFAULT_PIPELINE) -> ArticleGraph:
    """Run the components over one parsed article and return its graph."""
    graph = ArticleGraph(article=article, extractor_version=EXTRACTOR_VERSION)
    analysis = Analysis(article=article, doc=doc, graph=graph)
    for name in available_pipeline(pipeline):
        get_component(name)(analysis)
    return graph


def empty_graph(article: Article) -> ArticleGraph:
    """The graph of an article that is stored but not analysed (e.g. not English)."""
    return ArticleGraph(article=article, extractor_version=EXTRACTOR_VERSION)


def extract_articles(
    articles: Iterable[Article],
    *,
    batch_size: int = 32,
    n_process: int = 1,
    pipeline: Sequence[str] = DEFAULT_PIPELINE,
) -> Iterator[ArticleGraph]:
    """Parse articles with ``nlp.pipe`` in batches and build a graph for each, in order.

    With ``n_process > 1`` whole chunks (parse *and* components) run in a persistent pool of
    worker processes (see `newsgraph.nlp.worker_pool`), so the components scale with the cores
    too and no spaCy ``Doc`` is shipped between processes.
    """
    if n_process > 1:
        yield from _extract_parallel(articles, batch_size=batch_size, n_process=n_process, pipeline=pipeline)
        return
    from newsgraph.nlp import load_nlp

    nlp = load_nlp()
    pending: list[Article] = []

    def flush() -> Iterator[ArticleGraph]:
        analysable = [a for a in pending if a.language_supported]
        docs = iter(nlp.pipe((a.text for a in analysable), batch_size=batch_size, n_process=n_process))
        for art in pending:
            yield build_graph(art, next(docs), pipeline) if art.language_supported else empty_graph(art)
        pending.clear()

    chars = 0
    for article in articles:
        pending.append(article)
        chars += len(article.text)
        if len(pending) >= batch_size * max(1, n_process) or chars >= CHUNK_CHARS:
            yield from flush()
            chars = 0
    if pending:
        yield from flush()


def _extract_chunk(articles: list[Article], batch_size: int, pipeline: Sequence[str]) -> list[ArticleGraph]:
    """One chunk in a worker process (the model is loaded once per worker)."""
    return list(extract_articles(articles, batch_size=batch_size, n_process=1, pipeline=pipeline))


def _extract_parallel(
    articles: Iterable[Article], *, batch_size: int, n_process: int, pipeline: Sequence[str]
) -> Iterator[ArticleGraph]:
    """Chunks to the worker pool (every worker busy even for one batch), ``2 * n_process`` in flight, in order."""
    from collections import deque
    from concurrent.futures.process import BrokenProcessPool

    from newsgraph.nlp import discard_pool, worker_pool

    pool = worker_pool(n_process)
    size = max(1, batch_size // n_process)
    inflight: deque[Any] = deque()
    chunk: list[Article] = []
    chars = 0
    try:
        for article in articles:
            chunk.append(article)
            chars += len(article.text)
            if len(chunk) >= size or chars >= CHUNK_CHARS:
                inflight.append(pool.submit(_extract_chunk, chunk, batch_size, tuple(pipeline)))
                chunk, chars = [], 0
                if len(inflight) >= 2 * n_process:
                    yield from inflight.popleft().result()
        if chunk:
            inflight.append(pool.submit(_extract_chunk, chunk, batch_size, tuple(pipeline)))
        while inflight:
            yield from inflight.popleft().result()
    except BrokenProcessPool:
        discard_pool(n_process)  # a worker died: the next call starts a fresh pool
        raise
    finally:
        for future in inflight:
            future.cancel()


def extract_article(article: Article, pipeline: Sequence[str] = DEFAULT_PIPELINE) -> ArticleGraph:
    return next(extract_articles([article], batch_size=1, pipeline=pipeline))
