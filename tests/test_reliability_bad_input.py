"""Bad input: each broken file gets one clear error naming it, the batch goes on, nothing stored is lost.

Covers the foundation's bad-input requirement (empty, binary, invalid UTF-8, unparseable
date, a 50 MB file) through the CLI (exit code 1) and through `read_paths`, plus the
regressions found while fuzzing (one hostile record must not take the rest of its file down).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.model import Article
from newsgraph.read import ReadError, read_paths

GOOD_1 = "The Senate of Brazil approved the budget on Monday after a long debate among its members."
GOOD_2 = "Officials in Lisbon said the new bridge would open next year, according to the transport ministry."
LATIN_1 = "Le café de la gare a fermé ses portes à Montréal après trente années de service, selon le maire."


def _stored(db: Path) -> dict[str, str]:
    """id -> text of every stored article (read-only, straight from SQLite)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {r[0]: r[1] for r in conn.execute("SELECT id, text FROM articles")}


def _bad_corpus(root: Path) -> dict[str, Path]:
    """One good file beside each kind of bad input; returns the bad ones by kind."""
    root.mkdir()
    (root / "good_2023-05-01.txt").write_text(GOOD_2, encoding="utf-8")
    # Not UTF-8 but text: charset-normalizer detects the encoding and the article is stored.
    (root / "latin1_2023-05-02.txt").write_bytes(LATIN_1.encode("cp1252"))
    bad = {
        "empty": root / "empty_2023-05-03.txt",
        "binary": root / "binary_2023-05-04.txt",
        "date": root / "nodate.jsonl",
        "huge": root / "huge_2023-05-05.txt",
    }
    bad["empty"].write_bytes(b"")
    bad["binary"].write_bytes(bytes(range(256)) * 64 + b"\x00\x00\x7fELF")
    bad["date"].write_text(json.dumps({"date": "the 45th of Smarch", "text": GOOD_1}) + "\n", encoding="utf-8")
    with bad["huge"].open("wb") as fh:  # 50 MB of text: refused before it is read into memory
        line = (b"Words words words in a very long file. " * 30)[:999] + b"\n"
        for _ in range(50_000):
            fh.write(line)
    assert bad["huge"].stat().st_size >= 50_000_000
    return bad


@pytest.mark.slow
def test_cli_bad_inputs_one_error_each_rest_stored_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    first = tmp_path / "first_2023-04-30.txt"
    first.write_text(GOOD_1, encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(app, ["ingest", str(first), "--db", str(db)])
    assert ok.exit_code == 0, ok.output
    before = _stored(db)
    assert len(before) == 1

    bad = _bad_corpus(tmp_path / "corpus")
    result = runner.invoke(app, ["ingest", str(tmp_path / "corpus"), "--db", str(db), "--batch-size", "2"])
    assert result.exit_code == 1, result.output
    err_lines = [line for line in result.stderr.splitlines() if line.startswith("error ")]
    assert len(err_lines) == len(bad), result.stderr
    for kind, path in bad.items():
        naming = [line for line in err_lines if str(path) in line]
        assert len(naming) == 1, f"{kind}: expected one error line naming {path}, got {err_lines}"
    assert any("empty file" in line for line in err_lines)
    assert any("binary" in line for line in err_lines)
    assert any("unparseable publication date" in line for line in err_lines)
    assert any("too large" in line and "NEWSGRAPH_MAX_FILE_BYTES" in line for line in err_lines)

    after = _stored(db)
    assert before.items() <= after.items(), "an article stored before the bad batch was lost or changed"
    texts = set(after.values())
    assert GOOD_2 in texts
    assert LATIN_1 in texts, "the cp1252 file was not decoded to the right text"
    assert len(after) == 3


def test_read_paths_bad_inputs_named_once_rest_read(tmp_path: Path) -> None:
    bad = _bad_corpus(tmp_path / "corpus")
    results = list(read_paths([tmp_path / "corpus", tmp_path / "missing.txt"]))
    errors = [r for r in results if isinstance(r, ReadError)]
    articles = [r for r in results if isinstance(r, Article)]
    assert {a.text for a in articles} == {GOOD_2, LATIN_1}
    sources = [e.source for e in errors]
    assert len(sources) == len(bad) + 1
    for path in bad.values():
        assert sum(s.startswith(str(path)) for s in sources) == 1, sources
    assert str(tmp_path / "missing.txt") in sources
    assert all(e.reason and "\n" not in e.reason for e in errors)


def test_file_size_limit_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsgraph.settings import Settings

    path = tmp_path / "small_2023-01-01.txt"
    path.write_text(GOOD_1, encoding="utf-8")
    assert Settings().max_file_bytes >= 10_000_000  # sane default
    monkeypatch.setenv("NEWSGRAPH_MAX_FILE_BYTES", "20")
    monkeypatch.setenv("NEWSGRAPH_MAX_TEXT_CHARS", "10")
    (err,) = read_paths([path])
    assert isinstance(err, ReadError) and "too large" in err.reason
    (err,) = read_paths([path], settings=Settings(max_file_bytes=10_000))
    assert isinstance(err, ReadError) and "too long" in err.reason and "NEWSGRAPH_MAX_TEXT_CHARS" in err.reason


# ---- regressions: one hostile record must not take down the rest of its file ------------------


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _good_line(n: int) -> str:
    return json.dumps({"date": "2023-01-01", "text": f"Good article number {n} about the city council of Porto."})


@pytest.mark.parametrize(
    "hostile",
    [
        json.dumps({"date": "2023-01-01", "text": GOOD_1, "title": ["not", "a", "string"]}),
        json.dumps({"date": "2023-01-01", "text": GOOD_1, "url": {"href": "x"}}),
        json.dumps({"date": "2023-01-01", "text": GOOD_1, "title": 5, "url": 7.5}),
        json.dumps({"date": ["2023-01-01"], "text": GOOD_1}),
        json.dumps({"date": "2023-01-01", "text": {"nested": GOOD_1}}),
        "[" * 100_000,  # RecursionError in the JSON decoder
        '{"date": "2023-01-01", "text": "A lone \\ud800 surrogate in a story about Chile."}',
        "[1, 2, 3]",
        "null",
    ],
    ids=["title-list", "url-dict", "title-int", "date-list", "text-dict", "deep-nesting", "surrogate", "array", "null"],
)
def test_jsonl_hostile_record_is_one_error_rest_of_file_read(tmp_path: Path, hostile: str) -> None:
    path = _jsonl(tmp_path / "feed.jsonl", [_good_line(1), hostile, _good_line(2)])
    results = list(read_paths([path]))
    articles = [r for r in results if isinstance(r, Article)]
    errors = [r for r in results if isinstance(r, ReadError)]
    assert len(articles) + len(errors) == 3, results
    assert {a.text for a in articles} >= {json.loads(_good_line(n))["text"] for n in (1, 2)}
    for err in errors:
        assert err.source == f"{path}:2"
    for art in articles:  # whatever was accepted is storable: plain strings only
        assert all(v is None or isinstance(v, str) for v in (art.title, art.url, art.published, art.source_path))


@pytest.mark.slow
def test_ingest_survives_hostile_record_types(tmp_path: Path) -> None:
    """A non-string url once reached SQLite and crashed the whole ingest."""
    from newsgraph.ingest import ingest
    from newsgraph.store import Store

    path = _jsonl(
        tmp_path / "feed.jsonl",
        [
            _good_line(1),
            json.dumps({"date": "2023-01-01", "text": GOOD_1, "url": {"href": "x"}, "title": [1]}),
            _good_line(2),
        ],
    )
    with Store(tmp_path / "s.db") as store:
        report = ingest([path], store, batch_size=8)
        assert report.stored + len(report.failed) == 3
        assert store.stats()["articles"] == report.stored >= 2


def test_feed_with_broken_entries_keeps_the_good_ones(tmp_path: Path) -> None:
    feed = tmp_path / "news.rss"
    feed.write_text(
        """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>broken html</title><description>&lt;&gt;&lt;/&gt;</description>
<pubDate>Mon, 06 Sep 2021 16:45:00 +0000</pubDate></item>
<item><title>bad date</title><description>A story about the harbour authority of Gdansk.</description>
<pubDate>Smarch 45, 99999</pubDate></item>
<item><title>good</title><description>The parliament of Estonia met on Tuesday to debate the energy bill.</description>
<pubDate>Tue, 07 Sep 2021 10:00:00 +0000</pubDate></item>
</channel></rss>""",
        encoding="utf-8",
    )
    results = list(read_paths([feed]))
    assert [type(r).__name__ for r in results] == ["ReadError", "ReadError", "Article"], results
    assert [r.source for r in results if isinstance(r, ReadError)] == [f"{feed}#1", f"{feed}#2"]


def test_unreadable_directory_entry_does_not_stop_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    locked = corpus / "locked_2023-01-01.txt"
    locked.write_text(GOOD_1, encoding="utf-8")
    (corpus / "open_2023-01-02.txt").write_text(GOOD_2, encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # as if chmod 0 (tests may run as root, who reads anything)
        if self.name.startswith("locked"):
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    results = list(read_paths([corpus]))
    assert [type(r).__name__ for r in results] == ["ReadError", "Article"]
    assert results[0].source == str(locked) and "Permission denied" in results[0].reason  # type: ignore[union-attr]


@pytest.mark.slow
def test_cli_error_lines_survive_markup_in_names_and_reasons(tmp_path: Path) -> None:
    """A date of '[/red]' once crashed the whole CLI ingest (Rich MarkupError); long paths were wrapped."""
    corpus = tmp_path / ("a-rather-long-directory-name-so-the-error-line-exceeds-eighty-columns" * 2)
    corpus.mkdir()
    empty = corpus / "[red]x[[!wat]_2023-05-03.txt"
    empty.write_bytes(b"")
    feed = _jsonl(corpus / "f.jsonl", [json.dumps({"date": "[/red]", "text": GOOD_1}), _good_line(1)])
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.splitlines()
    assert f"error {empty}: empty file" in lines
    assert f"error {feed}:1: unparseable publication date '[/red]'" in lines
    assert len(_stored(tmp_path / "s.db")) == 1


@pytest.mark.slow
def test_article_that_breaks_the_extractor_is_one_error_rest_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception inside one article's extraction once aborted the whole ingest."""
    from newsgraph.extract import pipeline
    from newsgraph.ingest import ingest
    from newsgraph.store import Store

    pipeline._load_builtin_components()
    real = pipeline._REGISTRY["sentences"]

    def fragile(analysis: pipeline.Analysis) -> None:
        if "BOOM" in analysis.article.text:
            raise RuntimeError("component bug")
        real(analysis)

    monkeypatch.setitem(pipeline._REGISTRY, "sentences", fragile)
    path = _jsonl(
        tmp_path / "feed.jsonl",
        [_good_line(1), json.dumps({"date": "2023-01-01", "text": "BOOM goes the article about Oslo."}), _good_line(2)],
    )
    errors: list[ReadError] = []
    with Store(tmp_path / "s.db") as store:
        report = ingest([path], store, batch_size=8, on_error=errors.append)
        assert report.stored == 2 and store.stats()["articles"] == 2
    assert [e.source for e in report.failed] == [f"{path}:2"]
    assert errors == report.failed and "extraction failed (RuntimeError: component bug)" in errors[0].reason


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("blank.jsonl", b"\n  \n\t\n", "no records"),
        ("header_only.csv", b"id,date,title,text,url\n", "no rows"),
    ],
)
def test_file_with_nothing_in_it_is_an_error_not_silence(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    """Found by fuzzing: a JSONL of blank lines or a header-only CSV once yielded nothing at all."""
    path = tmp_path / name
    path.write_bytes(data)
    (err,) = read_paths([path])
    assert isinstance(err, ReadError) and err.source == str(path) and reason in err.reason
