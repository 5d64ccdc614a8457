"""The query layer: an analyst's questions over the store, answered as plain JSON-ready dicts.

Who is connected to this actor, through what, says who, since when? Which claims
come from one source only? What happened to this network over time? And, for any
answer, the sentence it rests on. This module is the only caller of the store from
the outside (the API and the web view go through it); the SQL lives in
the store (`newsgraph.store.Store`, its reads in ``newsgraph.store.queries``).

Actors: an *actor key* names one real-world actor across articles —
``c:<canonical_id>`` once cross-article resolution has run, else ``n:<Type>:<name>``
(same name and type = same actor). Every fact carries its article id and character
offsets, so `provenance` can always show the sentence behind it.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsgraph.model import CERTAINTIES, ENTITY_TYPES
from newsgraph.phrasing import fact_sentence
from newsgraph.store import Store
from newsgraph.store.queries import FactFilter
from newsgraph.store.search import SearchFilter

__all__ = ["BadQuery", "FactFilter", "NotFound", "QueryService", "SearchFilter", "parse_key", "search_filter"]

MAX_HOPS = 3
MAX_EVIDENCE_PER_EDGE = 50
FACT_KINDS = ("event", "relation", "attribution", "quote")


class NotFound(LookupError):
    """The asked-for actor, article or fact is not in the store."""


class BadQuery(ValueError):
    """A parameter the store cannot answer (unknown key form, bad date, unknown type…)."""


def parse_key(key: str) -> str:
    """Validate an actor key (``c:<id>`` or ``n:<Type>:<name>``) and return it."""
    if key.startswith("c:") and len(key) > 2:
        return key
    if key.startswith("n:"):
        parts = key.split(":", 2)
        if len(parts) == 3 and parts[1] in ENTITY_TYPES and parts[2]:
            return key
    raise BadQuery(f"not an actor key: {key!r} (expected c:<canonical id> or n:<Type>:<name>)")


def _check_date(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    import re

    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise BadQuery(f"{name} must be an ISO date prefix (YYYY, YYYY-MM or YYYY-MM-DD), not {value!r}")
    import datetime as dt

    try:  # 2023-13 or 2023-02-30 matches the pattern but is no date: say so rather than match nothing
        dt.date.fromisoformat(value + "-01" * (2 - value.count("-")))
    except ValueError:
        raise BadQuery(f"{name}: {value!r} is not a real date (month 01-12, a day the month has)") from None
    return value


def search_filter(
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    language: str | None = None,
    source: str | None = None,
) -> SearchFilter:
    """A validated sentence-search filter (a bad date is a `BadQuery` naming the parameter)."""
    df, dt_ = _check_date(date_from, "date_from"), _check_date(date_to, "date_to")
    if df and dt_ and df > dt_ + "\uffff":
        raise BadQuery("date_from is after date_to")
    return SearchFilter(date_from=df, date_to=dt_, language=(language or "").strip() or None,
                        source=(source or "").strip() or None)  # fmt: skip


def make_filter(
    *,
    types: Sequence[str] = (),
    certainty: Sequence[str] = (),
    date_from: str | None = None,
    date_to: str | None = None,
    said_by: str | None = None,
    article_id: str | None = None,
) -> FactFilter:
    """A validated fact filter (raises `BadQuery` on a value that could only return nothing by mistake)."""
    bad = [c for c in certainty if c not in CERTAINTIES]
    if bad:
        raise BadQuery(f"unknown certainty {bad[0]!r}: one of {', '.join(CERTAINTIES)}")
    for t in types:
        if not t or len(t) > 64 or not t.replace("_", "").isalnum():
            raise BadQuery(f"bad event/relation type {t!r}")
    if said_by and said_by != "article":
        parse_key(said_by)
    df, dt_ = _check_date(date_from, "date_from"), _check_date(date_to, "date_to")
    if df and dt_ and df > dt_ + "\uffff":
        raise BadQuery("date_from is after date_to")
    return FactFilter(
        types=tuple(types), certainty=tuple(certainty), date_from=df, date_to=dt_,
        said_by=said_by or None, article_id=article_id or None,
    )  # fmt: skip


def _nonempty(row: dict[str, Any]) -> bool:
    """The entity row's first mention is a non-empty span."""
    return row["first_start"] is not None and row["first_end"] > row["first_start"]


def _fact_label(f: dict[str, Any]) -> str:
    """The fact as a sentence (`newsgraph.phrasing`): an unnamed actor is named by its role, never "?"."""
    return fact_sentence(f["kind"], f["type"], f.get("source_name"), f.get("target_name"), trigger=f.get("trigger"),
                         negated=bool(f.get("negated")))  # fmt: skip


def _evidence(f: dict[str, Any]) -> dict[str, Any]:
    """The provenance pointer of one fact row: enough to fetch and highlight its sentence."""
    return {
        "kind": f["kind"],
        "article_id": f["article_id"],
        "fact_id": f.get("fact_id"),
        "sentence": f.get("sentence"),
        "start": f.get("start"),
        "end": f.get("end"),
        "date": f.get("date") or f.get("published"),
        "published": f.get("published"),
        "title": f.get("title"),
        "certainty": f.get("certainty", "asserted"),
        "said_by": f.get("by_name"),
        "said_by_key": f.get("by_key"),
        "label": _fact_label(f) if f["kind"] in ("event", "relation") else None,
    }


def _fact_out(f: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": f["kind"], "type": f["type"], "mode": f.get("mode"), "trigger": f.get("trigger"),
        "certainty": f["certainty"], "negated": bool(f.get("negated")),
        "source": {"key": f["source_key"], "name": f["source_name"]} if f.get("source_name") else None,
        "target": {"key": f["target_key"], "name": f["target_name"]} if f.get("target_name") else None,
        "said_by": {"key": f["by_key"], "name": f["by_name"]} if f.get("by_name") else None,
        "date": f.get("date_value"), "date_qualifier": f.get("date_qualifier"),
        "label": _fact_label(f), "evidence": _evidence(f),
    }  # fmt: skip


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "limit": self.limit, "offset": self.offset}


class QueryService:
    """Read-only questions over one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # ---- search -------------------------------------------------------------------------

    def search_actors(self, text: str, *, type_: str | None = None, limit: int = 20, offset: int = 0) -> Page:
        if type_ and type_ not in ENTITY_TYPES:
            raise BadQuery(f"unknown entity type {type_!r}: one of {', '.join(ENTITY_TYPES)}")
        if text.strip() and not text.replace("\x00", "").strip():
            return Page([], 0, limit, offset)  # only NULs (SQLite's LIKE stops at one): nothing matches
        text = text.strip()
        if not text:
            rows, _total = self.store.most_reported(type_=type_, limit=limit, offset=offset)
            return Page(rows, offset + len(rows), limit, offset)
        rows, total = self.store.most_reported(name=text, type_=type_, limit=limit, offset=offset)
        return Page(rows, total, limit, offset)

    def search_sentences(self, text: str, *, limit: int = 20, offset: int = 0, flt: SearchFilter | None = None) -> Page:
        """Sentences matching the words (stemmed), prefixes (``recruit*``), "phrases", OR and NOT."""
        rows = self.store.search_sentences(text, limit=limit + 1, offset=offset, flt=flt)
        more = len(rows) > limit
        items = rows[:limit]
        return Page(items, offset + len(items) + (1 if more else 0), limit, offset)

    def search(self, text: str, *, limit: int = 20, offset: int = 0, flt: SearchFilter | None = None) -> dict[str, Any]:
        """Actors whose name matches and sentences that contain the words."""
        return {
            "query": text,
            "actors": self.search_actors(text, limit=limit, offset=offset).to_dict(),
            "sentences": self.search_sentences(text, limit=limit, offset=offset, flt=flt).to_dict(),
        }

    # ---- actors -------------------------------------------------------------------------

    def _rows(self, key: str) -> list[dict[str, Any]]:
        rows = self.store.actor_rows([parse_key(key)])
        if not rows:
            raise NotFound(f"no actor {key!r} in the store")
        return rows

    def _label(self, key: str) -> tuple[str, str]:
        """The actor's name and type without reading its rows (a NotFound when it has none): what
        `_name` gives, for the questions that need no more of the actor than that."""
        parse_key(key)
        if key.startswith("c:"):
            names = self.store.canonical_labels([key[2:]])
            if key[2:] in names and self.store.actor_exists(key):
                return names[key[2:]]
            return self._name(key, self._rows(key))
        if not self.store.actor_exists(key):
            raise NotFound(f"no actor {key!r} in the store")
        _, type_, name = key.split(":", 2)
        return name, type_

    def _name(self, key: str, rows: list[dict[str, Any]]) -> tuple[str, str]:
        if key.startswith("c:"):
            names = self.store.canonical_labels([key[2:]])
            if key[2:] in names:
                return names[key[2:]]
            common = Counter(r["name"] for r in rows).most_common(1)[0][0]
            return common, rows[0]["type"]
        _, type_, name = key.split(":", 2)
        return name, type_

    def profile(self, key: str, *, article_limit: int = 200) -> dict[str, Any]:
        """Everything about one actor: names, roles, articles, events by and about it, its claims and others'.

        Bounded by its limits, not by how often the actor is reported: the first ``article_limit``
        articles come from the actor's index in date order, the counts from its aggregates, and its
        spellings from one pass over that (covering) index."""
        name, type_ = self._label(key)
        rows = self.store.actor_articles(key, limit=article_limit)
        summary = self.store.actor_summary(key)
        aliases: Counter[str] = Counter(self.store.actor_names(key))  # every row's name, first seen first
        roles: Counter[str] = Counter()
        for r in rows:  # aliases and roles as the articles shown give them
            aliases.update(a for a in json.loads(r["aliases"] or "[]") if a)
            roles.update(x for x in json.loads(r["roles"] or "[]") if x)
        articles = [
            {
                "id": r["article_id"], "title": r["title"], "published": r["published"], "entity_id": r["id"],
                "name": r["name"], "mentions": r["n_mentions"] or 0,
                "first_mention": (r["first_start"], r["first_end"]) if _nonempty(r) else None,
            }
            for r in rows
        ]  # fmt: skip
        flt = FactFilter()
        facts = self.store.facts(flt, keys=[key], roles=("source", "target", "by"))
        by = [_fact_out(f) for f in facts if f["source_key"] == key and f["kind"] == "event"]
        about = [_fact_out(f) for f in facts if f["target_key"] == key and f["kind"] == "event"]
        rels = [_fact_out(f) for f in facts if f["kind"] == "relation" and key in (f["source_key"], f["target_key"])]
        claims_made = [_fact_out(f) for f in facts if f["by_key"] == key]
        claims_about = [
            _fact_out(f)
            for f in facts
            if f["asserted_by"] is not None and f["by_key"] != key and key in (f["source_key"], f["target_key"])
        ]
        statements = self.store.statements_by([key])
        return {
            "key": key,
            "name": name,
            "type": type_,
            "subtypes": summary["subtypes"],
            "aliases": [a for a, _ in aliases.most_common() if a != name],
            "roles": [r for r, _ in roles.most_common()],
            "first_seen": summary["first_seen"],
            "last_seen": summary["last_seen"],
            "article_count": summary["articles"],
            "articles": articles,
            "events_by": by,
            "events_about": about,
            "relations": rels,
            "claims_made": claims_made,
            "claims_about": claims_about,
            "quotes": [self._statement(x, "quote") for x in statements["quotes"]],
            "attributions": [self._statement(x, "attribution") for x in statements["attributions"]],
        }

    @staticmethod
    def _statement(row: dict[str, Any], kind: str) -> dict[str, Any]:
        if kind == "quote":
            start, end = row["start"], row["end"]
        else:
            start = min(x for x in (row["source_start"], row["cue_start"], row["content_start"]) if x is not None)
            end = max(x for x in (row["source_end"], row["cue_end"], row["content_end"]) if x is not None)
        return {
            "kind": kind, "article_id": row["article_id"], "fact_id": row["id"], "speaker": row["speaker_name"],
            "certainty": row.get("certainty", "asserted"), "text": row.get("text"), "channel": row.get("channel"),
            "published": row["published"], "title": row["title"],
            "evidence": {"kind": kind, "article_id": row["article_id"], "fact_id": row["id"], "start": start,
                         "end": end, "published": row["published"], "title": row["title"]},
        }  # fmt: skip

    # ---- the network --------------------------------------------------------------------

    def neighbourhood(
        self,
        key: str,
        *,
        hops: int = 1,
        flt: FactFilter | None = None,
        co_mentions: bool = True,
        max_nodes: int = 150,
    ) -> dict[str, Any]:
        """The actors within ``hops`` links of ``key``, and the links, each with its evidence.

        Links are events and relations (directed, with certainty and who says so) and,
        if ``co_mentions``, a weaker undirected link between actors named in one sentence.
        """
        if not 1 <= hops <= MAX_HOPS:
            raise BadQuery(f"hops must be between 1 and {MAX_HOPS}")
        flt = flt or FactFilter()
        name, type_ = self._label(key)
        nodes: dict[str, dict[str, Any]] = {key: {"id": key, "name": name, "type": type_, "hop": 0, "focus": True}}
        edges: dict[tuple[str, ...], dict[str, Any]] = {}
        frontier = [key]
        truncated = False
        mention_ok = co_mentions and not flt.types and not flt.certainty and not flt.said_by
        for hop in range(1, hops + 1):
            found = self.store.facts(flt, keys=frontier, roles=("source", "target"))
            if mention_ok:
                pairs = self.store.co_mentions(
                    frontier, date_from=flt.date_from, date_to=flt.date_to, article_id=flt.article_id
                )
                for m in pairs:  # the store's fresh rows, marked in place (no copy of ~2,000 dicts)
                    m.update(kind="co_mention", type="co_mention", certainty="asserted", fact_id=None)
                found += pairs
            found = [f for f in found if f.get("source_name") and f.get("target_name")]
            # admit new actors strongest first: an event or relation weighs more than a co-mention
            weight: Counter[str] = Counter()
            info: dict[str, tuple[str, str]] = {}
            for f in found:
                for side in ("source", "target"):
                    k = f[side + "_key"]
                    if k not in nodes:
                        weight[k] += 1 if f["kind"] == "co_mention" else 10
                        info[k] = (f[side + "_name"], f[side + "_type"])
            nxt: list[str] = []
            for k, _w in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0])):
                if len(nodes) >= max_nodes:
                    truncated = True
                    break
                nodes[k] = {"id": k, "name": info[k][0], "type": info[k][1], "hop": hop, "focus": False}
                nxt.append(k)
            for f in found:
                s, t = f["source_key"], f["target_key"]
                if s == t or s not in nodes or t not in nodes:
                    continue
                if f["kind"] == "co_mention" and t < s:
                    s, t = t, s
                ek = (f["kind"], f["type"], f["certainty"], s, t)
                edge = edges.get(ek)
                if edge is None:
                    edge = edges[ek] = {
                        "id": f"e{len(edges) + 1}", "source": s, "target": t, "kind": f["kind"], "type": f["type"],
                        "certainty": f["certainty"], "count": 0, "first_date": None, "last_date": None,
                        "said_by": [], "evidence": [], "_seen": set(),
                    }  # fmt: skip
                pointer = (f["article_id"], f.get("fact_id") or f.get("sentence"))
                if pointer in edge["_seen"]:
                    continue
                edge["_seen"].add(pointer)
                edge["count"] += 1
                d = f.get("date") or f.get("published")
                if d:
                    edge["first_date"] = min(edge["first_date"] or d, d)
                    edge["last_date"] = max(edge["last_date"] or d, d)
                by = f.get("by_name") or "the article"
                if by not in edge["said_by"]:
                    edge["said_by"].append(by)
                if len(edge["evidence"]) < MAX_EVIDENCE_PER_EDGE:
                    edge["evidence"].append(_evidence(f))
            frontier = nxt
            if not frontier or truncated:
                break
        self._canonical_node_names(nodes)
        degree: Counter[str] = Counter()
        out_edges = []
        for e in edges.values():
            e.pop("_seen")
            degree[e["source"]] += 1
            degree[e["target"]] += 1
            out_edges.append(e)
        for k, n in nodes.items():
            n["degree"] = degree[k]
        return {"focus": key, "hops": hops, "nodes": list(nodes.values()), "edges": out_edges, "truncated": truncated}

    def _canonical_node_names(self, nodes: dict[str, dict[str, Any]]) -> None:
        names = self.store.canonical_labels([k[2:] for k in nodes if k.startswith("c:")])
        for k, n in nodes.items():
            if k.startswith("c:") and k[2:] in names:
                n["name"], n["type"] = names[k[2:]]
            elif k.startswith("n:"):
                n["name"] = k.split(":", 2)[2]

    # ---- time ---------------------------------------------------------------------------

    def timeline(
        self,
        *,
        key: str | None = None,
        text: str | None = None,
        flt: FactFilter | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> dict[str, Any]:
        """What happened, in date order: an actor's events and appearances, or those of a search."""
        if bool(key) == bool(text):
            raise BadQuery("give exactly one of key (an actor) or q (words to search)")
        flt = flt or FactFilter()
        items: list[dict[str, Any]] = []
        if key:
            return self._actor_timeline(key, flt, limit=limit, offset=offset)
        else:
            hits = self.store.search_sentences(text or "", limit=500)
            sentences = [(h["article_id"], int(h["idx"])) for h in hits]
            facts = self.store.facts(flt, sentences=sentences, limit=5000) if sentences else []
            with_fact = {(f["article_id"], f["sentence"]) for f in facts}
            items += [self._timeline_fact(f) for f in facts]
            for h in hits:
                if (h["article_id"], int(h["idx"])) in with_fact or not self._in_range(h["published"], flt):
                    continue
                items.append({
                    "date": h["published"], "kind": "sentence", "type": "match", "label": h["text"],
                    "certainty": "asserted", "evidence": {
                        "kind": "sentence", "article_id": h["article_id"], "fact_id": None, "start": h["start"],
                        "end": h["end"], "sentence": int(h["idx"]), "published": h["published"], "title": h["title"]},
                })  # fmt: skip
        items.sort(key=lambda x: (x["date"] or "9999", x["evidence"]["article_id"], x["evidence"]["start"] or 0))
        buckets: dict[str, Counter[str]] = defaultdict(Counter)
        for it in items:
            buckets[(it["date"] or "unknown")[:7]][it["kind"]] += 1
        return {
            "key": key,
            "query": text,
            "buckets": [{"month": m, **c} for m, c in sorted(buckets.items())],
            **Page(items[offset : offset + limit], len(items), limit, offset).to_dict(),
        }

    def _actor_timeline(self, key: str, flt: FactFilter, *, limit: int, offset: int) -> dict[str, Any]:
        """An actor's events and relations (the first 5,000 in date order) and the articles naming it,
        in date order, with counts per month. The articles are counted on the actor's index and only
        the page's are read; each fact is made an item only if it is on the page."""
        self._label(key)
        facts = self.store.facts(flt, keys=[key], roles=("source", "target"), limit=5000)
        take = offset + limit
        articles = self.store.actor_articles(key, limit=take, date_from=flt.date_from, date_to=flt.date_to,
                                             article_id=flt.article_id, dated_first=True)  # fmt: skip
        months = self.store.actor_article_months(key, date_from=flt.date_from, date_to=flt.date_to,
                                                 article_id=flt.article_id)  # fmt: skip
        buckets: dict[str, Counter[str]] = defaultdict(Counter)
        entries: list[tuple[tuple[str, str, int], int, dict[str, Any]]] = []
        for f in facts:
            buckets[(f["date"] or "unknown")[:7]][f["kind"]] += 1
            entries.append(((f["date"] or "9999", f["article_id"], f["start"] or 0), 0, f))
        for month, n in months.items():
            buckets[(month or "unknown")[:7]]["article"] += n
        for r in articles:
            start = r["first_start"] if r["first_start"] is not None else 0
            entries.append(((r["published"] or "9999", r["article_id"], start or 0), 1, r))
        entries.sort(key=lambda x: x[0])  # stable: facts before articles on a tie, as they were listed
        page = [self._timeline_fact(x) if kind == 0 else self._article_item(x)
                for _k, kind, x in entries[offset:take]]  # fmt: skip
        return {
            "key": key,
            "query": None,
            "buckets": [{"month": m, **c} for m, c in sorted(buckets.items())],
            **Page(page, len(facts) + sum(months.values()), limit, offset).to_dict(),
        }

    @staticmethod
    def _article_item(r: dict[str, Any]) -> dict[str, Any]:
        """An article naming the actor, as a timeline item pointing at the actor's first mention in it."""
        m = r["first_start"] is not None  # the entity's first mention (stored with the entity)
        aid = r["article_id"]
        return {
            "date": r["published"], "kind": "article", "type": "mention", "label": r["title"] or aid,
            "certainty": "asserted", "evidence": {
                "kind": "mention", "article_id": aid, "fact_id": r["id"], "start": r["first_start"] if m else 0,
                "end": r["first_end"] if m else 0, "sentence": r["first_sentence"] if m else None,
                "published": r["published"], "title": r["title"]},
        }  # fmt: skip

    @staticmethod
    def _in_range(date: str | None, flt: FactFilter) -> bool:
        if flt.date_from and (not date or date < flt.date_from):
            return False
        return not (flt.date_to and date and date > flt.date_to + "\uffff")

    @staticmethod
    def _timeline_fact(f: dict[str, Any]) -> dict[str, Any]:
        out = _fact_out(f)
        out["date"] = f["date"]
        out["date_qualifier"] = f.get("date_qualifier")
        return out

    # ---- claims -------------------------------------------------------------------------

    def claims(
        self,
        *,
        key: str | None = None,
        flt: FactFilter | None = None,
        single_source: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> dict[str, Any]:
        """Claims grouped by who asserts them; each claim knows how many independent sources carry it.

        A claim is one (kind, type, source actor, target actor, negated) statement; its sources are the
        actors it is attributed to, and, for what an article says in its own voice, that article.
        ``single_source`` keeps only claims that rest on one source.
        """
        flt = flt or FactFilter()
        keys = [parse_key(key)] if key else []
        if key:
            self._label(key)
        facts = self.store.facts(flt, keys=keys, roles=("source", "target", "by"), limit=20000)
        claims: dict[tuple[Any, ...], dict[str, Any]] = {}
        for f in facts:
            ck: tuple[Any, ...] = (f["kind"], f["type"], f["source_key"], f["target_key"], bool(f.get("negated")))
            if not f.get("source_name") or not f.get("target_name"):  # an unnamed actor is no known one
                ck += (f["article_id"], f.get("fact_id"))
            c = claims.get(ck)
            if c is None:
                c = claims[ck] = {**_fact_out(f), "sources": {}, "evidence": []}
                c.pop("said_by")
            src = f["by_key"] if f.get("by_name") else f"article:{f['article_id']}"
            c["sources"][src] = f.get("by_name") or f"the article “{f.get('title') or f['article_id']}”"
            c["evidence"].append(_evidence(f))
        groups: dict[str, dict[str, Any]] = {}
        for c in claims.values():
            c["source_count"] = len(c["sources"])
            c["single_source"] = c["source_count"] == 1
            if single_source and not c["single_source"]:
                continue
            for src, nm in c["sources"].items():
                gk = "article" if src.startswith("article:") else src
                g = groups.setdefault(gk, {
                    "said_by": None if gk == "article" else {"key": gk, "name": nm},
                    "label": "articles, in their own voice" if gk == "article" else nm, "claims": [],
                })  # fmt: skip
                if not any(x is c for x in g["claims"]):
                    g["claims"].append(c)
        out_groups = sorted(groups.values(), key=lambda g: (-len(g["claims"]), g["label"]))
        for c in claims.values():
            c["sources"] = [{"key": k, "name": v} for k, v in c["sources"].items()]
        page = out_groups[offset : offset + limit]
        return {"key": key, "single_source": single_source, **Page(page, len(out_groups), limit, offset).to_dict()}

    # ---- provenance ---------------------------------------------------------------------

    def provenance(
        self,
        article_id: str,
        *,
        kind: str | None = None,
        fact_id: str | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> dict[str, Any]:
        """The article a fact comes from, with the sentence(s) and spans to highlight.

        Either a fact (``kind`` + ``fact_id``) or a character span (``start``, ``end``).
        """
        art = self.store.article(article_id)
        if art is None:
            raise NotFound(f"no article {article_id!r}")
        names = self.store.entity_names(article_id)
        highlights: list[dict[str, Any]] = []
        fact: dict[str, Any] | None = None
        if kind and fact_id:
            if kind not in FACT_KINDS:
                raise BadQuery(f"kind must be one of {', '.join(FACT_KINDS)}")
            fact = self.store.fact_row(kind, article_id, fact_id)
            if fact is None:
                raise NotFound(f"no {kind} {fact_id!r} in article {article_id!r}")
            if kind == "attribution":
                spans = [("source", fact["source_start"], fact["source_end"]), ("cue", fact["cue_start"],
                         fact["cue_end"]), ("content", fact["content_start"], fact["content_end"])]  # fmt: skip
                highlights = [{"role": r, "start": s, "end": e} for r, s, e in spans if s is not None]
                start, end = min(h["start"] for h in highlights), max(h["end"] for h in highlights)
            else:
                start, end = fact["start"], fact["end"]
                if kind == "event" and fact.get("sentence") is not None and (start is None or end is None):
                    srow = self.store.sentence_at(article_id, int(fact["sentence"]))
                    if srow:
                        start, end = srow["start"], srow["end"]
            for role in ("source", "target", "asserted_by", "speaker"):
                eid = fact.get(role)
                if eid and eid in names:
                    fact[role + "_name"] = names[eid]["name"]
                    fact[role + "_key"] = names[eid]["key"]
        elif kind or fact_id:
            raise BadQuery("give both kind and fact_id, or a start and end offset")
        if start is None or end is None:
            raise BadQuery("give a fact (kind and fact_id) or a span (start and end)")
        text = art["text"]
        if not (0 <= start <= end <= len(text)):
            raise BadQuery(f"span {start}–{end} is outside the article (length {len(text)})")
        sentences = self.store.sentence_rows(article_id, start, end)
        if not highlights:
            highlights = [{"role": "evidence", "start": start, "end": end}]
        if fact and kind in ("event", "relation"):
            # the actors' mentions inside the evidence span, for the view to underline
            for role in ("source", "target"):
                eid = fact.get(role)
                if eid:
                    for m in self.store.entity_mentions(article_id, eid):
                        if start <= m["start"] and m["end"] <= end:
                            highlights.append({"role": role, "start": m["start"], "end": m["end"]})
        if fact and kind in ("event", "relation"):
            fact["label"] = fact_sentence(kind, fact["type"], fact.get("source_name"), fact.get("target_name"),
                                          trigger=fact.get("trigger"), negated=bool(fact.get("negated")))  # fmt: skip
        return {
            "article": {k: art[k] for k in ("id", "title", "url", "published", "language")},
            "text": text,
            "span": {"start": start, "end": end},
            "sentences": sentences,
            "highlights": highlights,
            "fact": fact,
            "kind": kind,
        }

    # ---- corpus -------------------------------------------------------------------------

    def overview(self) -> dict[str, Any]:
        t0 = time.perf_counter()
        stats = self.store.stats()
        return {
            "stats": stats,
            "months": self.store.article_dates(),
            "top_actors": self.store.most_reported(limit=15)[0],
            "entity_types": list(ENTITY_TYPES),
            "certainties": list(CERTAINTIES),
            "ms": round((time.perf_counter() - t0) * 1000, 1),
        }

    def articles(self, *, limit: int = 50, offset: int = 0) -> Page:
        stats = self.store.stats()
        return Page(self.store.list_articles(limit=limit, offset=offset), stats["articles"], limit, offset)

    # ---- lookups (#16) ------------------------------------------------------------------

    def find_actors(self, text: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Actors a user may mean by ``text``: an actor key; else those named or mentioned exactly so
        (any alias, any case); else those whose name contains it."""
        text = text.strip()
        if text.startswith(("c:", "n:")):
            try:
                return [{"key": parse_key(text), "name": self._name(text, self._rows(text))[0]}]
            except (BadQuery, NotFound):
                pass
        exact = self.store.actors_by_alias(text, limit=limit)
        if exact:
            return exact
        return self.store.most_reported(name=text, limit=limit)[0]

    def articles_by_prefix(self, prefix: str, *, limit: int = 20) -> list[dict[str, Any]]:
        return self.store.articles_by_prefix(prefix, limit=limit)

    def corpus(self) -> dict[str, Any]:
        """The landing page: date range, languages, outlets, articles per month, top actors and events."""
        return {
            **self.store.corpus_summary(),
            "stats": self.store.stats(),
            "months": self.store.article_dates(),
            "top_actors": self.store.most_reported(limit=15)[0],
        }
