"""The resolve stage for events: stored events -> incidents, their corroboration and contradictions.

`update_incidents` is incremental: the events already placed are loaded into an `IncidentIndex` as
they are (never re-clustered), and only events not yet in an incident are scored against them.
The rules are in `newsgraph.incidents`; the store keeps the outcome and the log.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from newsgraph.incidents import (
    Corroboration,
    Disagreement,
    EventReport,
    IncidentIndex,
    contradictions,
    corroboration,
    near_duplicate_groups,
)
from newsgraph.store import Store


def outlet_of(url: str | None) -> str | None:
    """The publisher of an article: its URL's host without 'www.'."""
    if not url:
        return None
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or None


def report_of(row: dict[str, Any]) -> EventReport:
    trigger = (row.get("trigger") or "").lower()
    return EventReport(
        key=f"{row['article_id']}/{row['id']}",
        article_id=row["article_id"],
        type=row["type"],
        lemma=trigger,
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
    )


def update_incidents(store: Store) -> dict[str, int]:
    """Place every event not yet in an incident; returns counts (placed, joined, new)."""
    placed = store.event_rows(assigned=True)
    fresh = store.event_rows(assigned=False)
    if not fresh:
        return {"placed": 0, "joined": 0, "new": 0}
    # Texts are fetched lazily: only the articles of candidate incidents are ever read.
    index = IncidentIndex(text_source=lambda aid: store.article_texts([aid]).get(aid))
    for aid, body in store.article_texts([r["article_id"] for r in fresh]).items():
        index.set_article_text(aid, body)
    numbers = [int(r["incident_id"][1:]) for r in placed if str(r["incident_id"]).startswith("I")
               and str(r["incident_id"])[1:].isdigit()]  # fmt: skip
    index.reserve(max(numbers, default=0) + 1)
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


@dataclass
class IncidentSummary:
    id: str
    type: str | None
    reports: list[EventReport]
    first: str | None
    last: str | None
    backing: Corroboration
    disagreements: list[Disagreement] = field(default_factory=list)

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
                    "article_id": r.article_id,
                    "event": r.key.split("/", 1)[1],
                    "published": r.published,
                    "outlet": r.outlet,
                    "sentence": r.sentence,
                    "source": r.source,
                    "target": r.target,
                    "date": r.date,
                    "said_by": r.asserted_by,
                    "denied": r.negated,
                }
                for r in self.reports
            ],
            "disagreements": [{"aspect": d.aspect, "sides": d.sides} for d in self.disagreements],
        }


def summarise(store: Store, *, min_articles: int = 1) -> list[IncidentSummary]:
    """Every incident with its reports, independent corroboration and disagreements, most reported first."""
    rows = store.event_rows(assigned=True)
    groups: dict[str, list[EventReport]] = defaultdict(list)
    for r in rows:
        groups[r["incident_id"]].append(report_of(r))
    multi = {i: reps for i, reps in groups.items() if len({r.article_id for r in reps}) >= min_articles}
    texts = store.article_texts([r.article_id for reps in multi.values() for r in reps])
    copies = near_duplicate_groups(texts)
    out = []
    for incident_id, reps in multi.items():
        dates = sorted(r.published for r in reps if r.published)
        out.append(IncidentSummary(
            id=incident_id, type=reps[0].type, reports=reps, first=dates[0] if dates else None,
            last=dates[-1] if dates else None, backing=corroboration(reps, copies),
            disagreements=contradictions(reps),
        ))  # fmt: skip
    out.sort(key=lambda s: (-s.backing.independent_articles, -s.backing.articles, s.id))
    return out
