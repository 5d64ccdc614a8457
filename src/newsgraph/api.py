"""The JSON API and the web view, one FastAPI app over one store (`create_app`).

Every endpoint is a question of `newsgraph.query.QueryService`; bad input is a 4xx
with a message (FastAPI's validation, `BadQuery` → 400, `NotFound` → 404), never a
500. Every response carries a Content-Security-Policy that allows scripts, styles
and requests from this origin only: the page has no inline script, and article
text (untrusted input) is only ever set as text by the browser code.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic_core import to_json

from newsgraph.api_incidents import routes as incident_routes
from newsgraph.api_review import ReviewFilterDep
from newsgraph.api_review import routes as review_routes
from newsgraph.corroboration import claims as corroborated_claims
from newsgraph.corroboration import corroborate_edges
from newsgraph.model import CERTAINTIES, ENTITY_TYPES, EVENT_TYPES, RELATION_TYPES
from newsgraph.query import BadQuery, FactFilter, NotFound, QueryService, SearchFilter, make_filter, search_filter
from newsgraph.review import with_reviews
from newsgraph.store import Store

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent / "web"
STATIC_DIR = WEB_DIR / "static"
REPO_ROOT = Path(__file__).resolve().parents[2]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Browser libraries, installed from the npm registry by `make setup` (npm ci), never copied into the repo.
VENDOR = {"cytoscape.min.js": Path("cytoscape") / "dist" / "cytoscape.min.js"}


class AssetsMissing(RuntimeError):
    pass


def node_modules_dir() -> Path:
    """``$NEWSGRAPH_NODE_MODULES``, else ``node_modules`` at the root of the source checkout."""
    env = os.environ.get("NEWSGRAPH_NODE_MODULES")
    return Path(env) if env else REPO_ROOT / "node_modules"


def vendor_files() -> dict[str, Path]:
    """The browser libraries the page needs; raises `AssetsMissing` with the fix when one is absent."""
    base = node_modules_dir()
    files = {name: base / rel for name, rel in VENDOR.items()}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise AssetsMissing(
            f"the web view needs {', '.join(missing)}: run `make setup` (or `npm ci` in {REPO_ROOT}), "
            "or point NEWSGRAPH_NODE_MODULES at a node_modules directory that has cytoscape"
        )
    return files


# The hot answers (profile, graph, timeline, claims, search) are plain JSON-ready dicts of up to ~0.5 MB:
# encoded straight to JSON bytes (pydantic-core, as FastAPI would) without FastAPI's response-model
# pass over them and its thread hop (#14: ~5-15 ms of CPU per large answer). Documented as an object.
OBJECT_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"description": "Successful Response", "content": {"application/json": {"schema": {"type": "object"}}}}
}


def json_answer(data: dict[str, Any]) -> Response:
    return Response(to_json(data), media_type="application/json")


def _split(values: list[str] | None) -> list[str]:
    """Repeated parameters and comma-separated lists alike: ?type=A&type=B or ?type=A,B."""
    out: list[str] = []
    for v in values or []:
        out += [x.strip() for x in v.split(",") if x.strip()]
    return out


Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")]
Key = Annotated[
    str,
    Query(min_length=3, max_length=500, description="Actor key: c:<canonical id> or n:<Type>:<name>."),
]
Types = Annotated[
    list[str] | None, Query(alias="type", description="Event or relation types (repeat or comma-separate).")
]
Certainty = Annotated[list[str] | None, Query(description=f"Certainty: {', '.join(CERTAINTIES)}.")]
DateFrom = Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="From date.")]
DateTo = Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="To date.")]
SaidBy = Annotated[
    str | None, Query(max_length=500, description="Who says so: an actor key, or `article` (its own voice).")
]
ArticleId = Annotated[str | None, Query(max_length=64, pattern=r"^[0-9A-Za-z_-]+$", description="One article.")]


def fact_filter(
    types: Types = None,
    certainty: Certainty = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    said_by: SaidBy = None,
    article: ArticleId = None,
) -> FactFilter:
    """The filter query parameters every fact listing shares (a FastAPI dependency)."""
    return make_filter(
        types=_split(types), certainty=_split(certainty), date_from=date_from, date_to=date_to,
        said_by=said_by, article_id=article,
    )  # fmt: skip


Filter = Annotated[FactFilter, Depends(fact_filter)]


def sentence_filter(
    date_from: DateFrom = None,
    date_to: DateTo = None,
    language: Annotated[str | None, Query(max_length=16, description="Article language, e.g. en.")] = None,
    source: Annotated[str | None, Query(max_length=200, description="Part of the outlet's URL or title.")] = None,
) -> SearchFilter:
    """The filters of a sentence search (a FastAPI dependency)."""
    return search_filter(date_from=date_from, date_to=date_to, language=language, source=source)


SearchFilterDep = Annotated[SearchFilter, Depends(sentence_filter)]


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def allowed_hosts(bound: str) -> frozenset[str]:
    """The Host names a server bound to ``bound`` answers (DNS rebinding: a web page on another
    name must not read the store through the analyst's browser)."""
    hosts = {*LOOPBACK_NAMES, bound.strip("[]").lower()}
    if bound in ("0.0.0.0", "::", ""):  # every interface: also this machine's names (IP literals always pass)
        import socket

        hosts |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(hosts)


def host_allowed(header: str, hosts: frozenset[str], *, any_ip: bool) -> bool:
    """Whether a Host header names one of ``hosts`` (port and a trailing dot ignored).

    A literal IP address cannot be rebound by DNS, so with ``any_ip`` every IP literal passes.
    """
    import ipaddress

    value = header.strip().lower()
    name = value[1 : value.find("]")] if value.startswith("[") else value.rsplit(":", 1)[0] if ":" in value else value
    name = name.rstrip(".")
    if name in hosts:
        return True
    if any_ip:
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return False
    return False


def create_app(db: str | Path | Store, *, check_assets: bool = True, bound_host: str | None = None) -> FastAPI:
    """The API and web view over the store at ``db`` (a path, a database URL, or an open `Store`).

    With ``bound_host`` (what ``newsgraph serve`` listens on) a request whose Host header names
    anything else is refused with 400: see `allowed_hosts`.
    """
    vendor = vendor_files() if check_assets else {}
    store = db if isinstance(db, Store) else Store(db, serving=True)
    qs = QueryService(store)
    app = FastAPI(
        title="newsgraph",
        version="0.1.0",
        summary="Who did what to whom, when — and who says so: the store's graph, timeline and evidence.",
        docs_url=None,  # Swagger UI needs inline script and a CDN: the schema is at /api/openapi.json
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.store = store
    app.state.queries = qs

    if bound_host is not None:
        hosts = allowed_hosts(bound_host)
        any_ip = bound_host in ("0.0.0.0", "::", "")

        @app.middleware("http")
        async def host_check(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
            if not host_allowed(request.headers.get("host", ""), hosts, any_ip=any_ip):
                return JSONResponse({"detail": "unknown Host header (this server answers only its own names)"}, 400)
            return await call_next(request)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        try:
            response = await call_next(request)
        except Exception:  # a bug must still answer as JSON with the headers, and be logged
            log.exception("error serving %s", request.url.path)
            response = JSONResponse({"detail": "internal error"}, status_code=500)
        for k, v in SECURITY_HEADERS.items():
            response.headers[k] = v
        return response

    @app.exception_handler(BadQuery)
    async def bad_query(_request: Request, exc: BadQuery) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(NotFound)
    async def not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()
        ]
        msg = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in errors)
        return JSONResponse({"detail": msg or "invalid request", "errors": errors}, status_code=422)

    # ---- the page -----------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/vendor/{name}", include_in_schema=False)
    def vendor_file(name: str) -> Response:
        path = vendor.get(name)
        if path is None:
            return JSONResponse({"detail": f"no vendor file {name!r}"}, status_code=404)
        return FileResponse(path, media_type="text/javascript; charset=utf-8")

    # ---- the API ------------------------------------------------------------------------

    @app.get("/api/overview", tags=["corpus"])
    def overview() -> dict[str, Any]:
        """Row counts, articles per month, the most reported actors, and the vocabularies of the filters."""
        out = qs.overview()
        out["event_types"] = list(EVENT_TYPES)
        out["relation_types"] = list(RELATION_TYPES)
        return out

    @app.get("/api/search", tags=["search"], response_model=None, responses=OBJECT_ANSWER)
    def search(
        q: Annotated[str, Query(min_length=1, max_length=200, description='Words, prefix*, "a phrase", OR, NOT.')],
        s: SearchFilterDep,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> Response:
        """Full-text search: actors whose name matches, and sentences that match (stemmed, highlighted)."""
        return json_answer(qs.search(q, limit=limit, offset=offset, flt=s))

    @app.get("/api/actors", tags=["actors"])
    def actors(
        q: Annotated[str, Query(max_length=200, description="Part of a name; empty: the most reported.")] = "",
        type: Annotated[str | None, Query(description=f"One of {', '.join(ENTITY_TYPES)}.")] = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Actors (entities grouped across articles) by name, most reported first."""
        return qs.search_actors(q, type_=type, limit=limit, offset=offset).to_dict()

    @app.get("/api/sentences", tags=["search"])
    def sentences(
        q: Annotated[str, Query(min_length=1, max_length=200)],
        s: SearchFilterDep,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Sentences matching the query: stemmed words, prefix*, "phrases", OR, NOT; matches as ``highlights``."""
        return qs.search_sentences(q, limit=limit, offset=offset, flt=s).to_dict()

    @app.get("/api/profile", tags=["actors"], response_model=None, responses=OBJECT_ANSWER)
    def profile(key: Key, rf: ReviewFilterDep) -> Response:
        """One actor: names, roles, articles, events by and about it, claims it makes and claims about it."""
        return json_answer(with_reviews(store, qs.profile(key), rf))

    @app.get("/api/graph", tags=["network"], response_model=None, responses=OBJECT_ANSWER)
    def graph(
        key: Key,
        f: Filter,
        rf: ReviewFilterDep,
        hops: Annotated[int, Query(ge=1, le=3, description="Links away from the actor.")] = 1,
        co_mentions: Annotated[bool, Query(description="Also link actors named in one sentence.")] = True,
        max_nodes: Annotated[int, Query(ge=2, le=1000)] = 150,
    ) -> Response:
        """The neighbourhood of an actor: nodes, links (events, relations, co-mentions) and each link's evidence."""
        nb = qs.neighbourhood(key, hops=hops, flt=f, co_mentions=co_mentions, max_nodes=max_nodes)
        return json_answer(with_reviews(store, corroborate_edges(store, nb), rf))  # articles behind each link (#17)

    @app.get("/api/graph.graphml", tags=["network"])
    def graph_graphml(
        key: Key,
        f: Filter,
        rf: ReviewFilterDep,
        hops: Annotated[int, Query(ge=1, le=3)] = 1,
        co_mentions: Annotated[bool, Query()] = True,
        max_nodes: Annotated[int, Query(ge=2, le=1000)] = 150,
    ) -> Response:
        """The same neighbourhood as a GraphML file (what the web view shows, for Gephi or networkx)."""
        from newsgraph.export.graphml import neighbourhood_text

        nb = with_reviews(store, qs.neighbourhood(key, hops=hops, flt=f, co_mentions=co_mentions,
                                                  max_nodes=max_nodes), rf)  # fmt: skip
        for e in nb["edges"]:
            e["label"] = next((x["label"] for x in e["evidence"] if x.get("label")), e["type"])
        disposition = 'attachment; filename="newsgraph-network.graphml"'
        return Response(
            neighbourhood_text(nb), media_type="application/graphml+xml", headers={"Content-Disposition": disposition}
        )

    @app.get("/api/corpus", tags=["corpus"])
    def corpus() -> dict[str, Any]:
        """What the corpus is: date range, languages, outlets, articles per month, top actors and event types."""
        return qs.corpus()

    @app.get("/api/timeline", tags=["time"], response_model=None, responses=OBJECT_ANSWER)
    def timeline(
        f: Filter,
        rf: ReviewFilterDep,
        key: Annotated[str | None, Query(min_length=3, max_length=500, description="An actor key.")] = None,
        q: Annotated[str | None, Query(min_length=1, max_length=200, description="Or words to search.")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
        offset: Offset = 0,
    ) -> Response:
        """An actor's (or a search's) events and appearances in date order, with counts per month."""
        return json_answer(with_reviews(store, qs.timeline(key=key, text=q, flt=f, limit=limit, offset=offset), rf))

    @app.get("/api/claims", tags=["claims"], response_model=None, responses=OBJECT_ANSWER)
    def claims(
        f: Filter,
        rf: ReviewFilterDep,
        key: Annotated[str | None, Query(min_length=3, max_length=500, description="Only claims involving it.")] = None,
        single_source: Annotated[bool, Query(description="Only claims that rest on one source.")] = False,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        """Claims grouped by who asserts them, each with its number of independent sources."""
        # sources counted on incidents: a claim reprinted by ten outlets stays single-source (#17)
        found = corroborated_claims(qs, key=key, flt=f, single_source=single_source, limit=limit, offset=offset)
        return json_answer(with_reviews(store, found, rf))

    @app.get("/api/provenance", tags=["evidence"])
    def provenance(
        article: Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")],
        kind: Annotated[str | None, Query(description="event, relation, attribution or quote")] = None,
        fact_id: Annotated[str | None, Query(max_length=32)] = None,
        start: Annotated[int | None, Query(ge=0)] = None,
        end: Annotated[int | None, Query(ge=0)] = None,
    ) -> dict[str, Any]:
        """The article behind a fact (or a span): its text, the sentences and the spans to highlight."""
        return qs.provenance(article, kind=kind, fact_id=fact_id, start=start, end=end)

    @app.get("/api/articles", tags=["corpus"])
    def articles(limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Stored articles in publication order."""
        return qs.articles(limit=limit, offset=offset).to_dict()

    app.include_router(incident_routes(store))
    app.include_router(review_routes(store, qs))

    @app.get("/api/health", tags=["corpus"])
    def health() -> dict[str, Any]:
        return {"ok": True, "articles": store.stats()["articles"]}

    return app
