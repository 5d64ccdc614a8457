"""Incidents as users meet them: `newsgraph ingest` places events, a later ingest joins them incrementally,
`newsgraph incidents merge|split|log` correct and explain, the API does the same by POST.

Articles are written for these tests: one arrest told by a wire service, a syndicated copy of it, a
paper that counts differently and a lawyer who denies it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import run_newsgraph, serve_command
from newsgraph.store import Store

pytestmark = pytest.mark.slow

ARTICLES: list[dict[str, str]] = [
    {
        "id": "wire-1",
        "url": "https://wire.example.org/a/1",
        "published": "2024-05-06",
        "title": "Broker held over Russia recruitment",
        "text": "Police in Kathmandu arrested labour broker Ram Thapa on Sunday for recruiting 12 Nepali men to fight "
        'for Russia. "He took money from the families," police spokesman Dan Bahadur Karki told reporters. '
        "The men were flown to Moscow in March, relatives said.",
    },
    {
        "id": "reprint-1",
        "url": "https://www.valleytimes.example.net/world/broker",
        "published": "2024-05-07",
        "title": "Nepal: broker arrested",
        "text": "Police in Kathmandu arrested labour broker Ram Thapa on Sunday for recruiting 12 Nepali men to fight "
        'for Russia. "He took money from the families," police spokesman Dan Bahadur Karki told reporters. '
        "The men were flown to Moscow in March, relatives said. Distributed by Wire.",
    },
    {
        "id": "paper-2",
        "url": "https://www.dailypaper.example.com/news/77",
        "published": "2024-05-07",
        "title": "Recruiter arrested <b>in Kathmandu</b>",
        "text": "Kathmandu police on Sunday arrested Ram Thapa, a broker accused of recruiting 15 Nepali men for the "
        "Russian army, officials said. Families say Thapa took money from them.",
    },
    {
        "id": "denial-3",
        "url": "https://www.hillpost.example.com/2024/05/08/thapa",
        "published": "2024-05-08",
        "title": "Lawyer: Thapa was not arrested",
        "text": "Kathmandu police did not arrest Ram Thapa on Sunday, his lawyer Sita Gurung said on Tuesday. Thapa "
        "walked into the police station himself to answer questions, Gurung said.",
    },
]


def write_corpus(path: Path, articles: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


def ok(*args: str | Path) -> str:
    done = run_newsgraph(*args)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-2000:]
    return done.stdout


def incidents(db: Path) -> list[dict[str, Any]]:
    out = ok("incidents", "--db", db, "--json", "--no-update")
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def the_arrest(db: Path) -> dict[str, Any]:
    return next(i for i in incidents(db) if i["type"] == "COERCE" and i["articles"] >= 3)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three reports ingested first; the lawyer's denial comes in a second ingest (incremental placement)."""
    root = tmp_path_factory.mktemp("incidents")
    path = root / "store.db"
    first = ok("ingest", write_corpus(root / "first.jsonl", ARTICLES[:3]), "--db", path)
    assert "events placed in incidents" in first
    before = the_arrest(path)
    assert before["articles"] == 3 and before["independent_articles"] == 2  # the syndicated copy counts once
    second = ok("ingest", write_corpus(root / "second.jsonl", ARTICLES[3:]), "--db", path)
    assert "joined one" in second
    return path


def test_a_later_article_joins_the_incident_without_moving_it(db: Path) -> None:
    arrest = the_arrest(db)
    assert arrest["articles"] == 4 and arrest["independent_articles"] == 3 and arrest["outlets"] == 4
    titles = [r["title"] for r in arrest["reports"]]
    assert titles[0] == "Broker held over Russia recruitment" and titles[-1] == "Lawyer: Thapa was not arrested"
    copies = [r for r in arrest["reports"] if r["copy_of"]]
    assert [r["outlet"] for r in copies] == ["valleytimes.example.net"]
    aspects = {d["aspect"]: d["sides"] for d in arrest["disagreements"]}
    assert set(aspects["assertion"]) == {"asserted", "denied"}
    denied = next(r for r in arrest["reports"] if r["denied"])
    assert denied["said_by"] == "Sita Gurung" and aspects["assertion"]["denied"] == [denied["key"]]
    assert {"12", "15"} <= set(aspects["number"])
    assert {"aspect": "target", "value": "Ram Thapa"} in [{k: a[k] for k in ("aspect", "value")}
                                                          for a in arrest["agreement"]]  # fmt: skip
    log = ok("incidents", "log", arrest["id"], "--db", db)
    assert "join" in log and "new" in log


def test_incidents_near_reads_only_candidates(db: Path) -> None:
    """Incremental placement reads back the incidents of the new events' types and dates, not the store."""
    with Store(db) as store:
        arrest = the_arrest(db)["id"]
        assert arrest in store.incidents_near({"COERCE"}, [("2024-05-01", "2024-05-20")])
        assert arrest not in store.incidents_near({"COERCE"}, [("2025-01-01", "2025-02-01")])
        assert arrest not in store.incidents_near({"RECRUIT"}, [("2024-05-01", "2024-05-20")])
        assert arrest in store.incidents_near({"COERCE"}, None)


def test_claims_and_links_count_sources_on_incidents(db: Path) -> None:
    """A syndicated copy adds no source; two outlets telling one arrest are two; a denial backs no assertion."""
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app

    arrest = the_arrest(db)
    by_outlet = {r["outlet"]: r["article_id"] for r in arrest["reports"]}
    wire, copy = by_outlet["wire.example.org"], by_outlet["valleytimes.example.net"]
    with Store(db) as store:
        client = TestClient(create_app(store, check_assets=False))
        claims = [c for g in client.get("/api/claims").json()["items"] for c in g["claims"]]
        # told only by the wire and its syndicated copy: one source
        reprinted = [c for c in claims if {e["article_id"] for e in c["evidence"]} <= {wire, copy}
                     and c["corroboration"]["articles"] == 2]  # fmt: skip
        assert reprinted and all(c["single_source"] and c["corroboration"]["independent_articles"] == 1
                                 for c in reprinted)  # fmt: skip
        single = client.get("/api/claims", params={"single_source": "true"}).json()
        listed = {c["label"] for g in single["items"] for c in g["claims"]}
        assert {c["label"] for c in reprinted} <= listed
        # the arrest's own claims ("took money from the families" is a seizure told in the same quote, not the arrest)
        told = [c for c in claims if c["type"] == "COERCE" and c.get("mode") == "arrest" and not c["negated"]
                and c["corroboration"]["incidents"]]  # fmt: skip
        assert told and all(c["corroboration"]["incidents"] == [arrest["id"]] for c in told)
        # the wire (its copy counted once) and the daily paper back the arrest; the lawyer's denial does not
        assert all(c["source_count"] == 2 and not c["single_source"] and c["corroboration"]["articles"] == 3
                   for c in told)  # fmt: skip
        thapa = client.get("/api/actors", params={"q": "Ram Thapa"}).json()["items"][0]["key"]
        edges = client.get("/api/graph", params={"key": thapa}).json()["edges"]
        typed = [e for e in edges if e["kind"] == "event"]
        assert typed and all(0 < e["corroboration"]["independent_articles"] <= e["corroboration"]["articles"]
                             for e in typed)  # fmt: skip
        assert any(arrest["id"] in e["corroboration"]["incidents"] for e in typed)


def test_split_and_merge_by_hand_are_logged(db: Path) -> None:
    arrest = the_arrest(db)
    denial = next(r for r in arrest["reports"] if r["denied"])
    ref = f"{denial['article_id'][:8]}/{denial['event']}"
    out = ok("incidents", "split", arrest["id"], ref, "--db", db, "--reason", "the lawyer speaks of another day")
    new_id = out.split()[-1]
    assert new_id.startswith("I") and new_id != arrest["id"]
    after = {i["id"]: i for i in incidents(db)}
    assert after[arrest["id"]]["articles"] == 3 and new_id not in after  # one article: below --min-articles 2
    log = ok("incidents", "log", new_id, "--db", db)
    assert "split" in log and "the lawyer speaks of another day" in log
    bad = run_newsgraph("incidents", "split", arrest["id"], "nosuch/V1", "--db", db)
    assert bad.returncode == 2 and "nosuch/V1" in bad.stderr
    out = ok("incidents", "merge", arrest["id"], new_id, "--db", db, "--reason", "same arrest after all")
    assert f"merged {new_id} into {arrest['id']}" in out
    assert the_arrest(db)["articles"] == 4
    missing = run_newsgraph("incidents", "merge", arrest["id"], "I999999", "--db", db)
    assert missing.returncode == 1 and "I999999" in missing.stderr


def test_merge_and_split_through_the_served_api(db: Path) -> None:
    found = incidents(db)
    arrest = next(i for i in found if i["type"] == "COERCE" and i["articles"] >= 3)
    recruit = next(i for i in found if i["type"] == "RECRUIT")
    with serve_command(db) as url:
        of = httpx.get(f"{url}/api/incidents/of", params={"event": [arrest["reports"][0]["key"], "nosuch/V9"]}).json()
        assert of["items"][arrest["reports"][0]["key"]]["id"] == arrest["id"] and of["items"]["nosuch/V9"] is None
        one = httpx.get(f"{url}/api/incidents/{arrest['id']}").json()
        assert [r["key"] for r in one["reports"]] == [r["key"] for r in arrest["reports"]] and one["log"]
        made = httpx.post(f"{url}/api/incidents/{arrest['id']}",
                          json={"action": "merge", "others": [recruit["id"]], "reason": "one story"})  # fmt: skip
        assert made.status_code == 200 and made.json()["moved"] == len(recruit["reports"])
        merged = httpx.get(f"{url}/api/incidents/{arrest['id']}").json()
        assert len(merged["reports"]) == len(arrest["reports"]) + len(recruit["reports"])
        assert any(x["action"] == "merge" and "one story" in x["reasons"] for x in merged["log"])
        assert any(x["action"] == "merge" and "same arrest after all" in x["reasons"] for x in merged["log"])
        moved = [r["key"] for r in recruit["reports"]]
        back = httpx.post(f"{url}/api/incidents/{arrest['id']}",
                          json={"action": "split", "reason": "two events", "events": moved})  # fmt: skip
        assert back.status_code == 200, back.text
        assert len(httpx.get(f"{url}/api/incidents/{arrest['id']}").json()["reports"]) == len(arrest["reports"])
        bad = httpx.post(f"{url}/api/incidents/{arrest['id']}", json={"action": "merge", "others": [arrest["id"]]})
        assert bad.status_code == 400 and "itself" in bad.json()["detail"]
        assert httpx.post(f"{url}/api/incidents/I1", json={"action": "split", "events": ["<x>"]}).status_code == 422
        assert httpx.post(f"{url}/api/incidents/I1", json={"action": "split"}).status_code == 400
