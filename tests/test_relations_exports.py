"""The relations of issue 12 (works_for, funds, member_of) reach the store, every export and the
network the web view draws: a story written for this test is ingested as a user runs it (a
subprocess), then exported and asked for an actor's graph through the CLI (in process: one
interpreter start per command would cost more than the checks)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

STORY = (
    "Meridian Bank spokesman Tomas Varga said on Monday that the bank had frozen the accounts of "
    "Kestrel Holdings. Kestrel Holdings transferred $4 million to the Red Hand militia in 2021. "
    "Pieter Claes, a member of the Red Hand militia, was arrested in Antwerp.\n"
)
EXPECTED = {
    ("works_for", "Tomas Varga", "Meridian Bank"),
    ("funds", "Kestrel Holdings", "Red Hand militia"),
    ("member_of", "Pieter Claes", "Red Hand militia"),
}


def _ingest(*args: str) -> None:
    exe = Path(sys.executable).with_name("newsgraph")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "newsgraph.cli"]
    subprocess.run([*cmd, "ingest", *args], check=True, capture_output=True, text=True, timeout=600)


def _newsgraph(*args: str) -> str:
    from typer.testing import CliRunner

    from newsgraph.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("relations")
    story = tmp / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    db = tmp / "s.db"
    _ingest(str(story), "--db", str(db), "--date", "2023-06-01")
    return db


def test_jsonl_export_has_the_relations(store: Path) -> None:
    graph = json.loads(_newsgraph("export", "--format", "jsonl", "--db", str(store)).splitlines()[0])
    names = {e["id"]: e["name"] for e in graph["entities"]}
    assert {(r["type"], names[r["source"]], names[r["target"]]) for r in graph["relations"]} >= EXPECTED


def test_graphml_csv_and_ftm_exports_have_the_relations(store: Path, tmp_path: Path) -> None:
    import networkx as nx

    _newsgraph("export", "--format", "graphml", "--out", str(tmp_path / "g.graphml"), "--db", str(store))
    g = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    label = {n: d.get("name") or d.get("label") for n, d in g.nodes(data=True)}
    edges = {(d.get("type"), label[u], label[v]) for u, v, d in g.edges(data=True) if d.get("kind") == "relation"}
    assert edges >= EXPECTED, edges

    _newsgraph("export", "--format", "csv", "--out", str(tmp_path / "tables"), "--db", str(store))
    with (tmp_path / "tables" / "relations.csv").open(encoding="utf-8") as fh:
        types = {row["type"] for row in csv.DictReader(fh)}
    assert {"works_for", "funds", "member_of"} <= types

    _newsgraph("export", "--format", "ftm", "--out", str(tmp_path / "a.ftm.json"), "--db", str(store))
    schemata = {json.loads(line)["schema"] for line in (tmp_path / "a.ftm.json").read_text().splitlines() if line}
    assert {"Employment", "Membership"} <= schemata


def test_the_network_view_draws_the_new_edges(store: Path) -> None:
    """`newsgraph graph --json` answers what the web view's network asks (/api/graph)."""
    for actor, (rtype, _src, target) in (
        ("Tomas Varga", ("works_for", "", "Meridian Bank")),
        ("Kestrel Holdings", ("funds", "", "Red Hand militia")),
    ):
        net = json.loads(_newsgraph("graph", actor, "--db", str(store), "--json"))
        names = {n["id"]: n["name"] for n in net["nodes"]}
        assert any(e["type"] == rtype and names[e["target"]] == target for e in net["edges"]), net["edges"]
