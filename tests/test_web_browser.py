"""The web view in Debian's headless Chromium, on the ingested sample corpus (plus three hand-built articles).

Search an actor, open its profile, click a link in the network, and read the evidence sentence;
alleged links are dashed; hostile article text is shown as text in every view. Screenshots go to
$NEWSGRAPH_SCREENSHOT_DIR when set (`make screenshot` points it at docs/), else to a temporary folder.
"""

from __future__ import annotations

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

from conftest import free_port, serve_in_thread
from newsgraph.store import Store

CHROMIUM = "/usr/bin/chromium"
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

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium); CI always runs this", allow_module_level=True
    )

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Iterator[str]:

    from newsgraph.ingest import ingest
    from test_web_api import build_graphs

    store = Store(tmp_path_factory.mktemp("web") / "sample.db")
    report = ingest([sample_dir], store)
    assert report.stored >= 90
    store.save_graphs(build_graphs())
    with serve_in_thread(store) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=120_000)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1500, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.problems = problems
    yield pg
    context.close()


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


def _click_edge(page: Any, prefer: str = "") -> dict[str, Any]:
    """Click, with the mouse, on the canvas point of an edge of the focused actor; return that edge's data."""
    info: dict[str, Any] = page.evaluate(
        """(prefer) => {
        const cy = window.newsgraph.cy;
        const focus = cy.nodes('[?focus]')[0];
        let edges = focus.connectedEdges();
        if (prefer) { const p = edges.filter((e) => e.data('kind') !== 'co_mention'); if (p.length) edges = p; }
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
        prefer,
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
    screenshot(page, "web.png", tmp_path)


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
    edge = _click_edge(page, prefer="event")
    assert edge["kind"] in ("event", "relation")
    assert "allegedly accused" in page.inner_text("#evidence") or edge["type"] != "ACCUSE"
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
