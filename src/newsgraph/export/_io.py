"""Shared helpers: text destinations (a path or ``-``) and names of entities within a graph."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from newsgraph.model import ArticleGraph


@contextlib.contextmanager
def open_text(out: Path | str, *, newline: str | None = None, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text file to write (parents created), or standard output for ``-``."""
    if str(out) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline=newline) as fh:
        yield fh


def entity_names(graph: ArticleGraph) -> dict[str, str]:
    return {e.id: e.name for e in graph.entities}


def evidence(graph: ArticleGraph, start: int, end: int, limit: int = 1000) -> str:
    """The article text a fact rests on (its clause or sentence), whitespace collapsed."""
    return " ".join(graph.article.text[start:end].split())[:limit]
