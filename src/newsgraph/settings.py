"""Limits and defaults in one place; each can be set from the environment (NEWSGRAPH_*)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def default_db_path() -> str | Path:
    """The store in the user's data directory, unless NEWSGRAPH_DB says otherwise.

    NEWSGRAPH_DB is a SQLite path or a database URL; a URL stays a string (``Path`` would collapse
    its ``//`` and turn ``postgresql+psycopg://...`` into a SQLite file of that name).
    """
    if env := os.environ.get("NEWSGRAPH_DB"):
        return env if "://" in env else Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("newsgraph")) / "newsgraph.db"


@dataclass(frozen=True)
class Settings:
    # A file larger than this is refused before it is read into memory.
    max_file_bytes: int = field(default_factory=lambda: _env_int("NEWSGRAPH_MAX_FILE_BYTES", 20_000_000))
    # An article text longer than this (characters) is refused: spaCy's own limit is 1M.
    max_text_chars: int = field(default_factory=lambda: _env_int("NEWSGRAPH_MAX_TEXT_CHARS", 500_000))
    # Texts shorter than this are not run through language detection (too little signal).
    min_chars_for_language: int = 40
    # Languages the analysis supports; others are stored and flagged.
    languages: tuple[str, ...] = ("en",)
