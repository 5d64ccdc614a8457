"""FollowTheMoney entities (Aleph / OpenAleph / ftm tools), one JSON entity a line.

Built with ``followthemoney``'s ``model.make_entity``. Mapping:

- article -> ``Article`` (title, publishedAt, bodyText, sourceUrl, language); every other entity
  points to it with ``proof`` and carries the article's ``sourceUrl``;
- Person -> ``Person`` (roles as ``position``); Organization -> ``Organization``, or ``PublicBody``
  for a government, ministry, military, police or agency subtype; Country -> ``LegalEntity`` with
  ``country``/``jurisdiction``; Group -> ``LegalEntity``; Place -> ``Address``;
- event -> ``Event`` (``organizer``/``involved`` for actors, ``addressEntity`` for a place, PLOVER type,
  mode and certainty as ``keywords``, the evidence clause as ``summary``);
- relation -> ``Membership`` (member_of, to an organisation), ``Employment`` (works_for),
  ``Directorship`` (leader_of, to an organisation), ``Associate`` (linked_to / affiliated_with
  between people), else ``UnknownLink``
  with the relation type as ``role``.

Review (#18): a fact an analyst judged says so in its ``description`` ("review: confirmed by ana,
2026-12-02"; a corrected one adds what the machine read) and carries the judgement's time as
``modifiedAt``; its other values are the corrected ones. An actor's judgement is said the same way.

``proxy.add`` silently drops a value it cannot clean (a country name it does not know, a malformed
date or URL), so every value goes through `FtmBuilder.add`, which cleans it first and records
what was dropped; references are checked against the property's range, which FtM 4 does not.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.export._io import evidence, open_text
from newsgraph.model import ArticleGraph, Entity
from newsgraph.phrasing import event_sentence
from newsgraph.review import Reviews

log = logging.getLogger(__name__)

NAMESPACE = "newsgraph"
PUBLIC_BODY_SUBTYPES = {"government", "ministry", "military", "police", "agency", "army", "court", "parliament"}
ENTITY_SCHEMA = {"Person": "Person", "Organization": "Organization", "Country": "LegalEntity",
                 "Group": "LegalEntity", "Place": "Address"}  # fmt: skip


@dataclass
class Dropped:
    entity: str  # FtM schema:id
    prop: str
    value: Any
    reason: str


@dataclass
class FtmBuilder:
    """Makes proxies and adds values, recording every value that would be lost."""

    dropped: list[Dropped] = field(default_factory=list)

    def make(self, schema: str, *key: str) -> Any:
        from followthemoney import model

        proxy = model.make_entity(schema)
        proxy.make_id(NAMESPACE, *key)
        return proxy

    def add(self, proxy: Any, prop_name: str, value: Any) -> None:
        """Add a value after cleaning it; a value FtM would drop is recorded instead."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        prop = proxy.schema.get(prop_name)
        where = f"{proxy.schema.name}:{proxy.id}"
        if prop is None:
            self.dropped.append(Dropped(where, prop_name, value, "no such property"))
            return
        cleaned = prop.type.clean(value, proxy=proxy)
        if cleaned is None:
            self.dropped.append(Dropped(where, prop_name, value, f"not a valid {prop.type.name}"))
            return
        proxy.add(prop, cleaned, cleaned=True)
        if cleaned not in proxy.get(prop):
            self.dropped.append(Dropped(where, prop_name, value, "rejected by proxy.add"))

    def ref(self, proxy: Any, prop_name: str, other: Any) -> bool:
        """Point ``prop_name`` at another proxy if its schema fits the property's range."""
        prop = proxy.schema.get(prop_name)
        if prop is None or prop.range is None or not other.schema.is_a(prop.range):
            self.dropped.append(
                Dropped(f"{proxy.schema.name}:{proxy.id}", prop_name, other.id, f"{other.schema.name} out of range")
            )
            return False
        proxy.add(prop, other.id, cleaned=True)
        return True


def fits(proxy: Any, schema: str, prop_name: str) -> bool:
    """Can ``proxy`` be the value of ``schema.prop_name``?"""
    from followthemoney import model

    prop = model.get(schema).get(prop_name)  # type: ignore[union-attr]
    return bool(prop is not None and prop.range is not None and proxy.schema.is_a(prop.range))


def _entity_schema(entity: Entity) -> str:
    if entity.type == "Organization" and (entity.subtype or "").lower() in PUBLIC_BODY_SUBTYPES:
        return "PublicBody"
    return ENTITY_SCHEMA.get(entity.type, "LegalEntity")


def _country(value: str | None) -> str | None:
    from followthemoney import registry

    if not value:
        return None
    cleaned = registry.country.clean(value)
    return str(cleaned) if cleaned else None


def graph_entities(
    graph: ArticleGraph, builder: FtmBuilder | None = None, *, reviews: Reviews | None = None
) -> Iterator[Any]:
    """The FtM entities of one article graph: the article first, then actors, events and links."""
    b = builder or FtmBuilder()
    art = graph.article

    def checked(proxy: Any, kind: str, fact_id: str) -> None:
        """Who checked this statement, when, and what the machine read before a correction."""
        st = reviews.state(art.id, kind, fact_id) if reviews is not None else None
        if st is None:
            return
        said = f"review: {st.status} by {st.reviewer}, {(st.at or '')[:10]}"
        if st.status == "corrected":
            said += "; the machine read " + ", ".join(f"{k}: {st.before.get(k)}" for k in st.corrections)
        b.add(proxy, "description", said)
        b.add(proxy, "modifiedAt", (st.at or "")[:19] or None)

    url = art.url
    doc = b.make("Article", "article", art.id)
    b.add(doc, "title", art.title)
    b.add(doc, "name", art.title or art.id)
    b.add(doc, "publishedAt", art.published)
    b.add(doc, "bodyText", art.text)
    b.add(doc, "sourceUrl", url)
    b.add(doc, "language", art.language)
    yield doc

    def provenance(proxy: Any, start: int | None = None, end: int | None = None) -> None:
        b.ref(proxy, "proof", doc)
        b.add(proxy, "sourceUrl", url)
        if start is not None and end is not None:
            b.add(proxy, "summary", evidence(graph, start, end))

    actors: dict[str, Any] = {}
    for ent in graph.entities:
        key = ("entity", ent.canonical_id) if ent.canonical_id else ("entity", art.id, ent.id)
        proxy = b.make(_entity_schema(ent), *key)
        b.add(proxy, "name", ent.name)
        for alias in ent.aliases:
            if alias != ent.name:
                b.add(proxy, "alias", alias)
        if proxy.schema.name == "Address":
            b.add(proxy, "full", ent.name)
        if proxy.schema.name == "Person":
            for role in ent.roles:
                b.add(proxy, "position", role)
        country = ent.country or (ent.name if ent.type == "Country" else None)
        code = _country(country)
        if code:
            b.add(proxy, "country", code)
            if ent.type == "Country":
                b.add(proxy, "jurisdiction", code)
        elif ent.country:  # a country FtM cannot clean: `add` records the drop (never silent, --strict refuses)
            b.add(proxy, "country", ent.country)
        provenance(proxy)
        checked(proxy, "entity", ent.id)
        actors[ent.id] = proxy
        yield proxy

    names = {e.id: e.name for e in graph.entities}
    for v in graph.events:
        ev = b.make("Event", "event", art.id, v.id)
        label = f"{v.type}{'/' + v.mode if v.mode else ''}"
        sentence = event_sentence(v.type, names.get(v.source or ""), names.get(v.target or ""), trigger=v.trigger,
                                  negated=bool(v.negated))  # fmt: skip
        b.add(ev, "name", f"{label}: {sentence}")
        for kw in (v.type, v.mode, v.context, v.certainty, "negated" if v.negated else None):
            b.add(ev, "keywords", kw)
        if v.date and v.date.value:
            prop = {"before": "endDate", "after": "startDate"}.get(v.date.qualifier or "", "date")
            b.add(ev, prop, v.date.value)
        said = names.get(v.asserted_by or "")
        b.add(ev, "description", "; ".join(x for x in (
            f"certainty: {v.certainty}" + (" (negated)" if v.negated else ""),
            f"asserted by {said}" if said else "asserted by the article",
            f"date qualifier: {v.date.qualifier}" if v.date and v.date.qualifier else "",
            f"incident: {v.incident}" if v.incident else "",
        ) if x))  # fmt: skip
        for role, eid in (("organizer", v.source), ("involved", v.source), ("involved", v.target)):
            actor = actors.get(eid or "")
            if actor is not None and fits(actor, "Event", role):
                b.ref(ev, role, actor)
            elif actor is not None and fits(actor, "Event", "addressEntity"):
                b.ref(ev, "addressEntity", actor)
        place = actors.get(v.location or "")
        if place is not None:
            b.add(ev, "location", names.get(v.location or ""))
            if fits(place, "Event", "addressEntity"):
                b.ref(ev, "addressEntity", place)
        provenance(ev, v.start, v.end)
        checked(ev, "event", v.id)
        yield ev

    for r in graph.relations:
        src, tgt = actors.get(r.source), actors.get(r.target)
        if src is None or tgt is None:
            continue
        if r.type == "member_of" and fits(src, "Membership", "member") and fits(tgt, "Membership", "organization"):
            link = b.make("Membership", "relation", art.id, r.id)
            b.ref(link, "member", src)
            b.ref(link, "organization", tgt)
        elif (
            r.type == "leader_of"
            and fits(src, "Directorship", "director")
            and fits(tgt, "Directorship", "organization")
        ):
            link = b.make("Directorship", "relation", art.id, r.id)
            b.ref(link, "director", src)
            b.ref(link, "organization", tgt)
        elif r.type == "works_for" and fits(src, "Employment", "employee") and fits(tgt, "Employment", "employer"):
            link = b.make("Employment", "relation", art.id, r.id)
            b.ref(link, "employee", src)
            b.ref(link, "employer", tgt)
        elif (
            r.type in ("linked_to", "affiliated_with")
            and fits(src, "Associate", "person")
            and fits(tgt, "Associate", "associate")
        ):
            link = b.make("Associate", "relation", art.id, r.id)
            b.ref(link, "person", src)
            b.ref(link, "associate", tgt)
            b.add(link, "relationship", r.type.replace("_", " "))
        else:
            link = b.make("UnknownLink", "relation", art.id, r.id)
            b.ref(link, "subject", src)
            b.ref(link, "object", tgt)
        if link.schema.get("role") is not None:
            b.add(link, "role", r.type.replace("_", " "))
        said = names.get(r.asserted_by or "")
        b.add(link, "description", f"certainty: {r.certainty}; " + (f"asserted by {said}" if said else
                                                                       "asserted by the article"))  # fmt: skip
        provenance(link, r.start, r.end)
        checked(link, "relation", r.id)
        yield link


@dataclass
class _IncidentSources:
    """What one incident's Event gathers while the article graphs stream past: every source of it."""

    name: str = ""
    types: set[str] = field(default_factory=set)
    articles: dict[str, str | None] = field(default_factory=dict)  # Article proxy id -> its sourceUrl
    actors: dict[str, str] = field(default_factory=dict)  # actor proxy id -> its schema
    dates: set[str] = field(default_factory=set)


def _collect_incidents(graph: ArticleGraph, proxies: list[Any], into: dict[str, _IncidentSources]) -> None:
    by_id = {p.id: p for p in proxies}
    doc = proxies[0]
    names = {e.id: e.name for e in graph.entities}
    for v in graph.events:
        if not v.incident:
            continue
        inc = into.setdefault(v.incident, _IncidentSources())
        inc.name = inc.name or event_sentence(v.type, names.get(v.source or ""), names.get(v.target or ""),
                                              trigger=v.trigger, negated=bool(v.negated))  # fmt: skip
        inc.types.add(v.type)
        inc.articles[doc.id] = graph.article.url
        for eid in (v.source, v.target):
            ent = next((e for e in graph.entities if e.id == eid), None)
            if ent is None:
                continue
            key = ("entity", ent.canonical_id) if ent.canonical_id else ("entity", graph.article.id, ent.id)
            actor_id = _proxy_id(key)
            if actor_id in by_id:
                inc.actors[actor_id] = by_id[actor_id].schema.name
        if v.date and v.date.value:
            inc.dates.add(v.date.value)


def _proxy_id(key: tuple[str, ...]) -> str:
    from followthemoney.util import make_entity_id

    return str(make_entity_id(NAMESPACE, *key))


def incident_entities(
    found: dict[str, _IncidentSources], backing: dict[str, dict[str, Any]] | None, b: FtmBuilder
) -> Iterator[Any]:
    """One ``Event`` per incident reported by 2+ articles, with all its sources: every article as ``proof``,
    every URL as ``sourceUrl``, every actor as ``involved``, the independent corroboration as ``description``."""
    for incident_id, inc in sorted(found.items()):
        if len(inc.articles) < 2:
            continue
        ev = b.make("Event", "incident", incident_id)
        b.add(ev, "name", f"incident {incident_id}: {inc.name}")
        for kw in [*sorted(inc.types), "incident"]:
            b.add(ev, "keywords", kw)
        for doc_id, url in inc.articles.items():
            ev.add("proof", doc_id, cleaned=True)
            b.add(ev, "sourceUrl", url)
        for actor_id, schema_name in inc.actors.items():
            if _schema_fits(schema_name, "Event", "involved"):
                ev.add("involved", actor_id, cleaned=True)
        for d in sorted(inc.dates):
            b.add(ev, "date", d)
        c = (backing or {}).get(incident_id)
        counts = (
            f"{c['articles']} articles ({c['independent_articles']} independent), {c['outlets']} outlets, "
            f"{c['speakers']} named speakers{', single source' if c['single_source'] else ''}"
            + "".join(f"; disagree on {d['aspect']}" for d in c.get("disagreements", []))
            if c
            else f"{len(inc.articles)} articles"
        )
        b.add(ev, "description", f"one occurrence reported by {counts}")
        yield ev


def _schema_fits(schema_name: str, schema: str, prop_name: str) -> bool:
    from followthemoney import model

    prop = model.get(schema).get(prop_name)  # type: ignore[union-attr]
    return bool(prop is not None and prop.range is not None and model.get(schema_name).is_a(prop.range))  # type: ignore[union-attr]


def write(
    graphs: Iterable[ArticleGraph],
    out: Path | str,
    *,
    strict: bool = False,
    incidents: dict[str, dict[str, Any]] | None = None,
    reviews: Reviews | None = None,
) -> int:
    """Entities as JSON lines (the format ``ftm`` tools and OpenAleph's importer read).

    After the articles, one ``Event`` per incident reported by 2+ articles, with all its sources
    (``incidents``: its corroboration counts by incident id, from `newsgraph.corroboration.summarise`)."""
    builder = FtmBuilder()
    n = 0
    found: dict[str, _IncidentSources] = {}

    def flush() -> None:
        if builder.dropped:
            for d in builder.dropped:
                log.warning("ftm: dropped %s=%r on %s (%s)", d.prop, d.value, d.entity, d.reason)
            if strict:
                raise ValueError(f"ftm export would drop values: {builder.dropped[:5]}")
            builder.dropped.clear()

    with open_text(out) as fh:
        for graph in graphs:
            proxies = list(graph_entities(graph, builder, reviews=reviews))
            for proxy in proxies:
                fh.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
                n += 1
            _collect_incidents(graph, proxies, found)
            flush()
        for proxy in incident_entities(found, incidents, builder):
            fh.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
        flush()
    return n
