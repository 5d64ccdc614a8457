"""The resolve stage for events: stored events -> incidents, their corroboration and contradictions.

`update_incidents` is incremental: only the incidents that can take a new event (its type, within
the date window of its dates) are loaded from the store, as they are (never re-clustered), and only
events not yet in an incident are scored against them. `merge` and `split` are the manual
corrections, logged with their reasons. The rules are in `newsgraph.incidents`; the store keeps the
outcome and the log.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from newsgraph.incidents import (
    DATE_WINDOW_DAYS,
    Corroboration,
    Disagreement,
    EventReport,
    IncidentIndex,
    agreements,
    contradictions,
    corroboration,
    first_day,
    near_duplicate_groups,
    trigger_key,
)
from newsgraph.phrasing import event_sentence
from newsgraph.store import Store


def outlet_of(url: str | None) -> str | None:
    """The publisher of an article: its URL's host without 'www.'."""
    if not url:
        return None
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or None


def report_of(row: dict[str, Any]) -> EventReport:
    trigger = row.get("trigger") or ""
    return EventReport(
        key=f"{row['article_id']}/{row['id']}",
        article_id=row["article_id"],
        type=row["type"],
        lemma=trigger_key(trigger),
        sentence=row.get("sentence_text") or "",
        source=row.get("source"),
        target=row.get("target"),
        place=row.get("location"),
        date=row.get("date_value"),
        published=row.get("published"),
        outlet=outlet_of(row.get("url")),
        asserted_by=row.get("asserted_by"),
        negated=bool(row.get("negated")),
        participants=frozenset(row.get("participants") or ()),
        title=row.get("title"),
        trigger=trigger,
    )


def date_spans(rows: Sequence[dict[str, Any]], window: int = DATE_WINDOW_DAYS) -> list[tuple[str, str]] | None:
    """The days the incidents of ``rows`` can lie in: each row's dates +- the window, overlapping spans joined.

    None when a row has no usable date (then nothing can be ruled out by date)."""
    spans: list[tuple[dt.date, dt.date]] = []
    pad = dt.timedelta(days=window + 1)
    for r in rows:
        values = [v for v in (r.get("date_value"), r.get("published")) if v and first_day(v)]
        if not values:
            return None
        for v in values:
            first = first_day(v)
            assert first is not None
            spans.append((first - pad, (_period_end(v) or first) + pad))  # a year or month: its whole period
    spans.sort()
    joined: list[tuple[dt.date, dt.date]] = []
    for lo, hi in spans:
        if joined and lo <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(hi, joined[-1][1]))
        else:
            joined.append((lo, hi))
    return [(lo.isoformat(), hi.isoformat()) for lo, hi in joined]


def _period_end(value: str) -> dt.date | None:
    first = first_day(value)
    if first is None:
        return None
    if len(value) < 7:
        return dt.date(first.year, 12, 31)
    if len(value) == 7:
        nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return first


def update_incidents(store: Store) -> dict[str, int]:
    """Place every event not yet in an incident; returns counts (placed, joined, new).

    Incremental: only the incidents that can take one of the new events (same type, within the date
    window) are read back, so the cost follows the new articles and their neighbourhood, not the store.
    """
    fresh = store.event_rows(assigned=False)
    if not fresh:
        return {"placed": 0, "joined": 0, "new": 0}
    near = store.incidents_near({r["type"] for r in fresh}, date_spans(fresh))
    placed = store.event_rows(assigned=True, incident_ids=near) if near else []
    # Texts are fetched lazily: only the articles of candidate incidents are ever read.
    index = IncidentIndex(text_source=lambda aid: store.article_texts([aid]).get(aid))
    for aid, body in store.article_texts([r["article_id"] for r in fresh]).items():
        index.set_article_text(aid, body)
    index.reserve(store.incident_numbers() + 1)
    for r in placed:
        index.add(report_of(r), incident_id=r["incident_id"], log=False)
    decisions = []
    for r in fresh:
        incident_id = index.add(report_of(r))
        d = index.decisions[-1]
        decisions.append({
            "article_id": r["article_id"], "event_id": r["id"], "incident_id": incident_id, "score": d.score,
            "reasons": "; ".join(d.reasons), "manual": False, "action": "join" if d.merged else "new",
        })  # fmt: skip
    store.save_incident_decisions(decisions)
    joined = sum(1 for d in decisions if d["action"] == "join")
    return {"placed": len(decisions), "joined": joined, "new": len(decisions) - joined}


class IncidentError(ValueError):
    """A manual merge or split that cannot be done (unknown incident, event not in it, nothing left)."""


def merge(store: Store, keep: str, others: Sequence[str], *, reason: str = "manual merge") -> int:
    """Fold every report of ``others`` into ``keep`` (a manual merge, logged with the reason)."""
    known = set(store.incident_ids())
    for i in (keep, *others):
        if i not in known:
            raise IncidentError(f"no incident {i!r}")
    if keep in others:
        raise IncidentError(f"cannot merge {keep} into itself")
    rows = store.event_rows(incident_ids=list(others))
    moved = [(r["article_id"], r["id"]) for r in rows]
    return store.move_incident_reports(moved, keep, action="merge", reason=f"{reason} (from {', '.join(others)})")


def split(store: Store, incident_id: str, events: Sequence[str], *, reason: str = "manual split") -> str:
    """Move the given reports (``ARTICLE/EVENT``, an article id prefix accepted) out of an incident into a
    new one (a manual split, logged with the reason); returns the new incident's id."""
    rows = store.event_rows(incident_ids=[incident_id])
    if not rows:
        raise IncidentError(f"no incident {incident_id!r}")
    chosen: list[tuple[str, str]] = []
    for ref in events:
        aid, _, eid = ref.replace(":", "/").rpartition("/")
        hits = [(r["article_id"], r["id"]) for r in rows if aid and r["article_id"].startswith(aid) and r["id"] == eid]
        if len(hits) != 1:
            raise IncidentError(f"{ref!r} names no single report of {incident_id} (use ARTICLE/EVENT)")
        chosen.append(hits[0])
    chosen = list(dict.fromkeys(chosen))
    if len(chosen) == len(rows):
        raise IncidentError(f"splitting every report off {incident_id} would leave it empty")
    new_id = f"I{store.incident_numbers() + 1}"
    store.move_incident_reports(chosen, new_id, action="split", reason=f"{reason} (from {incident_id})")
    return new_id


@dataclass
class IncidentSummary:
    id: str
    type: str | None
    reports: list[EventReport]
    first: str | None
    last: str | None
    backing: Corroboration
    disagreements: list[Disagreement] = field(default_factory=list)
    copy_of: dict[str, str] = field(default_factory=dict)  # article id -> the article it is a near-copy of

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "first_report": self.first,
            "last_report": self.last,
            "articles": self.backing.articles,
            "independent_articles": self.backing.independent_articles,
            "outlets": self.backing.outlets,
            "speakers": self.backing.speakers,
            "single_source": self.backing.single_source,
            "reports": [
                {
                    "key": r.key,
                    "article_id": r.article_id,
                    "event": r.key.split("/", 1)[1],
                    "title": r.title,
                    "published": r.published,
                    "outlet": r.outlet,
                    "type": r.type,
                    "trigger": r.trigger,
                    "sentence": r.sentence,
                    "source": r.source,
                    "target": r.target,
                    "place": r.place,
                    "date": r.date,
                    "said_by": r.asserted_by,
                    "denied": r.negated,
                    "copy_of": self.copy_of.get(r.article_id),
                }
                for r in sorted(self.reports, key=lambda r: (r.published or "9999", r.key))
            ],
            "agreement": [{"aspect": a, "value": v, "reports": keys} for a, v, keys in agreements(self.reports)],
            "disagreements": [{"aspect": d.aspect, "sides": d.sides} for d in self.disagreements],
        }


def summarise(
    store: Store, *, min_articles: int = 1, incident_ids: Sequence[str] | None = None
) -> list[IncidentSummary]:
    """Incidents with their reports, independent corroboration and disagreements, most reported first.

    Only the incidents reported by ``min_articles`` articles (or those named) are read from the store."""
    wanted = list(incident_ids) if incident_ids is not None else store.incident_ids(min_articles=min_articles)
    rows = store.event_rows(assigned=True, incident_ids=wanted) if wanted else []
    groups: dict[str, list[EventReport]] = defaultdict(list)
    for r in rows:
        groups[r["incident_id"]].append(report_of(r))
    multi = {i: reps for i, reps in groups.items() if len({r.article_id for r in reps}) >= min_articles}
    texts = store.article_texts([r.article_id for reps in multi.values() for r in reps])
    copies = near_duplicate_groups(texts, published={r.article_id: r.published for r in rows_of(multi)})
    out = []
    for incident_id, reps in multi.items():
        dates = sorted(r.published for r in reps if r.published)
        out.append(IncidentSummary(
            id=incident_id, type=reps[0].type, reports=reps, first=dates[0] if dates else None,
            last=dates[-1] if dates else None, backing=corroboration(reps, copies),
            disagreements=contradictions(reps),
            copy_of={r.article_id: copies[r.article_id] for r in reps if copies.get(r.article_id, r.article_id)
                     != r.article_id},
        ))  # fmt: skip
    out.sort(key=lambda s: (-s.backing.independent_articles, -s.backing.articles, s.id))
    return out


def rows_of(groups: dict[str, list[EventReport]]) -> list[EventReport]:
    return [r for reps in groups.values() for r in reps]


def named(store: Store, data: dict[str, Any]) -> dict[str, Any]:
    """An incident's dict with canonical ids replaced by names, and each report's "who did what to whom"."""
    roles = ("source", "target", "said_by", "place")
    ids = [r[role] for r in data["reports"] for role in roles if r[role]]
    ids += [v for d in data["disagreements"] if d["aspect"] == "doer" for v in d["sides"]]
    ids += [a["value"] for a in data.get("agreement", []) if a["aspect"] in ("doer", "target", "place")]
    names = store.canonical_names(ids)

    def show(value: str | None) -> str | None:
        if not value:
            return None
        # an article-local entity without a canonical one is "<article>:<entity>": no name to show
        return names.get(value, value)

    for r in data["reports"]:
        for role in roles:
            r[role] = show(r[role])
        r["label"] = event_sentence(r["type"] or "EVENT", r["source"], r["target"], trigger=r["trigger"],
                                    negated=r["denied"])  # fmt: skip
    for d in data["disagreements"]:
        if d["aspect"] == "doer":
            sides: dict[str, list[str]] = {}
            for v, keys in d["sides"].items():
                sides.setdefault(show(v) or v, []).extend(keys)  # two entities of one name: one side
            d["sides"] = sides
    for a in data.get("agreement", []):
        if a["aspect"] in ("doer", "target", "place"):
            a["value"] = show(a["value"])
    return data


# ---- corroboration of claims and links (the claims list, the network's edges) ------------------------


def _copies(store: Store, article_ids: Iterable[str]) -> dict[str, str]:
    """Article id -> the representative of its near-duplicate group, among these articles."""
    ids = sorted(set(article_ids))
    if len(ids) < 2:
        return {a: a for a in ids}
    return near_duplicate_groups(store.article_texts(ids))


def _incident_reports(
    store: Store, refs: Iterable[tuple[str, str]]
) -> tuple[dict[tuple[str, str], str], dict[str, list[dict[str, Any]]]]:
    """(article, event) -> incident, and the rows of those incidents reported by 2+ articles."""
    refs = list(refs)
    of = store.incidents_of_events(sorted({a for a, _ in refs})) if refs else {}
    wanted = {of[r] for r in refs if r in of}
    multi = set(store.incident_ids(min_articles=2)) & wanted if wanted else set()
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in store.event_rows(assigned=True, incident_ids=sorted(multi)) if multi else []:
        rows[r["incident_id"]].append(r)
    return of, rows


def corroborate_claims(
    store: Store, data: dict[str, Any], *, single_source: bool = False, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """Count each claim's independent sources on incidents, and keep only single-source ones if asked.

    A claim's voices are the speakers it is attributed to and, for what articles say in their own
    voice, the independent articles (a syndicated copy or reprint counts once); an event claim also
    gets the voices of the other reports of its incident that agree with it (asserted, or denied, as
    it is): the same arrest told by two wire services is two voices, one speaker reprinted by ten
    outlets stays one. ``data`` is `QueryService.claims` over every group (paginated here)."""
    claims = list({id(c): c for g in data["items"] for c in g["claims"]}.values())
    refs = [(e["article_id"], e["fact_id"]) for c in claims for e in c["evidence"] if e["kind"] == "event"]
    of, rows = _incident_reports(store, refs)
    backing: list[tuple[set[str], list[str], list[dict[str, Any]]]] = []  # articles, incidents, agreeing reports
    for c in claims:
        seen = {e["article_id"] for e in c["evidence"]}
        incidents = sorted({of[(e["article_id"], e["fact_id"])] for e in c["evidence"]
                            if e["kind"] == "event" and (e["article_id"], e["fact_id"]) in of})  # fmt: skip
        agreeing = [
            r for i in incidents for r in rows.get(i, []) if bool(r["negated"]) == bool(c.get("negated"))
        ]  # fmt: skip  (a denial backs no assertion)
        seen |= {r["article_id"] for r in agreeing}
        backing.append((seen, incidents, agreeing))
    # Copies only matter among the articles of one claim: texts are read (and MinHashed) for those alone.
    rep = _copies(store, {a for seen, _, _ in backing if len(seen) > 1 for a in seen})
    urls = store.article_urls({a for seen, _, _ in backing if len(seen) > 1 for a in seen})
    for c, (seen, incidents, agreeing) in zip(claims, backing, strict=True):
        own = {s["key"][len("article:") :] for s in c["sources"] if s["key"].startswith("article:")}
        voices = {s["key"] for s in c["sources"] if not s["key"].startswith("article:")}
        voices |= {f"c:{r['asserted_by']}" for r in agreeing if r["asserted_by"]}
        own |= {r["article_id"] for r in agreeing if not r["asserted_by"]}
        voices |= {f"article:{rep.get(a, a)}" for a in own}  # the outlets' own voice: copies count once
        independent = {rep.get(a, a) for a in seen}
        c["corroboration"] = {
            "sources": len(voices), "articles": len(seen), "independent_articles": len(independent),
            "outlets": len({outlet_of(urls.get(a)) or a for a in independent}),
            "incidents": [i for i in incidents if i in rows],
        }  # fmt: skip
        c["source_count"] = len(voices)
        c["single_source"] = len(voices) <= 1
    groups = []
    for g in data["items"]:
        kept = [c for c in g["claims"] if c["single_source"] or not single_source]
        if kept:
            groups.append({**g, "claims": kept})
    groups.sort(key=lambda g: (-len(g["claims"]), g["label"]))
    return {**data, "single_source": single_source, "items": groups[offset : offset + limit], "total": len(groups),
            "limit": limit, "offset": offset}  # fmt: skip


def corroborate_edges(store: Store, graph: dict[str, Any]) -> dict[str, Any]:
    """Each event or relation link of a neighbourhood with how many articles report it, how many of
    them are independent (copies count once), in how many outlets, and its incidents."""
    edges = [e for e in graph["edges"] if e.get("kind") != "co_mention"]
    several = [{x["article_id"] for x in e["evidence"]} for e in edges]
    articles = {a for seen in several if len(seen) > 1 for a in seen}  # one article is its own source
    rep = _copies(store, articles)
    urls = store.article_urls({x["article_id"] for e in edges for x in e["evidence"]})
    refs = [(x["article_id"], x["fact_id"]) for e in edges for x in e["evidence"] if x["kind"] == "event"]
    of = store.incidents_of_events(sorted({a for a, _ in refs})) if refs else {}
    for e in edges:
        seen = {x["article_id"] for x in e["evidence"]}
        independent = {rep.get(a, a) for a in seen}
        e["corroboration"] = {
            "articles": len(seen), "independent_articles": len(independent),
            "outlets": len({outlet_of(urls.get(a)) or a for a in independent}),
            "incidents": sorted({of[(x["article_id"], x["fact_id"])] for x in e["evidence"]
                                 if (x["article_id"], x["fact_id"]) in of}),
        }  # fmt: skip
    return graph


def claims(
    qs: Any, *, key: str | None = None, flt: Any = None, single_source: bool = False, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """`QueryService.claims` with each claim's sources counted on incidents (`corroborate_claims`):
    what the API, the page and `newsgraph claims` show."""
    everything = qs.claims(key=key, flt=flt, single_source=False, limit=1_000_000, offset=0)
    return corroborate_claims(qs.store, everything, single_source=single_source, limit=limit, offset=offset)
