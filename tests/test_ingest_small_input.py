"""An input smaller than one worker chunk is extracted in this process: no pool is forked for it."""

from __future__ import annotations

import pytest

from newsgraph import nlp
from newsgraph.extract.pipeline import extract_articles
from newsgraph.model import Article

TEXTS = (
    "The mayor of Lyon said on Tuesday that the new tram line would open in June.",
    "Firefighters rescued three hikers from a flooded valley near the river on Sunday.",
)


def test_a_small_input_on_several_processes_forks_no_pool_and_gives_the_same_graphs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    articles = [Article.create(t, "2024-05-07") for t in TEXTS]

    def no_pool(n_process: int) -> None:
        raise AssertionError(f"a pool of {n_process} was asked for two short articles")

    monkeypatch.setattr(nlp, "worker_pool", no_pool)
    parallel = list(extract_articles(articles, batch_size=64, n_process=2))
    single = list(extract_articles(articles, batch_size=64, n_process=1))
    assert [g.to_dict() for g in parallel] == [g.to_dict() for g in single]
    assert [g.article.id for g in parallel] == [a.id for a in articles]
