"""The incident view in Debian's headless Chromium (#17): one arrest told by four articles.

From the header's list and from an event's evidence panel, an incident opens with its reports side by
side (article, outlet, date, sentence, who did what to whom, who says so), first and last report, what
they agree and disagree on (each side with its sources) and its independent corroboration. One store,
one browser; the screenshot goes to $NEWSGRAPH_SCREENSHOT_DIR (docs/web-incident.png) when set.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import ROOT, require_chromium, run_newsgraph, serve_command, watched_page
from test_incidents_cli import ARTICLES, write_corpus
from test_web_browser import ARGS, _click_edge, _open_actor, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("incident-web")
    db = root / "store.db"
    done = run_newsgraph("ingest", write_corpus(root / "in.jsonl", ARTICLES), "--db", db)
    assert done.returncode == 0, done.stderr[-3000:]
    with serve_command(db) as url:
        yield url


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    chromium = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, timeout=120_000)
        yield watched_page(browser)
        browser.close()


def test_incident_list_and_view_show_reports_side_by_side(server: str, page: Any, tmp_path: Path) -> None:
    listed = httpx.get(f"{server}/api/incidents").json()
    arrest = next(i for i in listed["items"] if i["type"] == "COERCE" and i["articles"] == 4)
    page.goto(server)
    page.wait_for_selector("body[data-ready=true]")
    page.click("#incidents-button")
    page.wait_for_selector(".incident-row")
    assert page.locator(".incident-row").count() == listed["total"]
    row = page.locator(f".incident-row[data-id='{arrest['id']}']")
    assert "4 articles" in row.inner_text() and "3 independent" in row.inner_text()
    row.locator(".incident-open").click()
    page.wait_for_selector(f"body[data-incident-ready='{arrest['id']}']")
    assert page.locator("#network").is_hidden() and page.locator("#landing").is_hidden()

    cards = page.locator(".incident-report")
    assert cards.count() == 4
    boxes = [cards.nth(i).bounding_box() for i in range(4)]
    assert len({round(b["y"]) for b in boxes}) == 1 and boxes[0]["x"] < boxes[1]["x"] < boxes[3]["x"]  # side by side
    for i, r in enumerate(arrest["reports"]):
        text = cards.nth(i).inner_text()
        assert r["sentence"] in text and r["outlet"] in text and r["published"] in text and r["label"] in text
        assert (r["said_by"] or "the article itself") in text
    assert "first report" in cards.nth(0).inner_text() and "last report" in cards.nth(3).inner_text()
    assert page.locator(".incident-report.copy").count() == 1
    assert "denied" in page.locator(".incident-report.denied").inner_text()
    # untrusted titles stay text
    assert page.locator(".incident-report", has_text="Recruiter arrested <b>in Kathmandu</b>").count() == 1
    assert page.locator("#incident-view b").count() == 0

    summary = page.inner_text(".incident-summary")
    assert "first report 2024-05-06 (wire.example.org)" in summary and "last report 2024-05-08" in summary
    assert "3 independent" in summary and "4 outlets" in summary and "1 named speaker" in summary
    assert "Ram Thapa" in page.inner_text(".incident-agreement")
    numbers = page.inner_text(".disagreement[data-aspect=number]")
    assert "12 — wire.example.org" in numbers and "15 — dailypaper.example.com" in numbers
    assertion = page.inner_text(".disagreement[data-aspect=assertion]")
    assert "denied — hillpost.example.com, 2024-05-08, says Sita Gurung" in assertion

    cards.nth(2).locator(".report-open").click()  # a report's article, evidence highlighted, beside the view
    page.wait_for_selector("#evidence blockquote.sentence")
    page.wait_for_selector(f"#evidence .incident-link[data-id='{arrest['id']}']")
    assert arrest["reports"][2]["sentence"] in page.inner_text("#evidence blockquote.sentence")
    screenshot(page, "web-incident.png", tmp_path)
    assert not page.problems, page.problems


def test_an_event_edge_opens_its_incident(server: str, page: Any) -> None:
    _open_actor(page, server, "Thapa", "Ram Thapa")
    edge = _click_edge(page, prefer="event", edge_type="COERCE")
    refs = [f"{e['article_id']}/{e['fact_id']}" for e in edge["evidence"] if e["kind"] == "event"]
    of = httpx.get(f"{server}/api/incidents/of", params={"event": refs}).json()["items"]
    expected = {v["id"] for v in of.values() if v}
    page.wait_for_selector("#evidence .incident-link")
    shown = page.locator("#evidence .incident-link")
    assert {shown.nth(i).get_attribute("data-id") for i in range(shown.count())} == expected
    target = shown.first.get_attribute("data-id")
    shown.first.click()
    page.wait_for_selector(f"body[data-incident-ready='{target}']")
    assert page.locator(".incident-report").count() >= 2
    assert page.url.endswith(f"#incident:{target}")
    page.click("#home")  # back to the corpus: the incident view goes
    page.wait_for_selector(".corpus-summary")
    assert page.locator("#incident-view").is_hidden()
    assert not page.problems, page.problems


def test_incidents_js_builds_the_dom_from_text_only() -> None:
    code = (ROOT / "src" / "newsgraph" / "web" / "static" / "incidents.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code
