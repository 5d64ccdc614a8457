"""The query layer and the JSON API over hand-built article graphs (no NLP: fast and exact)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsgraph.api import CSP, STATIC_DIR, create_app
from newsgraph.model import Article, ArticleGraph, DateValue, Entity, Event, Mention, Quote, Relation, Sentence
from newsgraph.query import BadQuery, NotFound, QueryService, make_filter
from newsgraph.store import Store

HOSTILE_SCRIPT = '<script>window.__xss = 1; alert("xss")</script>'
HOSTILE_IMG = '"><img src=x onerror="window.__xss = 2">'


def _graph(text: str, published: str, title: str, actors: dict[str, tuple[str, str]]) -> ArticleGraph:
    """A graph whose sentences split on '. ' and whose entities are found by name in the text."""
    art = Article.create(text, published, title=title)
    t = art.text
    sentences, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+|$", t):
        if m.start() > start:
            sentences.append(Sentence(len(sentences), start, m.start()))
        start = m.end()
    g = ArticleGraph(article=art, sentences=sentences, extractor_version="test")
    for eid, (name, type_) in actors.items():
        mentions = [
            Mention(m.start(), m.end(), name, sentence=g.sentence_of(m.start()))
            for m in re.finditer(re.escape(name), t)
        ]
        g.entities.append(Entity(eid, name, type_, mentions=mentions))
    return g


def _span(g: ArticleGraph, idx: int) -> tuple[int, int]:
    s = g.sentences[idx]
    return s.start, s.end


def build_graphs() -> list[ArticleGraph]:
    """Three fictional articles: asserted and alleged links, a quote, two dates, and one hostile article."""
    a = _graph(
        "Alpha Corp recruited Carla Diaz in Lisbon. "
        "Beta Ministry said that Carla Diaz allegedly accused Alpha Corp of fraud. "
        "Alpha Corp is linked to Beta Ministry.",
        "2023-01-10",
        "Alpha Corp hires",
        {"E1": ("Alpha Corp", "Organization"), "E2": ("Carla Diaz", "Person"), "E3": ("Beta Ministry", "Organization")},
    )
    s0, s1, s2 = _span(a, 0), _span(a, 1), _span(a, 2)
    a.events = [
        Event("V1", "RECRUIT", "recruited", 0, *s0, source="E1", target="E2", date=DateValue("2022-12")),
        Event("V2", "ACCUSE", "accused", 1, *s1, source="E2", target="E1", asserted_by="E3", certainty="alleged"),
    ]
    a.relations = [Relation("R1", "linked_to", "E1", "E3", 2, *s2)]
    a.quotes = [Quote("Q1", "Alpha Corp is linked", "E3", s2[0], s2[0] + 20)]
    b = _graph(
        "Alpha Corp threatened Delta Group. Delta Group denied everything.",
        "2023-03-05",
        "Alpha Corp and Delta",
        {"E1": ("Alpha Corp", "Organization"), "E2": ("Delta Group", "Organization")},
    )
    b.events = [Event("V1", "THREATEN", "threatened", 0, *_span(b, 0), source="E1", target="E2")]
    h = _graph(
        f"Zorblax Holdings paid Quux Partners. The note read {HOSTILE_SCRIPT} and {HOSTILE_IMG} in full.",
        "2023-05-01",
        f"Hostile {HOSTILE_SCRIPT}",
        {"E1": ("Zorblax Holdings", "Organization"), "E2": ("Quux Partners", "Organization")},
    )
    h.entities.append(Entity("E3", HOSTILE_IMG, "Person", mentions=[Mention(0, 0, HOSTILE_IMG, sentence=1)]))
    h.events = [
        Event("V1", "AID", "paid", 0, *_span(h, 0), source="E1", target="E2"),
        Event("V2", "SUPPORT", "read", 1, *_span(h, 1), source="E3", target="E1", certainty="alleged"),
    ]
    return [a, b, h]


@pytest.fixture
def filled(store: Store) -> Store:
    store.save_graphs(build_graphs())
    return store


@pytest.fixture
def client(filled: Store) -> Iterator[TestClient]:
    with TestClient(create_app(filled)) as c:
        yield c


ALPHA = "n:Organization:Alpha Corp"


# ---- the query layer --------------------------------------------------------------------------


def test_search_groups_an_actor_across_articles(filled: Store) -> None:
    page = QueryService(filled).search_actors("alpha")
    assert [(r["key"], r["articles"]) for r in page.items] == [(ALPHA, 2)]
    assert QueryService(filled).search_actors("a%").total == 0  # LIKE wildcards are literal


def test_profile_has_events_by_and_about_and_claims(filled: Store) -> None:
    p = QueryService(filled).profile(ALPHA)
    assert p["article_count"] == 2 and p["first_seen"] == "2023-01-10" and p["last_seen"] == "2023-03-05"
    assert [(a["mentions"], tuple(a["first_mention"])) for a in p["articles"]] == [(3, (0, 10)), (1, (0, 10))]
    assert sorted(f["type"] for f in p["events_by"]) == ["RECRUIT", "THREATEN"]
    assert [f["type"] for f in p["events_about"]] == ["ACCUSE"]
    about = p["claims_about"]
    assert [(c["type"], c["said_by"]["name"], c["certainty"]) for c in about] == [
        ("ACCUSE", "Beta Ministry", "alleged")
    ]
    beta = QueryService(filled).profile("n:Organization:Beta Ministry")
    assert [c["type"] for c in beta["claims_made"]] == ["ACCUSE"]
    assert [q["text"] for q in beta["quotes"]] == ["Alpha Corp is linked"]


def test_neighbourhood_links_carry_certainty_speaker_and_evidence(filled: Store) -> None:
    g = QueryService(filled).neighbourhood(ALPHA, hops=1, co_mentions=False)
    names = {n["id"]: n["name"] for n in g["nodes"]}
    assert set(names.values()) == {"Alpha Corp", "Carla Diaz", "Beta Ministry", "Delta Group"}
    by_type = {e["type"]: e for e in g["edges"]}
    assert set(by_type) == {"RECRUIT", "ACCUSE", "linked_to", "THREATEN"}
    accuse = by_type["ACCUSE"]
    assert accuse["certainty"] == "alleged" and accuse["said_by"] == ["Beta Ministry"]
    assert names[accuse["source"]] == "Carla Diaz" and names[accuse["target"]] == "Alpha Corp"
    assert by_type["RECRUIT"]["first_date"] == "2022-12"  # the event's own date, not the article's
    assert by_type["linked_to"]["said_by"] == ["the article"]
    ev = accuse["evidence"][0]
    prov = QueryService(filled).provenance(ev["article_id"], kind=ev["kind"], fact_id=ev["fact_id"])
    assert [s["text"] for s in prov["sentences"]] == [
        "Beta Ministry said that Carla Diaz allegedly accused Alpha Corp of fraud."
    ]


def test_neighbourhood_filters_and_hops(filled: Store) -> None:
    qs = QueryService(filled)
    only_alleged = qs.neighbourhood(ALPHA, flt=make_filter(certainty=["alleged"]))
    assert [e["type"] for e in only_alleged["edges"]] == ["ACCUSE"]
    early = qs.neighbourhood(ALPHA, flt=make_filter(date_to="2023-02"), co_mentions=False)
    assert "THREATEN" not in {e["type"] for e in early["edges"]}
    typed = qs.neighbourhood(ALPHA, flt=make_filter(types=["THREATEN"]))
    assert [e["type"] for e in typed["edges"]] == ["THREATEN"]
    voice = qs.neighbourhood(ALPHA, flt=make_filter(said_by="n:Organization:Beta Ministry"))
    assert [e["type"] for e in voice["edges"]] == ["ACCUSE"]
    one = qs.neighbourhood("n:Person:Carla Diaz", hops=1, co_mentions=False)
    two = qs.neighbourhood("n:Person:Carla Diaz", hops=2, co_mentions=False)
    assert "n:Organization:Delta Group" not in {n["id"] for n in one["nodes"]}
    assert "n:Organization:Delta Group" in {n["id"] for n in two["nodes"]}
    capped = qs.neighbourhood(ALPHA, max_nodes=2)
    assert len(capped["nodes"]) == 2 and capped["truncated"]


def test_co_mentions_are_a_separate_weak_link(filled: Store) -> None:
    g = QueryService(filled).neighbourhood("n:Organization:Delta Group", hops=1)
    kinds = {(e["kind"], e["type"]) for e in g["edges"]}
    assert ("co_mention", "co_mention") in kinds and ("event", "THREATEN") in kinds


def test_timeline_is_in_date_order(filled: Store) -> None:
    t = QueryService(filled).timeline(key=ALPHA)
    dates = [i["date"] for i in t["items"]]
    assert dates == sorted(dates) and dates[0] == "2022-12"
    assert {i["kind"] for i in t["items"]} == {"event", "relation", "article"}
    assert [b["month"] for b in t["buckets"]] == ["2022-12", "2023-01", "2023-03"]
    found = QueryService(filled).timeline(text="threatened")
    assert [i["type"] for i in found["items"]] == ["THREATEN"]


def test_claims_grouped_by_who_says_so(filled: Store) -> None:
    c = QueryService(filled).claims(key=ALPHA)
    labels = {g["label"]: [x["type"] for x in g["claims"]] for g in c["items"]}
    assert labels["Beta Ministry"] == ["ACCUSE"]
    assert sorted(labels["articles, in their own voice"]) == ["RECRUIT", "THREATEN", "linked_to"]
    assert all(x["single_source"] for g in c["items"] for x in g["claims"])


def test_claims_from_two_sources_are_not_single_source(store: Store) -> None:
    graphs = build_graphs()
    twin = _graph("Alpha Corp threatened Delta Group again.", "2023-04-01", "Again",
                  {"E1": ("Alpha Corp", "Organization"), "E2": ("Delta Group", "Organization")})  # fmt: skip
    twin.events = [Event("V1", "THREATEN", "threatened", 0, *_span(twin, 0), source="E1", target="E2")]
    store.save_graphs([*graphs, twin])
    c = QueryService(store).claims(key=ALPHA)
    threat = next(x for g in c["items"] for x in g["claims"] if x["type"] == "THREATEN")
    assert threat["source_count"] == 2 and not threat["single_source"]
    single = QueryService(store).claims(key=ALPHA, single_source=True)
    assert "THREATEN" not in {x["type"] for g in single["items"] for x in g["claims"]}


def test_canonical_ids_group_differently_named_entities(store: Store) -> None:
    graphs = build_graphs()
    graphs[0].entities[0].canonical_id = "acme"
    graphs[1].entities[0].canonical_id = "acme"
    graphs[1].entities[0].name = "Alpha Corporation"
    store.save_graphs(graphs)
    qs = QueryService(store)
    p = qs.profile("c:acme")
    assert p["article_count"] == 2 and "Alpha Corporation" in p["aliases"] + [p["name"]]
    assert qs.search_actors("alpha corporation").items[0]["key"] == "c:acme"
    g = qs.neighbourhood("c:acme", co_mentions=False)
    assert {e["type"] for e in g["edges"]} == {"RECRUIT", "ACCUSE", "linked_to", "THREATEN"}


def test_bad_queries_raise(filled: Store) -> None:
    qs = QueryService(filled)
    with pytest.raises(BadQuery):
        qs.profile("Alpha Corp")
    with pytest.raises(NotFound):
        qs.profile("n:Organization:Nobody")
    with pytest.raises(BadQuery):
        make_filter(certainty=["sure"])
    with pytest.raises(BadQuery):
        make_filter(date_from="2024", date_to="2023")
    with pytest.raises(BadQuery):
        qs.timeline()


# ---- the API ---------------------------------------------------------------------------------


def test_api_answers_every_query(client: TestClient) -> None:
    assert client.get("/api/overview").json()["stats"]["articles"] == 3
    assert client.get("/api/search", params={"q": "Alpha"}).json()["actors"]["items"][0]["key"] == ALPHA
    assert client.get("/api/actors", params={"q": "", "type": "Person"}).status_code == 200
    assert client.get("/api/sentences", params={"q": "fraud"}).json()["items"][0]["article_id"]
    assert client.get("/api/profile", params={"key": ALPHA}).json()["name"] == "Alpha Corp"
    g = client.get("/api/graph", params={"key": ALPHA, "certainty": "alleged,asserted", "type": ["ACCUSE", "RECRUIT"]})
    assert {e["type"] for e in g.json()["edges"]} == {"ACCUSE", "RECRUIT"}
    assert client.get("/api/timeline", params={"key": ALPHA, "limit": 2}).json()["total"] >= 4
    assert client.get("/api/claims", params={"single_source": "true"}).json()["items"]
    ev = next(e for e in g.json()["edges"] if e["type"] == "ACCUSE")["evidence"][0]
    prov = client.get("/api/provenance", params={"article": ev["article_id"], "kind": "event", "fact_id": "V2"})
    assert prov.json()["fact"]["asserted_by_name"] == "Beta Ministry"
    assert client.get("/api/articles", params={"limit": 2}).json()["total"] == 3
    schema = client.get("/api/openapi.json").json()
    assert {"/api/graph", "/api/profile", "/api/timeline", "/api/claims", "/api/provenance"} <= set(schema["paths"])


def test_pagination(client: TestClient) -> None:
    first = client.get("/api/timeline", params={"key": ALPHA, "limit": 2, "offset": 0}).json()
    second = client.get("/api/timeline", params={"key": ALPHA, "limit": 2, "offset": 2}).json()
    assert len(first["items"]) == 2 and first["total"] == second["total"]
    assert first["items"] != second["items"]


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/graph", {"key": ALPHA, "hops": 0}, 422),
        ("/api/graph", {"key": ALPHA, "hops": "many"}, 422),
        ("/api/graph", {"key": "Alpha"}, 400),
        ("/api/graph", {"key": "n:Organization:Nobody"}, 404),
        ("/api/graph", {"key": ALPHA, "certainty": "sure"}, 400),
        ("/api/graph", {"key": ALPHA, "date_from": "yesterday"}, 422),
        ("/api/graph", {"key": ALPHA, "type": "A;DROP TABLE events"}, 400),
        ("/api/graph", {"key": ALPHA, "said_by": "someone"}, 400),
        ("/api/graph", {}, 422),
        ("/api/profile", {"key": "x" * 600}, 422),
        ("/api/timeline", {}, 400),
        ("/api/timeline", {"key": ALPHA, "q": "both"}, 400),
        ("/api/search", {"q": ""}, 422),
        ("/api/actors", {"type": "Alien"}, 400),
        ("/api/actors", {"limit": 0}, 422),
        ("/api/actors", {"offset": -1}, 422),
        ("/api/provenance", {"article": "'; DROP TABLE articles; --", "start": 0, "end": 1}, 422),
        ("/api/provenance", {"article": "0000000000000000", "start": 0, "end": 1}, 404),
        ("/api/provenance", {"article": "x", "kind": "event"}, 404),
        ("/api/claims", {"key": "n:Organization:Nobody"}, 404),
    ],
)
def test_bad_input_is_a_4xx_with_a_message(
    client: TestClient, path: str, params: dict[str, object], status: int
) -> None:
    r = client.get(path, params=params)  # type: ignore[arg-type]
    assert r.status_code == status, r.text
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]


def test_provenance_validates_spans_and_kinds(client: TestClient, filled: Store) -> None:
    aid = filled.list_articles()[0]["id"]
    assert client.get("/api/provenance", params={"article": aid, "start": 5, "end": 10**6}).status_code == 400
    assert client.get("/api/provenance", params={"article": aid, "kind": "table", "fact_id": "V1"}).status_code == 400
    assert client.get("/api/provenance", params={"article": aid, "kind": "event", "fact_id": "V9"}).status_code == 404
    assert client.get("/api/provenance", params={"article": aid, "kind": "event"}).status_code == 400
    ok = client.get("/api/provenance", params={"article": aid, "start": 0, "end": 5}).json()
    assert ok["highlights"] == [{"role": "evidence", "start": 0, "end": 5}]


def test_search_words_are_never_sql_or_fts_syntax(client: TestClient) -> None:
    for q in ["' OR 1=1 --", '"unbalanced', "NEAR(alpha beta)", "a* OR b", "%_%", "\\"]:
        r = client.get("/api/search", params={"q": q})
        assert r.status_code == 200, (q, r.text)
    assert client.get("/api/search", params={"q": "%"}).json()["actors"]["total"] == 0


def test_every_response_has_the_csp_and_the_page_has_no_inline_script(client: TestClient) -> None:
    for path in [
        "/",
        "/static/app.js",
        "/static/style.css",
        "/api/overview",
        "/api/nothing",
        "/vendor/cytoscape.min.js",
    ]:
        r = client.get(path)
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/api/graph", params={"hops": 9}).headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP
    page = client.get("/").text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert not re.search(r"\son[a-z]+\s*=", page) and "style=" not in page


def test_the_browser_code_never_writes_html() -> None:
    scripts = sorted(STATIC_DIR.glob("*.js"))
    assert {"app.js", "dom.js"} <= {p.name for p in scripts}
    for path in scripts:
        js = path.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in js, (path.name, sink)


def test_graph_library_is_served_from_node_modules(client: TestClient) -> None:
    r = client.get("/vendor/cytoscape.min.js")
    assert r.status_code == 200 and "cytoscape" in r.text[:2000].lower()
    assert client.get("/vendor/../../etc/passwd").status_code == 404


def test_missing_graph_library_fails_with_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsgraph.api import AssetsMissing

    monkeypatch.setenv("NEWSGRAPH_NODE_MODULES", str(tmp_path))
    with pytest.raises(AssetsMissing, match="make setup"):
        create_app(tmp_path / "x.db")


def test_hostile_text_comes_back_as_data(client: TestClient) -> None:
    g = client.get("/api/graph", params={"key": "n:Organization:Zorblax Holdings"}).json()
    assert HOSTILE_IMG in {n["name"] for n in g["nodes"]}
    r = client.get("/api/search", params={"q": "onerror"})
    assert r.headers["content-type"].startswith("application/json")
    assert HOSTILE_IMG in r.json()["sentences"]["items"][0]["text"]


def test_no_input_makes_a_500(filled: Store) -> None:
    """Random values for every parameter of every endpoint: always an answer or a 4xx, never a 500."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    app = create_app(filled)
    client = TestClient(app, raise_server_exceptions=False)
    spec = client.get("/api/openapi.json").json()
    endpoints = {path: [p["name"] for p in op["get"].get("parameters", [])] for path, op in spec["paths"].items()}
    value = st.one_of(
        st.text(max_size=30),
        st.integers(-(10**12), 10**12).map(str),
        st.sampled_from([ALPHA, "n:Person:Carla Diaz", "c:", "n:", "article", "2023", "2023-99", "true", "\x00"]),
    )

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(sorted(endpoints)), st.data())
    def check(path: str, data: st.DataObject) -> None:
        names = endpoints[path]
        params = {n: data.draw(value) for n in names if data.draw(st.booleans())}
        r = client.get(path, params=params)
        assert r.status_code < 500, (path, params, r.text)

    check()
