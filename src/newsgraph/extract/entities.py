"""Entities: actors typed, resolved within the article, with their roles and affiliations.

Statistical NER (spaCy) proposes names; the rules in ``newsgraph/data/actors/*.yaml``
correct their types, repair their spans and add what NER does not give (demonyms,
governments, populations, unnamed collectives, definite descriptions, titles). The
resolver then ties every mention to one entity and derives member_of / leader_of
relations. See docs/actors.md.
"""

from __future__ import annotations

from newsgraph.extract.actors.coref import Coreference
from newsgraph.extract.actors.detect import Detector
from newsgraph.extract.actors.lexicon import lexicon
from newsgraph.extract.pipeline import Analysis, component
from newsgraph.model import Relation, as_relation_type


@component(
    "entities",
    requires=("graph.sentences",),
    assigns=("graph.entities", "graph.relations", "analysis.mentions"),
)
def entities(analysis: Analysis) -> None:
    graph = analysis.graph
    lex = lexicon()
    cands = Detector(analysis.doc, lex).run()
    resolver = Coreference(analysis.doc, lex, cands, graph)
    ents, rels = resolver.run()
    graph.entities = ents
    seen: set[tuple[str, str, str]] = set()
    for r in rels:
        if not r.source.id or not r.target.id or r.source is r.target:
            continue
        key = (r.type, r.source.id, r.target.id)
        if key in seen:
            continue
        seen.add(key)
        sentence = graph.sentence_of(r.start)
        graph.relations.append(
            Relation(
                id=f"R{len(graph.relations) + 1}",
                type=as_relation_type(r.type),
                source=r.source.id,
                target=r.target.id,
                sentence=sentence if sentence is not None else 0,
                start=r.start,
                end=r.end,
            )
        )
    analysis.index_mentions()
