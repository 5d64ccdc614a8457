"""Event arguments (issue 12): "they" and "the group" back to the right actor, on sentences
written for the test. A group that is the subject of the preceding clause beats an object; names
coordinated are a plural."""

from __future__ import annotations

import pytest

from conftest import cached_graph_of

pytestmark = pytest.mark.slow


def sources(text: str, trigger: str) -> list[str | None]:
    g = cached_graph_of(text)
    out = []
    for e in g.events:
        if e.trigger.startswith(trigger):
            ent = g.entity(e.source)
            out.append(ent.name if ent else None)
    return out


def test_they_after_a_modified_subject_is_its_group() -> None:
    # "Hamas fighters" is the subject; the mention names Hamas, the phrase is plural
    text = "Hamas fighters clashed with Fatah gunmen in Gaza. Later they kidnapped a journalist."
    assert sources(text, "kidnapped") == ["Hamas"]


def test_the_group_is_the_preceding_subject_not_its_object() -> None:
    text = "The M23 rebels accused the Congolese army of shelling civilians. The group also attacked a UN base."
    assert sources(text, "attacked") == ["M23"]


def test_they_after_coordinated_names_is_those_people() -> None:
    # a passive clause of its own inherits no doer from the clause it hangs off
    text = (
        "The court released the other defendants. However John Peterson and Michael Grant remained in custody "
        "as they were charged with complicity in the bombing."
    )
    g = cached_graph_of(text)
    charged = [e for e in g.events if e.trigger.startswith("charged")]
    assert charged and all(e.source is None for e in charged)
    names = {g.entity(e.target).name for e in charged if g.entity(e.target)}
    assert names & {"John Peterson", "Michael Grant"}
