"""Generic actors (issue 12, item 3): plain plural nouns of people and bodies as actors, scoped to a
country only when the phrase says so, and descriptions "<people> of/from <body>" as actors of their
own linked to the body. Sentences written for this test."""

from __future__ import annotations

import pytest

from conftest import cached_graph_of, entity_mentioned

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("Masked gunmen shot two guards outside the depot.", "Masked gunmen"),
        ("Masked gunmen shot two guards outside the depot.", "two guards"),
        ("The attackers fled after the blast, witnesses said.", "attackers"),
        ("Supporters of the mayor gathered outside the court.", "Supporters of the mayor"),
        ("Hundreds of thousands of people marched through Lisbon on Sunday.", "Hundreds of thousands of people"),
        ("Three people were wounded when the roof fell.", "Three people"),
        ("Journalists were barred from the hearing.", "Journalists"),
    ],
)
def test_plain_nouns_of_people_are_actors(text: str, mention: str) -> None:
    assert entity_mentioned(text, mention).type in ("Group", "Organization")


@pytest.mark.parametrize(
    "text",
    [
        "People said the water had been cut for a week.",
        "Officials said the road would reopen soon.",
        "The doctor examined the boy.",  # one person, not a body
        "Villagers left the school in the morning.",  # a building is no actor
    ],
)
def test_bare_vague_heads_and_singular_people_are_no_actors(text: str) -> None:
    names = {e.name.lower() for e in cached_graph_of(text).entities}
    assert not names & {"people", "officials", "doctor", "school"}, names


def test_counted_groups_are_not_merged() -> None:
    text = "A bomb killed four people in the market. Two people died later in hospital."
    assert entity_mentioned(text, "four people in the market").id != entity_mentioned(text, "Two people").id


@pytest.mark.parametrize(
    ("text", "mention", "country"),
    [
        ("Afghan police detained the driver.", "Afghan police", "AF"),
        ("Police in Kandahar detained the driver.", "Police in Kandahar", "AF"),
        ("Protesters in Lahore burned tyres.", "Protesters in Lahore", "PK"),
        ("The rebels of Colombia signed the accord.", "rebels of Colombia", "CO"),
    ],
)
def test_scoped_to_the_country_the_phrase_names(text: str, mention: str, country: str) -> None:
    assert entity_mentioned(text, mention).country == country


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        # the article is about Israel, but the militants' phrase names no country
        ("Israel said militants fired rockets at Sderot. Israel closed the crossing.", "militants"),
        ("Settlers set fire to olive groves near Nablus, Palestinian officials said.", "Settlers"),
        ("Rebels attacked a convoy in northern Uganda.", "Rebels"),
    ],
)
def test_never_the_articles_country_by_default(text: str, mention: str) -> None:
    ent = entity_mentioned(text, mention)
    assert ent.country is None and "(" not in ent.name, ent.name


def test_a_dateline_scopes_state_bodies_only() -> None:
    text = "KAMPALA (Reuters) - Police arrested four men on Monday. Militants later attacked a market."
    assert entity_mentioned(text, "Police").country == "UG"
    assert entity_mentioned(text, "Militants").country is None


def test_a_description_of_an_unnamed_body_is_an_actor_linked_to_it() -> None:
    text = (
        "Leaders of the southern farmers' coalition rejected the tax. "
        "Doctors from two aid groups treated the wounded."
    )
    g = cached_graph_of(text)
    leaders = entity_mentioned(text, "Leaders of the southern farmers' coalition")
    assert leaders.name == "Leaders of the southern farmers' coalition"
    doctors = entity_mentioned(text, "Doctors from two aid groups")
    groups = entity_mentioned(text, "two aid groups")
    assert doctors.id != groups.id
    assert ("works_for", doctors.id, groups.id) in {(r.type, r.source, r.target) for r in g.relations}
    assert any(r.type == "leader_of" and r.source == leaders.id for r in g.relations)


def test_members_of_a_named_body_are_that_body() -> None:
    # CAMEO codes an agent by its organisation: "members of the Kestrel Front" act as the Front
    text = "Members of the Kestrel Front attacked a checkpoint."
    g = cached_graph_of(text)
    assert not any(e.name.lower().startswith("members") for e in g.entities)


def test_a_bare_generic_actor_is_the_one_scoped_actor_of_its_words() -> None:
    text = "Police in Quito detained two students. The police later released them."
    assert entity_mentioned(text, "police").id == entity_mentioned(text, "Police in Quito").id
    assert entity_mentioned(text, "police").country == "EC"


def test_no_membership_where_the_description_states_none() -> None:
    text = "Victims of human traffickers were freed. Members of both families attended the hearing."
    g = cached_graph_of(text)
    assert not any(r.type == "member_of" for r in g.relations), [(r.type, r.source, r.target) for r in g.relations]


def test_one_soldier_is_a_person_and_keeps_the_membership_the_apposition_states() -> None:
    text = "Officials have yet to name the soldier, a member of the Royal Highland Regiment."
    g = cached_graph_of(text)
    soldier = entity_mentioned(text, "soldier")
    assert soldier.type == "Person"
    brigade = next(e for e in g.entities if "Regiment" in e.name)
    assert ("member_of", soldier.id, brigade.id) in {(r.type, r.source, r.target) for r in g.relations}
