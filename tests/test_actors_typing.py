"""Entity types from knowledge and in-article references (issue 12, items 3 and 7), on sentences
written for this test."""

from __future__ import annotations

import pytest

from conftest import cached_graph_of, entity_mentioned

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("text", "mention", "etype"),
    [
        ("Recruiters in Ambala and Chandigarh promised the men jobs abroad.", "Chandigarh", "Place"),
        ("Police in Tula detained three men. Tula is south of the capital.", "Tula", "Place"),
        ("The volunteers were flown from Ryazan to the front.", "Ryazan", "Place"),
        # armed groups named before their noun are organisations, not places
        ("Fighting broke out near Goma, where the M23 rebels seized two villages.", "M23", "Organization"),
        ("Fighting broke out near Goma, where the M23 rebels seized two villages.", "Goma", "Place"),
        # a name after a role noun is a person whatever the tagger said
        ("Lagos State Police chief Adeyemi Okonkwo said the suspects had fled.", "Adeyemi Okonkwo", "Person"),
    ],
)
def test_types_from_knowledge(text: str, mention: str, etype: str) -> None:
    assert entity_mentioned(text, mention).type == etype


def test_demonyms_are_their_country_not_a_place() -> None:
    text = "A Ukrainian soldier and two Nepali men were killed in the shelling."
    g = cached_graph_of(text)
    assert not any(e.type == "Place" for e in g.entities)
    assert entity_mentioned(text, "Nepali men").country == "NP"
    assert not any(e.name in ("Ukrainian", "Nepali") for e in g.entities)


def test_a_named_ngo_is_not_lost_behind_the_human_rights_group() -> None:
    text = (
        "Families Against Detention, a Geneva-based human rights group, said the detainees were beaten. "
        "The human rights group called for an inquiry. The group said it had documented 40 cases."
    )
    ngo = entity_mentioned(text, "Families Against Detention")
    assert ngo.type == "Organization" and ngo.subtype == "ngo"
    assert {"The human rights group", "The group"} <= {m.text for m in ngo.mentions}


def test_one_minister_not_two() -> None:
    text = (
        "Interior Minister Rafael Ortega met the envoy on Monday. The minister said he would not resign. "
        "Russian Foreign Minister Sergei Lavrov met Chinese Foreign Minister Wang Yi. "
        "The Russian minister said relations were good."
    )
    assert entity_mentioned(text, "The minister").name == "Rafael Ortega"
    assert entity_mentioned(text, "The Russian minister").name == "Sergei Lavrov"
    assert sum(1 for e in cached_graph_of(text).entities if e.type == "Person") == 4


def test_a_known_persons_country_and_role_at_the_article_date() -> None:
    ent = entity_mentioned("Prime Minister Sher Bahadur Deuba said the cabinet would act.", "Sher Bahadur Deuba")
    assert ent.country == "NP"
    assert ent.roles == ["Prime Minister of Nepal"]


def test_a_short_name_is_the_longer_organisation_it_ends() -> None:
    text = (
        "The U.S. Treasury sanctioned Falcon Maritime LLC on Tuesday. Treasury said the firm shipped oil "
        "for Iran's Revolutionary Guards. A member of the Guards was also named."
    )
    assert entity_mentioned(text, "Treasury").name == "U.S. Treasury"
    assert entity_mentioned(text, "Guards").name == "Revolutionary Guards"
    company = entity_mentioned(text, "Falcon Maritime LLC")
    assert company.subtype == "company"


def test_the_ministry_refers_back_to_a_countrys_ministry() -> None:
    text = "India's foreign ministry said it had raised the matter with Moscow. The ministry said 20 men were missing."
    ministry = entity_mentioned(text, "foreign ministry")
    assert ministry.country == "IN" and "The ministry" in {m.text for m in ministry.mentions}


def test_he_after_a_reporting_verb_is_the_speaker() -> None:
    text = "Police chief Arun Mehta spoke first. One of the men, Ravi Sharma, said he was forced to sign."
    he = [m for m in entity_mentioned(text, "Ravi Sharma").mentions if m.text == "he"]
    assert len(he) == 1


def test_a_singular_title_is_a_person_not_a_generic_body() -> None:
    g = cached_graph_of("We raised the matter with the President, the minister of Ruritania said.")
    assert not any(
        e.type == "Organization" and e.name.lower().startswith(("president", "minister")) for e in g.entities
    )


def test_a_nationality_tagged_as_an_organisation_is_its_country() -> None:
    text = "Three Guatemalan rebel leaders signed the accord."
    g = cached_graph_of(text)
    assert not any(e.name == "Guatemalan" for e in g.entities)
    assert entity_mentioned(text, "Guatemalan").type == "Country"
