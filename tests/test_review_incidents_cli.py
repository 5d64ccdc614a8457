"""`newsgraph review` and `newsgraph incidents` as users run them: the real command, real files, a real store.

Articles are written for these tests.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ARTICLES = [
    {
        "id": "wire-1",
        "url": "https://wire.example.org/a/1",
        "published": "2024-05-06",
        "title": "Broker held",
        "text": "Police in Kathmandu arrested a labour broker on Sunday for recruiting Nepali men to fight for Russia. "
        '"He took money from the families," police spokesman Dan Bahadur Karki told reporters.',
    },
    {
        "id": "paper-2",
        "url": "https://www.dailypaper.example.com/news/77",
        "published": "2024-05-07",
        "title": "Recruiter arrested",
        "text": "Kathmandu police on Sunday arrested a broker accused of recruiting Nepali men for the Russian army, "
        "officials said. Families say the broker took money from them.",
    },
]


def newsgraph(*args: str, check: bool = True, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("newsgraph")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600, check=check, env=env)


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("review")
    corpus = root / "in.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    db = root / "store.db"
    newsgraph("ingest", str(corpus), "--db", str(db))
    return corpus, db


def _facts(db: Path, article: str) -> dict:
    return json.loads(newsgraph("review", "show", article, "--db", str(db), "--json").stdout)


def _first_article(db: Path) -> tuple[str, dict]:
    rows = newsgraph("export", "--db", str(db), "--format", "jsonl", "-o", str(db.with_suffix(".jsonl")), check=False)
    path = db.with_suffix(".jsonl")
    if rows.returncode != 0 or not path.exists():
        pytest.fail(f"export failed: {rows.stderr}")
    graphs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    graph = next(g for g in graphs if g["events"] and g["quotes"])
    return graph["article"]["id"], graph


def test_review_confirm_reject_correct_survive_replace_and_export_import(
    stored: tuple[Path, Path], tmp_path: Path
) -> None:
    corpus, db = stored
    article, graph = _first_article(db)
    event, quote = graph["events"][0]["id"], graph["quotes"][0]["id"]
    env = {**os.environ, "NEWSGRAPH_REVIEWER": "ana"}
    newsgraph("review", "confirm", article[:12], f"event:{event}", "--db", str(db), "--note", "checked", env=env)
    newsgraph(
        "review", "correct", article[:12], f"quote:{quote}", "--set", "speaker=the police", "--db", str(db), env=env
    )
    bad = newsgraph(
        "review", "correct", article[:12], f"quote:{quote}", "--set", "colour=red", "--db", str(db), check=False
    )
    assert bad.returncode == 2 and "colour" in bad.stderr
    newsgraph("ingest", str(corpus), "--db", str(db), "--replace")
    facts = {f["fact"]: f for f in _facts(db, article)["facts"]}
    assert facts[f"event:{event}"]["status"] == "confirmed" and facts[f"event:{event}"]["reviewer"] == "ana"
    assert facts[f"quote:{quote}"]["status"] == "corrected"
    assert facts[f"quote:{quote}"]["corrections"] == {"speaker": "the police"}
    log = newsgraph("review", "log", "--db", str(db)).stdout
    assert "ana: confirm event" in log and "checked" in log
    quality = json.loads(newsgraph("review", "quality", "--db", str(db), "--json").stdout)
    assert quality["event"]["confirmed"] == 1 and quality["quote"]["corrected"] == 1

    shared = tmp_path / "judgements.jsonl"
    newsgraph("review", "export", str(shared), "--db", str(db))
    other = tmp_path / "other.db"
    newsgraph("ingest", str(corpus), "--db", str(other))
    env_ben = {**env, "NEWSGRAPH_REVIEWER": "ben"}
    newsgraph("review", "reject", article[:12], f"event:{event}", "--db", str(other), env=env_ben)
    imported = newsgraph("review", "import", str(shared), "--db", str(other), check=False)
    assert imported.returncode == 1 and "CONFLICT event" in imported.stdout and "1 conflicts" in imported.stdout
    mine = {f["fact"]: f for f in _facts(other, article)["facts"]}
    assert mine[f"event:{event}"]["status"] == "rejected"  # ben's own judgement was not overwritten
    assert mine[f"quote:{quote}"]["status"] == "corrected"  # the non-conflicting one came in


def test_incidents_merge_two_outlets_reporting_one_arrest(stored: tuple[Path, Path]) -> None:
    _, db = stored
    lines = newsgraph("incidents", "--db", str(db), "--json").stdout.splitlines()
    found = [json.loads(line) for line in lines if line.strip()]
    both = [i for i in found if len({r["article_id"] for r in i["reports"]}) == 2]
    assert both, f"no incident joins the two reports of the arrest: {found}"
    arrest = both[0]
    assert arrest["articles"] == 2 and arrest["outlets"] == 2
    again = newsgraph("incidents", "--db", str(db), "--json").stdout  # incremental: nothing moves
    assert [json.loads(x)["id"] for x in again.splitlines()] == [i["id"] for i in found]


def test_review_and_incidents_through_the_served_api(stored: tuple[Path, Path]) -> None:
    import time

    import httpx

    from conftest import free_port

    _, db = stored
    article, graph = _first_article(db)
    port = free_port()
    exe = Path(sys.executable).with_name("newsgraph")
    proc = subprocess.Popen([str(exe), "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/api/health", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        event = graph["events"][-1]["id"]
        made = httpx.post(
            f"{base}/api/review",
            json={
                "article": article,
                "kind": "event",
                "fact_id": event,
                "verdict": "reject",
                "reviewer": "cleo",
                "note": "no arrest",
            },
        )
        assert made.status_code == 201, made.text
        bad = httpx.post(
            f"{base}/api/review", json={"article": article, "kind": "event", "fact_id": "V999", "verdict": "confirm"}
        )
        assert bad.status_code == 400 and "V999" in bad.json()["detail"]
        state = httpx.get(f"{base}/api/review", params={"article": article}).json()
        mine = next(f for f in state["facts"] if f["kind"] == "event" and f["id"] == event)
        assert mine["status"] == "rejected" and mine["reviewer"] == "cleo" and mine["notes"] == ["no arrest"]
        listed = httpx.get(f"{base}/api/incidents").json()
        assert listed["total"] >= 1
        one = httpx.get(f"{base}/api/incidents/{listed['items'][0]['id']}").json()
        assert len({r["article_id"] for r in one["reports"]}) >= 2 and one["log"]
        # the review queue "in this incident": from one report to the next unreviewed one of the same incident
        here = one["reports"][0]
        queue = httpx.get(f"{base}/api/review/queue", params={
            "scope": "incident", "after": f"{here['article_id']}:event:{here['event']}"}).json()  # fmt: skip
        reports = {(r["article_id"], r["event"]) for r in one["reports"]}
        nxt = queue["next"] or {}  # None only once every report is judged
        assert queue["total"] == len(reports) and (not nxt or (nxt["article_id"], nxt["fact_id"]) in reports)
        assert httpx.get(f"{base}/api/incidents/I999999").status_code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_every_exported_event_carries_its_incident(stored: tuple[Path, Path], tmp_path: Path) -> None:
    _, db = stored
    out = tmp_path / "all.jsonl"
    newsgraph("export", "--db", str(db), "--format", "jsonl", "-o", str(out))
    events = [e for line in out.read_text().splitlines() if line.strip() for e in json.loads(line)["events"]]
    assert events and all(e["incident"] for e in events)
    shared = [e["incident"] for e in events]
    assert len(set(shared)) < len(shared)  # the two reports of the arrest share one incident
    tables = tmp_path / "csv"
    newsgraph("export", "--db", str(db), "--format", "csv", "-o", str(tables))
    header = (tables / "events.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "incident" in header.split(",")


def test_eval_reviews_and_every_export_say_what_was_reviewed(stored: tuple[Path, Path], tmp_path: Path) -> None:
    _, original = stored
    db = tmp_path / "mine.db"
    shutil.copy(original, db)
    with sqlite3.connect(db) as conn:  # the other tests' judgements out: this one counts its own
        conn.execute("DELETE FROM judgements")
    article, graph = _first_article(db)
    events, quote = [e["id"] for e in graph["events"]], graph["quotes"][0]["id"]
    env = {**os.environ, "NEWSGRAPH_REVIEWER": "dora"}
    speaker = next(e for e in graph["entities"] if e["id"] != graph["quotes"][0]["speaker"])
    for fact, verdict, extra in ((f"event:{events[0]}", "confirm", []), (f"event:{events[-1]}", "reject", []),
                                 (f"quote:{quote}", "correct", ["--set", f"speaker={speaker['id']}"])):  # fmt: skip
        newsgraph("review", verdict, article, fact, "--db", str(db), *extra, env=env)

    # newsgraph eval --reviews: precision per kind, the same figures as `review quality`
    figures = json.loads(newsgraph("eval", "--reviews", "--db", str(db), "--json").stdout)
    assert figures == json.loads(newsgraph("review", "quality", "--db", str(db), "--json").stdout)
    assert figures["event"] == {"reviewed": 2, "confirmed": 1, "rejected": 1, "corrected": 0, "precision": 0.5}
    assert figures["quote"]["corrected"] == 1 and figures["quote"]["precision"] == 0.0
    text = newsgraph("eval", "--reviews", "--db", str(db)).stdout
    assert re.search(r"event\s+reviewed\s+2\s+confirmed\s+1\s+rejected\s+1.*precision 0\.500", text)
    assert newsgraph("eval", "--db", str(db), check=False).returncode == 2

    # CSV: a review status column; the corrected speaker in the row, the machine's in `machine`
    newsgraph("export", "--db", str(db), "--format", "csv", "-o", str(tmp_path / "csv"))
    with (tmp_path / "csv" / "quotes.csv").open(encoding="utf-8-sig") as fh:
        row = next(r for r in csv.DictReader(fh) if r["article_id"] == article and r["quote_id"] == quote)
    assert row["review_status"] == "corrected" and row["reviewed_by"] == "dora" and row["speaker_id"] == speaker["id"]
    assert json.loads(row["machine"]) == {"speaker": next(e["name"] for e in graph["entities"]
                                                          if e["id"] == graph["quotes"][0]["speaker"])}  # fmt: skip
    # JSONL: a `reviews` field; hide rejected leaves the rejected event out
    newsgraph("export", "--db", str(db), "--format", "jsonl", "-o", str(tmp_path / "all.jsonl"), "--hide-rejected")
    mine = next(json.loads(x) for x in (tmp_path / "all.jsonl").read_text().splitlines() if article in x)
    assert {(r["id"], r["status"]) for r in mine["reviews"]} >= {(events[0], "confirmed"), (quote, "corrected")}
    assert events[-1] not in {e["id"] for e in mine["events"]}
    # FtM: who checked the statement; GraphML: a review status column; confirmed only keeps the confirmed event
    ftm = newsgraph("export", "--db", str(db), "--format", "ftm").stdout
    assert "review: confirmed by dora" in ftm and "review: rejected by dora" in ftm
    newsgraph("export", "--db", str(db), "--format", "graphml", "-o", str(tmp_path / "g.graphml"), "--confirmed-only")
    graphml = (tmp_path / "g.graphml").read_text(encoding="utf-8")
    assert graphml.count('<data key="review_status">confirmed</data>') == 1 and "rejected</data>" not in graphml
    # the query commands mark reviewed facts and take the same filters
    who = next(e["name"] for e in graph["entities"] if e["id"] in (graph["events"][0].get("source"),
                                                                   graph["events"][0].get("target")))  # fmt: skip
    timeline = newsgraph("timeline", who, "--db", str(db), check=False).stdout
    assert "✓ confirmed by dora" in timeline, timeline
