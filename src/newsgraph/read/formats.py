"""One reader per input format, chosen by file extension.

Every reader takes a path and yields `Article`s or `ReadError`s (a feed or a
JSONL file may hold many articles, some of them broken).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from newsgraph.model import Article
from newsgraph.read.decode import (
    InputError,
    ReadError,
    ReadResult,
    check_regular,
    check_text,
    decode,
    detect_language,
    parse_date,
    read_bytes,
)
from newsgraph.settings import Settings

Reader = Callable[..., Iterator[ReadResult]]

SEED_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+")
DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def make_article(
    text: str,
    published: object,
    settings: Settings,
    *,
    title: str | None = None,
    url: str | None = None,
    source_path: str | None = None,
    source_id: str | None = None,
    text_offset: int = 0,
) -> Article:
    """Validate and build one article; language detected, unsupported ones flagged."""
    text = check_text(_clean(text), settings)
    date = parse_date(published)
    language = detect_language(text, settings)
    return Article.create(
        text,
        date,
        title=_clean(title or "").strip() or _first_line_title(text),
        url=_clean(url or "") or None,
        language=language,
        source_path=source_path,
        language_supported=language in settings.languages,
        source_id=_clean(source_id).strip() or None if source_id else None,
        text_offset=text_offset,
    )


def _clean(value: str) -> str:
    """Lone UTF-16 surrogates (legal in JSON, not in UTF-8 or SQLite) become U+FFFD."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _first_line_title(text: str) -> str:
    first = text.strip().split("\n", 1)[0]
    return first[:120] + ("…" if len(first) > 120 else "")


def read_txt(path: Path, *, date: str | None = None, settings: Settings) -> Iterator[ReadResult]:
    """Plain text, or the seed format: optional leading space, ``date YYYY-MM-DD``, then text."""
    text = decode(read_bytes(path, settings))
    offset = 0
    if m := SEED_HEADER.match(text):
        published: str | None = m.group(1)
        text, offset = text[m.end() :], m.end()
    elif date:
        published = date
    elif m := DATE_IN_NAME.search(path.name):
        published = m.group(1)
    else:
        raise InputError(
            "no publication date: pass --date YYYY-MM-DD, put one in the file name, "
            "or start the file with 'date YYYY-MM-DD'"
        )
    yield make_article(text, published, settings, source_path=str(path), text_offset=offset)


def _field(record: dict[str, Any], name: str) -> str | None:
    """A record's field as text: strings and numbers are; lists, objects and booleans are refused."""
    value = record.get(name)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise InputError(f"field {name!r} is not a string ({type(value).__name__})")


def _record_article(record: dict[str, Any], where: str, settings: Settings, date: str | None) -> ReadResult:
    try:
        if not isinstance(record, dict):
            raise InputError("record is not an object")
        return make_article(
            _field(record, "text") or "",
            _field(record, "date") or _field(record, "published") or date,
            settings,
            title=_field(record, "title"),
            url=_field(record, "url"),
            source_path=where,
            source_id=_field(record, "id"),
        )
    except InputError as exc:
        return ReadError(where, str(exc))
    except Exception as exc:  # one hostile record never takes the rest of its file down
        return ReadError(where, f"unreadable record ({type(exc).__name__}: {exc})")


def read_jsonl(path: Path, *, date: str | None = None, settings: Settings) -> Iterator[ReadResult]:
    """One JSON object per line with id, date, title, text, url; streamed line by line."""
    check_regular(path)
    if path.stat().st_size == 0:
        raise InputError("empty file")
    records = 0
    limit = settings.max_file_bytes
    with path.open("rb") as fh:
        n = 0
        while raw := fh.readline(limit + 1):  # never more than the limit in memory, however long the line
            n += 1
            where = f"{path}:{n}"
            if len(raw) > limit and not raw.endswith(b"\n"):
                size = len(raw) + _skip_line(fh)
                records += 1
                yield ReadError(
                    where,
                    f"line too large ({size:,} bytes; limit {limit:,}, set NEWSGRAPH_MAX_FILE_BYTES to raise it)",
                )
                continue
            if not raw.strip():
                continue
            records += 1
            try:
                record = json.loads(decode(raw))
            except (InputError, ValueError, RecursionError) as exc:
                yield ReadError(where, f"not a JSON object ({type(exc).__name__}: {str(exc)[:200]})")
                continue
            yield _record_article(record, where, settings, date)
    if not records:
        raise InputError("no records (only blank lines)")


def _skip_line(fh: Any, chunk: int = 1 << 20) -> int:
    """Read past the rest of an over-long line in bounded chunks; returns how many bytes it had."""
    skipped = 0
    while block := fh.readline(chunk):
        skipped += len(block)
        if block.endswith(b"\n"):
            break
    return skipped


def read_csv(path: Path, *, date: str | None = None, settings: Settings) -> Iterator[ReadResult]:
    """A CSV with a header row naming id, date, title, text, url."""
    text = decode(read_bytes(path, settings))
    csv.field_size_limit(settings.max_text_chars * 4)
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise InputError("CSV needs a header row with at least a 'text' column (id,date,title,text,url)")
    rows = 0
    for n, row in enumerate(reader, start=2):
        rows += 1
        yield _record_article(dict(row), f"{path}:{n}", settings, date)
    if not rows:
        raise InputError("no rows under the CSV header")


def read_html(path: Path, *, date: str | None = None, settings: Settings) -> Iterator[ReadResult]:
    """A saved web page: main text, title and date via trafilatura (scripts never kept)."""
    import trafilatura

    html = decode(read_bytes(path, settings))
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    data: dict[str, Any] = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else dict(doc or {})
    text = data.get("text") or ""
    if not text.strip():
        raise InputError("no article text found in the HTML")
    published = data.get("date") or date
    if not published and (m := DATE_IN_NAME.search(path.name)):
        published = m.group(1)
    if not published:
        raise InputError("no publication date in the page: pass --date YYYY-MM-DD")
    yield make_article(text, published, settings, title=data.get("title"), url=data.get("url"), source_path=str(path))


def _html_to_text(fragment: str) -> str:
    import trafilatura

    if "<" not in fragment:
        return fragment
    text = trafilatura.extract(f"<html><body><article>{fragment}</article></body></html>", favor_recall=True)
    if text:
        return text
    from lxml import html as lxml_html

    return str(lxml_html.fromstring(fragment).text_content())


def read_feed(path: Path, *, date: str | None = None, settings: Settings) -> Iterator[ReadResult]:
    """An RSS or Atom file: one article per entry."""
    import feedparser

    data = read_bytes(path, settings)
    decode(data)  # the checks every input passes (empty, binary)
    # A file-like object: feedparser fetches a str that looks like a URL and opens one (or bytes)
    # that names a file; nothing is fetched or opened at run time (SSRF, local file read, hang).
    feed = feedparser.parse(io.BytesIO(data))
    if not feed.entries:
        reason = str(getattr(feed, "bozo_exception", "")) or "no entries"
        raise InputError(f"not an RSS/Atom feed with entries ({reason})")
    for n, entry in enumerate(feed.entries, start=1):
        where = f"{path}#{n}"
        try:
            body = ""
            if entry.get("content"):
                body = entry["content"][0].get("value", "")
            body = body or entry.get("summary", "") or entry.get("description", "")
            published = _entry_date(entry, date)
            article = make_article(
                _html_to_text(body),
                published,
                settings,
                title=entry.get("title"),
                url=entry.get("link"),
                source_path=where,
            )
        except InputError as exc:
            yield ReadError(where, str(exc))
        except Exception as exc:  # one broken entry never takes the rest of the feed down
            yield ReadError(where, f"unreadable entry ({type(exc).__name__}: {exc})")
        else:
            yield article


def _entry_date(entry: Any, date: str | None) -> str | None:
    """The entry's date as the source wrote it: feedparser's parsed stamps are shifted to UTC (a
    pubDate of 21:30 -0500 became the next day), so the written date is parsed first."""
    import datetime as dt

    for raw in (entry.get("published"), entry.get("updated")):
        if raw:
            try:
                return parse_date(raw)
            except InputError:
                pass
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.date(*stamp[:3]).isoformat() if stamp else date


def _sniff_xml(path: Path, *, date: str | None = None, settings: Settings) -> Iterator[ReadResult]:
    """``.xml`` may be a feed or a page: feeds are tried first."""
    check_regular(path)
    with path.open("rb") as fh:
        head = fh.read(2048).lower()
    if b"<rss" in head or b"<feed" in head or b"<rdf" in head:
        yield from read_feed(path, date=date, settings=settings)
    else:
        yield from read_html(path, date=date, settings=settings)


READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".text": read_txt,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
    ".html": read_html,
    ".htm": read_html,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": _sniff_xml,
}


def reader_for(path: Path) -> Reader:
    try:
        return READERS[path.suffix.lower()]
    except KeyError:
        raise InputError(
            f"unknown file type {path.suffix or '(none)'!r}; readable: {', '.join(sorted(READERS))}"
        ) from None
