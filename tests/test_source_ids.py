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
    # two feeds that both call their article "dup-1"
    dups = [{"id": "dup-1", "date": "2024-03-06", "text": f"The port of {city} reopened on Monday."}
            for city in ("Lima", "Accra")]  # fmt: skip
    feed.write_text("".join(json.dumps(r) + "\n" for r in [record, *dups]), encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert newsgraph("ingest", str(feed), "--db", db).returncode == 0
    stored = [json.loads(line) for line in newsgraph("extract", str(feed)).stdout.splitlines()]
    assert len(stored) == 3
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
    # the user's id and URL find the article, as its content id does
    for ref in ("desk-42", "https://example.org/a/42"):
        found = newsgraph("show", ref, "--db", db, "-f", "jsonl")
        assert found.returncode == 0 and json.loads(found.stdout) == graph, found.stderr
    both = newsgraph("show", "dup-1", "--db", db)
    assert both.returncode == 2 and "2 articles have the source id or URL 'dup-1'" in both.stderr, both.stderr
    assert sum(1 for g in stored[1:] if g["article"]["id"] in both.stderr) == 2
    # exported: JSONL graphs and the CSV articles table carry the id and the offset
    exported = [json.loads(x) for x in newsgraph("export", "--db", db, "--format", "jsonl").stdout.splitlines()]
    assert {g["article"]["source_id"] for g in exported} == {"desk-42", "dup-1"}
    assert newsgraph("export", "--db", db, "--format", "csv", "--out", str(tmp_path / "csv")).returncode == 0
    with (tmp_path / "csv" / "articles.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["article_id"]: r for r in csv.DictReader(fh)}
    assert (rows[art["id"]]["source_id"], rows[art["id"]]["text_offset"]) == ("desk-42", str(art["text_offset"]))


def test_a_store_from_before_source_ids_gets_them_from_its_graphs(tmp_path: Path) -> None:
    """Migration 5 fills the new column from each stored graph, so old stores find articles by input id too."""
    import sqlite3

    from newsgraph.model import Article, ArticleGraph
    from newsgraph.store import Store

    db = tmp_path / "old.db"
    art = Article.create("The port of Lima reopened on Monday.", "2024-03-06", source_id="wire-7")
    with Store(db) as store:
        store.save_graphs([ArticleGraph(art, extractor_version="t")])
    with sqlite3.connect(db) as conn:  # as a v4 store left it: no value in the column
        conn.execute("UPDATE articles SET source_id = NULL")
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    with Store(db) as store:
        graph = store.get_graph("wire-7")
        assert graph is not None and graph.article.id == art.id


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
