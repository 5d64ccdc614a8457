"""Entity knowledge from data (issue 12, item 7) and datelines (item 5), on names written for the test."""

from __future__ import annotations

import pytest

from newsgraph.extract.actors.knowledge import agent_sector, fold, known_actor, place_country
from newsgraph.extract.dateline import find_dateline


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Goma", "CD"),
        ("Ryazan", "RU"),
        ("Ambala", "IN"),
        ("Chandigarh", "IN"),
        ("The Hague", "NL"),
        ("Kathmandu", "NP"),
    ],
)
def test_gazetteer_knows_cities_the_tagger_mistypes(name: str, country: str) -> None:
    assert place_country(name) == country


def test_gazetteer_knows_subdivisions_and_folds_accents() -> None:
    assert place_country("Bavaria") == "DE"
    assert fold("Ambāla") == "ambala"
    assert place_country("Notaplace Whatsoever") is None


def test_known_actor_role_depends_on_the_article_date() -> None:
    now = known_actor("President Vladimir Putin", "2023-05-01")
    assert now is not None and now.type == "Person" and now.country == "RU" and now.role == "government"
    before = known_actor("Putin", "1995-01-01")
    assert before is not None and before.role != "government"


def test_generic_agents_from_the_phoenix_vocabulary() -> None:
    assert agent_sector("riot police") == "COP"
    assert agent_sector("rebels", "rebel") == "REB"
    assert agent_sector("prosecutors", "prosecutor") == "JUD"
    assert agent_sector("security forces", "force") in ("COP", "MIL")
    assert agent_sector("bakery") is None


@pytest.mark.parametrize(
    ("text", "place", "agency"),
    [
        ("MOMBASA (Reuters) - Port workers walked out on Monday.", "Mombasa", "Reuters"),
        ("OTTAWA: The cabinet met late into the night.", "Ottawa", None),
        ("THE HAGUE, Oct 2 - Judges opened the hearing.", "The Hague", None),
        ("SAN JOSE, Costa Rica, May 9 (AP) -- Lawmakers voted.", "San Jose", "AP"),
    ],
)
def test_datelines_give_place_and_agency(text: str, place: str, agency: str | None) -> None:
    d = find_dateline(text)
    assert d is not None and d.place == place and d.agency == agency
    assert text[d.end :][:1].isupper()  # the story starts after it


@pytest.mark.parametrize(
    "text", ["Police in Lagos arrested four men.", "NATO allies met in Brussels.", "The UN said on Monday - again."]
)
def test_no_dateline_in_ordinary_openings(text: str) -> None:
    assert find_dateline(text) is None
