"""Shared helpers: text destinations (a path or ``-``), written atomically; cells and XML text made safe."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from newsgraph.model import ArticleGraph


@contextlib.contextmanager
def open_text(out: Path | str, *, newline: str | None = None, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text file to write (parents created), or standard output for ``-``."""
    if str(out) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_path(Path(out)) as tmp, tmp.open("w", encoding=encoding, newline=newline) as fh:
        yield fh


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path``, renamed onto it only when the block ends without error.

    An export that dies (a bad value, a full disk, a kill) never leaves a half-written file, and
    the previous file, if any, stays as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        mask = os.umask(0)
        os.umask(mask)
        tmp.chmod(0o666 & ~mask)  # mkstemp makes 0600; an export gets the user's usual mode
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (CSV injection); numbers and booleans pass as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_text_cell(value: object) -> str:
    """A delimited-text cell: control characters dropped, whitespace collapsed, formulas neutralised;
    a signed number (GoldsteinScale -10) stays a number."""
    text = " ".join(_CONTROL.sub("", str(value)).split()) if value is not None else ""
    return text if _NUMBER.match(text) else str(safe_cell(text))


# Characters XML 1.0 cannot hold at all (even escaped): C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(value: Any) -> Any:
    """A string without the characters XML cannot hold; anything else as it is."""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def entity_names(graph: ArticleGraph) -> dict[str, str]:
    return {e.id: e.name for e in graph.entities}


def evidence(graph: ArticleGraph, start: int, end: int, limit: int = 1000) -> str:
    """The article text a fact rests on (its clause or sentence), whitespace collapsed."""
    return " ".join(graph.article.text[start:end].split())[:limit]
