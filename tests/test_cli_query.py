"""The investigator's commands as a user runs them: the real `newsgraph` in a subprocess, a real store file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.model import Event, Mention
from newsgraph.store import Store
from test_web_api import _graph, _span, build_graphs

EXE = str(Path(sys.executable).parent / "newsgraph")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "s.db"
    graphs = build_graphs()
    c = _graph("Gunmen attacked Kerala Police in Omega Town. KP arrested nobody.", "2023-06-01",
               "Attack in Omega Town", {"E1": ("Kerala Police", "Organization"), "E2": ("Omega Town", "Place")})
    kp = c.article.text.index("KP")
    c.entities[0].aliases = ["KP"]  # the article calls it by its initials too
    c.entities[0].mentions.append(Mention(kp, kp + 2, "KP", sentence=1))
    c.events = [Event("V1", "ASSAULT", "attacked", 0, *_span(c, 0), target="E1", location="E2", asserted_by=None)]
    with Store(path) as store:
        store.save_graphs([*graphs, c])
    return str(path)


def test_profile_by_name_and_json(db: str) -> None:
    r = run("profile", "alpha corp", "--db", db)  # any case
    assert r.returncode == 0, r.stderr
    assert "Alpha Corp (Organization" in r.stdout and "events by it (2)" in r.stdout
    assert "Alpha Corp recruited Carla Diaz" in r.stdout  # a fact as a sentence
    data = json.loads(run("profile", "Alpha Corp", "--db", db, "--json").stdout)
    assert data["key"] == "n:Organization:Alpha Corp" and data["article_count"] == 2


def test_claims_grouped_by_who_asserts_them_with_filters(db: str) -> None:
    r = run("claims", "Alpha Corp", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "Beta Ministry (1)" in r.stdout and "articles, in their own voice" in r.stdout
    assert "Carla Diaz accused Alpha Corp" in r.stdout and "says Beta Ministry" in r.stdout
    only = json.loads(run("claims", "Alpha Corp", "--db", db, "--certainty", "alleged", "--json").stdout)
    assert [g["label"] for g in only["items"]] == ["Beta Ministry"]
    said = json.loads(run("claims", "--db", db, "--said-by", "beta ministry", "--json").stdout)
    assert [c["type"] for g in said["items"] for c in g["claims"]] == ["ACCUSE"]
    dated = json.loads(run("claims", "Alpha Corp", "--db", db, "--from", "2023-02", "--json").stdout)
    assert {c["type"] for g in dated["items"] for c in g["claims"]} == {"THREATEN"}
    # an unknown agent is named by its role, never "?"
    kp = run("claims", "Kerala Police", "--db", db)
    assert "an unnamed attacker attacked Kerala Police" in kp.stdout and "?" not in kp.stdout


def test_timeline_and_bad_dates(db: str) -> None:
    r = run("timeline", "Alpha Corp", "--db", db, "--type", "recruit")
    assert r.returncode == 0, r.stderr
    lines = [x for x in r.stdout.splitlines() if x.strip()]
    assert lines[0].startswith("2022-12  Alpha Corp recruited Carla Diaz")
    bad = run("timeline", "Alpha Corp", "--db", db, "--from", "2023-13")
    assert bad.returncode == 2 and "date_from" in bad.stderr


def test_graph_text_json_and_graphml(db: str, tmp_path: Path) -> None:
    import networkx as nx

    r = run("graph", "Alpha Corp", "--db", db, "--hops", "2")
    assert r.returncode == 0, r.stderr
    assert "RECRUIT" in r.stdout and "Delta Group" in r.stdout
    nb = json.loads(run("graph", "Alpha Corp", "--db", db, "--json").stdout)
    assert {n["name"] for n in nb["nodes"]} == {"Alpha Corp", "Carla Diaz", "Beta Ministry", "Delta Group"}
    assert all(e["kind"] != "co_mention" for e in nb["edges"])  # co-mentions only when asked
    out = tmp_path / "alpha.graphml"
    r = run("graph", "Alpha Corp", "--db", db, "--format", "graphml", "--out", str(out))
    assert r.returncode == 0, r.stderr
    g = nx.read_graphml(out, force_multigraph=True)
    assert g.number_of_nodes() == len(nb["nodes"]) and g.number_of_edges() == len(nb["edges"])


def test_entity_found_by_alias_and_ambiguous_names_listed(db: str) -> None:
    r = run("profile", "KP", "--db", db)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Kerala Police")
    amb = run("profile", "a", "--db", db)  # a substring of many names
    assert amb.returncode == 2 and "n:Organization:Alpha Corp" in amb.stderr
    none = run("profile", "Nobody At All", "--db", db)
    assert none.returncode == 1 and "no actor" in none.stderr


def test_entities_and_entity_list_are_one_command_with_any_case_type(db: str) -> None:
    a = run("entities", "--db", db, "--type", "organization", "--json")
    b = run("entity", "list", "--db", db, "--type", "ORGANIZATION", "--json")
    assert a.returncode == b.returncode == 0, (a.stderr, b.stderr)
    assert json.loads(a.stdout) == json.loads(b.stdout)
    assert {r["type"] for r in json.loads(a.stdout)} == {"Organization"}
    bad = run("entities", "--db", db, "--type", "planet")
    assert bad.returncode == 2 and "Country" in bad.stderr


def test_ambiguous_article_prefix_lists_the_candidates(tmp_path: Path) -> None:
    from newsgraph.model import Article, ArticleGraph

    db = tmp_path / "many.db"
    with Store(db) as store:  # 20 articles: two ids share a first character (16 hex digits)
        store.save_graphs([ArticleGraph(Article.create(f"Note number {i}.", "2023-01-01")) for i in range(20)])
        ids = [a["id"] for a in store.list_articles()]
    prefix = next(i[0] for i in ids if sum(j.startswith(i[0]) for j in ids) > 1)
    r = run("show", prefix, "--db", str(db))
    assert r.returncode == 2
    shared = [i for i in ids if i.startswith(prefix)]
    assert len(shared) > 1 and all(i in r.stderr for i in shared)
    assert run("show", shared[0], "--db", str(db)).returncode == 0


def test_an_empty_default_store_is_named(tmp_path: Path) -> None:
    empty = tmp_path / "nothing" / "default.db"
    r = run("search", "Cuba", env={"NEWSGRAPH_DB": str(empty)})
    assert r.returncode == 0
    assert str(empty) in r.stderr.replace("\n", "") and "empty" in r.stderr
