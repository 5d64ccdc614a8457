"""Review and correct (pure logic): anchoring across re-extraction, status, audit, imports, precision.

The article is written for these tests.
"""

from __future__ import annotations

import dataclasses

import pytest

from conftest import graph_of
from newsgraph.model import ArticleGraph
from newsgraph.review import (
    ReviewError,
    dumps,
    judge,
    loads,
    merge_imports,
    precision,
    states,
)

TEXT = (
    "The interior ministry of Nepal accused a Russian agency of recruiting Nepali men for the war. "
    '"We will bring every one of them home," the minister said on Monday.'
)


@pytest.fixture(scope="module")
def graph() -> ArticleGraph:
    g = graph_of(TEXT, "2024-03-04")
    assert g.events and g.quotes, "the test article must yield events and a quote"
    return g


def test_a_judgement_keeps_the_machine_values_and_validates_fields(graph: ArticleGraph) -> None:
    event = graph.events[0]
    j = judge(graph, "event", event.id, "correct", corrections={"type": "ACCUSE"}, reviewer="ana")
    assert j.before["type"] == event.type and j.corrections == {"type": "ACCUSE"} and j.reviewer == "ana"
    with pytest.raises(ReviewError, match="no correctable field 'colour'"):
        judge(graph, "event", event.id, "correct", corrections={"colour": "red"})
    with pytest.raises(ReviewError, match="has no event 'V999'"):
        judge(graph, "event", "V999", "confirm")


def test_judgements_survive_a_new_extraction_with_new_ids_and_shifted_spans(graph: ArticleGraph) -> None:
    event = graph.events[0]
    j = judge(graph, "event", event.id, "reject", reviewer="ana")
    renumbered = [dataclasses.replace(e, id=f"X{i}", end=e.end + 3) for i, e in enumerate(graph.events)]
    again = dataclasses.replace(graph, events=renumbered)
    found, orphans = states(again, [j])
    assert not orphans
    ((kind, fact_id), state), = found.items()
    assert kind == "event" and fact_id == f"X{graph.events.index(event)}" and state.status == "rejected"


def test_a_judgement_whose_fact_is_gone_is_flagged_not_dropped(graph: ArticleGraph) -> None:
    j = judge(graph, "quote", graph.quotes[0].id, "confirm", reviewer="ana")
    found, orphans = states(dataclasses.replace(graph, quotes=[]), [j])
    assert found == {} and orphans == [j]


def test_the_newest_judgement_is_the_status_and_notes_never_change_it(graph: ArticleGraph) -> None:
    q = graph.quotes[0]
    first = judge(graph, "quote", q.id, "reject", reviewer="ana")
    second = dataclasses.replace(judge(graph, "quote", q.id, "confirm", reviewer="ben"), at="9999-01-01T00:00:00+00:00")
    note = dataclasses.replace(judge(graph, "quote", q.id, "note", note="check the tape", reviewer="ana"),
                               at="9999-01-02T00:00:00+00:00")
    found, _ = states(graph, [first, second, note])
    state = found[("quote", q.id)]
    assert state.status == "confirmed" and state.reviewer == "ben" and state.notes == ["check the tape"]


def test_import_lists_conflicts_instead_of_overwriting(graph: ArticleGraph) -> None:
    event = graph.events[0]
    ours = [judge(graph, "event", event.id, "confirm", reviewer="ana")]
    theirs = [judge(graph, "event", event.id, "reject", reviewer="ben")]
    round_tripped = loads(dumps(theirs))
    assert [j.to_dict() for j in round_tripped] == [j.to_dict() for j in theirs]
    result = merge_imports(ours, round_tripped + ours)
    assert result.added == [] and result.duplicates == 1
    assert [(a.reviewer, b.reviewer) for a, b in result.conflicts] == [("ana", "ben")]
    with pytest.raises(ReviewError, match=r"judgements\.jsonl, line 1"):
        loads('{"anchor": {}}\n', source="judgements.jsonl")


def test_precision_per_kind_on_reviewed_facts(graph: ArticleGraph) -> None:
    made = [judge(graph, "event", e.id, "confirm", reviewer="ana") for e in graph.events[:1]]
    made.append(judge(graph, "quote", graph.quotes[0].id, "correct", corrections={"speaker": "E1"}, reviewer="ana"))
    figures = precision(made)
    assert figures["event"]["precision"] == 1.0 and figures["quote"]["precision"] == 0.0
    assert figures["quote"]["corrected"] == 1


def test_the_reviewed_graph_applies_corrections_and_filters(graph: ArticleGraph) -> None:
    from newsgraph.review import reviewed_graph

    first, *rest = graph.events
    q = graph.quotes[0]
    other = next(e for e in graph.entities if e.id != q.speaker)
    fix = {"speaker": f"the {other.name}"}
    made = [judge(graph, "event", first.id, "reject", reviewer="ana"),
            judge(graph, "quote", q.id, "correct", corrections=fix, reviewer="ana")]  # fmt: skip
    out, found = reviewed_graph(graph, made, hide_rejected=True)
    assert first.id not in {e.id for e in out.events} and len(out.events) == len(rest)
    assert out.quotes[0].speaker == other.id and graph.quotes[0].speaker == q.speaker  # the machine's graph unchanged
    assert found[("quote", q.id)].status == "corrected"
    confirmed, _ = reviewed_graph(graph, made, confirmed_only=True)
    assert confirmed.events == [] and [x.id for x in confirmed.quotes] == [q.id] and confirmed.entities
    with pytest.raises(ReviewError, match="certainty"):
        judge(graph, "event", first.id, "correct", corrections={"certainty": "certain"})
    with pytest.raises(ReviewError, match="ISO date"):
        judge(graph, "event", first.id, "correct", corrections={"date": "last Monday"})
