"""Search as a reader types it: stemmed words, prefixes, phrases, OR/NOT, filters, highlighted matches (#16)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsgraph.api import create_app
from newsgraph.model import Article, ArticleGraph, Sentence
from newsgraph.query import QueryService
from newsgraph.store import Store
from newsgraph.store.search import fts5_match, parse

TEXTS = [  # written for this test
    ("Freedonia recruited fighters for Sylvania last spring.", "2022-04-02", "https://news.example.org/a", "en"),
    ("The recruitment drive in Freedonia worried its neighbours.", "2023-01-15", "https://daily.example.com/b", "en"),
    ("A recruiter said Freedonia recruits fighters for Sylvania.", "2023-06-20", "https://news.example.org/c", "en"),
    ("Sylvania denied any role; Freedonia kept silent.", "2023-07-01", "https://daily.example.com/d", "fr"),
]


def _graph(text: str, published: str, url: str, language: str) -> ArticleGraph:
    art = Article.create(text, published, title=f"Report {published}", url=url, language=language)
    return ArticleGraph(art, sentences=[Sentence(0, 0, len(art.text))], extractor_version="test")


@pytest.fixture
def qs(tmp_path: Path) -> QueryService:
    store = Store(tmp_path / "s.db")
    store.save_graphs([_graph(*t) for t in TEXTS])
    return QueryService(store)


def texts(qs: QueryService, query: str, **kw: str) -> list[str]:
    from newsgraph.query import search_filter

    return sorted(r["text"] for r in qs.search_sentences(query, flt=search_filter(**kw)).items)


def test_words_are_stemmed_and_prefixes_match(qs: QueryService) -> None:
    assert len(texts(qs, "recruit")) == 3  # recruited, recruitment, recruiter, recruits: one stem
    assert texts(qs, "recruitment") == texts(qs, "recruit")
    assert len(texts(qs, "fighter")) == 2
    assert texts(qs, "neighb") == [] and texts(qs, "neighb*") == [TEXTS[1][0]]


def test_phrases_and_boolean(qs: QueryService) -> None:
    both = sorted([TEXTS[0][0], TEXTS[2][0]])
    assert texts(qs, '"Freedonia recruits fighters for Sylvania"') == both  # a phrase of stems
    assert texts(qs, "Sylvania recruits Freedonia") == both  # words in any order
    assert texts(qs, '"Sylvania recruits Freedonia"') == []  # a phrase keeps its order
    assert texts(qs, "neighbours OR denied") == sorted([TEXTS[1][0], TEXTS[3][0]])
    assert texts(qs, "Freedonia NOT Sylvania") == [TEXTS[1][0]]
    assert texts(qs, "Freedonia -Sylvania") == [TEXTS[1][0]]
    # syntax characters are only text: no error, no injection
    for hostile in ('"unclosed', "NEAR(a b)", "col:Freedonia", "a) OR (b", "*", "NOT", "'; DROP TABLE x; --"):
        qs.search_sentences(hostile)
    assert fts5_match(parse('NEAR(a b) col:x')) == '"NEAR a" AND "b" AND "col x"'  # FTS5 syntax only as text


def test_filters_by_date_source_and_language(qs: QueryService) -> None:
    assert texts(qs, "Freedonia", date_from="2023", date_to="2023-06") == sorted([TEXTS[1][0], TEXTS[2][0]])
    assert texts(qs, "Freedonia", source="daily.example") == sorted([TEXTS[1][0], TEXTS[3][0]])
    assert texts(qs, "Freedonia", language="fr") == [TEXTS[3][0]]


def test_matches_are_highlighted(qs: QueryService) -> None:
    hits = {h["text"]: [h["text"][a:b] for a, b in h["highlights"]] for h in qs.search_sentences("recruit").items}
    assert hits[TEXTS[2][0]] == ["recruiter", "recruits"]  # the words as written, found by their stem
    assert hits[TEXTS[1][0]] == ["recruitment"]
    (hit,) = qs.search_sentences('"Sylvania last"').items
    assert [hit["text"][a:b] for a, b in hit["highlights"]] == ["Sylvania last"]  # a phrase as one span


def test_api_search_filters_and_bad_dates(qs: QueryService) -> None:
    with TestClient(create_app(qs.store, check_assets=False)) as c:
        r = c.get("/api/search", params={"q": "recruit*", "source": "news.example.org"})
        assert r.status_code == 200
        items = r.json()["sentences"]["items"]
        assert len(items) == 2 and all(it["highlights"] for it in items)
        for name in ("date_from", "date_to"):
            bad = c.get("/api/sentences", params={"q": "x", name: "2023-13"})
            assert bad.status_code == 400 and name in bad.json()["detail"]
        bad = c.get("/api/graph", params={"key": "n:Country:Freedonia", "date_from": "2023-02-30"})
        assert bad.status_code == 400 and "date_from" in bad.json()["detail"]


def test_an_old_store_is_reindexed_with_stems(tmp_path: Path) -> None:
    """A v1 store (unstemmed index) opened by this version finds "recruit" in "recruited"."""
    import sqlite3

    db = tmp_path / "old.db"
    with Store(db) as store:
        store.save_graphs([_graph(*TEXTS[0])])
    con = sqlite3.connect(db)
    con.execute("DROP TABLE sentences_fts")
    con.execute("CREATE VIRTUAL TABLE sentences_fts USING fts5(text, article_id UNINDEXED, idx UNINDEXED, "
                "tokenize='unicode61 remove_diacritics 2')")  # fmt: skip
    con.execute("INSERT INTO sentences_fts SELECT text, article_id, idx FROM sentences")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with Store(db) as store:
        assert store.migrated_from == 1
        assert len(store.search_sentences("recruit")) == 1


def test_cli_search_with_filters_json(qs: QueryService) -> None:
    db = str(qs.store.engine.url.database)
    exe = str(Path(sys.executable).parent / "newsgraph")
    r = subprocess.run([exe, "search", "recruit*", "--db", db, "--from", "2023", "--json"], capture_output=True,
                       text=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert sorted(x["text"] for x in rows) == sorted([TEXTS[1][0], TEXTS[2][0]])
    assert all(x["highlights"] for x in rows)
    bad = subprocess.run([exe, "search", "x", "--db", db, "--to", "2023-13"], capture_output=True, text=True,
                         timeout=120)  # fmt: skip
    assert bad.returncode == 2 and "date_to" in bad.stderr
