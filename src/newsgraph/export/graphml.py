"""GraphML: the actor graph for Gephi, networkx, yEd or Cytoscape.

Nodes are actors: one per resolved (canonical) entity, else one per entity type and
case-folded name across the corpus. Every event and relation between two actors is its
own directed edge (a multigraph), carrying its provenance as attributes: ``certainty``,
``asserted_by``, ``source_article`` (article id), ``source_url``, ``source_title``,
``published``, ``sentence`` and the ``evidence`` text. (The provenance attributes are not
called plain ``source``: GraphML and Gephi already use that word for an edge's tail node.)
GraphML has no null, so an absent value is written as an empty string.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsgraph.export._io import evidence
from newsgraph.model import ArticleGraph, Entity


def node_key(entity: Entity) -> str:
    if entity.canonical_id:
        return f"canonical:{entity.canonical_id}"
    return f"{entity.type}:{' '.join(entity.name.casefold().split())}"


def build(graphs: Iterable[ArticleGraph]) -> Any:
    """A networkx MultiDiGraph of actors and the facts between them."""
    import networkx as nx

    g = nx.MultiDiGraph(name="newsgraph", edge_default_directed=True)
    seen: set[str] = set()
    for graph in graphs:
        art = graph.article
        if art.id in seen:  # the same article twice adds nothing
            continue
        seen.add(art.id)
        keys: dict[str, str] = {}
        names = {e.id: e.name for e in graph.entities}
        for ent in graph.entities:
            key = node_key(ent)
            keys[ent.id] = key
            if key not in g:
                g.add_node(key, label=ent.name, type=ent.type, subtype=ent.subtype or "", articles=0, mentions=0)
            node = g.nodes[key]
            node["articles"] += 1
            node["mentions"] += len(ent.mentions)
        prov = {"source_article": art.id, "source_url": art.url or "", "source_title": art.title or "",
                "published": art.published or ""}  # fmt: skip
        for v in graph.events:
            if v.source in keys and v.target in keys:
                g.add_edge(keys[v.source], keys[v.target], key=f"{art.id}:{v.id}", kind="event", label=v.type,
                           type=v.type, mode=v.mode or "", trigger=v.trigger, certainty=v.certainty,
                           negated=bool(v.negated), asserted_by=names.get(v.asserted_by or "", ""),
                           date=(v.date.value or "") if v.date else "",
                           date_qualifier=(v.date.qualifier or "") if v.date else "",
                           sentence=int(v.sentence), evidence=evidence(graph, v.start, v.end), weight=1.0,
                           **prov)  # fmt: skip
        for r in graph.relations:
            if r.source in keys and r.target in keys:
                g.add_edge(keys[r.source], keys[r.target], key=f"{art.id}:{r.id}", kind="relation", label=r.type,
                           type=r.type, mode="", trigger=r.cue or "", certainty=r.certainty, negated=False,
                           asserted_by=names.get(r.asserted_by or "", ""), date="", date_qualifier="",
                           sentence=int(r.sentence), evidence=evidence(graph, r.start, r.end), weight=1.0,
                           **prov)  # fmt: skip
    return g


def write(graphs: Iterable[ArticleGraph], out: Path | str) -> int:
    """Write the GraphML file; returns the number of edges."""
    import networkx as nx

    g = build(graphs)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(g, str(path), encoding="utf-8", prettyprint=True, named_key_ids=True)
    return int(g.number_of_edges())
