"""README commands the suite otherwise ran only in-process, run here as a user runs them (#20).

The real `newsgraph` command in a subprocess, on files written for the test, with the defaults a
user gets: `ingest --date`, `entities --name`, `entity list|show|merge|split|resolve|log`,
`export` in every format, `backup` / `restore` / `check`, `claims --single-source`,
`graph --co-mentions`, `incidents --min-articles`. docs/testing.md maps every README command to
the test that runs it; `test_every_readme_command_has_a_row_in_docs_testing` keeps it complete.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, run_newsgraph

pytestmark = pytest.mark.slow

TEXTS = {
    "one.txt": "Carlos Mendes, the mayor of Porto Alegre, met officials of the Green Valley Cooperative in "
    "Porto Alegre on Monday.\n\nMendes said the cooperative would build a new school.\n",
    "two.txt": "Carlos Mendes accused the Green Valley Cooperative of fraud on Tuesday, the Porto Alegre "
    "Herald reported.\n",
}


def ok(*args: str | Path) -> str:
    run = run_newsgraph(*args)
    assert run.returncode == 0, f"newsgraph {' '.join(map(str, args))}: {run.stderr[-3000:]}"
    return run.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two undated text files ingested with `--date` (files that carry no date need one)."""
    tmp = tmp_path_factory.mktemp("cli")
    feed = tmp / "feed"
    feed.mkdir()
    for name, text in TEXTS.items():
        (feed / name).write_text(text, encoding="utf-8")
    store = tmp / "news.db"
    ok("ingest", feed, "--db", store, "--date", "2024-03-02")
    return store


def entities(db: Path, *args: str) -> list[dict[str, Any]]:
    return json.loads(ok("entities", "--db", db, "--json", *args))  # type: ignore[no-any-return]


def test_ingest_date_and_the_entity_commands(db: Path) -> None:
    exported = [json.loads(line) for line in ok("export", "--db", db, "--format", "jsonl").splitlines()]
    assert sorted(g["article"]["published"] for g in exported) == ["2024-03-02", "2024-03-02"]

    (mendes,) = entities(db, "--name", "Mendes")
    assert mendes["name"] == "Carlos Mendes" and mendes["articles"] == 2
    listed = json.loads(ok("entity", "list", "--db", db, "--json"))
    assert {e["id"] for e in listed} == {e["id"] for e in entities(db)}  # one command, two names
    coop = next(e for e in listed if e["name"] == "Green Valley Cooperative")

    shown = json.loads(ok("entity", "show", mendes["id"], "--db", db, "--format", "json"))
    assert {"Carlos Mendes", "Mendes"} <= set(shown["aliases"]) and len(shown["articles"]) == 2
    art = shown["articles"][1]
    member = f"{art['id'][:8]}:{art['entities'][0]}"
    out = ok("entity", "split", mendes["id"], member, "--db", db, "--name", "Carlos Mendes (2)")
    new_id = re.search(r"into (\S+)", out).group(1)  # type: ignore[union-attr]
    assert {e["name"]: e["articles"] for e in entities(db, "--name", "Mendes")} == {
        "Carlos Mendes": 1, "Carlos Mendes (2)": 1}  # fmt: skip
    ok("entity", "merge", mendes["id"], new_id, "--db", db, "--reason", "the same mayor")
    assert [(e["id"], e["articles"]) for e in entities(db, "--name", "Mendes")] == [(mendes["id"], 2)]
    log = ok("entity", "log", "--db", db)
    assert "│ split" in log and "│ merge" in log  # one row each (the table is as wide as a terminal)
    ok("entity", "resolve", "--db", db)  # idempotent: the hand merge stands
    assert [(e["id"], e["articles"]) for e in entities(db, "--name", "Mendes")] == [(mendes["id"], 2)]
    assert coop["articles"] == 2


def test_export_every_format(db: Path, tmp_path: Path) -> None:
    import networkx as nx

    ok("export", "--db", db, "--format", "jsonl", "--out", tmp_path / "a.jsonl")
    assert len((tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    ok("export", "--db", db, "--format", "ftm", "--out", tmp_path / "a.ftm.json")
    schemata = {json.loads(line)["schema"] for line in (tmp_path / "a.ftm.json").read_text().splitlines()}
    assert {"Article", "Person"} <= schemata
    ok("export", "--db", db, "--format", "graphml", "--out", tmp_path / "a.graphml")
    labels = {d.get("label") for _n, d in nx.read_graphml(tmp_path / "a.graphml").nodes(data=True)}
    assert "Carlos Mendes" in labels
    ok("export", "--db", db, "--format", "gdelt", "--out", tmp_path / "a.tsv")
    assert (tmp_path / "a.tsv").read_text(encoding="utf-8").strip()
    ok("export", "--db", db, "--format", "csv", "--out", tmp_path / "tables")
    with (tmp_path / "tables" / "articles.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 2


def test_backup_restore_check(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    ok("backup", tmp_path / "b.db", "--db", db)
    ok("restore", tmp_path / "b.db", "--db", copy)
    assert ok("check", "--db", copy).strip().endswith(": ok")
    assert entities(copy) == entities(db)


def test_claims_graph_and_incidents_options(db: Path) -> None:
    claims = json.loads(ok("claims", "--db", db, "--single-source", "--json"))
    assert isinstance(claims, list | dict)
    graph = json.loads(ok("graph", "Carlos Mendes", "--db", db, "--co-mentions", "--json"))
    names = json.dumps(graph)
    assert "Green Valley Cooperative" in names  # named in one sentence with him
    incidents = ok("incidents", "--db", db, "--min-articles", "2", "--json")
    assert all(json.loads(line) for line in incidents.splitlines() if line.strip())


# ---- docs/testing.md stays complete ---------------------------------------------------------------


def readme_commands() -> set[str]:
    """Every command of the README's CLI table (`entity list|show` → `entity list`, `entity show`)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## CLI", 1)[1].split("\n## ", 1)[0]
    found: set[str] = set()
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        first = line.split(" | ", 1)[0]
        for code in re.findall(r"`([^`]+)`", first):
            words = code.replace("\\|", "|").removeprefix("newsgraph ").split()
            if not words or not re.fullmatch(r"[a-z][a-z-]*", words[0]):
                continue
            if len(words) > 1 and re.fullmatch(r"[a-z-]+(\|[a-z-]+)+", words[1]):
                found |= {f"{words[0]} {sub}" for sub in words[1].split("|")}
            else:
                found.add(words[0])
    return found


def test_every_readme_command_has_a_row_in_docs_testing() -> None:
    commands = readme_commands()
    assert {"ingest", "serve", "entity merge", "backup", "restore", "check"} <= commands  # the parser works
    rows = [line for line in (ROOT / "docs" / "testing.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| `newsgraph ")]  # fmt: skip
    covered = {m for row in rows for m in re.findall(r"`newsgraph ([a-z-]+(?: [a-z-]+)?)", row.split(" | ")[0])}
    missing = sorted(c for c in commands if c not in covered and c.split()[0] not in covered - {"entity", "review"})
    assert not missing, f"README commands with no row in docs/testing.md: {missing}"
    for row in rows:  # every test a row names exists
        for file, name in re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", row):
            assert f"def {name}(" in (ROOT / file).read_text(encoding="utf-8"), f"{file}::{name} not found"
        assert "tests/" in row, f"a row names no test: {row}"


def test_review_note_keeps_the_status(db: Path) -> None:
    graphs = [json.loads(line) for line in ok("export", "--db", db, "--format", "jsonl").splitlines()]
    graph = next(g for g in graphs if g["events"])
    article, event = graph["article"]["id"], graph["events"][0]["id"]
    ok("review", "note", article[:12], f"event:{event}", "worth a second source", "--db", db)
    shown = ok("review", "show", article[:12], "--db", db, "--json")
    assert "worth a second source" in shown
