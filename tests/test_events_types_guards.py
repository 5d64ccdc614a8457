"""Word-sense guards that need the event's type or doer (issue 12): a price asked, a text that
stipulates, talk about a topic with no counterpart; sentences written for these tests."""

from __future__ import annotations

import pytest

from conftest import cached_graph_of

pytestmark = pytest.mark.slow


def kinds(text: str) -> list[str]:
    return [e.type for e in cached_graph_of(text).events]


def test_a_price_charged_is_no_accusation() -> None:
    assert "ACCUSE" not in kinds("The clinic charged every patient $450 for a test.")
    assert "ACCUSE" not in kinds("The broker charges 12 percent on each sale.")


def test_people_charged_are_still_accused() -> None:
    assert "ACCUSE" in kinds("Police in Accra charged 40 people after the riot.")


def test_a_budget_or_law_that_provides_money_gives_no_aid() -> None:
    assert "AID" not in kinds("The new budget provides $90 million to Haiti.")
    assert "AID" not in kinds("The bill allocates $12 million for the coastguard of Fiji.")


def test_a_government_that_provides_money_gives_aid() -> None:
    assert "AID" in kinds("Japan provided $90 million to Haiti.")


def test_one_speaker_discussing_a_topic_is_no_meeting() -> None:
    assert "CONSULT" not in kinds("Senator Ruiz discussed the housing shortage in a radio interview.")
    assert "CONSULT" not in kinds("The reform was discussed at length.")


def test_plural_or_paired_speakers_still_met() -> None:
    assert "CONSULT" in kinds("The foreign ministers discussed the border dispute.")
    assert "CONSULT" in kinds("Peru discussed the fishing quotas with Ecuador.")
    assert "CONSULT" in kinds("We discussed the question of the dam, the minister said of his talks in Cairo.")


def test_agreeing_with_a_view_is_no_agreement() -> None:
    assert "AGREE" not in kinds("The colonel agreed, saying the raid had been a mistake.")
    assert "AGREE" in kinds("Sudan agreed to a truce with the rebels.")
    assert "AGREE" in kinds("The rebels honoured the ceasefire agreed in Doha.")


def test_a_thing_threatened_is_endangered_not_threatened_by_anyone() -> None:
    assert "THREATEN" not in kinds("The truce, already threatened by new raids, held for a day.")
    assert "THREATEN" in kinds("The mayor of Cali was threatened by the gang.")


def test_a_participle_clause_after_a_comma_describes_the_noun_before_it() -> None:
    # the parser hangs "already threatened" on the main verb (advcl): the clause still describes
    # the thing before the comma, which no one threatens
    text = (
        "Small clashes marked a shaky start for the ceasefire, already threatened after two armed groups"
        " said they would ignore it."
    )
    assert "THREATEN" not in kinds(text)


def test_a_fronted_participle_clause_describes_the_main_subject() -> None:
    assert "THREATEN" in kinds("Threatened with arrest, the opposition leaders fled the capital.")
    assert "THREATEN" in kinds("The guards beat the prisoners, threatened with transfer for weeks.")


def test_engaging_in_something_is_no_fight() -> None:
    assert "ASSAULT" not in kinds("The recruiters of the Peruvian army engaged in deceptive tactics.")


def test_agreeing_alone_is_no_agreement_even_with_an_apposition() -> None:
    assert "AGREE" not in kinds("Carlos Mendes, head of the anti-war group Stop the Drones, agreed.")


def test_a_purchase_or_a_departure_is_no_cooperation_or_meeting() -> None:
    assert kinds("The mining firm Andex bought the Peruvian bank Interplata in 2019.") == []
    assert "CONSULT" not in kinds("Chile could not simply leave Bolivia, the senator claimed.")
