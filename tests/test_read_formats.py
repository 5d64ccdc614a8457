"""Each reader turns its format into Articles with title, date, url, language and a stable id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.model import Article
from newsgraph.read import ReadError, read_paths

TEXT = (
    "The foreign ministry of Freedonia said on Monday that it had opened an inquiry into a network "
    "that smuggles workers across the border. Officials met in the capital to discuss the case."
)


def only_articles(results: list[Article | ReadError]) -> list[Article]:
    assert all(isinstance(r, Article) for r in results), [str(r) for r in results if isinstance(r, ReadError)]
    return [r for r in results if isinstance(r, Article)]


def test_seed_format_with_leading_space_and_date_header(seed_path: Path) -> None:
    (article,) = only_articles(list(read_paths([seed_path])))
    assert article.published == "2023-09-05"
    assert article.text.startswith("The Cuban Ministry")
    assert not article.text.startswith("date")
    assert article.language == "en" and article.language_supported
    assert article.source_path == str(seed_path)


def test_txt_date_from_option_then_file_name(tmp_path: Path) -> None:
    plain = tmp_path / "report.txt"
    plain.write_text(TEXT, encoding="utf-8")
    (a,) = only_articles(list(read_paths([plain], date="2024-01-02")))
    assert a.published == "2024-01-02"
    named = tmp_path / "report_2022-03-04.txt"
    named.write_text(TEXT, encoding="utf-8")
    (b,) = only_articles(list(read_paths([named])))
    assert b.published == "2022-03-04"


def test_txt_without_any_date_is_a_clear_error(tmp_path: Path) -> None:
    plain = tmp_path / "undated.txt"
    plain.write_text(TEXT, encoding="utf-8")
    (err,) = list(read_paths([plain]))
    assert isinstance(err, ReadError)
    assert err.source == str(plain) and "--date" in err.reason


def test_jsonl_records_and_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    rows = [
        {"id": "a", "date": "2020-05-01", "title": "One", "text": TEXT, "url": "https://example.org/1"},
        {"id": "b", "date": "2020-05-02", "title": "Two", "text": TEXT + " More.", "url": None},
    ]
    path.write_text(json.dumps(rows[0]) + "\n{not json\n" + json.dumps(rows[1]) + "\n", encoding="utf-8")
    results = list(read_paths([path]))
    assert [type(r).__name__ for r in results] == ["Article", "ReadError", "Article"]
    first = results[0]
    assert isinstance(first, Article)
    assert (first.title, first.published, first.url) == ("One", "2020-05-01", "https://example.org/1")
    assert isinstance(results[1], ReadError) and results[1].source == f"{path}:2"


def test_csv_with_header(tmp_path: Path) -> None:
    path = tmp_path / "articles.csv"
    path.write_text(f'id,date,title,text,url\n1,2021-07-08,Headline,"{TEXT}",https://example.org/x\n', encoding="utf-8")
    (a,) = only_articles(list(read_paths([path])))
    assert (a.title, a.published, a.url) == ("Headline", "2021-07-08", "https://example.org/x")


def test_html_main_text_title_and_date(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Inquiry opened</title>"
        '<meta property="article:published_time" content="2019-11-12T10:00:00Z"></head>'
        "<body><nav>Home | World | Sport</nav><article><h1>Inquiry opened</h1>"
        f"<p>{TEXT}</p><p>{TEXT}</p></article><script>alert(1)</script></body></html>",
        encoding="utf-8",
    )
    (a,) = only_articles(list(read_paths([path])))
    assert a.published == "2019-11-12"
    assert "smuggles workers" in a.text
    assert "alert(1)" not in a.text
    assert a.title == "Inquiry opened"


def test_rss_and_atom_entries(tmp_path: Path) -> None:
    rss = tmp_path / "feed.rss"
    rss.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>First</title><link>https://example.org/1</link><description>{TEXT}</description>"
        "<pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate></item>"
        f"<item><title>Second</title><link>https://example.org/2</link><description>&lt;p&gt;{TEXT}&lt;/p&gt;"
        "</description><pubDate>Wed, 11 Jun 2003 04:00:00 GMT</pubDate></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    arts = only_articles(list(read_paths([rss])))
    assert [(a.title, a.published, a.url) for a in arts] == [
        ("First", "2003-06-10", "https://example.org/1"),
        ("Second", "2003-06-11", "https://example.org/2"),
    ]
    assert "<p>" not in arts[1].text
    atom = tmp_path / "feed.atom"
    atom.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        '<entry><title>Atom one</title><link href="https://example.org/a"/><updated>2005-07-31T12:29:29Z</updated>'
        f"<summary>{TEXT}</summary></entry></feed>",
        encoding="utf-8",
    )
    (a,) = only_articles(list(read_paths([atom])))
    assert (a.title, a.published) == ("Atom one", "2005-07-31")


def test_directory_is_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one_2020-01-01.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a" / "b" / "two_2020-01-02.txt").write_text(TEXT + " Again.", encoding="utf-8")
    (tmp_path / "a" / "README.md").write_text("not an article", encoding="utf-8")
    arts = only_articles(list(read_paths([tmp_path])))
    assert sorted(a.published or "" for a in arts) == ["2020-01-01", "2020-01-02"]


def test_non_english_article_is_flagged_not_analysed(tmp_path: Path) -> None:
    path = tmp_path / "es_2023-01-01.txt"
    path.write_text(
        "El Ministerio de Relaciones Exteriores denunció una red de tráfico de personas que recluta "
        "ciudadanos para combatir en la guerra. Las autoridades iniciaron un proceso penal.",
        encoding="utf-8",
    )
    (a,) = only_articles(list(read_paths([path])))
    assert a.language == "es"
    assert a.language_supported is False


@pytest.mark.parametrize("published", ["2023-09-05", None])
def test_article_id_is_stable_and_content_derived(published: str | None) -> None:
    a = Article.create("Some text.\r\n", published)
    b = Article.create("Some text.", published)
    c = Article.create("Other text.", published)
    assert a.id == b.id != c.id
