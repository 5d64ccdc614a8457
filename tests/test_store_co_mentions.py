"""#14: one actor's co-mention pairs (read from its own index, `_co_mentions_of_one`) when names are
mentioned twice in one sentence: each pair is listed once, and every page holds ``limit`` pairs, the
ones the general plan gives. (About 30 % of the joined rows of a much reported actor are such repeats.)"""

from __future__ import annotations

from pathlib import Path

from newsgraph.model import Article, ArticleGraph, Entity, Mention, Sentence
from newsgraph.query import QueryService
from newsgraph.store import Store


def _article(i: int) -> ArticleGraph:
    """Ruritania named twice beside Grand Fenwick named twice, in one sentence; then Zenda with both."""
    one = f"Ruritania told Grand Fenwick that Ruritania would not wait for Grand Fenwick, day {i}."
    two = "Zenda sided with Ruritania and Grand Fenwick."
    text = f"{one} {two}"
    cut = len(one) + 1

    def at(word: str, start: int = 0) -> Mention:
        pos = text.index(word, start)
        return Mention(pos, pos + len(word), word, 0 if pos < cut else 1)

    return ArticleGraph(
        article=Article.create(text, f"2020-07-{i + 1:02d}", title=f"Talks {i}"),
        sentences=[Sentence(0, 0, len(one)), Sentence(1, cut, len(text))],
        entities=[
            Entity("e1", "Ruritania", "Country",
                   mentions=[at("Ruritania"), at("Ruritania", 10), at("Ruritania", cut)]),
            Entity("e2", "Grand Fenwick", "Country",
                   mentions=[at("Grand Fenwick"), at("Grand Fenwick", 20), at("Grand Fenwick", cut)]),
            Entity("e3", "Zenda", "Location", mentions=[at("Zenda")]),
        ],
        extractor_version="test",
    )  # fmt: skip


def test_pairs_named_twice_in_a_sentence_are_listed_once_and_fill_the_page(tmp_path: Path) -> None:
    with Store(tmp_path / "cm.db") as store:
        store.save_graphs([_article(i) for i in range(5)])
        key = QueryService(store).search_actors("Ruritania").items[0]["key"]
        every = store.co_mentions([key, "n:Person:Nobody At All"], limit=1000)  # the general plan (DISTINCT)
        pairs = [(r["article_id"], r["sentence"], r["source"], r["target"]) for r in every]
        assert len(pairs) == len(set(pairs)) == 5 * 3  # Grand Fenwick in sentence 0; Fenwick and Zenda in 1
        for limit in (1, 2, 4, 7, 15, 100):
            assert store.co_mentions([key], limit=limit) == every[:limit]
