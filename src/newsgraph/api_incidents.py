"""API routes for incidents (#17): one occurrence across articles, its reports, corroboration, merge and split.

Thin, over `newsgraph.corroboration`. Reads never re-cluster (events are placed at ingest); the POST
on an incident is the manual correction (merge or split), logged with its reason as
`newsgraph incidents merge|split` are.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from newsgraph.corroboration import IncidentError, merge, named, split, summarise
from newsgraph.store import Store

IncidentId = Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
EventRef = Annotated[str, Field(min_length=3, max_length=100, pattern=r"^[0-9A-Za-z_-]+[/:][0-9A-Za-z_-]+$")]


class CorrectionIn(BaseModel):
    """A manual correction of one incident: `merge` folds `others` into it; `split` moves `events`
    (ARTICLE/EVENT) out of it into a new incident. `reason` is kept in the incident log."""

    action: Literal["merge", "split"]
    others: list[IncidentId] = Field(default_factory=list, max_length=50)
    events: list[EventRef] = Field(default_factory=list, max_length=500)
    reason: str | None = Field(default=None, min_length=1, max_length=2000)


def routes(store: Store) -> APIRouter:
    router = APIRouter()

    @router.get("/api/incidents", tags=["incidents"])
    def incidents(
        min_articles: Annotated[int, Query(ge=1, le=1000)] = 2,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """Incidents (one occurrence, many reports), most independently reported first (placed at ingest)."""
        found = summarise(store, min_articles=min_articles)
        return {"total": len(found), "items": [named(store, s.to_dict()) for s in found[offset : offset + limit]]}

    @router.get("/api/incidents/of", tags=["incidents"])
    def incidents_of(
        event: Annotated[list[str], Query(max_length=200, description="ARTICLE/EVENT, repeated.")],
    ) -> dict[str, Any]:
        """The incident of each event (ARTICLE/EVENT), with how many articles report it: the evidence panel's link."""
        refs = [e for e in event[:200] if "/" in e]
        articles = sorted({e.split("/", 1)[0] for e in refs})
        of = store.incidents_of_events(articles) if articles else {}
        wanted = {of[(a, v)] for a, v in (e.split("/", 1) for e in refs) if (a, v) in of}
        counts = {s.id: s for s in summarise(store, incident_ids=sorted(wanted))} if wanted else {}
        out: dict[str, Any] = {}
        for ref in refs:
            a, v = ref.split("/", 1)
            iid = of.get((a, v))
            s = counts.get(iid) if iid else None
            out[ref] = None if s is None else {
                "id": s.id, "articles": s.backing.articles, "independent_articles": s.backing.independent_articles,
                "outlets": s.backing.outlets, "speakers": s.backing.speakers, "single_source": s.backing.single_source,
            }  # fmt: skip
        return {"items": out}

    @router.get("/api/incidents/{incident_id}", tags=["incidents"])
    def incident(incident_id: Annotated[str, Field(max_length=64)]) -> dict[str, Any]:
        """One incident: its reports side by side, who said what, agreement and disagreement, the merge log."""
        found = summarise(store, incident_ids=[incident_id])
        if not found:
            raise HTTPException(404, f"no incident {incident_id!r}")
        return {**named(store, found[0].to_dict()), "log": store.incident_log_rows(incident_id=incident_id)}

    @router.post("/api/incidents/{incident_id}", tags=["incidents"])
    def correct_incident(incident_id: Annotated[str, Field(max_length=64)], body: CorrectionIn) -> dict[str, Any]:
        """Merge other incidents into this one, or split reports off it into a new one (logged with the reason)."""
        try:
            if body.action == "merge":
                if not body.others:
                    raise IncidentError("merge needs `others`: the incidents to fold into this one")
                moved = merge(store, incident_id, body.others, reason=body.reason or "manual merge")
                return {"incident": incident_id, "action": "merge", "moved": moved}
            if not body.events:
                raise IncidentError("split needs `events`: the ARTICLE/EVENT reports to move out")
            new_id = split(store, incident_id, body.events, reason=body.reason or "manual split")
            return {"incident": incident_id, "action": "split", "new_incident": new_id, "moved": len(body.events)}
        except IncidentError as exc:
            raise HTTPException(400, str(exc)) from exc

    return router
