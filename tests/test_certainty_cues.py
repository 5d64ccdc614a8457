"""Every hedged fact records the cue word that made it hedged (issue 4: "recorded on each fact")."""

from __future__ import annotations

from conftest import graph_of


def test_hedged_relation_records_its_adverb() -> None:
    graph = graph_of("The ministry exposed a smuggling ring allegedly linked to the Colombian army.")
    hedged = [r for r in graph.relations if r.type == "linked_to"]
    assert hedged and hedged[0].certainty == "alleged"
    assert hedged[0].certainty_cue == "allegedly"


def test_event_inside_a_claim_records_the_reporting_cue() -> None:
    graph = graph_of("The Daily Planet claims that the militia recruited hundreds of teenagers.")
    (att,) = [a for a in graph.attributions if a.certainty == "alleged"]
    assert att.certainty_cue == "claims"
    recruit = [e for e in graph.events if e.type == "RECRUIT"]
    assert recruit and recruit[0].certainty == "alleged" and recruit[0].certainty_cue == "claims"


def test_asserted_facts_carry_no_cue() -> None:
    graph = graph_of("Police arrested the leader of the gang in Lyon on Monday.")
    assert any(e.certainty == "asserted" for e in graph.events)  # else the check below checks nothing
    assert all(e.certainty_cue is None for e in graph.events if e.certainty == "asserted")
