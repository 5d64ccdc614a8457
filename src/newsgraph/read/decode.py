"""Bytes to text, and the checks every input passes: size, emptiness, binary, encoding, date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from newsgraph.model import Article
from newsgraph.settings import Settings


class InputError(ValueError):
    """An input newsgraph cannot read; the message says why, the caller names the input."""


@dataclass(frozen=True)
class ReadError:
    """One input that could not be read, and why, in words a user can act on."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


ReadResult = Article | ReadError

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def read_bytes(path: Path, settings: Settings) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise InputError("empty file")
    if size > settings.max_file_bytes:
        raise InputError(
            f"file too large ({size:,} bytes; limit {settings.max_file_bytes:,}, "
            "set NEWSGRAPH_MAX_FILE_BYTES to raise it)"
        )
    return path.read_bytes()


def decode(data: bytes) -> str:
    """UTF-8 if it is; otherwise the encoding charset-normalizer detects; binary is refused."""
    if not data.strip():
        raise InputError("empty file")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise InputError("not text in any known encoding (binary?)") from None
        text = str(best)
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > 0.05:
        raise InputError("binary file (mostly control characters), not text")
    return text


def read_text(path: Path, settings: Settings | None = None) -> str:
    return decode(read_bytes(path, settings or Settings()))


def check_text(text: str, settings: Settings) -> str:
    if not text or not text.strip():
        raise InputError("no article text")
    if len(text) > settings.max_text_chars:
        raise InputError(
            f"article text too long ({len(text):,} characters; limit {settings.max_text_chars:,}, "
            "set NEWSGRAPH_MAX_TEXT_CHARS to raise it)"
        )
    return text


def parse_date(value: object) -> str:
    """A publication date as ISO YYYY-MM-DD; anything unparseable is a clear error."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raw = str(value or "").strip()
    if not raw:
        raise InputError("no publication date")
    try:
        return dt.date.fromisoformat(raw[:10]).isoformat()
    except ValueError:
        pass
    from dateutil import parser as date_parser

    try:
        parsed = date_parser.parse(raw, default=dt.datetime(1, 1, 1))
    except (ValueError, OverflowError) as exc:
        raise InputError(f"unparseable publication date {raw[:40]!r}") from exc
    if parsed.year < 1800:
        raise InputError(f"unparseable publication date {raw[:40]!r}")
    return parsed.date().isoformat()


_LANG_READY = False


def detect_language(text: str, settings: Settings) -> str:
    """ISO 639-1 code of the text's language (langdetect, seeded so it is repeatable)."""
    global _LANG_READY
    if len(text.strip()) < settings.min_chars_for_language:
        return "en"
    from langdetect import DetectorFactory, LangDetectException, detect

    if not _LANG_READY:
        DetectorFactory.seed = 0
        _LANG_READY = True
    try:
        return str(detect(text[:5000]))
    except LangDetectException:
        return "unknown"
