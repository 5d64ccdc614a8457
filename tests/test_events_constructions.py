"""Events and relations, one construction per test, on hand-written sentences (not the seed)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from conftest import graph_of
from newsgraph.model import ArticleGraph, Event, Relation

pytestmark = pytest.mark.slow


@lru_cache(maxsize=64)
def _graph(text: str) -> ArticleGraph:
    return graph_of(text)


def name(graph: ArticleGraph, eid: str | None) -> str | None:
    ent = graph.entity(eid)
    return ent.name if ent else None


def events_of(text: str, etype: str | None = None) -> tuple[ArticleGraph, list[Event]]:
    g = _graph(text)
    return g, [e for e in g.events if etype is None or e.type == etype]


def relations_of(text: str, rtype: str) -> tuple[ArticleGraph, list[Relation]]:
    g = _graph(text)
    return g, [r for r in g.relations if r.type == rtype]


def one(text: str, etype: str) -> tuple[ArticleGraph, Event]:
    g, evs = events_of(text, etype)
    assert len(evs) >= 1, [(e.type, e.trigger) for e in g.events]
    return g, evs[0]


def test_active_verb_subject_and_object() -> None:
    g, ev = one("France condemned Germany on Monday.", "ACCUSE")
    assert (name(g, ev.source), name(g, ev.target)) == ("France", "Germany")
    assert ev.trigger == "condemned"
    assert g.article.text[ev.trigger_start : ev.trigger_end] == "condemned"
    assert ev.sentence == 0 and ev.start <= ev.trigger_start < ev.trigger_end <= ev.end
    assert ev.asserted_by is None and ev.certainty == "asserted"


def test_passive_with_agent() -> None:
    g, ev = one("Germany was condemned by France on Monday.", "ACCUSE")
    assert (name(g, ev.source), name(g, ev.target)) == ("France", "Germany")


def test_reciprocal_coordinated_subject_and_location() -> None:
    g, ev = one("France and Germany met in Paris on Monday.", "CONSULT")
    assert (name(g, ev.source), name(g, ev.target), name(g, ev.location)) == ("France", "Germany", "Paris")


def test_reciprocal_coordinated_demonyms_map_to_countries() -> None:
    text = "France and Germany have close ties. French and German ministers met in Brussels on Monday."
    g, ev = one(text, "CONSULT")
    assert (name(g, ev.source), name(g, ev.target)) == ("France", "Germany")


def test_signing_is_reciprocal() -> None:
    g, ev = one("Egypt and Israel signed an agreement in Cairo.", "AGREE")
    assert (name(g, ev.source), name(g, ev.target)) == ("Egypt", "Israel")


def test_relative_clause_subject_is_the_antecedent() -> None:
    g, ev = one("Poland denounced the Wagner Group, which recruits prisoners in Russia.", "RECRUIT")
    assert name(g, ev.source) == "Wagner Group"
    assert name(g, ev.location) == "Russia"


def test_light_verb_frame_complaint() -> None:
    g, ev = one("Amnesty International made a complaint about Hungary.", "ACCUSE")
    assert (name(g, ev.source), name(g, ev.target)) == ("Amnesty International", "Hungary")
    assert ev.trigger == "made a complaint"


def test_light_verb_frame_offer_help_with_dative() -> None:
    g, ev = one("Japan offered help to Chile after the earthquake.", "AID")
    assert (name(g, ev.source), name(g, ev.target)) == ("Japan", "Chile")


def test_participle_inherits_main_subject() -> None:
    g, ev = one("Spain signed a decree on Monday, offering help to Morocco.", "AID")
    assert (name(g, ev.source), name(g, ev.target)) == ("Spain", "Morocco")


def test_negation() -> None:
    g, ev = one("Brazil did not attack Argentina.", "ASSAULT")
    assert ev.negated and ev.certainty == "denied"
    assert (name(g, ev.source), name(g, ev.target)) == ("Brazil", "Argentina")


def test_future_and_hypothetical_flags() -> None:
    _, evs = events_of("Russia will invade Moldova, officials fear. Russia may attack Georgia.", "ASSAULT")
    will, may = evs[0], evs[1]
    assert will.future and not will.hypothetical
    assert may.hypothetical and may.certainty == "hypothetical" and not may.future


def test_conditional_is_hypothetical() -> None:
    _, ev = one("If Iran attacks Israel, the United States will respond.", "ASSAULT")
    assert ev.hypothetical


def test_historical_flag() -> None:
    _, ev = one("Iraq invaded Kuwait in 1990.", "ASSAULT")
    assert ev.historical
    _, recent = one("Russia attacked Ukraine on Tuesday.", "ASSAULT")
    assert not recent.historical


def test_reported_event_carries_the_speaker() -> None:
    g, ev = one("Ukraine said that Russia attacked Kharkiv.", "ASSAULT")
    assert name(g, ev.source) == "Russia"
    assert name(g, ev.asserted_by) == "Ukraine" and ev.certainty == "asserted"
    assert ev.attribution is not None


def test_claim_makes_the_event_alleged() -> None:
    g, ev = one("Pravda claims that Georgia attacked Abkhazia.", "ASSAULT")
    assert name(g, ev.asserted_by) == "Pravda" and ev.certainty == "alleged"


def test_agentless_official_act_gets_the_reporter() -> None:
    g, ev = one("Interpol said that an operation was launched to investigate Europol.", "ACCUSE")
    assert ev.mode == "investigate"
    assert name(g, ev.source) == "Interpol"
    assert name(g, ev.asserted_by) == "Interpol"


def test_relation_linked_to_is_alleged() -> None:
    g, rels = relations_of("Hezbollah is allegedly linked to Iran.", "linked_to")
    assert [(name(g, r.source), name(g, r.target), r.certainty) for r in rels] == [("Hezbollah", "Iran", "alleged")]


def test_relation_funds_active_and_passive() -> None:
    g, rels = relations_of("Qatar has financed Hamas for years.", "funds")
    assert [(name(g, r.source), name(g, r.target)) for r in rels] == [("Qatar", "Hamas")]
    g, rels = relations_of("Hamas, which is funded by Iran, attacked Israel.", "funds")
    assert [(name(g, r.source), name(g, r.target)) for r in rels] == [("Iran", "Hamas")]


def test_relation_benefits_from_money_generation() -> None:
    g, rels = relations_of("Exxon generates money for the Saudi government.", "benefits")
    assert len(rels) == 1 and name(g, rels[0].target) == "Exxon"


def test_relation_member_of_copula() -> None:
    g, rels = relations_of("Maria Lopez is a member of the Socialist Party.", "member_of")
    assert [(name(g, r.source), name(g, r.target)) for r in rels] == [("Maria Lopez", "Socialist Party")]


def test_relation_in_reported_speech_carries_the_speaker() -> None:
    g, rels = relations_of("Israel said that Hezbollah is linked to Iran.", "linked_to")
    assert len(rels) == 1 and name(g, rels[0].asserted_by) == "Israel"


def test_no_event_without_a_trigger() -> None:
    _, evs = events_of("The weather in Lisbon was mild on Sunday.")
    assert evs == []


def test_object_decides_the_type() -> None:
    _, evs = events_of("Kenyan troops captured the town of Afmadow. Police captured 40 rifles in Nairobi.")
    assert [(e.type, e.mode) for e in evs] == [("ASSAULT", "occupy"), ("COERCE", "seize")]


def test_objects_that_are_not_events() -> None:
    _, evs = events_of("Sony released a new album. Microsoft struck a deal with Nokia. The team helped reduce costs.")
    assert evs == [], [(e.type, e.trigger) for e in evs]
    g, ev = one("Singapore released Van Nguyen on Friday.", "RETREAT")
    assert (name(g, ev.source), name(g, ev.target)) == ("Singapore", "Van Nguyen")


def test_phrasal_verbs_and_standalone_event_nouns() -> None:
    _, evs = events_of("Rebels took over the town of Tabqa. Months of protests followed. He had a heart attack.")
    assert [(e.type, e.mode) for e in evs] == [("ASSAULT", "occupy"), ("PROTEST", "demo")]


def test_agentless_official_act_gets_the_reporters_government() -> None:
    text = (
        "The French Foreign Ministry said that an investigation was launched into the Wagner Group. "
        "The French government condemned the group."
    )
    g, ev = one(text, "ACCUSE")
    assert (ev.mode, ev.trigger) == ("investigate", "investigation was launched")
    assert (name(g, ev.source), name(g, ev.target)) == ("Government of France", "Wagner Group")
    assert name(g, ev.asserted_by) == "French Foreign Ministry"


def test_purpose_clause_restating_the_event_is_not_a_second_event() -> None:
    g, evs = events_of("France and Germany met in Paris for a meeting to discuss trade.", "CONSULT")
    assert [(name(g, e.source), name(g, e.target), e.trigger) for e in evs] == [("France", "Germany", "met")]


def test_negated_relations_are_denied() -> None:
    g, rels = relations_of("Hamas has no links to Iran.", "linked_to")
    assert [(name(g, r.source), name(g, r.target), r.certainty) for r in rels] == [("Hamas", "Iran", "denied")]
    g, rels = relations_of("Vermont Law School is not affiliated with Harvard University.", "affiliated_with")
    assert [r.certainty for r in rels] == ["denied"]


def test_he_she_resolve_to_the_last_person_subject() -> None:
    text = "Angela Merkel met Emmanuel Macron in Paris on Monday. Later she criticised Russia."
    g, ev = one(text, "ACCUSE")
    assert (name(g, ev.source), name(g, ev.target)) == ("Angela Merkel", "Russia")


def test_coordinated_apposition_gives_one_event_each() -> None:
    g, evs = events_of("Two drug mules, Renae Lawrence and Scott Rush, were sentenced to life in prison.", "SANCTION")
    assert sorted(name(g, e.target) or "" for e in evs) == ["Renae Lawrence", "Scott Rush"]


def test_event_noun_naming_the_same_happening_is_merged() -> None:
    g, evs = events_of("28 people were killed in a suicide bombing attack in Baghdad.")
    assert [(e.type, e.trigger, name(g, e.location)) for e in evs] == [("ASSAULT", "killed", "Baghdad")]
