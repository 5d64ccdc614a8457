"""API routes for review (#18): thin, over `newsgraph.review` (the incident routes are in `api_incidents`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field

from newsgraph.corroboration import summarise
from newsgraph.model import ArticleGraph
from newsgraph.phrasing import fact_sentence
from newsgraph.review import (
    CORRECTABLE,
    ENTITY_FIELDS,
    FACT_KINDS,
    POINTERS,
    FactKind,
    ReviewError,
    ReviewFilter,
    Reviews,
    ReviewState,
    Verdict,
    corrected,
    facts_of,
    judge,
    precision,
    reviewer_name,
    span_and_label,
    state_dict,
    states,
)
from newsgraph.store import Store

if TYPE_CHECKING:
    from newsgraph.query import QueryService

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


POINTER_KINDS = POINTERS


def review_filter(
    confirmed_only: Annotated[
        bool, Query(description="Only facts a reviewer confirmed or corrected (co-mentions and appearances go too).")
    ] = False,
    hide_rejected: Annotated[bool, Query(description="Leave out facts a reviewer rejected.")] = False,
) -> ReviewFilter:
    return ReviewFilter(confirmed_only=confirmed_only, hide_rejected=hide_rejected)


ReviewFilterDep = Annotated[ReviewFilter, Depends(review_filter)]


def _fact_view(graph: ArticleGraph, kind: FactKind, fact: Any, state: ReviewState | None) -> dict[str, Any]:
    """One fact for the evidence panel: the fields a reviewer may correct (raw values: entity ids), its
    phrase as the machine read it and, when corrected, as the reviewer fixed it."""
    names = {e.id: e.name for e in graph.entities}
    start, end, label = span_and_label(kind, fact)

    def phrase(f: Any) -> str:
        if kind in ("event", "relation"):
            trigger, negated = getattr(f, "trigger", None), bool(getattr(f, "negated", False))
            return fact_sentence(kind, f.type, names.get(f.source or ""), names.get(f.target or ""), trigger=trigger,
                                 negated=negated)  # fmt: skip
        if kind == "quote":
            return f"“{f.text}” — {names.get(f.speaker or '', 'no speaker')}"
        if kind == "attribution":
            text = graph.article.text[f.content_span[0] : f.content_span[1]]
            return f"{names.get(f.source or '', 'no source')} {f.cue or 'says'}: {text}"
        return f"{f.name} ({f.type})"

    def raw(f: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in CORRECTABLE[kind]:
            value = getattr(f, name, None)
            out[name] = getattr(value, "value", value) if name == "date" else value
        return out

    view = {"kind": kind, "id": fact.id, "start": start, "end": end, "label": label, "fields": raw(fact),
            "phrase": phrase(fact), **state_dict(state)}  # fmt: skip
    if state is not None and state.status == "corrected":
        fixed = corrected(graph, fact, state.corrections)
        view["reviewed_fields"] = raw(fixed)
        view["reviewed_phrase"] = phrase(fixed)
    return view


def _pointers(data: Any) -> list[tuple[str, str, str]]:
    """Every fact pointer (article, kind, id) in a JSON answer, in order, once."""
    out: dict[tuple[str, str, str], None] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            if node.get("kind") in POINTER_KINDS and node.get("article_id") and node.get("fact_id"):
                out.setdefault((str(node["article_id"]), str(node["kind"]), str(node["fact_id"])), None)
            for value in node.values():
                walk(value)

    walk(data)
    return list(out)


def routes(store: Store, qs: QueryService | None = None) -> APIRouter:
    router = APIRouter()

    @router.get("/api/review", tags=["review"])
    def review_state(article: ArticleId) -> dict[str, Any]:
        """Every fact of an article with its review status; judgements whose fact is gone are listed apart."""
        graph = store.get_graph(article)
        if graph is None:
            raise HTTPException(404, f"no article {article!r}")
        found, orphans = states(graph, store.judgements(article_id=graph.article.id))
        facts = [_fact_view(graph, kind, fact, found.get((kind, fact.id))) for kind in FACT_KINDS
                 for fact in facts_of(graph, kind)]  # fmt: skip
        return {"article": graph.article.id, "facts": facts, "orphaned": [o.to_dict() for o in orphans],
                "entities": [{"id": e.id, "name": e.name, "type": e.type} for e in graph.entities],
                "correctable": CORRECTABLE, "entity_fields": ENTITY_FIELDS, "reviewer": reviewer_name()}  # fmt: skip

    @router.get("/api/review/queue", tags=["review"])
    def review_queue(
        scope: Annotated[
            Literal["article", "actor", "incident", "single_source"],
            Query(
                description="Where to look: an article's facts, an actor's, an incident's events, single-source claims."
            ),
        ],
        article: Annotated[str | None, Query(max_length=64, pattern=r"^[0-9A-Za-z_-]+$")] = None,
        key: Annotated[str | None, Query(min_length=3, max_length=500, description="The actor.")] = None,
        incident: Annotated[
            str | None, Query(max_length=64, description="The incident (else the one of `after`).")
        ] = None,
        after: Annotated[
            str | None,
            Query(
                max_length=200,
                pattern=r"^[0-9A-Za-z_-]+:[a-z]+:[0-9A-Za-z_-]+$",
                description="ARTICLE:KIND:ID, the fact on screen: start after it.",
            ),
        ] = None,
    ) -> dict[str, Any]:
        """The next unreviewed fact in a scope, and how many are left: the review queue of the evidence panel."""
        here = tuple(after.split(":", 2)) if after else None
        pointers: list[tuple[str, str, str]]
        if scope == "article":
            wanted = article or (here[0] if here else "")
            graph = store.get_graph(wanted) if wanted else None
            if graph is None:
                raise HTTPException(404, f"no article {article!r}")
            in_text = sorted((span_and_label(k, f)[0], n, k, f.id) for n, k in enumerate(POINTER_KINDS)
                             for f in facts_of(graph, k))  # in reading order  # fmt: skip
            pointers = [(graph.article.id, k, fact_id) for _start, _n, k, fact_id in in_text]
        elif scope == "actor":
            if not key or qs is None:
                raise HTTPException(400, "scope=actor needs key (an actor key)")
            pointers = _pointers(qs.profile(key))
        elif scope == "single_source":
            if qs is None:
                raise HTTPException(400, "no query service")
            pointers = _pointers(qs.claims(key=key, single_source=True, limit=500)["items"])
        else:
            incidents = summarise(store, min_articles=1)
            if incident:
                found = next((s for s in incidents if s.id == incident), None)
            else:
                keys = {f"{here[0]}/{here[2]}"} if here and here[1] == "event" else set()
                found = next((s for s in incidents if any(r.key in keys for r in s.reports)), None)
            if found is None:
                raise HTTPException(404, f"no incident {incident!r}" if incident else "this fact is in no incident")
            pointers = [(r.article_id, "event", r.key.split("/", 1)[1]) for r in found.reports]
        reviews = Reviews(store)
        order = {p: n for n, p in enumerate(pointers)}
        at = order.get(cast(tuple[str, str, str], here), -1) if here else -1
        todo = [p for p in pointers if reviews.status(*p) == "unreviewed"]
        # after the one on screen, round to the start; the one on screen last (skipped, it is still to do)
        todo = [p for p in todo if order[p] > at] + [p for p in todo if order[p] < at] + [p for p in todo if p == here]
        nxt = {"article_id": todo[0][0], "kind": todo[0][1], "fact_id": todo[0][2]} if todo else None
        return {"scope": scope, "next": nxt, "unreviewed": len(todo), "total": len(pointers)}

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
