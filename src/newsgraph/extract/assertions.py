"""Who asserts each event and relation, and how sure they are (the ``assertions`` component).

Runs after ``events`` and ``relations``. The innermost attribution whose content covers a fact
gives its speaker (``asserted_by``), the attribution (``attribution``) and the cue's certainty;
the fact's own hedges (allegedly, would, may…), set by the component that found it, can only be
made weaker, never stronger (`certainty.stronger`). Inside what an accusation is about
(`Analysis.accuse_scopes`) the accuser asserts it. Role relations read off titles and
appositions ("Russian President Vladimir Putin") are the writer's identification of an actor,
not part of what a speaker claims, and stay in the article's voice.
"""

from __future__ import annotations

from newsgraph.extract.attributions import attribution_covering, attribution_speaker
from newsgraph.extract.certainty import stronger
from newsgraph.extract.pipeline import Analysis, component
from newsgraph.extract.relations import ROLE_TYPES
from newsgraph.model import Event, Relation, as_certainty


@component(
    "assertions",
    requires=(
        "graph.events",
        "graph.relations",
        "graph.attributions",
        "analysis.accuse_scopes",
        "analysis.predicative_relations",
    ),
    assigns=("event.asserted_by", "event.certainty", "relation.asserted_by", "relation.certainty"),
)
def assertions(analysis: Analysis) -> None:
    graph = analysis.graph
    cue_of: dict[str | None, str | None] = {a.id: a.certainty_cue or a.cue for a in graph.attributions}

    def speaker(start: int, end: int) -> tuple[str | None, str, str | None]:
        att = attribution_covering(graph, start, end)
        if att is not None:
            return attribution_speaker(analysis, att), att.certainty or "asserted", att.id
        for scope in analysis.accuse_scopes:  # inside what an accusation is about: the accuser says so
            if scope.start <= start and end <= scope.end and scope.speaker:
                return scope.speaker, "asserted", None
        return None, "asserted", None

    def assert_fact(fact: Event | Relation, start: int, end: int) -> None:
        src, certainty, att_id = speaker(start, end)
        fact.asserted_by = src
        fact.attribution = att_id
        strongest, fact.certainty_cue = stronger(
            (fact.certainty or "asserted", fact.certainty_cue), (certainty, cue_of.get(att_id))
        )
        fact.certainty = as_certainty(strongest)

    for ev in graph.events:
        start = ev.trigger_start if ev.trigger_start is not None else ev.start
        end = ev.trigger_end if ev.trigger_end is not None else ev.end
        assert_fact(ev, start, end)
    for rel in graph.relations:
        if rel.type in ROLE_TYPES and rel.id not in analysis.predicative_relations:
            continue  # a title or apposition: the writer's identification of the actor
        assert_fact(rel, rel.start, rel.end)
