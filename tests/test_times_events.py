"""Event dating from the dependency parse, and the parse-dependent parts of time detection.

Events are built by hand (the contract: sentence, clause span, trigger offsets), so these tests
do not depend on the event extractor.
"""

from __future__ import annotations

import pytest

from newsgraph.extract.pipeline import Analysis, get_component
from newsgraph.extract.times import date_events
from newsgraph.model import Article, ArticleGraph, Event

PUB = "2023-09-05"  # a Tuesday


def analyse(text: str, published: str = PUB) -> Analysis:
    from newsgraph.nlp import load_nlp

    article = Article.create(text, published)
    analysis = Analysis(article=article, doc=load_nlp()(article.text), graph=ArticleGraph(article=article))
    get_component("sentences")(analysis)
    get_component("times")(analysis)
    return analysis


def add_event(analysis: Analysis, trigger: str, nth: int = 0) -> Event:
    text = analysis.article.text
    i = -1
    for _ in range(nth + 1):
        i = text.index(trigger, i + 1)
    graph = analysis.graph
    sent = graph.sentences[graph.sentence_of(i) or 0]
    ev = Event(
        id=f"V{len(graph.events) + 1}", type="CONSULT", trigger=trigger, sentence=sent.index,
        start=sent.start, end=sent.end, trigger_start=i, trigger_end=i + len(trigger),
    )  # fmt: skip
    graph.events.append(ev)
    return ev


def dated(text: str, *triggers: str) -> list[tuple[str | None, str | None]]:
    analysis = analyse(text)
    events = [add_event(analysis, t) for t in triggers]
    date_events(analysis)
    return [(e.date.value, e.date.qualifier) if e.date else (None, None) for e in events]


@pytest.mark.slow
def test_each_clause_takes_its_own_time() -> None:
    text = "The rebels attacked the town in June, and the army responded in August."
    assert dated(text, "attacked", "responded") == [("2023-06", None), ("2023-08", None)]


@pytest.mark.slow
def test_subordinate_clause_inherits_the_main_clause_time() -> None:
    text = "The two states signed a pact last year, when the rebels offered a truce."
    assert dated(text, "signed", "offered") == [("2022", None), ("2022", None)]


@pytest.mark.slow
def test_event_without_time_is_before_publication() -> None:
    assert dated("The ministry denounced the smuggling ring.", "denounced") == [(PUB, "before")]


@pytest.mark.slow
def test_duration_does_not_date_an_event() -> None:
    assert dated("The siege of the city lasted for three years.", "lasted") == [(PUB, "before")]


@pytest.mark.slow
def test_vague_interval_dates_the_event_before_the_earlier_time() -> None:
    text = "In May, the envoys met in Geneva. Their aides had travelled to the region months before, on a tour."
    assert dated(text, "met", "travelled") == [("2023-05", None), ("2023-05", "before")]


@pytest.mark.slow
def test_tense_sets_the_direction_of_a_weekday() -> None:
    past = analyse("The delegation arrived on Friday.").graph.times
    future = analyse("The delegation will arrive on Friday.").graph.times
    assert [(t.text, t.value) for t in past] == [("Friday", "2023-09-01")]
    assert [(t.text, t.value) for t in future] == [("Friday", "2023-09-08")]


@pytest.mark.slow
def test_modal_may_is_not_a_month_even_sentence_initially() -> None:
    assert analyse("May the talks succeed. Prices may rise.").graph.times == []


@pytest.mark.slow
def test_time_spans_equal_text_and_carry_sentences() -> None:
    analysis = analyse("Trade fell last year. The port reopened on March 3. It will close again next week.")
    text = analysis.article.text
    assert [(t.text, t.sentence) for t in analysis.graph.times] == [
        ("last year", 0), ("March 3", 1), ("next week", 2),
    ]  # fmt: skip
    assert all(text[t.start : t.end] == t.text for t in analysis.graph.times)


@pytest.mark.slow
def test_seed_every_event_is_dated_and_times_are_exact_slices(seed_graph: ArticleGraph) -> None:
    text = seed_graph.article.text
    assert seed_graph.times
    assert all(text[t.start : t.end] == t.text and t.value for t in seed_graph.times)
    assert all(e.date is not None and e.date.value for e in seed_graph.events)
