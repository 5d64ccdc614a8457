"""The seed article: every actor found, typed, and every listed mention resolved to it."""

from __future__ import annotations

import unicodedata

import pytest

from newsgraph.model import ArticleGraph


def _norm(s: str) -> str:
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower().strip()
    for art in ("the ", "a ", "an "):
        if s.startswith(art):
            s = s[len(art) :]
    return " ".join(s.split())


def _strings(graph: ArticleGraph, eid: str) -> set[str]:
    e = graph.entity(eid)
    assert e is not None
    return {_norm(e.name)} | {_norm(a) for a in e.aliases} | {_norm(m.text) for m in e.mentions}


def _find(graph: ArticleGraph, text: str) -> str:
    """The entity a mention with this text belongs to (exactly one)."""
    hits = {e.id for e in graph.entities for m in e.mentions if _norm(m.text) == _norm(text)}
    assert len(hits) == 1, f"{text!r} resolves to {hits}"
    return hits.pop()


# (a mention, the entity type, other mentions that must resolve to the same entity)
SEED = [
    ("Cuba", "Country", ["the island"]),
    ("The Cuban Ministry of Foreign Affairs", "Organization", ["Cuban diplomacy", "The ministry"]),
    ("Bruno Rodríguez", "Person", ["Rodríguez", "the Minister of Foreign Affairs"]),
    ("The Cuban regime", "Organization", ["the competent authorities", "the dictatorship"]),
    ("Miguel Díaz-Canel", "Person", []),
    ("Russia", "Country", []),
    ("the Russian government", "Organization", ["the Kremlin", "the government"]),
    ("Vladimir Putin", "Person", []),
    ("the Russian Ministry of Foreign Affairs", "Organization", []),
    ("Ukraine", "Country", []),
    ("a human trafficking network", "Organization", ["the criminal group"]),
    ("Ryazan Gazette", "Organization", []),
    ("Foundation for Human Rights in Cuba", "Organization", ["the organization"]),
    ("Cuban Communist Party", "Organization", []),
    ("X", "Organization", ["Twitter"]),
    ("Moscow", "Place", []),
    ("Cubans", "Group", ["Cuban citizens"]),
]


@pytest.mark.slow
@pytest.mark.parametrize(("mention", "etype", "others"), SEED, ids=[s[0] for s in SEED])
def test_seed_actor(seed_graph: ArticleGraph, mention: str, etype: str, others: list[str]) -> None:
    eid = _find(seed_graph, mention)
    ent = seed_graph.entity(eid)
    assert ent is not None and ent.type == etype
    for other in others:
        assert _find(seed_graph, other) == eid, f"{other!r} should be {ent.name}"


@pytest.mark.slow
def test_seed_kinds_and_countries(seed_graph: ArticleGraph) -> None:
    by_name = {e.name: e for e in seed_graph.entities}
    assert by_name["Ryazan Gazette"].subtype == "media" and by_name["Ryazan Gazette"].country == "RU"
    assert by_name["Government of Russia"].subtype == "government"
    assert by_name["Government of Cuba"].country == "CU"
    assert by_name["X"].subtype == "social_network"
    assert "Twitter" in by_name["X"].aliases
    assert "government of Vladimir Putin" in by_name["Government of Russia"].aliases
    assert by_name["Vladimir Putin"].roles == ["President of Russia"]
    assert by_name["Bruno Rodríguez"].country == "CU"
    assert {e.type for e in seed_graph.entities} <= {"Person", "Organization", "Country", "Place", "Group"}
    ids = [e.id for e in seed_graph.entities]
    assert ids == [f"E{i}" for i in range(1, len(ids) + 1)]


@pytest.mark.slow
def test_seed_roles_as_relations(seed_graph: ArticleGraph) -> None:
    names = {e.id: e.name for e in seed_graph.entities}
    rels = {(r.type, names[r.source], names[r.target]) for r in seed_graph.relations}
    assert ("member_of", "Bruno Rodríguez", "Cuban Ministry of Foreign Affairs") in rels
    assert ("leader_of", "Bruno Rodríguez", "Cuban Ministry of Foreign Affairs") in rels
    assert ("leader_of", "Vladimir Putin", "Government of Russia") in rels
    text = seed_graph.article.text
    lead = next(r for r in seed_graph.relations if r.type == "leader_of" and names[r.source] == "Vladimir Putin")
    assert text[lead.start : lead.end] == "Russian President Vladimir Putin"


@pytest.mark.slow
def test_seed_mentions_are_text_slices(seed_graph: ArticleGraph) -> None:
    text = seed_graph.article.text
    for e in seed_graph.entities:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text
            assert m.sentence is not None
