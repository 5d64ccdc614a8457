"""Readers: files and directories in, `Article` values (or one clear `ReadError` each) out.

Readers stream: a directory or a JSONL feed is read one article at a time, so
memory stays bounded whatever the corpus size. A bad input never raises out of
the batch; it becomes a `ReadError` that names it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsgraph.read.decode import InputError, ReadError, ReadResult, read_text
from newsgraph.read.formats import READERS, reader_for
from newsgraph.settings import Settings

__all__ = ["InputError", "ReadError", "ReadResult", "iter_files", "read_paths", "read_text"]


SKIP_NAMES = re.compile(r"^(\.|_)|(SOURCE|README|LICENSE|ATTRIBUTION)", re.IGNORECASE)


def iter_files(path: Path) -> Iterator[Path]:
    """A file itself, or every readable file under a directory (recursive, sorted)."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in READERS and not SKIP_NAMES.search(child.name):
                yield child
    else:
        yield path


def read_paths(
    paths: Iterable[str | Path], *, date: str | None = None, settings: Settings | None = None
) -> Iterator[ReadResult]:
    """Read every article of every path, in order; failures are yielded, not raised."""
    settings = settings or Settings()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield ReadError(str(path), "no such file or directory")
            continue
        for file in iter_files(path):
            try:
                reader = reader_for(file)
                for item in reader(file, date=date, settings=settings):
                    yield _one_line(item) if isinstance(item, ReadError) else item
            except InputError as exc:
                yield _one_line(ReadError(str(file), str(exc)))
            except Exception as exc:
                yield _one_line(ReadError(str(file), f"unreadable ({type(exc).__name__}: {exc})"))


def _one_line(err: ReadError) -> ReadError:
    """An error is one line of reasonable length, whatever the exception text held."""
    reason = " ".join(err.reason.split()) or "unreadable"
    if len(reason) > 300:
        reason = reason[:299] + "…"
    return err if reason == err.reason else ReadError(err.source, reason)
