"""Facts read as sentences, with unnamed actors named by their role (#16)."""

from __future__ import annotations

from newsgraph.model import EVENT_TYPES, RELATION_TYPES
from newsgraph.phrasing import EVENT_PHRASES, RELATION_PHRASES, fact_sentence


def test_every_type_has_a_phrase() -> None:
    assert set(EVENT_PHRASES) == set(EVENT_TYPES)
    assert set(RELATION_PHRASES) == set(RELATION_TYPES)


def test_sentences_take_their_object_and_quote_the_trigger() -> None:
    s = fact_sentence("event", "COOPERATE", "Freedonia", "Sylvania", trigger="tightened the partnership")
    assert s == "Freedonia cooperated with Sylvania (“tightened the partnership”)"
    attack = fact_sentence("event", "ASSAULT", None, "a convoy", trigger="attacked")
    assert attack == "an unnamed attacker attacked a convoy"
    assert fact_sentence("event", "CONCEDE", "Freedonia", None, trigger="released") == (
        "Freedonia made concessions to an unnamed party (“released”)"
    )
    assert fact_sentence("event", "AID", "X", "Y", negated=True, with_trigger=False) == "X did not give aid to Y"
    assert fact_sentence("relation", "member_of", "Ana", "the Red Hand") == "Ana is a member of the Red Hand"
    assert "asserted" not in fact_sentence("co_mention", "co_mention", "A", "B")
    for t in EVENT_TYPES:
        assert "?" not in fact_sentence("event", t, None, None)
