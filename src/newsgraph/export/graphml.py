"""GraphML: the actor graph for Gephi, networkx, yEd or Cytoscape — events included, none dropped.

Two kinds of node (attribute ``kind``):

- ``actor``: one per resolved (canonical) entity, else one per entity type and case-folded name
  across the corpus;
- ``event``: one per extracted event, whatever its arguments. An event with no named agent or
  no target is still a fact a reader wants (two trial articles gave 10 events and 1 actor-to-actor
  edge), so the event is a node and each participant is linked to it with its ``role``:
  ``source`` (actor → event), ``target``, ``location`` and ``asserted_by`` (event → actor).

Relations stay direct actor → actor edges (``kind="relation"``). Edges and event nodes carry their
provenance: ``certainty``, ``asserted_by``, ``source_article`` (article id), ``source_url``,
``source_title``, ``published``, ``sentence`` and the ``evidence`` text. (Not plain ``source``:
GraphML and Gephi use that word for an edge's tail node.) GraphML has no null, so an absent value
is written as an empty string.

Review (#18): event nodes, relation edges and actor nodes carry ``review_status`` (unreviewed,
confirmed, rejected, corrected), ``reviewed_by`` and ``machine`` (a corrected fact's machine values,
JSON); the graph holds the corrected values. A neighbourhood's aggregated link says
``review_status`` as counts, e.g. ``confirmed:2; unreviewed:1``.

`neighbourhood_graph` writes what the web view and ``newsgraph graph`` show: one actor's
neighbourhood as returned by the query layer, aggregated links and all.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsgraph.export._io import atomic_path, evidence, xml_safe
from newsgraph.model import ArticleGraph, Entity
from newsgraph.phrasing import event_sentence
from newsgraph.review import Reviews

ROLES_IN = ("source",)  # actor → event
ROLES_OUT = ("target", "location", "asserted_by")  # event → actor


def node_key(entity: Entity) -> str:
    if entity.canonical_id:
        return f"canonical:{entity.canonical_id}"
    return f"{entity.type}:{' '.join(entity.name.casefold().split())}"


def _review(reviews: Reviews | None, article_id: str, kind: str, fact_id: str) -> dict[str, str]:
    if reviews is None:
        return {"review_status": "unreviewed", "reviewed_by": "", "machine": ""}
    cols = reviews.columns(article_id, kind, fact_id)
    return {k: cols[k] for k in ("review_status", "reviewed_by", "machine")}


def build(graphs: Iterable[ArticleGraph], *, reviews: Reviews | None = None) -> Any:
    """A networkx MultiDiGraph of actors, events and the links between them (with review columns)."""
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
                g.add_node(key, kind="actor", label=ent.name, type=ent.type, subtype=ent.subtype or "", articles=0,
                           mentions=0, review_status="unreviewed", reviewed_by="", machine="")  # fmt: skip
            node = g.nodes[key]
            judged = _review(reviews, art.id, "entity", ent.id)
            if judged["review_status"] != "unreviewed":  # a judgement in any article marks the actor
                node.update(judged)
            node["articles"] += 1
            node["mentions"] += len(ent.mentions)
        prov = {"source_article": art.id, "source_url": art.url or "", "source_title": art.title or "",
                "published": art.published or ""}  # fmt: skip
        for v in graph.events:
            node_id = f"event:{art.id}:{v.id}"
            label = event_sentence(v.type, names.get(v.source or ""), names.get(v.target or ""), trigger=v.trigger,
                                   negated=bool(v.negated))  # fmt: skip
            g.add_node(node_id, kind="event", label=label, type=v.type, subtype=v.mode or "", trigger=v.trigger,
                       certainty=v.certainty, negated=bool(v.negated), incident=v.incident or "",
                       asserted_by=names.get(v.asserted_by or "", ""),
                       date=(v.date.value or "") if v.date else "",
                       date_qualifier=(v.date.qualifier or "") if v.date else "",
                       sentence=int(v.sentence), evidence=evidence(graph, v.start, v.end), **prov,
                       **_review(reviews, art.id, "event", v.id))  # fmt: skip
            for role, eid in (("source", v.source), ("target", v.target), ("location", v.location),
                              ("asserted_by", v.asserted_by)):  # fmt: skip
                if not eid or eid not in keys:
                    continue
                u, w = (keys[eid], node_id) if role in ROLES_IN else (node_id, keys[eid])
                g.add_edge(u, w, key=f"{art.id}:{v.id}:{role}", kind="role", role=role, label=role, type=v.type,
                           certainty=v.certainty, weight=1.0, **prov)  # fmt: skip
        for r in graph.relations:
            if r.source in keys and r.target in keys:
                g.add_edge(keys[r.source], keys[r.target], key=f"{art.id}:{r.id}", kind="relation", role="",
                           label=r.type, type=r.type, trigger=r.cue or "", certainty=r.certainty,
                           asserted_by=names.get(r.asserted_by or "", ""), sentence=int(r.sentence),
                           evidence=evidence(graph, r.start, r.end), weight=1.0, **prov,
                           **_review(reviews, art.id, "relation", r.id))  # fmt: skip
    return g


def counts(g: Any) -> dict[str, int]:
    """Event nodes and relation edges in a built graph (what `write` reports)."""
    events = sum(1 for _n, d in g.nodes(data=True) if d.get("kind") == "event")
    relations = sum(1 for _u, _v, d in g.edges(data=True) if d.get("kind") == "relation")
    return {"events": events, "relations": relations}


def write_graph(g: Any, out: Path | str) -> None:
    import networkx as nx

    with atomic_path(Path(out)) as tmp:
        nx.write_graphml(xml_safe_graph(g), str(tmp), encoding="utf-8", prettyprint=True, named_key_ids=True)


def xml_safe_graph(g: Any) -> Any:
    """A copy of ``g`` whose ids and attribute values hold only characters XML can (a control
    character in an article made the writer die half-way)."""
    import networkx as nx

    out = g.__class__(**{k: xml_safe(v) for k, v in g.graph.items()})
    out.add_nodes_from((xml_safe(n), {k: xml_safe(v) for k, v in d.items()}) for n, d in g.nodes(data=True))
    if g.is_multigraph():
        out.add_edges_from(
            (xml_safe(u), xml_safe(v), xml_safe(key), {k: xml_safe(x) for k, x in d.items()})
            for u, v, key, d in g.edges(keys=True, data=True)
        )
    else:
        out.add_edges_from(
            (xml_safe(u), xml_safe(v), {k: xml_safe(x) for k, x in d.items()}) for u, v, d in g.edges(data=True)
        )
    assert isinstance(out, nx.Graph)
    return out


def write(graphs: Iterable[ArticleGraph], out: Path | str, *, reviews: Reviews | None = None) -> int:
    """Write the GraphML file; returns the number of facts in it (events + relations)."""
    g = build(graphs, reviews=reviews)
    write_graph(g, out)
    c = counts(g)
    return c["events"] + c["relations"]


def neighbourhood_graph(nb: dict[str, Any]) -> Any:
    """One actor's neighbourhood (`QueryService.neighbourhood`'s answer) as a networkx MultiDiGraph."""
    import networkx as nx

    g = nx.MultiDiGraph(name=f"newsgraph: {nb.get('focus', '')}", edge_default_directed=True)
    for n in nb["nodes"]:
        g.add_node(n["id"], kind="actor", label=n["name"], type=n["type"], hop=int(n.get("hop", 0)),
                   focus=bool(n.get("focus")), degree=int(n.get("degree", 0)))  # fmt: skip
    for e in nb["edges"]:
        first = e["evidence"][0] if e.get("evidence") else {}
        g.add_edge(e["source"], e["target"], key=e["id"], kind=e["kind"], type=e["type"], label=e.get("label") or
                   e["type"], certainty=e["certainty"], count=int(e["count"]), first_date=e.get("first_date") or "",
                   last_date=e.get("last_date") or "", said_by="; ".join(e.get("said_by", [])),
                   source_article=first.get("article_id") or "", weight=float(e["count"]),
                   review_status=_counts(e))  # fmt: skip
    return g


def _counts(edge: dict[str, Any]) -> str:
    """An aggregated link's review status: how many of its facts are confirmed, rejected… (co-mentions: "")."""
    if edge.get("kind") == "co_mention":
        return ""
    tally = dict(edge.get("review_counts") or {})
    shown = len(edge.get("evidence") or [])
    if shown > sum(tally.values()):
        tally["unreviewed"] = shown - sum(tally.values())
    return "; ".join(f"{k}:{v}" for k, v in sorted(tally.items()))


def write_neighbourhood(nb: dict[str, Any], out: Path | str) -> int:
    """Write one neighbourhood as GraphML; returns the number of links."""
    g = neighbourhood_graph(nb)
    write_graph(g, out)
    return int(g.number_of_edges())


def neighbourhood_text(nb: dict[str, Any]) -> str:
    """The same neighbourhood as GraphML text (for an HTTP response)."""
    import networkx as nx

    return "\n".join(nx.generate_graphml(xml_safe_graph(neighbourhood_graph(nb)), encoding="utf-8", prettyprint=True,
                                         named_key_ids=True))  # fmt: skip
