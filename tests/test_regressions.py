"""Bugs found by reading output on unseen text; each test failed before its fix."""

from __future__ import annotations

from conftest import graph_of
from newsgraph.extract.pipeline import extract_article
from newsgraph.model import Article


def test_month_name_is_not_an_event_trigger() -> None:
    # spaCy tags "March" as a verb here; it was coded as a PROTEST event.
    graph = graph_of("Last year the two delegations met in March to discuss the border.", "2024-03-12")
    assert all(e.trigger.lower() != "march" for e in graph.events)
    assert any(e.type == "CONSULT" for e in graph.events)


def test_weekday_with_full_date_needs_no_publication_date() -> None:
    # An article without a publication date crashed the times component (assert on the DCT).
    article = Article.create("State TV said Thursday, February 2, 2016 that forces regained the town.", None)
    graph = extract_article(article)
    assert any(t.value == "2016-02-02" for t in graph.times)
