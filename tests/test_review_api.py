"""Review through the API (#18): the review state on every fact of the query answers, the
"confirmed only" / "hide rejected" filters, the queue of unreviewed facts, the evidence panel's view.

The store holds the fictional articles of test_web_api (hand-built graphs: no model is loaded).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsgraph.api import create_app
from newsgraph.store import Store
from test_web_api import build_graphs

ALPHA = "n:Organization:Alpha Corp"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    store = Store(tmp_path_factory.mktemp("review-api") / "s.db")
    graphs = build_graphs()
    store.save_graphs(graphs)
    with TestClient(create_app(store, check_assets=False)) as c:
        yield c, graphs[0].article.id
    store.close()


def _post(c: TestClient, article: str, kind: str, fact_id: str, verdict: str, **extra: Any) -> dict[str, Any]:
    r = c.post("/api/review", json={"article": article, "kind": kind, "fact_id": fact_id, "verdict": verdict,
                                    "reviewer": "ana", **extra})  # fmt: skip
    assert r.status_code == 201, r.text
    return dict(r.json())


def _edge_types(c: TestClient, **params: str) -> set[str]:
    g = c.get("/api/graph", params={"key": ALPHA, "co_mentions": "false", **params}).json()
    return {e["type"] for e in g["edges"]}


def test_review_states_reach_the_answers_and_the_filters_apply(client: tuple[TestClient, str]) -> None:
    c, article = client
    assert _edge_types(c) >= {"RECRUIT", "ACCUSE", "linked_to"}
    assert _edge_types(c, confirmed_only="true") == set()  # nothing reviewed yet: nothing confirmed
    _post(c, article, "event", "V1", "confirm")
    _post(c, article, "event", "V2", "reject", note="misread")
    _post(c, article, "relation", "R1", "correct", corrections={"type": "member_of"})

    g = c.get("/api/graph", params={"key": ALPHA, "co_mentions": "false"}).json()
    recruit = next(e for e in g["edges"] if e["type"] == "RECRUIT")
    assert recruit["evidence"][0]["review"]["status"] == "confirmed" and recruit["review_counts"] == {"confirmed": 1}
    assert "RECRUIT" in _edge_types(c, hide_rejected="true") and "ACCUSE" not in _edge_types(c, hide_rejected="true")
    assert _edge_types(c, confirmed_only="true") == {"RECRUIT", "linked_to"}  # corrected counts as checked

    profile = c.get("/api/profile", params={"key": ALPHA}).json()
    statuses = {(f["evidence"]["article_id"], f["evidence"]["fact_id"]): f["evidence"].get("review", {}).get("status")
                for f in profile["events_by"]}  # fmt: skip
    assert statuses[(article, "V1")] == "confirmed"
    timeline = c.get("/api/timeline", params={"key": ALPHA, "hide_rejected": "true"}).json()
    assert all(it["evidence"].get("fact_id") != "V2" or it["kind"] != "event" for it in timeline["items"])
    claims = c.get("/api/claims", params={"key": ALPHA, "confirmed_only": "true"}).json()
    assert claims["items"] and all(
        ev["review"]["status"] in ("confirmed", "corrected") for g in claims["items"] for cl in g["claims"]
        for ev in cl["evidence"])  # fmt: skip


def test_the_panel_view_shows_corrections_and_the_queue_moves_on(client: tuple[TestClient, str]) -> None:
    c, article = client
    # the queue: unreviewed facts only (V1, V2, R1 are judged above), after the one on screen, wrapping round
    todo = c.get("/api/review/queue", params={"scope": "article", "article": article, "after": f"{article}:quote:Q1"})
    assert todo.json()["next"] == {"article_id": article, "kind": "quote", "fact_id": "Q1"}  # the only one left
    _post(c, article, "quote", "Q1", "correct", corrections={"speaker": "E2"})
    view = c.get("/api/review", params={"article": article}).json()
    quote = next(f for f in view["facts"] if f["kind"] == "quote")
    assert quote["status"] == "corrected" and quote["fields"]["speaker"] == "E3"
    assert quote["reviewed_fields"]["speaker"] == "E2" and "Carla Diaz" in quote["reviewed_phrase"]
    assert quote["machine"]["speaker"] == "Beta Ministry" and view["reviewer"]
    assert {e["id"] for e in view["entities"]} == {"E1", "E2", "E3"}
    done = c.get("/api/review/queue", params={"scope": "article", "article": article}).json()
    assert done == {"scope": "article", "next": None, "unreviewed": 0, "total": 4}
    actor = c.get("/api/review/queue", params={"scope": "actor", "key": ALPHA}).json()
    assert actor["next"]["article_id"] != article and actor["next"]["kind"] == "event"  # the other article's event
    assert c.get("/api/review/queue", params={"scope": "actor"}).status_code == 400
    assert c.get("/api/review/queue", params={"scope": "article"}).status_code == 404
    assert c.get("/api/review/queue", params={"scope": "incident", "incident": "nope"}).status_code == 404
    bad = c.post("/api/review", json={"article": article, "kind": "event", "fact_id": "V1", "verdict": "correct",
                                      "corrections": {"certainty": "sure"}})  # fmt: skip
    assert bad.status_code == 400 and "certainty" in bad.json()["detail"]


def test_a_store_nobody_reviewed_answers_as_before(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.save_graphs(build_graphs())
        with TestClient(create_app(store, check_assets=False)) as c:
            g = c.get("/api/graph", params={"key": ALPHA}).json()
    assert g["edges"] and not any("review" in ev for e in g["edges"] for ev in e["evidence"])


def test_review_js_builds_the_dom_from_text_only() -> None:
    from newsgraph.api import STATIC_DIR

    js = (STATIC_DIR / "review.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in js, sink
    assert '<script type="module" src="/static/review.js">' in (STATIC_DIR / "index.html").read_text()
