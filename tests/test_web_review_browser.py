"""The review flow in Debian's headless Chromium (#18), on a store the real `newsgraph ingest` filled.

An analyst confirms a fact with the mouse, rejects the next one from the queue with the keyboard,
corrects a quote's speaker in the evidence panel, and — after `newsgraph ingest --replace` re-extracts
the article — finds every judgement again in the page, the machine's version one click away.
The article is written for this test. A screenshot goes to $NEWSGRAPH_SCREENSHOT_DIR (docs/ via
`make screenshot`) as web-review.png, else to a temporary folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import require_chromium, run_newsgraph, serve_command, watched_page
from test_web_browser import ARGS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE = {
    "id": "moldova-1",
    "published": "2025-03-04",
    "title": "Smugglers held at the border",
    "url": "https://news.example.org/md/1",
    "text": "Border guards in Moldova detained two smugglers near the Prut river on Tuesday, the interior ministry "
    'said. "We found the cigarettes hidden in a truck," customs officer Ion Rusu told reporters after a meeting '
    "with Maria Popescu, the ministry's spokeswoman. Moldova accused Romania of ignoring the smuggling route.",
}


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("review-web")
    corpus, db = root / "in.jsonl", root / "store.db"
    corpus.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    done = run_newsgraph("ingest", corpus, "--db", db)
    assert done.returncode == 0, done.stderr[-3000:]
    return corpus, db


@pytest.fixture(scope="module")
def server(corpus_db: tuple[Path, Path]) -> Iterator[str]:
    """`newsgraph serve` as an analyst starts it, with the reviewer's name in the environment."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSGRAPH_REVIEWER", "ana")
        with serve_command(corpus_db[1]) as url:
            yield url


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    chromium = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, timeout=120_000)
        yield watched_page(browser)
        browser.close()


def _profile(page: Any, url: str, query: str, name: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#search-input", query)
    page.press("#search-input", "Enter")
    page.locator(".actor-result").filter(has_text=re.compile(rf"^{re.escape(name)}$")).first.click()
    page.wait_for_selector(f"#profile h2:has-text('{name}')")


def _open(page: Any, selector: str, text: str) -> Any:
    """Click a fact in the profile; wait for its review box."""
    button = page.locator(selector).filter(has_text=text).first
    page.evaluate("() => { document.querySelector('#evidence').replaceChildren(); }")
    button.click()
    page.wait_for_selector("#review .review-status")
    return button


def _status(page: Any) -> str:
    return str(page.inner_text("#review .review-status"))


def _judged(page: Any, before: str) -> None:
    page.wait_for_function("(b) => document.body.dataset.reviewed && document.body.dataset.reviewed !== b", arg=before)


def test_confirm_reject_correct_a_speaker_and_see_it_survive_a_replace(
    page: Any, server: str, corpus_db: tuple[Path, Path], tmp_path: Path
) -> None:
    corpus, db = corpus_db
    # confirm with the mouse: Moldova accused Romania
    _profile(page, server, "Moldova", "Moldova")
    accusation = _open(page, "#profile button.fact", "accused")
    assert _status(page) == "Unreviewed"
    page.click("#review .review-confirm")
    page.wait_for_selector("#review[data-status=confirmed]")
    assert _status(page).startswith("Confirmed by ana")  # the server's $NEWSGRAPH_REVIEWER
    assert accusation.get_attribute("data-review") == "confirmed"  # marked in the profile too

    # the queue: the next unreviewed fact of this article in reading order (J), rejected with the keyboard (X)
    page.keyboard.press("j")
    page.wait_for_function("() => !document.querySelector('#review[data-status=confirmed]')")
    page.wait_for_selector("#review[data-status=unreviewed]")
    queued = page.get_attribute("#review", "data-fact")
    assert queued and queued.startswith(_article_id(server)) and not queued.endswith(":event:V2"), queued
    page.keyboard.press("x")
    page.wait_for_selector("#review[data-status=rejected]")

    # correct a speaker: Ion Rusu's quote given to Maria Popescu, with a note
    _profile(page, server, "Rusu", "Ion Rusu")
    quote = _open(page, "#profile button.link", "cigarettes")
    page.keyboard.press("e")
    page.wait_for_selector("#review .review-form select[name=speaker]")
    speaker = page.locator("#review .review-form select[name=speaker]")
    speaker.select_option(label="Maria Popescu (Person)")
    page.fill("#review .review-form textarea[name=note]", "the tape has her voice")
    page.click("#review .review-form button[type=submit]")
    page.wait_for_selector("#review[data-status=corrected]")
    assert "Maria Popescu" in page.inner_text("#review .fact-line.reviewed")
    assert quote.get_attribute("data-review") == "corrected"

    # re-extract with --replace (the real command), then everything is found again in a fresh page
    again = run_newsgraph("ingest", corpus, "--db", db, "--replace")
    assert again.returncode == 0, again.stderr[-3000:]
    shown = json.loads(run_newsgraph("review", "show", _article_id(server), "--db", db, "--json").stdout)
    assert shown["orphaned"] == []

    _profile(page, server, "Moldova", "Moldova")
    accusation = page.locator("#profile button.fact").filter(has_text="accused").first
    assert accusation.get_attribute("data-review") == "confirmed"
    # the network marks the checked link; the page's Review filter "confirmed only" keeps only it
    page.wait_for_function("() => window.newsgraph && window.newsgraph.cy.edges('.review-checked').length > 0")
    assert page.evaluate("() => window.newsgraph.cy.edges('.review-checked').map((e) => e.data('type'))") == ["ACCUSE"]
    edges = "() => window.newsgraph.cy.edges().map((e) => e.data('type'))"
    for change in (lambda: page.check("#f-comention"), lambda: page.select_option("#f-review", "confirmed_only")):
        drawn = page.get_attribute("body", "data-graph-ready")
        change()
        page.click("#filters button[type=submit]")
        page.wait_for_function("(b) => document.body.dataset.graphReady !== b", arg=drawn)
        if page.is_checked("#f-comention") and not page.input_value("#f-review"):
            assert "co_mention" in page.evaluate(edges)  # named together: no fact anybody confirmed
    assert page.evaluate(edges) == ["ACCUSE"]
    _profile(page, server, "Rusu", "Ion Rusu")
    quote = page.locator("#profile button.link").filter(has_text="cigarettes").first
    assert quote.get_attribute("data-review") == "corrected"
    _open(page, "#profile button.link", "cigarettes")
    page.wait_for_selector("#review[data-status=corrected]")
    assert "Maria Popescu" in page.inner_text("#review .fact-line.reviewed")
    assert page.locator("#provenance > .fact-line.machine").is_hidden()
    page.click("#review .machine-toggle")  # the machine's version, one click away
    machine = page.inner_text("#review .machine-version")
    assert "Ion Rusu" in machine and "speaker" in machine
    assert "the tape has her voice" in page.inner_text("#review .review-notes")
    rejected = httpx.get(f"{server}/api/review", params={"article": _article_id(server)}).json()
    assert {(f["id"], f["status"]) for f in rejected["facts"] if f["status"] != "unreviewed"} == {
        (queued.rsplit(":", 1)[1], "rejected"), ("V2", "confirmed"), ("Q1", "corrected")}  # fmt: skip
    screenshot(page, "web-review.png", tmp_path)
    assert not page.problems, page.problems


def _article_id(server: str) -> str:
    return str(httpx.get(f"{server}/api/articles").json()["items"][0]["id"])

