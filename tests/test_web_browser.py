"""The web view in Debian's headless Chromium, on the ingested sample corpus (plus three hand-built articles).

Search an actor, open its profile, click a link in the network, and read the evidence sentence;
alleged links are dashed; hostile article text is shown as text in every view. Screenshots go to
$NEWSGRAPH_SCREENSHOT_DIR when set (`make screenshot` points it at docs/), else to a temporary folder.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import free_port, require_chromium, run_newsgraph, serve_command, watched_page
from newsgraph.store import Store

ROOT = Path(__file__).resolve().parent.parent


def screenshot(page: Any, name: str, tmp_path: Path) -> Path:
    """Save a screenshot under $NEWSGRAPH_SCREENSHOT_DIR (docs/ via `make screenshot`), else under tmp_path."""
    folder = Path(os.environ.get("NEWSGRAPH_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path))
    assert path.stat().st_size > 20_000
    return path

ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """The sample corpus as `newsgraph demo` stores it (plus three hand-built articles), closed before serving."""
    from test_web_api import build_graphs

    db = tmp_path_factory.mktemp("web") / "sample.db"
    demo = run_newsgraph("demo", "--db", db)
    assert demo.returncode == 0, demo.stderr[-3000:]
    with Store(db) as store:
        assert store.stats()["articles"] == len(list(sample_dir.glob("*.txt"))) + sum(
            1 for f in sample_dir.glob("*.jsonl") for line in f.read_text(encoding="utf-8").splitlines() if line.strip()
        )
        store.save_graphs(build_graphs())
    return db


@pytest.fixture(scope="module")
def server(sample_db: Path) -> Iterator[str]:
    """The real `newsgraph serve --db PATH`, in a subprocess, as a user starts it."""
    with serve_command(sample_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    chromium = require_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=ARGS, timeout=120_000)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    pg = watched_page(browser)
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    pg.context.close()


def _open_actor(page: Any, url: str, query: str, name: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#search-input", query)
    page.press("#search-input", "Enter")
    page.wait_for_selector(f"#results h2:has-text('matching “{query}”')")
    button = page.locator(".actor-result").filter(has_text=re.compile(rf"^{re.escape(name)}$")).first
    button.wait_for()
    page.evaluate("() => { delete document.body.dataset.graphReady; }")
    button.click()
    page.wait_for_selector("body[data-graph-ready]", state="attached")
    page.wait_for_selector("#profile h2")
    page.wait_for_load_state("networkidle")
    assert name in page.inner_text("#profile h2")


def _click_edge(page: Any, prefer: str = "", edge_type: str = "") -> dict[str, Any]:
    """Click, with the mouse, on the canvas point of an edge of the focused actor; return that edge's data.

    ``edge_type`` (e.g. ACCUSE): only an edge of that type is aimed at."""
    info: dict[str, Any] = page.evaluate(
        """([prefer, edgeType]) => {
        const cy = window.newsgraph.cy;
        const focus = cy.nodes('[?focus]')[0];
        let edges = focus.connectedEdges();
        if (prefer) { const p = edges.filter((e) => e.data('kind') !== 'co_mention'); if (p.length) edges = p; }
        if (edgeType) edges = edges.filter((e) => e.data('type') === edgeType);
        const r = cy.container().getBoundingClientRect();
        const pan = cy.pan(), zoom = cy.zoom();
        const hit = (x, y) => cy.renderer().findNearestElement((x - pan.x) / zoom, (y - pan.y) / zoom, true, false);
        // a point on a wanted edge where nothing else (node, label, crossing edge) is hit first
        for (const e of edges.toArray()) {
          const a = e.renderedSourceEndpoint(), m = e.renderedMidpoint(), b = e.renderedTargetEndpoint();
          for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
            const [p, q, u] = t < 0.5 ? [a, m, t * 2] : [m, b, (t - 0.5) * 2];
            const x = p.x + (q.x - p.x) * u, y = p.y + (q.y - p.y) * u;
            const found = hit(x, y);
            if (found && found.id() === e.id()) return { x: r.left + x, y: r.top + y };
          }
        }
        const m = edges[0].renderedMidpoint();
        return { x: r.left + m.x, y: r.top + m.y };
    }""",
        [prefer, edge_type],
    )
    page.mouse.click(info["x"], info["y"])
    page.wait_for_selector("#evidence .edge-title")
    page.wait_for_selector("#evidence blockquote.sentence")
    page.wait_for_load_state("networkidle")
    # the edge the click landed on (the aimed one, unless another edge crosses that exact point)
    selected = page.evaluate("() => window.newsgraph.cy.edges(':selected').map((e) => e.data())")
    assert len(selected) == 1
    return selected[0]  # type: ignore[no-any-return]


def test_search_profile_edge_evidence_on_the_sample_corpus(server: str, page: Any, tmp_path: Path) -> None:
    search_profile_edge_evidence(server, page)
    screenshot(page, "web-evidence.png", tmp_path)


def test_search_profile_edge_evidence_on_postgresql(sample_db: Path, pg_url: str, page: Any) -> None:
    """docs/web.md: the web view serves a PostgreSQL store too (`newsgraph serve --db postgresql+psycopg://...`)."""
    with Store(sample_db) as src, Store(pg_url) as dst:
        graphs = list(src.iter_graphs())
        for g in graphs:
            for e in g.entities:
                e.canonical_id = None  # linked again in this store, as an ingest does
        assert dst.save_graphs(graphs).stored == len(graphs)
        dst.resolve_graphs([g for g in graphs if g.entities])
    with serve_command(pg_url) as url:
        search_profile_edge_evidence(url, page)


def search_profile_edge_evidence(server: str, page: Any) -> None:
    _open_actor(page, server, "Cuba", "Cuba")
    assert "article" in page.inner_text("#profile")
    edge = _click_edge(page, prefer="event")
    ev = edge["evidence"][0]
    params = {"article": ev["article_id"]}
    params.update(
        {"kind": ev["kind"], "fact_id": ev["fact_id"]} if ev["fact_id"] else {"start": ev["start"], "end": ev["end"]}
    )
    expected = httpx.get(f"{server}/api/provenance", params=params).json()
    sentence = page.inner_text("#evidence blockquote.sentence").strip()
    assert sentence == expected["sentences"][0]["text"].strip()
    assert page.locator("#evidence blockquote.sentence mark").count() >= 1
    title = page.inner_text("#evidence .edge-title")
    assert "Cuba" in title
    assert page.locator("#timeline-items li").count() > 0
    assert not page.problems, page.problems


def test_alleged_links_are_dashed_and_asserted_solid(server: str, page: Any) -> None:
    _open_actor(page, server, "Alpha", "Alpha Corp")
    styles = page.evaluate(
        """() => window.newsgraph.cy.edges().map((e) => [e.data('type'), e.data('certainty'), e.style('line-style')])"""
    )
    profile = page.inner_text("#profile")
    assert "Events about it" in profile and "null" not in profile and "undefined" not in profile
    by_type = {t: (c, s) for t, c, s in styles}
    assert by_type["ACCUSE"] == ("alleged", "dashed")
    assert by_type["RECRUIT"] == ("asserted", "solid")
    edge = _click_edge(page, prefer="event", edge_type="ACCUSE")  # the alleged one: its evidence says so
    assert (edge["kind"], edge["type"], edge["certainty"]) == ("event", "ACCUSE", "alleged")
    assert "allegedly accused" in page.inner_text("#evidence")
    assert not page.problems, page.problems


def test_hostile_article_text_is_shown_as_text_everywhere(server: str, page: Any) -> None:
    from test_web_api import HOSTILE_IMG, HOSTILE_SCRIPT

    # search results (actors and sentences)
    page.goto(server)
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#search-input", "onerror")
    page.press("#search-input", "Enter")
    page.wait_for_selector(".sentence-result")
    assert HOSTILE_IMG in page.inner_text("#sentence-results")
    assert HOSTILE_IMG in page.inner_text("#actor-results")
    # profile, network, timeline, evidence
    _open_actor(page, server, "Zorblax", "Zorblax Holdings")
    assert HOSTILE_SCRIPT in page.inner_text("#timeline-items")  # the article title
    assert HOSTILE_SCRIPT in page.inner_text("#profile")
    nodes = page.evaluate("() => window.newsgraph.cy.nodes().map((n) => n.data('name'))")
    assert HOSTILE_IMG in nodes
    page.locator("#timeline-items button", has_text="supported Zorblax").first.click()
    page.wait_for_selector("#evidence blockquote.sentence")
    evidence = page.inner_text("#evidence")
    assert HOSTILE_SCRIPT in evidence and HOSTILE_IMG in evidence
    # nothing was parsed as markup: no injected element, no script ran, no dialog opened
    assert page.locator("img").count() == 0
    assert page.locator("body script").count() == 0
    assert page.evaluate("() => window.__xss === undefined")
    assert not page.problems, page.problems


def test_serve_command_prints_the_address_and_binds_locally(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    store.close()
    port = free_port()
    cmd = [str(Path(sys.executable).parent / "newsgraph"), "serve", "--db", str(tmp_path / "s.db"), "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["articles"] == 0
        assert "content-security-policy" in r.headers
        import psutil

        listening = [c.laddr for c in psutil.Process(proc.pid).net_connections("inet") if c.status == "LISTEN"]
        assert listening and all(addr.ip == "127.0.0.1" for addr in listening), listening
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# ---- #16: what a journalist trips over ---------------------------------------------------------


def _redraw(page: Any, action: Any) -> None:
    """Run ``action`` (a click, a submit) and wait until the network is drawn again."""
    page.evaluate("() => { delete document.body.dataset.graphReady; }")
    action()
    page.wait_for_selector("body[data-graph-ready]", state="attached")
    page.wait_for_load_state("networkidle")


def _positions(page: Any) -> dict[str, tuple[float, float]]:
    pos = page.evaluate("() => window.newsgraph.cy.nodes().map((n) => [n.id(), n.position('x'), n.position('y')])")
    return {k: (round(x, 1), round(y, 1)) for k, x, y in pos}


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box  # type: ignore[no-any-return]


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"] and (
        b["y"] < a["y"] + a["height"]
    )


def test_network_is_legible_and_co_mentions_are_a_toggle(server: str, page: Any, tmp_path: Path) -> None:
    _open_actor(page, server, "Cuba", "Cuba")
    assert not page.is_checked("#f-comention")
    kinds = page.evaluate("() => window.newsgraph.cy.edges().map((e) => e.data('kind'))")
    assert kinds and "co_mention" not in kinds  # typed links only, by default
    # the legend is outside the canvas
    assert not _overlap(_box(page, "#legend"), _box(page, "#graph"))
    # no two visible node labels overlap
    boxes = page.evaluate(
        """() => window.newsgraph.cy.nodes().filter((n) => !n.hasClass('nolabel')).map((n) =>
            n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true }))"""
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]), (a, b)
    screenshot(page, "web.png", tmp_path)
    # the toggle brings co-mentions back, thin and behind the typed links
    _redraw(page, lambda: (page.check("#f-comention"), page.click("#filters button[type=submit]")))
    styles = page.evaluate(
        "() => window.newsgraph.cy.edges().map((e) => [e.data('kind'), e.style('width'), e.style('z-index')])"
    )
    co = [s for s in styles if s[0] == "co_mention"]
    typed = [s for s in styles if s[0] != "co_mention"]
    assert co and typed
    assert max(float(s[1].rstrip("px")) for s in co) <= min(float(s[1].rstrip("px")) for s in typed)
    assert max(int(s[2]) for s in co) < min(int(s[2]) for s in typed)
    assert not page.problems, page.problems


def test_the_cap_is_shown_and_can_be_widened(server: str, page: Any) -> None:
    _open_actor(page, server, "Cuba", "Cuba")
    page.select_option("#f-hops", "2")
    _redraw(page, lambda: (page.check("#f-comention"), page.click("#filters button[type=submit]")))
    assert page.is_visible("#cap")
    before = page.evaluate("() => window.newsgraph.cy.nodes().length")
    assert "more are linked" in page.inner_text("#cap")
    _redraw(page, lambda: page.click("#cap button.widen >> nth=0"))
    after = page.evaluate("() => window.newsgraph.cy.nodes().length")
    assert after > before
    assert not page.problems, page.problems


def test_layout_is_seeded_and_positions_survive_filter_changes(server: str, page: Any, browser: Any) -> None:
    _open_actor(page, server, "Cuba", "Cuba")
    first = _positions(page)
    _redraw(page, lambda: page.click("#filters button[type=submit]"))  # Apply with no change
    assert _positions(page) == first
    _redraw(page, lambda: (page.select_option("#f-certainty", "asserted"), page.click("#filters button[type=submit]")))
    _redraw(page, lambda: (page.select_option("#f-certainty", ""), page.click("#filters button[type=submit]")))
    again = _positions(page)
    assert again == first  # the same nodes at the same places after a filter and back
    # a fresh page draws the same network the same way (seeded, nothing random)
    other = browser.new_context(viewport={"width": 1500, "height": 900}).new_page()
    _open_actor(other, server, "Cuba", "Cuba")
    assert _positions(other) == first
    other.context.close()


def test_profile_in_view_and_no_stale_panels(server: str, page: Any) -> None:
    _open_actor(page, server, "Alpha", "Alpha Corp")
    _click_edge(page, prefer="event")
    # a node in the network: its profile opens at the top of the left column, in view
    page.evaluate("() => window.newsgraph.cy.nodes('[!focus]')[0].emit('tap')")
    page.wait_for_function("() => !document.querySelector('#profile h2').textContent.includes('Alpha Corp')")
    box = _box(page, "#profile h2")
    assert 0 <= box["y"] <= 900
    # switching actor clears the previous actor's evidence
    page.fill("#search-input", "Delta")
    page.press("#search-input", "Enter")
    page.locator(".actor-result", has_text="Delta Group").first.click()
    page.wait_for_function("() => document.querySelector('#profile h2').textContent.includes('Delta Group')")
    assert page.locator("#evidence .edge-title").count() == 0
    # open claims follow the filters
    page.click("#claims-button")
    page.wait_for_selector("#evidence .claims-title")
    page.select_option("#f-certainty", "alleged")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#evidence :text('certainty alleged')")
    # with no link left, the message is not drawn over the node
    page.wait_for_selector("#graph-empty:not([hidden])")
    node = page.evaluate(
        """() => { const n = window.newsgraph.cy.nodes('[?focus]')[0].renderedBoundingBox();
        const r = window.newsgraph.cy.container().getBoundingClientRect();
        return { x: r.left + n.x1, y: r.top + n.y1, width: n.w, height: n.h }; }"""
    )
    assert not _overlap(_box(page, "#graph-empty"), node)
    assert not page.problems, page.problems


def test_co_mention_panel_never_says_asserted_and_header_counts(server: str, page: Any) -> None:
    _open_actor(page, server, "Cuba", "Cuba")
    stats = httpx.get(f"{server}/api/overview").json()["stats"]
    assert f"{stats['entities']} entities ({stats['mentions']} mentions)" in page.inner_text("#stats")
    _redraw(page, lambda: (page.check("#f-comention"), page.click("#filters button[type=submit]")))
    page.evaluate(
        "() => { const e = window.newsgraph.cy.edges(\"[kind = 'co_mention']\")[0]; e.select(); e.emit('tap'); }"
    )
    page.wait_for_selector("#evidence .edge-title")
    assert "named in the same sentence" in page.inner_text("#evidence .edge-title")
    assert "asserted" not in page.inner_text("#evidence .edge-meta")
    assert "said by" not in page.inner_text("#evidence .edge-meta")


def test_time_axis_is_real_and_fits_at_1024(server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.goto(server)
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("#corpus-chart svg rect.bar")
    for chart in ("#corpus-chart", "#timeline-chart"):
        if chart == "#timeline-chart":
            _open_actor(page, server, "Cuba", "Cuba")
            page.wait_for_selector("#timeline-chart svg rect.bar")
        geo = page.evaluate(
            """(sel) => { const svg = document.querySelector(sel + ' svg'); const w = svg.getBoundingClientRect().width;
            const box = document.querySelector(sel).getBoundingClientRect().width;
            const bars = [...svg.querySelectorAll('rect.bar')].map((r) => [r.dataset.month, +r.getAttribute('x'),
              +r.getAttribute('width')]);
            const labels = [...svg.querySelectorAll('text.axis')].map((t) => {
              const b = t.getBBox(); return [b.x, b.x + b.width]; });
            return { w, box, bars, labels }; }""",
            chart,
        )
        assert geo["w"] <= geo["box"] + 1
        assert all(x >= 0 and x + bw <= geo["w"] for _m, x, bw in geo["bars"])
        assert geo["labels"] and all(a >= 0 and b <= geo["w"] for a, b in geo["labels"])
        labels = sorted(geo["labels"])
        assert all(p[1] <= q[0] for p, q in itertools.pairwise(labels))  # no label overlaps the next
        # x grows with the month's distance, so a gap of years shows as empty axis
        bars = geo["bars"]
        if len(bars) > 2:
            idx = [int(m[:4]) * 12 + int(m[5:7]) for m, _x, _w in bars]
            step = (bars[-1][1] - bars[0][1]) / (idx[-1] - idx[0])
            for (_m, x, _w), i in zip(bars, idx, strict=True):
                assert abs(x - (bars[0][1] + (i - idx[0]) * step)) < 0.5  # drawn at 0.1 px
    context.close()


def test_single_source_claims_follow_the_actor_and_filters(server: str, page: Any, tmp_path: Path) -> None:
    _open_actor(page, server, "Cuba", "Cuba")
    page.click("#single-source")
    page.wait_for_selector("#evidence .claims-title")
    assert "Cuba" in page.inner_text("#evidence .claims-title")
    key = page.evaluate("() => window.newsgraph.graph.focus")
    expected = httpx.get(f"{server}/api/claims", params={"key": key, "single_source": "true"}).json()
    n = sum(len(g["claims"]) for g in expected["items"])
    page.wait_for_function("(n) => document.querySelectorAll('#evidence li.claim').length === n", arg=n)
    text = page.inner_text("#evidence")
    for line in page.locator("#evidence li.claim").all_inner_texts():
        assert not line.startswith("?"), line
        assert re.search(r"\d{4}", line) and re.search(r"asserted|alleged|denied|hypothetical", line), line
        assert "says" in line, line
    assert "single source" in text
    screenshot(page, "web-claims.png", tmp_path)
    page.select_option("#f-certainty", "alleged")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#evidence :text('certainty alleged')")
    for line in page.locator("#evidence li.claim").all_inner_texts():
        assert "alleged" in line


def test_landing_page_and_article_browser(server: str, page: Any, tmp_path: Path) -> None:
    page.goto(server)
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("#article-list li")
    corpus = httpx.get(f"{server}/api/corpus").json()
    summary = page.inner_text(".corpus-summary")
    assert corpus["first"] in summary and corpus["last"] in summary
    assert page.locator("#corpus-chart rect.bar").count() == len(corpus["months"])
    assert page.locator(".top-actors li").count() == len(corpus["top_actors"]) > 0
    assert page.locator(".top-events li").count() > 0 and page.locator(".outlets li").count() > 0
    assert page.locator("#article-list li").count() == 25
    screenshot(page, "web-landing.png", tmp_path)
    page.click("#more-articles")
    page.wait_for_function("() => document.querySelectorAll('#article-list li').length === 50")
    page.locator("#article-list .article-open").first.click()
    page.wait_for_selector("#evidence .article-text")
    assert len(page.inner_text("#evidence .article-text")) > 100
    page.locator(".top-actors .actor-result").first.click()
    page.wait_for_selector("#profile h2")
    assert page.is_hidden("#landing") and page.is_visible("#graph")


def test_search_highlights_matches_with_filters(server: str, page: Any, tmp_path: Path) -> None:
    page.goto(server)
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#search-input", "recruit*")
    page.press("#search-input", "Enter")
    page.wait_for_selector(".sentence-result mark.match")
    marks = page.locator(".sentence-result mark.match").all_inner_texts()
    assert marks and all(m.lower().startswith("recruit") for m in marks)
    screenshot(page, "web-search.png", tmp_path)
    page.click("#search-options summary")
    page.fill("#s-from", "2023-13")
    page.press("#search-input", "Enter")
    page.wait_for_selector("#error:not([hidden])")
    assert "date_from" in page.inner_text("#error")


def test_export_the_network_on_screen(server: str, page: Any, tmp_path: Path) -> None:
    import networkx as nx

    _open_actor(page, server, "Cuba", "Cuba")
    nodes = page.evaluate("() => window.newsgraph.cy.nodes().length")
    edges = page.evaluate("() => window.newsgraph.cy.edges().length")
    with page.expect_download() as dl:
        page.click("#export-png")
    png = tmp_path / dl.value.suggested_filename
    dl.value.save_as(png)
    assert png.suffix == ".png" and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as dl:
        page.click("#export-svg")
    svg = tmp_path / dl.value.suggested_filename
    dl.value.save_as(svg)
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<svg") and text.count('class="node"') == nodes
    href = page.get_attribute("#export-graphml", "href")
    assert href and href.startswith("/api/graph.graphml")
    r = httpx.get(server + href)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    out = tmp_path / "n.graphml"
    out.write_bytes(r.content)
    g = nx.read_graphml(out, force_multigraph=True)
    assert g.number_of_nodes() == nodes and g.number_of_edges() == edges
    assert not page.problems, page.problems


def test_demo_serve_on_a_filled_store_serves_it(sample_db: Path) -> None:
    """`newsgraph demo --serve`: the sample corpus (already stored here, so skipped) and then the web view."""
    port = free_port()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "newsgraph"), "demo", "--serve", "--db", str(sample_db),
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline, health = time.monotonic() + 300, None
        while health is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).json()
            except httpx.HTTPError:
                time.sleep(0.5)
        assert health is not None, f"demo --serve never served (exit {proc.poll()})"
        with Store(sample_db) as store:
            assert health["articles"] == store.stats()["articles"]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
