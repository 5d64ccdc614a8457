"""People by their titles (issue 12, items 3 and 7): titles without a name, "former" roles, how the
text introduces a person as an alias, unnamed single persons ("the bomber"), pronoun gender and
binding. Sentences written for this test."""

from __future__ import annotations

import pytest

from conftest import cached_graph_of, entity_mentioned

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("text", "mention", "country"),
    [
        ("Estonia's prime minister has resigned after the vote.", "Estonia's prime minister", "EE"),
        ("Lagos's police chief warned that rallies would be broken up.", "Lagos's police chief", "NG"),
        ("The talks ended when the US President left the room.", "US President", "US"),
    ],
)
def test_a_title_with_a_country_and_no_name_is_a_person(text: str, mention: str, country: str) -> None:
    ent = entity_mentioned(text, mention)
    assert ent.type == "Person" and ent.country == country and ent.name == mention


def test_a_title_followed_by_its_holders_name_is_no_person_of_its_own() -> None:
    text = "Peru's foreign minister, Lucia Campos, met the envoy."
    g = cached_graph_of(text)
    assert not any("minister" in e.name for e in g.entities)
    assert "Peru's foreign minister" in entity_mentioned(text, "Lucia Campos").aliases


def test_a_former_holder_keeps_a_former_role_and_leads_nothing() -> None:
    text = "Former President Tomas Brenner of Moldova criticised the budget. President Ana Vidu defended it."
    g = cached_graph_of(text)
    brenner = entity_mentioned(text, "Tomas Brenner")
    assert brenner.roles and all(r.startswith("former ") for r in brenner.roles)
    assert not any(r.source == brenner.id and r.type == "leader_of" for r in g.relations)
    assert "Former President Tomas Brenner" in brenner.aliases


@pytest.mark.parametrize(
    ("text", "mention", "alias"),
    [
        ("Dutch negotiator Pieter Smit said a deal was close.", "Pieter Smit", "Dutch negotiator Pieter Smit"),
        (
            "Ines Moreau, the regional emergency coordinator, asked for trucks.",
            "Ines Moreau",
            "regional emergency coordinator",
        ),
        (
            "Gunmen shot the deputy mayor of the Pskov district, Oleg Ivanov, on Monday.",
            "Oleg Ivanov",
            "deputy mayor of the Pskov district",
        ),
    ],
)
def test_how_the_text_introduces_a_person_is_an_alias(text: str, mention: str, alias: str) -> None:
    assert alias in entity_mentioned(text, mention).aliases


def test_a_possessive_role_is_no_alias() -> None:
    assert "His lawyer" not in entity_mentioned("His lawyer, Sarah Nolan, filed an appeal.", "Sarah Nolan").aliases


def test_one_unnamed_person_is_a_person_and_the_definite_refers_back() -> None:
    text = "A suicide bomber killed four soldiers at a checkpoint. The bomber had driven from the south."
    bomber = entity_mentioned(text, "suicide bomber")
    assert bomber.type == "Person"
    assert entity_mentioned(text, "bomber").id == bomber.id


def test_his_lawyer_is_no_body_of_lawyers() -> None:
    g = cached_graph_of("The driver was detained. His lawyer said the arrest was illegal.")
    assert not any(e.name == "lawyer" for e in g.entities)


def test_pronoun_gender_from_forms_of_address() -> None:
    text = "Mr. Karl Weber arrived first. Mrs. Lena Hart greeted him, and she thanked the hosts."
    weber, hart = entity_mentioned(text, "Karl Weber"), entity_mentioned(text, "Lena Hart")
    assert "him" in {m.text for m in weber.mentions}
    assert "she" in {m.text for m in hart.mentions}


def test_an_object_pronoun_is_not_its_own_clauses_subject() -> None:
    text = "Senator Paolo Ricci spoke first. Judge Marco Bellini thanked him."
    assert "him" in {m.text for m in entity_mentioned(text, "Paolo Ricci").mentions}
    assert "him" not in {m.text for m in entity_mentioned(text, "Marco Bellini").mentions}


def test_a_title_without_a_name_refers_to_the_articles_holder() -> None:
    text = (
        "Estonian Defence Minister Karl Tamm arrived on Monday. "
        "Officials said Estonia's defence minister would stay two days."
    )
    assert entity_mentioned(text, "Estonia's defence minister").name == "Karl Tamm"
