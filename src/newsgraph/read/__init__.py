"""Readers: files and directories in, `Article` values (or one clear `ReadError` each) out.

Readers stream: a directory or a JSONL feed is read one article at a time, so
memory stays bounded whatever the corpus size. A bad input never raises out of
the batch; it becomes a `ReadError` that names it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsgraph.read.decode import InputError, ReadError, ReadResult, read_text
from newsgraph.read.formats import READERS, reader_for
from newsgraph.settings import Settings

__all__ = ["InputError", "ReadError", "ReadResult", "iter_files", "iter_inputs", "read_paths", "read_text"]


# A folder's own documentation, by its exact name (README.txt, LICENSE.txt, SOURCE.txt): a file
# whose name merely contains one of these words ("water resources.txt") is an article.
DOC_NAMES = frozenset({"readme", "license", "licence", "copying", "notice", "source", "sources", "attribution"})


def _skipped(name: str) -> bool:
    return name.startswith(".") or Path(name).stem.lower() in DOC_NAMES


def iter_inputs(path: Path) -> Iterator[Path | ReadError]:
    """A file itself, or every readable file under a directory (recursive, sorted).

    Symbolic links inside the directory are followed only when they stay inside it (a link to
    ``/etc`` or ``~/.ssh`` is an error line, never read); links to directories are not walked.
    Anything but a regular file (a FIFO, a socket) is an error line, never opened.
    """
    if not path.is_dir():
        yield path
        return
    root = path.resolve()
    found: list[Path | ReadError] = []
    for dirpath, dirnames, filenames in os.walk(path):  # followlinks=False
        here = Path(dirpath)
        for name in dirnames:
            link = here / name
            if link.is_symlink() and not link.resolve().is_relative_to(root):
                found.append(ReadError(str(link), "symbolic link out of the folder, not followed"))
        for name in filenames:
            child = here / name
            if child.suffix.lower() not in READERS or _skipped(name):
                continue
            if child.is_symlink() and not child.resolve().is_relative_to(root):
                found.append(ReadError(str(child), "symbolic link out of the folder, not followed"))
            elif not child.is_file():
                found.append(ReadError(str(child), "not a regular file (a FIFO, socket or device), not read"))
            else:
                found.append(child)
    yield from sorted(found, key=lambda f: f.source if isinstance(f, ReadError) else str(f))


def iter_files(path: Path) -> Iterator[Path]:
    """The readable files `iter_inputs` finds (for counting)."""
    for item in iter_inputs(path):
        if isinstance(item, Path) and item.is_file():
            yield item


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
        for file in iter_inputs(path):
            if isinstance(file, ReadError):
                yield _one_line(file)
                continue
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
