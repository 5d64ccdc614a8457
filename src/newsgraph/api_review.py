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
    FactKind,
    ReviewError,
    Reviews,
    ReviewState,
    Verdict,
    corrected,
    facts_of,
    judge,
    keeps,
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


POINTER_KINDS: tuple[FactKind, ...] = ("event", "relation", "attribution", "quote")


class ReviewFilter(BaseModel):
    """The review filters of the fact listings (a FastAPI dependency): "confirmed only", "hide rejected"."""

    confirmed_only: bool = False
    hide_rejected: bool = False


def review_filter(
    confirmed_only: Annotated[
        bool, Query(description="Only facts a reviewer confirmed or corrected (co-mentions and appearances go too).")
    ] = False,
    hide_rejected: Annotated[bool, Query(description="Leave out facts a reviewer rejected.")] = False,
) -> ReviewFilter:
    return ReviewFilter(confirmed_only=confirmed_only, hide_rejected=hide_rejected)


ReviewFilterDep = Annotated[ReviewFilter, Depends(review_filter)]


def _pointer_status(reviews: Reviews, node: dict[str, Any]) -> str | None:
    """The review status of a provenance pointer (``review`` added to it), None when it is no fact."""
    if node.get("kind") not in POINTER_KINDS or not node.get("article_id") or not node.get("fact_id"):
        return None
    state = reviews.state(str(node["article_id"]), str(node["kind"]), str(node["fact_id"]))
    if state is not None:
        node["review"] = state_dict(state)
    return state.status if state else "unreviewed"


def _walk(reviews: Reviews, node: Any, rf: ReviewFilter) -> bool:
    """Mark every fact in a JSON answer with its review state, and drop what the filters leave out.

    Returns whether ``node`` stays. An item carrying a list of evidence (a link, a claim) keeps the
    evidence that passes and goes when none does; its ``count`` loses the pointers dropped."""
    if isinstance(node, list):
        node[:] = [x for x in node if _walk(reviews, x, rf)]
        return True
    if not isinstance(node, dict):
        return True
    flt = {"confirmed_only": rf.confirmed_only, "hide_rejected": rf.hide_rejected}
    own = _pointer_status(reviews, node)
    evidence = node.get("evidence")
    if isinstance(evidence, list) and evidence and all(isinstance(x, dict) for x in evidence):
        found = [(x, _pointer_status(reviews, x)) for x in evidence]
        kept = [x for x, status in found if keeps(status, **flt)]
        if not kept:
            return False
        if len(kept) < len(evidence):
            node["evidence"] = kept
            if isinstance(node.get("count"), int):
                node["count"] = max(len(kept), node["count"] - (len(evidence) - len(kept)))
        tally: dict[str, int] = {}
        for _x, status in found:
            if status and status != "unreviewed":
                tally[status] = tally.get(status, 0) + 1
        if tally:
            node["review_counts"] = tally
    elif isinstance(evidence, dict):
        status = _pointer_status(reviews, evidence)
        own = own if own is not None else status
        if own is None and (rf.confirmed_only and evidence.get("kind")):
            return False
    if own is not None and not keeps(own, **flt):
        return False
    for key, value in node.items():
        if key != "evidence" and isinstance(value, list | dict):
            _walk(reviews, value, rf)
    return True


def with_reviews(store: Store, data: dict[str, Any], rf: ReviewFilter | None = None) -> dict[str, Any]:
    """A query answer with each fact's review state (``review``) and the review filters applied.

    Nothing to do (and nothing read but the judgements) in a store nobody reviewed yet."""
    rf = rf or ReviewFilter()
    reviews = Reviews(store)
    if not reviews and not rf.confirmed_only:
        return data
    _walk(reviews, data, rf)
    if "nodes" in data and "edges" in data and (rf.confirmed_only or rf.hide_rejected):
        linked = {e["source"] for e in data["edges"]} | {e["target"] for e in data["edges"]}
        data["nodes"] = [n for n in data["nodes"] if n.get("focus") or n["id"] in linked]
    if isinstance(data.get("items"), list) and data["items"] and "claims" in data["items"][0]:
        data["items"] = [g for g in data["items"] if g.get("claims")]
    return data


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
