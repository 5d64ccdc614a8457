"""#14: a sentence search ranks on the full-text index alone first, then reads only the page's matches.

Without a filter, the score of the page's last match is found on the index (bm25, no join) and only
the matches scoring as well are joined, highlighted and sorted; matches tied at the cut are all
kept, so the page is the one the whole sort gives (copies of one sentence tie exactly).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event

from newsgraph.model import Article, ArticleGraph, Sentence
from newsgraph.store import Store
from newsgraph.store.search import SearchFilter

TEXTS = [
    "Harbour workers in Portvale walked out over unpaid wages.",  # reprinted: identical scores
    "Harbour workers walked out.",
    "In Portvale the harbour was quiet while negotiators met the workers for a third day running.",
]


def test_the_page_is_the_one_the_whole_sort_gives(tmp_path: Path) -> None:
    graphs = []
    for i in range(9):
        text = TEXTS[i % len(TEXTS)]
        art = Article.create(text, f"2020-01-{(i * 7) % 28 + 1:02d}", title=f"Report {i}")
        graphs.append(ArticleGraph(article=art, sentences=[Sentence(0, 0, len(text))], extractor_version="test"))
    with Store(tmp_path / "cut.db") as store:
        store.save_graphs(graphs)
        seen: list[str] = []
        event.listen(store.engine, "before_cursor_execute", lambda _c, _cu, sql, _p, _x, _m: seen.append(sql))
        everything = SearchFilter(date_from="0000")  # a filter that keeps all: the whole sort, no cut
        for query in ("harbour workers", "workers", "Portvale OR quiet"):
            for limit, offset in ((1, 0), (2, 0), (2, 1), (4, 2), (20, 0)):
                seen.clear()
                page = store.search_sentences(query, limit=limit, offset=offset)
                assert any("ORDER BY score LIMIT 1 OFFSET" in s for s in seen)
                assert page == store.search_sentences(query, limit=limit, offset=offset, flt=everything)
                assert len(page) == min(limit, max(0, 9 - offset)) or query != "workers"
