"""Extraction as a pipeline of small named components over one working value.

Modelled on spaCy: each component is a function registered by name that reads
the parsed document and fills part of the `ArticleGraph`, and declares what it
requires and assigns (`Contract`); the order is checked once per pipeline
(`check_order`). The pipeline order is data (`DEFAULT_PIPELINE`), so a stage can
be swapped or benchmarked alone. See docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from newsgraph.extract.mentions import MentionIndex
from newsgraph.model import Article, ArticleGraph

if TYPE_CHECKING:
    from spacy.tokens import Doc

EXTRACTOR_VERSION = "0.1.0"
# A batch is also cut when its texts reach this many characters: a parse's peak memory follows the
# tokens in the batch, so a few very long articles (100k characters) never share one with 60 others.
CHUNK_CHARS = 100_000


class Scope(NamedTuple):
    """A stretch of text that an actor asserts without a reporting verb: the object of an
    accusation ("accused X of [recruiting ...]") is what the accuser says."""

    start: int
    end: int
    speaker: str | None


@dataclass
class Analysis:
    """The working state of one article while components fill its graph.

    Besides the graph, components hand each other typed fields (declared in their contracts),
    never a free-form dict: ``mentions`` (by `entities`), ``accuse_scopes`` (by `events`),
    ``predicative_relations`` (by `relations`).
    """

    article: Article
    doc: Doc
    graph: ArticleGraph
    mentions: MentionIndex = field(default_factory=MentionIndex)
    accuse_scopes: list[Scope] = field(default_factory=list)
    # ids of the relations a clause states ("X is a member of Y"); a role read off a title or an
    # apposition is the writer's identification of an actor and stays in the article's voice
    predicative_relations: set[str] = field(default_factory=set)

    def index_mentions(self) -> None:
        """(Re)build the mention index from the graph's entities."""
        self.mentions = MentionIndex.of(self.graph.entities)


Component = Callable[[Analysis], None]


@dataclass(frozen=True)
class Contract:
    """What a component reads and writes, as spaCy's ``Language.component(requires=, assigns=)``.

    Names are ``graph.<list>`` (a list of the graph), ``analysis.<field>`` (a typed field of
    `Analysis`) or ``<fact>.<field>`` (a field set on facts another component made).
    """

    name: str
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()


_REGISTRY: dict[str, Component] = {}
CONTRACTS: dict[str, Contract] = {}

DEFAULT_PIPELINE: tuple[str, ...] = (
    "sentences",
    "entities",
    "times",
    "attributions",
    "events",
    "relations",
    "assertions",
    "event_dates",
)
# the modules whose import registers the built-in components
BUILTIN_MODULES = ("sentences", "entities", "times", "attributions", "events", "relations", "assertions")


def component(
    name: str, *, requires: Sequence[str] = (), assigns: Sequence[str] = ()
) -> Callable[[Component], Component]:
    """Register an extraction component under ``name`` with what it reads and writes."""

    def register(fn: Component) -> Component:
        _REGISTRY[name] = fn
        CONTRACTS[name] = Contract(name, tuple(requires), tuple(assigns))
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

    for module in BUILTIN_MODULES:
        importlib.import_module(f"newsgraph.extract.{module}")


def check_order(names: Sequence[str]) -> None:
    """Raise ValueError when a component requires something no component before it assigns."""
    _load_builtin_components()
    assigned: set[str] = set()
    for name in names:
        get_component(name)
        contract = CONTRACTS[name]
        missing = [r for r in contract.requires if r not in assigned]
        if missing:
            raise ValueError(
                f"extraction component {name!r} requires {', '.join(missing)}, which no component "
                f"before it in {list(names)} assigns"
            )
        assigned.update(contract.assigns)


@lru_cache(maxsize=32)
def _checked(names: tuple[str, ...]) -> tuple[str, ...]:
    check_order(names)
    return names


def available_pipeline(names: Sequence[str] = DEFAULT_PIPELINE) -> list[str]:
    """The pipeline's component names, its order checked (once per distinct pipeline)."""
    return list(_checked(tuple(names)))


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
