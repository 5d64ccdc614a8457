"""Which events a clause asserts (issue 12): modals of obligation, counterfactuals, conditions,
future time clauses and the content of a charge, on sentences written for these tests."""

from __future__ import annotations

import pytest

from conftest import cached_graph_of
from newsgraph.model import Event

pytestmark = pytest.mark.slow


def events_of(text: str, etype: str) -> list[Event]:
    return [e for e in cached_graph_of(text).events if e.type == etype]


def one(text: str, etype: str) -> Event:
    found = events_of(text, etype)
    assert len(found) == 1, [(e.type, e.trigger) for e in cached_graph_of(text).events]
    return found[0]


# --- obligation: a norm about the event, not its denial ------------------------------------------


def test_a_negated_obligation_is_no_denial() -> None:
    """ "should not have been executed": the speaker judges an act (which happened), no one denies it."""
    ev = one("The poet should not have been executed, the bishop told reporters.", "ASSAULT")
    assert ev.certainty == "hypothetical"
    assert ev.certainty_cue == "should"
    assert ev.negated


def test_a_prohibition_is_hypothetical() -> None:
    ev = one("The refugees must not be deported, the charity said.", "COERCE")
    assert ev.certainty == "hypothetical"
    assert ev.hypothetical


def test_a_plain_negation_is_still_a_denial() -> None:
    ev = one("The army did not kill the farmers, the general said.", "ASSAULT")
    assert ev.certainty == "denied"


def test_who_demands_an_act_is_not_who_would_do_it() -> None:
    """An agentless official act under "must" gets no implicit agent from the one who demands it."""
    g = cached_graph_of("The detained monks must be released, the Dalai Lama Trust said.")
    ev = one("The detained monks must be released, the Dalai Lama Trust said.", "RETREAT")
    assert ev.certainty == "hypothetical"
    src = g.entity(ev.source) if ev.source else None
    assert src is None or "Trust" not in src.name


# --- would: counterfactual, conditional, future of the past, rumour ------------------------------


def test_would_have_is_a_counterfactual() -> None:
    ev = one("Without the tip-off, the smugglers would have been arrested by the coastguard.", "COERCE")
    assert ev.certainty == "hypothetical"
    assert ev.hypothetical


def test_would_with_a_condition_is_hypothetical() -> None:
    ev = one("The militia would attack the convoy if the road were opened.", "ASSAULT")
    assert ev.certainty == "hypothetical"


def test_would_in_a_reported_clause_is_the_future_of_the_past() -> None:
    ev = one("The mayor announced that the city would host the envoys of Chile.", "CONSULT")
    assert ev.future
    assert ev.certainty != "asserted"


def test_would_alone_in_a_main_clause_stays_the_conditional_of_rumour() -> None:
    """The conditional of rumour of translated press ("this would be happening")."""
    ev = one("According to the newspaper, the rebels would be smuggling fuel across the border.", "TRAFFIC")
    assert ev.certainty == "alleged"


# --- time clauses of a future clause -----------------------------------------------------------


def test_a_present_time_clause_of_a_future_clause_is_future() -> None:
    ev = one("The truce will hold until the two parties sign a final accord.", "AGREE")
    assert ev.future


# --- the content of a charge -------------------------------------------------------------------


def test_crimes_in_a_charge_list_are_no_events() -> None:
    text = "Prosecutors in Lima brought charges including murder and kidnapping against the two guards."
    kinds = [e.type for e in cached_graph_of(text).events]
    assert "ACCUSE" in kinds
    assert "ASSAULT" not in kinds


def test_a_crime_one_is_accused_of_is_no_event() -> None:
    text = "The militia leader was accused of torture and kidnapping by the commission."
    assert "ASSAULT" not in [e.type for e in cached_graph_of(text).events]


def test_a_charged_crime_with_its_own_victim_is_alleged() -> None:
    text = "The two officers are accused of the killing of Ana Morales."
    ev = one(text, "ASSAULT")
    assert ev.certainty == "alleged"


# --- hedging governors, plans and purposes -------------------------------------------------------


def test_a_passive_verb_of_belief_or_report_hedges_its_complement() -> None:
    assert one("The navy is believed to have shelled two villages in Chile.", "ASSAULT").certainty == "alleged"
    text = "Forty villagers reported to have been killed by the militia were buried in Gao."
    assert one(text, "ASSAULT").certainty == "alleged"


def test_a_raising_verb_of_appearance_hedges_its_complement() -> None:
    assert one("The rebels appear to have kidnapped three nurses.", "ASSAULT").certainty == "alleged"


def test_an_act_a_plot_or_attempt_is_about_is_not_done() -> None:
    ev = one("Ana Soto led an attempt to free the hostages of the cartel.", "RETREAT")
    assert ev.certainty == "hypothetical"
    assert ev.hypothetical


def test_a_refused_or_requested_act_is_not_done() -> None:
    assert one("Hamas refused to release the two soldiers.", "RETREAT").certainty == "hypothetical"
    assert one("Chile urged Peru to release the fishermen.", "RETREAT").certainty == "hypothetical"


def test_a_conditional_act_is_hypothetical() -> None:
    ev = one("If the rebels attack the capital, the army will respond.", "ASSAULT")
    assert ev.certainty == "hypothetical"
    assert ev.certainty_cue == "If"


# --- events not (yet) done: adjectives, rules, charged acts --------------------------------------


def test_a_next_or_possible_attack_is_not_done() -> None:
    ev = one("The gang warned the mayor of Cali that he would be the target of its next attack.", "ASSAULT")
    assert ev.certainty != "asserted"
    assert ev.hypothetical
    assert ev.future
    assert one("The envoys discussed a possible strike on the camps near Goma.", "ASSAULT").hypothetical


def test_an_act_of_any_doer_is_a_rule() -> None:
    ev = one("Any country that expels the envoys of Chile will lose its seat.", "SANCTION")
    assert ev.certainty == "hypothetical"


def test_an_act_kept_from_happening_is_not_asserted() -> None:
    for text in (
        "The embargo has prevented Canadian tourists from visiting Cuba since 1990.",
        "The army refrained from attacking the town of Kidal.",
    ):
        acts = [e for e in cached_graph_of(text).events if e.type in ("CONSULT", "ASSAULT")]
        assert acts, text
        assert all(e.certainty == "hypothetical" for e in acts), text


def test_an_act_done_after_a_from_phrase_stays_asserted() -> None:
    acts = [e for e in cached_graph_of("Rebels from Mali attacked the town of Kidal.").events if e.type == "ASSAULT"]
    assert acts and all(e.certainty == "asserted" for e in acts)


def test_an_averted_act_is_not_asserted() -> None:
    for text in (
        "The new walls were built to prevent rocket attacks on the villages.",
        "The bombing of the market was averted by the army.",
    ):
        acts = [e for e in cached_graph_of(text).events if e.type == "ASSAULT"]
        assert acts, text
        assert all(e.certainty == "hypothetical" for e in acts), text
