"""The user's own ids kept (#14): a JSONL/CSV input's ``id`` and ``url`` stay on the article, and
``text_offset`` says where the analysed text starts in the text as given, so offsets map back."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CODE = "import sys; from newsgraph.cli import main; sys.argv[0] = 'newsgraph'; main()"
TEXT = "\n\n   The mayor of Lisbon met union leaders in Porto on Tuesday, officials said."


def newsgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "COLUMNS": "250"})  # fmt: skip


def test_jsonl_id_and_url_survive_ingest_show_and_offsets_map_to_the_given_text(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    record = {"id": "desk-42", "url": "https://example.org/a/42", "date": "2024-03-05", "text": TEXT}
    feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert newsgraph("ingest", str(feed), "--db", db).returncode == 0
    stored = [json.loads(line) for line in newsgraph("extract", str(feed)).stdout.splitlines()]
    assert len(stored) == 1
    graph = json.loads(newsgraph("show", stored[0]["article"]["id"], "--db", db, "-f", "jsonl").stdout)
    art = graph["article"]
    assert (art["source_id"], art["url"]) == ("desk-42", "https://example.org/a/42")
    assert art["text_offset"] == len(TEXT) - len(TEXT.lstrip())
    mentions = [m for e in graph["entities"] for m in e["mentions"]]
    assert mentions
    for m in mentions:  # every offset points at the same words in the text the user gave
        assert TEXT[art["text_offset"] + m["start"] : art["text_offset"] + m["end"]] == m["text"]
    pretty = newsgraph("show", art["id"], "--db", db)
    assert "source id desk-42" in pretty.stdout and "https://example.org/a/42" in pretty.stdout


def test_csv_id_kept_and_seed_header_counted_in_the_offset(tmp_path: Path) -> None:
    table = tmp_path / "in.csv"
    with table.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "date", "text"])
        w.writerow(["row-7", "2024-03-05", TEXT])
    graph = json.loads(newsgraph("extract", str(table)).stdout)
    assert graph["article"]["source_id"] == "row-7"
    seed = tmp_path / "story.txt"
    seed.write_text(" date 2024-03-05 " + TEXT, encoding="utf-8")
    graph = json.loads(newsgraph("extract", str(seed)).stdout)
    given = seed.read_text(encoding="utf-8")
    art = graph["article"]
    assert art["source_id"] is None
    assert given[art["text_offset"] :].startswith(art["text"][:20])
