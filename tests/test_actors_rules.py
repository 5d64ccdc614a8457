"""Actor rules on hand-written sentences (names unlike the seed's: the rules must be generic)."""

from __future__ import annotations

import pytest

from conftest import graph_of
from newsgraph.model import ArticleGraph, Entity

pytestmark = pytest.mark.slow


def owner(graph: ArticleGraph, text: str) -> str:
    """Name of the entity that the mention with exactly this text belongs to."""
    hits = {e.name for e in graph.entities for m in e.mentions if m.text == text}
    seen = [(e.name, [m.text for m in e.mentions]) for e in graph.entities]
    assert len(hits) == 1, f"{text!r} -> {hits}; entities: {seen}"
    return hits.pop()


def entity(graph: ArticleGraph, name: str) -> Entity:
    found = [e for e in graph.entities if e.name == name]
    assert len(found) == 1, [e.name for e in graph.entities]
    return found[0]


def test_media_keyword_beats_statistical_type() -> None:
    g = graph_of("The Lima Herald reported on Monday that prices rose. The Lima Herald is a daily newspaper.")
    e = entity(g, "Lima Herald")
    assert e.type == "Organization" and e.subtype == "media"


def test_descriptor_and_span_repair() -> None:
    g = graph_of(
        "In May, the NGO Committee for Press Freedom in Peru published a report. "
        "According to the organization, three reporters were detained."
    )
    e = entity(g, "Committee for Press Freedom in Peru")
    assert e.subtype == "ngo" and e.country == "PE"
    assert owner(g, "the organization") == e.name
    assert "Peru" not in {x.name for x in g.entities if x.type == "Country"}


def test_title_government_and_surname() -> None:
    g = graph_of(
        "Peruvian President Ana Torres met the press in Lima. Torres said the government of Ana Torres "
        "would not resign. The Peruvian government denied the report."
    )
    torres = entity(g, "Ana Torres")
    assert torres.type == "Person" and torres.roles == ["President of Peru"] and torres.country == "PE"
    assert owner(g, "Torres") == "Ana Torres"
    gov = entity(g, "Government of Peru")
    assert owner(g, "The Peruvian government") == gov.name
    assert owner(g, "the government") == gov.name
    rels = {(r.type, g.entity(r.source).name, g.entity(r.target).name) for r in g.relations}  # type: ignore[union-attr]
    assert ("leader_of", "Ana Torres", "Government of Peru") in rels


def test_populations_are_groups_not_the_country() -> None:
    g = graph_of("Chileans living abroad protested. Chilean citizens signed a letter to Chile's embassy.")
    assert owner(g, "Chileans") == owner(g, "Chilean citizens")
    grp = entity(g, owner(g, "Chileans"))
    assert grp.type == "Group" and grp.country == "CL"
    assert entity(g, "Chile").type == "Country"


def test_seat_of_government_metonym() -> None:
    g = graph_of("The White House rejected the claim. American officials said the United States would respond.")
    assert owner(g, "The White House") == "Government of the United States"


def test_unnamed_collective_and_definite_reference() -> None:
    g = graph_of(
        "Police dismantled a drug smuggling ring in Panama. Prosecutors said the criminal group moved cocaine. "
        "The Panamanian authorities arrested nine people."
    )
    ring = owner(g, "a drug smuggling ring")
    assert owner(g, "the criminal group") == ring
    assert entity(g, ring).type == "Organization" and entity(g, ring).subtype == "network"
    assert owner(g, "The Panamanian authorities") == "Government of Panama"


def test_demonym_diplomacy_is_the_foreign_ministry() -> None:
    g = graph_of(
        "The Bolivian Ministry of Foreign Affairs, headed by Carla Mendez, issued a note. "
        "Bolivian diplomacy called it a provocation. The ministry said the Minister of Foreign Affairs would travel."
    )
    mfa = "Bolivian Ministry of Foreign Affairs"
    assert owner(g, "Bolivian diplomacy") == mfa
    assert owner(g, "The ministry") == mfa
    assert owner(g, "the Minister of Foreign Affairs") == "Carla Mendez"
    assert entity(g, "Carla Mendez").roles == ["Minister of Foreign Affairs of Bolivia"]


def test_island_and_alias_in_brackets() -> None:
    g = graph_of(
        "Jamaica hosted the summit. Delegates arrived on the island on Monday. "
        "Delegates used the messaging service Kite (formerly Telegram) to vote."
    )
    assert owner(g, "the island") == "Jamaica"
    kite = entity(g, "Kite")
    assert kite.subtype == "social_network" and owner(g, "Telegram") == "Kite"


def test_same_name_typed_consistently() -> None:
    g = graph_of("Marta Oliveira spoke first. Later, Oliveira answered questions. Oliveira left at noon.")
    people = [e for e in g.entities if e.type == "Person"]
    assert [p.name for p in people] == ["Marta Oliveira"]
    assert len(people[0].mentions) == 3


def test_two_people_sharing_a_surname_stay_apart_in_an_article() -> None:
    g = graph_of("Raúl Castro met Fidel Castro in Havana. Later Raúl Castro flew to Caracas.")
    names = {e.name for e in g.entities if e.type == "Person"}
    assert {"Raúl Castro", "Fidel Castro"} <= names


def test_possessive_country_government() -> None:
    g = graph_of("Brazil's government rejected the offer. Argentina said it would wait.")
    assert owner(g, "government") == "Government of Brazil"
    assert "Brazil's government" in entity(g, "Government of Brazil").aliases
