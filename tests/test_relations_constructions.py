"""Relations from the constructions news uses (issue 12, item 6), one construction per case, on
sentences written for this test (names invented; no dev-set text)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from conftest import graph_of
from newsgraph.model import ArticleGraph

pytestmark = pytest.mark.slow


@lru_cache(maxsize=64)
def _graph(text: str) -> ArticleGraph:
    return graph_of(text)


def triples(text: str) -> set[tuple[str, str, str]]:
    g = _graph(text)
    names = {e.id: e.name for e in g.entities}
    return {(r.type, names[r.source], names[r.target]) for r in g.relations}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # titles before a name, even when the tagger takes the name for an organisation
        (
            "Lagos State Police chief Adeyemi Okonkwo said the suspects had fled.",
            ("leader_of", "Adeyemi Okonkwo", "Lagos State Police"),
        ),
        (
            "Meridian Bank spokesman Tomas Varga declined to comment.",
            ("works_for", "Tomas Varga", "Meridian Bank"),
        ),
        # appositions
        (
            '"We did nothing wrong," said Maria Lindqvist, a spokeswoman for Nordhaven Shipping.',
            ("works_for", "Maria Lindqvist", "Nordhaven Shipping"),
        ),
        (
            "Colonel Jean Mbala, commander of the 34th Brigade, denied the charges.",
            ("leader_of", "Jean Mbala", "34th Brigade"),
        ),
        # possessives: of a named person, of a pronoun
        (
            "Inspector Tomas Varga arrived late. Varga's secretary, Ilona Kerekes, was questioned by investigators.",
            ("works_for", "Ilona Kerekes", "Tomas Varga"),
        ),
        (
            "Colonel Jean Mbala denied the charges. His lawyer, Paul Ndaye, said he would appeal.",
            ("works_for", "Paul Ndaye", "Jean Mbala"),
        ),
        # "<Country>'s <title> <Person>": the role of that country
        (
            "Nepal's foreign minister Narayan Saud asked Russia to return its citizens.",
            ("member_of", "Narayan Saud", "Nepal"),
        ),
        (
            "Ministers will meet Spain's prime minister, Elena Ruiz, on Tuesday.",
            ("leader_of", "Elena Ruiz", "Spain"),
        ),
        # an elected member's body is the named modifier, not the constituency
        (
            "Tom Baxter, the Green Alliance MP for Northfield, opposed the war.",
            ("member_of", "Tom Baxter", "Green Alliance"),
        ),
        # membership: apposition, copula, verbs
        (
            "Pieter Claes, a member of the Black Lantern group, was arrested in Antwerp.",
            ("member_of", "Pieter Claes", "Black Lantern"),
        ),
        (
            "Ivan Morozov joined the Iron Wolves militia in 2022, his sister said.",
            ("member_of", "Ivan Morozov", "Iron Wolves militia"),
        ),
        (
            "The Iron Wolves militia took the town. Lena Brandt fought for the group until May.",
            ("member_of", "Lena Brandt", "Iron Wolves militia"),
        ),
        # verbs of leading, with a relative pronoun; a role noun with a possessive organisation
        (
            "The court heard that Okot Lagu, who led the Northern Shield militia, ordered the raids.",
            ("leader_of", "Okot Lagu", "Northern Shield militia"),
        ),
        (
            "The Special Court's chief prosecutor, Hanna Lindgren, welcomed the arrest.",
            ("works_for", "Hanna Lindgren", "Special Court"),
        ),
        (
            "Ravi Sharma said he was forced to join the Iron Wolves militia after arriving.",
            ("member_of", "Ravi Sharma", "Iron Wolves militia"),
        ),
        # money: transfers, payments, receipts, financing; money generated for someone
        (
            "Kestrel Holdings transferred $4 million to the Red Hand militia, according to the indictment.",
            ("funds", "Kestrel Holdings", "Red Hand militia"),
        ),
        (
            "The Sable Company paid the smugglers $20,000 last year.",
            ("funds", "Sable Company", "smugglers"),
        ),
        (
            "The Sable Company received $1.5 million from the Ministry of Defence.",
            ("funds", "Ministry of Defence", "Sable Company"),
        ),
        (
            "Prosecutors say Halvorsen Trading financed the Black Lantern militia for years.",
            ("funds", "Halvorsen Trading", "Black Lantern"),
        ),
    ],
)
def test_relation_from_construction(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


def test_one_role_per_pair_from_a_title() -> None:
    """ "X spokesman P" is works_for, not also member_of."""
    found = triples("Meridian Bank spokesman Tomas Varga declined to comment.")
    assert ("member_of", "Tomas Varga", "Meridian Bank") not in found


def test_an_ambassador_to_a_country_does_not_work_for_it() -> None:
    found = triples("Elena Pavic, the Croatian ambassador to Norway, was summoned.")
    assert not any(t == "Norway" and r == "works_for" for r, _s, t in found)


def test_money_generated_for_someone_benefits_them_and_a_transfer_funds_them() -> None:
    found = triples(
        "The Oriole Syndicate smuggled migrants across the border. "
        "The scheme was generating money for the Jade Circle, police said. "
        "The Oriole Syndicate later wired $200,000 to the Jade Circle."
    )
    assert ("funds", "Oriole Syndicate", "Jade Circle") in found


def test_a_subject_that_is_not_stated_leads_nothing() -> None:
    found = triples("Minister Ana Pires discussed Brazil leading the Atlantic Peace Mission.")
    assert not any(r == "leader_of" and s == "Ana Pires" for r, s, _t in found)


def test_a_person_inside_a_common_nouns_phrase_is_no_employer() -> None:
    found = triples("Tom Reilly, the lead prosecutor of the Helen Marsh fraud case, resigned.")
    assert not any(r == "works_for" and t == "Helen Marsh" for r, _s, t in found)
