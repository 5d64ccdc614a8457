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
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from newsgraph.extract.mentions import MentionIndex
from newsgraph.model import Article, ArticleGraph

if TYPE_CHECKING:
    from spacy.tokens import Doc

EXTRACTOR_VERSION = "0.1.0"
# A batch is also cut when its texts reach this many characters: a parse's peak memory follows the
# tokens in the batch, so a few very long articles (100k characters) never share one with 60 others.
CHUNK_CHARS = 100_000
# A worker's chunk holds at most this many articles, and this many chunks wait per worker: small
# enough that results flow back steadily, enough that no worker waits while the caller stores.
CHUNK_ARTICLES = 16
CHUNKS_IN_FLIGHT = 3


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

    @cached_property
    def text(self) -> str:
        """The parsed text (``doc.text``, which spaCy rebuilds from every token on each read), read once."""
        return str(self.doc.text)

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
    "actor_knowledge",
    "times",
    "attributions",
    "events",
    "relations",
    "assertions",
    "event_dates",
)
# the modules whose import registers the built-in components
BUILTIN_MODULES = (
    "sentences", "entities", "actors.enrich", "times", "attributions", "events", "relations", "assertions",
)  # fmt: skip


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


Failure = Callable[[Article, str], None]


def extract_articles(
    articles: Iterable[Article],
    *,
    batch_size: int = 32,
    n_process: int = 1,
    pipeline: Sequence[str] = DEFAULT_PIPELINE,
    on_error: Failure | None = None,
) -> Iterator[ArticleGraph]:
    """Parse articles with ``nlp.pipe`` in batches and build a graph for each, in order; streams.

    With ``n_process > 1`` whole chunks (parse *and* components) run in a persistent pool of
    worker processes (see `newsgraph.nlp.worker_pool`), so the components scale with the cores
    too and no spaCy ``Doc`` is shipped between processes; the caller keeps reading, writing and
    resolving while the workers extract. With ``on_error``, an article that breaks the extractor
    is reported there (with the reason) and left out, the rest of its chunk is kept; without it,
    the error is raised.
    """
    if n_process > 1:
        yield from _extract_parallel(
            articles, batch_size=batch_size, n_process=n_process, pipeline=pipeline, on_error=on_error
        )
        return
    pending: list[Article] = []
    chars = 0
    for article in articles:
        pending.append(article)
        chars += len(article.text)
        if len(pending) >= batch_size or chars >= CHUNK_CHARS:
            yield from _report(pending, _extract_chunk(pending, batch_size, pipeline, on_error is not None), on_error)
            pending, chars = [], 0
    if pending:
        yield from _report(pending, _extract_chunk(pending, batch_size, pipeline, on_error is not None), on_error)


def _parse_chunk(articles: list[Article], batch_size: int, pipeline: Sequence[str]) -> list[ArticleGraph]:
    from newsgraph.nlp import parse

    analysable = [a for a in articles if a.language_supported]
    docs = parse([a.text for a in analysable], batch_size=batch_size)
    return [build_graph(a, next(docs), pipeline) if a.language_supported else empty_graph(a) for a in articles]


def _extract_chunk(
    articles: list[Article], batch_size: int, pipeline: Sequence[str], isolate: bool
) -> list[ArticleGraph | str]:
    """One chunk (in a worker process, or in this one): a graph per article, or the reason it failed.

    If the chunk fails and ``isolate`` is set, its articles are retried one at a time so that one
    article that breaks the extractor costs only itself.
    """
    try:
        return list(_parse_chunk(articles, batch_size, pipeline))
    except Exception:
        if not isolate:
            raise
    out: list[ArticleGraph | str] = []
    for article in articles:
        try:
            out.extend(_parse_chunk([article], 1, pipeline))
        except Exception as exc:  # one article that breaks the extractor never stops the chunk
            out.append(f"extraction failed ({type(exc).__name__}: {exc})")
    return out


def _report(
    articles: list[Article], results: list[ArticleGraph | str], on_error: Failure | None
) -> Iterator[ArticleGraph]:
    """The graphs of a chunk; each failure goes to ``on_error``."""
    for article, result in zip(articles, results, strict=True):
        if isinstance(result, str):
            if on_error is not None:
                on_error(article, result)
        else:
            yield result


def _extract_parallel(
    articles: Iterable[Article], *, batch_size: int, n_process: int, pipeline: Sequence[str], on_error: Failure | None
) -> Iterator[ArticleGraph]:
    """Chunks to the worker pool, ``CHUNKS_IN_FLIGHT`` per worker, results in input order.

    Chunks are small (``batch_size // n_process`` articles at most) and several wait per worker,
    so a worker never idles while this process reads the next articles or stores the last graphs.
    If a worker dies (OOM killer, segfault) and ``on_error`` is set, the chunks that were out are
    redone here, one article at a time, and a fresh pool takes the rest; without it, it raises.
    """
    from collections import deque
    from concurrent.futures.process import BrokenProcessPool

    from newsgraph.nlp import discard_pool, worker_pool

    size = max(1, min(CHUNK_ARTICLES, batch_size // n_process))
    inflight: deque[tuple[list[Article], Any]] = deque()
    isolate = on_error is not None

    def redo_here() -> Iterator[ArticleGraph]:
        """A worker died: drop the pool, redo every chunk that was out in this process."""
        discard_pool(n_process)  # the next submit starts a fresh pool
        if not isolate:
            raise BrokenProcessPool("an extraction worker died")
        lost = list(inflight)
        inflight.clear()
        for chunk, _future in lost:
            yield from _report(chunk, _extract_chunk(chunk, 1, pipeline, True), on_error)

    def submit(chunk: list[Article]) -> Iterator[ArticleGraph]:
        try:
            future = worker_pool(n_process).submit(_extract_chunk, chunk, size, tuple(pipeline), isolate)
        except BrokenProcessPool:
            yield from redo_here()
            future = worker_pool(n_process).submit(_extract_chunk, chunk, size, tuple(pipeline), isolate)
        inflight.append((chunk, future))

    def collect(block: bool) -> Iterator[ArticleGraph]:
        """The finished chunks at the head of the queue (waiting for one when ``block``)."""
        while inflight and (block or inflight[0][1].done()):
            done, future = inflight[0]
            try:
                results = future.result()
            except BrokenProcessPool:
                yield from redo_here()
                return
            inflight.popleft()
            yield from _report(done, results, on_error)
            block = False

    chunk: list[Article] = []
    chars = 0
    submitted = False
    try:
        for article in articles:
            chunk.append(article)
            chars += len(article.text)
            if len(chunk) >= size or chars >= CHUNK_CHARS:
                yield from submit(chunk)
                submitted = True
                chunk, chars = [], 0
                yield from collect(block=len(inflight) >= CHUNKS_IN_FLIGHT * n_process)
        if chunk and not submitted:
            # The whole input is one chunk, which one worker would take alone: extract it here, with no
            # pool forked and only the lexicons these articles need loaded (`newsgraph extract one.txt`).
            yield from _report(chunk, _extract_chunk(chunk, size, pipeline, isolate), on_error)
        elif chunk:
            yield from submit(chunk)
        while inflight:
            yield from collect(block=True)
    finally:
        for _chunk, future in inflight:
            future.cancel()


def extract_article(article: Article, pipeline: Sequence[str] = DEFAULT_PIPELINE) -> ArticleGraph:
    return next(extract_articles([article], batch_size=1, pipeline=pipeline))
