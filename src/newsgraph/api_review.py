"""API routes for incidents (#17) and review (#18): thin, over `newsgraph.corroboration` and `newsgraph.review`."""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from newsgraph.corroboration import summarise
from newsgraph.review import FACT_KINDS, FactKind, ReviewError, Verdict, facts_of, judge, precision, states
from newsgraph.store import Store

ArticleId = Annotated[str, Query(min_length=4, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]


class JudgementIn(BaseModel):
    """A judgement from the evidence panel: which fact, the verdict, corrected fields, why."""

    article: str = Field(min_length=4, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")
    kind: Literal["event", "relation", "attribution", "quote", "entity"]
    fact_id: str = Field(min_length=1, max_length=32)
    verdict: Literal["confirm", "reject", "correct", "note"]
    corrections: dict[str, str] = Field(default_factory=dict, max_length=8)
    note: str | None = Field(default=None, max_length=2000)
    reviewer: str | None = Field(default=None, max_length=100)


def routes(store: Store) -> APIRouter:
    router = APIRouter()

    def named(data: dict[str, Any]) -> dict[str, Any]:
        ids = [r[role] for r in data["reports"] for role in ("source", "target", "said_by") if r[role]]
        names = store.canonical_names(ids)
        for r in data["reports"]:
            for role in ("source", "target", "said_by"):
                r[role] = names.get(r[role], r[role]) if r[role] else None
        return data

    @router.get("/api/incidents", tags=["incidents"])
    def incidents(
        min_articles: Annotated[int, Query(ge=1, le=1000)] = 2,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """Incidents (one occurrence, many reports), most independently reported first (placed at ingest)."""
        found = summarise(store, min_articles=min_articles)
        return {"total": len(found), "items": [named(s.to_dict()) for s in found[offset : offset + limit]]}

    @router.get("/api/incidents/{incident_id}", tags=["incidents"])
    def incident(incident_id: Annotated[str, Field(max_length=64)]) -> dict[str, Any]:
        """One incident: its reports side by side, who said what, agreement and disagreement, the merge log."""
        found = next((s for s in summarise(store) if s.id == incident_id), None)
        if found is None:
            raise HTTPException(404, f"no incident {incident_id!r}")
        return {**named(found.to_dict()), "log": store.incident_log_rows(incident_id=incident_id)}

    @router.get("/api/review", tags=["review"])
    def review_state(article: ArticleId) -> dict[str, Any]:
        """Every fact of an article with its review status; judgements whose fact is gone are listed apart."""
        graph = store.get_graph(article)
        if graph is None:
            raise HTTPException(404, f"no article {article!r}")
        found, orphans = states(graph, store.judgements(article_id=graph.article.id))
        facts = []
        for kind in FACT_KINDS:
            for fact in facts_of(graph, kind):
                st = found.get((kind, fact.id))
                facts.append({"kind": kind, "id": fact.id, "status": st.status if st else "unreviewed",
                              "reviewer": st.reviewer if st else None, "corrections": st.corrections if st else {},
                              "machine": st.before if st else {}, "notes": st.notes if st else []})  # fmt: skip
        return {"article": graph.article.id, "facts": facts, "orphaned": [o.to_dict() for o in orphans]}

    @router.post("/api/review", tags=["review"], status_code=201)
    def add_judgement(body: JudgementIn) -> dict[str, Any]:
        """Record a judgement (confirm, reject, correct, note) on one fact."""
        graph = store.get_graph(body.article)
        if graph is None:
            raise HTTPException(404, f"no article {body.article!r}")
        try:
            made = judge(graph, cast(FactKind, body.kind), body.fact_id, cast(Verdict, body.verdict),
                         corrections=body.corrections, note=body.note, reviewer=body.reviewer)  # fmt: skip
        except ReviewError as exc:
            raise HTTPException(400, str(exc)) from exc
        store.add_judgements([made])
        return made.to_dict()

    @router.get("/api/review/quality", tags=["review"])
    def quality() -> dict[str, Any]:
        """The extractor's precision per kind of fact on the reviewed facts of this store."""
        return precision(store.judgements())

    return router
