"""Every export round-trips through its own tool: json, followthemoney, networkx, csv (tab and comma)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from newsgraph.export import csv_tables, export, ftm, gdelt
from newsgraph.model import (
    Article,
    ArticleGraph,
    Attribution,
    DateValue,
    Entity,
    Event,
    Mention,
    Quote,
    Relation,
    Sentence,
    TimeExpr,
)

TEXT = (
    "The Ministry of Foreign Affairs of Freedonia said on Monday that Ana Pérez, a colonel, recruited "
    "fighters in Havana for the Red Hand network.\n\n"
    "According to the ministry, Pérez allegedly met José Ruiz, who smuggled migrants across the border "
    "last July.\n\n"
    '"We will act\tfirmly," the minister told reporters.'
)


def _span(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    i = TEXT.index(needle, start)
    return i, i + len(needle)


def _mention(needle: str, sentence: int, start: int = 0) -> Mention:
    s, e = _span(TEXT, needle, start)
    return Mention(start=s, end=e, text=needle, sentence=sentence)


def sample_graph(published: str = "2023-09-05") -> ArticleGraph:
    art = Article.create(TEXT, published, title="=HYPERLINK(\"x\") Freedonia accuses", url="https://example.org/a/1")
    p1 = TEXT.index("\n\n")
    p2 = TEXT.index("\n\n", p1 + 2)
    sentences = [Sentence(0, 0, p1), Sentence(1, p1 + 2, p2), Sentence(2, p2 + 2, len(TEXT))]
    entities = [
        Entity("E1", "Ministry of Foreign Affairs of Freedonia", "Organization",
               aliases=["the ministry"], mentions=[_mention("Ministry of Foreign Affairs of Freedonia", 0)],
               subtype="ministry"),
        Entity("E2", "Ana Pérez", "Person", aliases=["Pérez"], roles=["colonel"],
               mentions=[_mention("Ana Pérez", 0), _mention("Pérez", 1, p1)], country="CU"),
        Entity("E3", "Havana", "Place", mentions=[_mention("Havana", 0)], country="CU"),
        Entity("E4", "Red Hand", "Organization", mentions=[_mention("Red Hand", 0)], subtype="network"),
        Entity("E5", "José Ruiz", "Person", mentions=[_mention("José Ruiz", 1)]),
        Entity("E6", "Cuba", "Country", mentions=[]),
        Entity("E7", "migrants", "Group", mentions=[_mention("migrants", 1)]),
    ]  # fmt: skip
    events = [
        Event("V1", "RECRUIT", "recruited", 0, 0, p1, source="E2", target="E4", location="E3",
              date=DateValue("2023-09-04"), asserted_by="E1", certainty="asserted",
              trigger_start=_span(TEXT, "recruited")[0], trigger_end=_span(TEXT, "recruited")[1]),
        Event("V2", "TRAFFIC", "smuggled", 1, p1 + 2, p2, mode="smuggle", source="E5", target="E7",
              date=DateValue("2023-07", None), asserted_by="E1", certainty="alleged"),
        Event("V3", "ACCUSE", "said", 0, 0, p1, mode="allege", source="E1", target="E2",
              date=DateValue("2023", "before"), certainty="asserted", negated=True),
    ]  # fmt: skip
    relations = [
        Relation("R1", "member_of", "E2", "E4", 0, 0, p1, asserted_by="E1", certainty="asserted"),
        Relation("R2", "linked_to", "E2", "E5", 1, p1 + 2, p2, asserted_by="E1", certainty="alleged"),
        Relation("R3", "located_in", "E4", "E3", 0, 0, p1),
        Relation("R4", "leader_of", "E2", "E6", 0, 0, p1, certainty="hypothetical"),
    ]  # fmt: skip
    said = _span(TEXT, "said")
    told = _span(TEXT, "told")
    attributions = [
        Attribution("A1", "E1", list(_span(TEXT, "The Ministry of Foreign Affairs of Freedonia")), list(said),
                    [said[1] + 1, p1], cue="said"),
        Attribution("A2", None, None, list(told), [p2 + 2, told[0] - 14], direct=True, cue="told"),
    ]  # fmt: skip
    quote_span = _span(TEXT, '"We will act\tfirmly,"')
    quotes = [Quote("Q1", TEXT[quote_span[0] : quote_span[1]], None, *quote_span, channel="statement")]
    times = [
        TimeExpr("Monday", *_span(TEXT, "Monday"), value="2023-09-04", sentence=0),
        TimeExpr("last July", *_span(TEXT, "last July"), value="2023-07", sentence=1),
    ]
    return ArticleGraph(art, sentences, entities, events, relations, attributions, quotes, times, "test")


# ---- tests ----------------------------------------------------------------------------------------


@pytest.fixture
def graph() -> ArticleGraph:
    return sample_graph()


def test_jsonl_round_trip(tmp_path: Path, graph: ArticleGraph) -> None:
    out = tmp_path / "g.jsonl"
    assert export("jsonl", [graph, graph], out) == 2
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    again = ArticleGraph.from_dict(json.loads(lines[0]))
    assert again.to_dict() == graph.to_dict()
    data = json.loads(lines[1])
    for key in ("article", "sentences", "entities", "events", "relations", "attributions", "quotes", "times"):
        assert key in data
    assert data["events"][1]["date"] == {"value": "2023-07", "qualifier": None}


def _read_ftm(path: Path) -> dict[str, Any]:
    from followthemoney import model

    proxies = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        proxy = model.get_proxy(data)  # re-read with followthemoney itself
        assert proxy.schema.validate(data) is None, data
        assert proxy.to_dict()["properties"] == data["properties"], "re-reading changed values"
        proxies[proxy.id] = proxy
    return proxies


def test_ftm_entities_validate_and_keep_every_value(tmp_path: Path, graph: ArticleGraph) -> None:
    out = tmp_path / "g.ftm.json"
    n = ftm.write([graph], out, strict=True)  # strict: raises if any value would be dropped
    proxies = _read_ftm(out)
    assert n == len(proxies) == 1 + len(graph.entities) + len(graph.events) + len(graph.relations)
    by_schema: dict[str, list[Any]] = {}
    for p in proxies.values():
        by_schema.setdefault(p.schema.name, []).append(p)
    # every reference resolves to an entity in the export whose schema fits the property's range
    for p in proxies.values():
        for prop, value in p.itervalues():
            if prop.range is not None and prop.type.name == "entity":
                assert value in proxies, (p.schema.name, prop.name)
                assert proxies[value].schema.is_a(prop.range), (p.schema.name, prop.name, proxies[value].schema)
    # nothing dropped: each value the graph holds is there, cleaned the FtM way
    (article,) = by_schema["Article"]
    assert article.get("publishedAt") == ["2023-09-05"]
    assert article.get("language") == ["eng"]
    assert article.get("sourceUrl") == ["https://example.org/a/1"]
    assert article.get("bodyText") == [graph.article.text]
    people = {p.first("name"): p for p in by_schema["Person"]}
    assert set(people) == {"Ana Pérez", "José Ruiz"}
    assert people["Ana Pérez"].get("position") == ["colonel"]
    assert people["Ana Pérez"].get("alias") == ["Pérez"]
    assert people["Ana Pérez"].get("country") == ["cu"]
    assert [p.first("name") for p in by_schema["PublicBody"]] == ["Ministry of Foreign Affairs of Freedonia"]
    assert [p.first("name") for p in by_schema["Organization"]] == ["Red Hand"]
    assert [p.first("full") for p in by_schema["Address"]] == ["Havana"]
    legal = {p.first("name"): p for p in by_schema["LegalEntity"]}
    assert legal["Cuba"].get("country") == ["cu"] and legal["Cuba"].get("jurisdiction") == ["cu"]
    assert "migrants" in legal
    events = {p.first("keywords"): p for p in by_schema["Event"]}
    assert set(events) == {"RECRUIT", "TRAFFIC", "ACCUSE"}
    assert events["RECRUIT"].get("date") == ["2023-09-04"]
    assert events["TRAFFIC"].get("date") == ["2023-07"]
    assert events["ACCUSE"].get("endDate") == ["2023"]  # "before 2023"
    assert "alleged" in events["TRAFFIC"].get("keywords")
    assert events["RECRUIT"].get("addressEntity") == [by_schema["Address"][0].id]
    assert events["RECRUIT"].get("organizer") == [people["Ana Pérez"].id]
    for p in proxies.values():
        if p.schema.name != "Article":
            assert p.get("proof") == [article.id]
            assert p.get("sourceUrl") == ["https://example.org/a/1"]
    (membership,) = by_schema["Membership"]
    assert membership.get("member") == [people["Ana Pérez"].id]
    (assoc,) = by_schema["Associate"]
    assert assoc.get("associate") == [people["José Ruiz"].id]
    roles = sorted(p.first("role") for p in by_schema["UnknownLink"])
    assert roles == ["leader of", "located in"]  # leader of a country: no Directorship (range Organization)


def test_ftm_records_values_it_would_drop(tmp_path: Path, graph: ArticleGraph) -> None:
    graph.entities[1].country = "XX"  # not a country code: proxy.add would silently drop it
    graph.events[0].date = DateValue("sometime")  # not a date
    builder = ftm.FtmBuilder()
    list(ftm.graph_entities(graph, builder))
    assert {(d.prop, d.value) for d in builder.dropped} >= {("date", "sometime"), ("country", "XX")}
    graph.events[0].date = DateValue("2023-09-05")  # only the country is left to drop: still refused
    with pytest.raises(ValueError, match="country"):
        ftm.write([graph], tmp_path / "country.json", strict=True)
    with pytest.raises(ValueError, match="drop"):
        ftm.write([graph], tmp_path / "bad.json", strict=True)


def test_graphml_reads_back_in_networkx(tmp_path: Path, graph: ArticleGraph) -> None:
    import networkx as nx

    out = tmp_path / "g.graphml"
    other = sample_graph("2023-09-06")  # another article naming the same actors
    facts = export("graphml", [graph, other, graph], out)  # the same article twice: its facts once
    g = nx.read_graphml(out, force_multigraph=True)
    assert g.is_directed() and g.is_multigraph()
    assert facts == 2 * (len(graph.events) + len(graph.relations))
    kinds = {n: d["kind"] for n, d in g.nodes(data=True)}
    assert list(kinds.values()).count("actor") == len(graph.entities)  # the same actors across both copies
    assert list(kinds.values()).count("event") == 2 * len(graph.events)  # every event, in both articles
    labels = {d["label"] for _n, d in g.nodes(data=True) if d["kind"] == "actor"}
    assert {"Ana Pérez", "Red Hand", "Havana"} <= labels
    pérez = next(n for n, d in g.nodes(data=True) if d["label"] == "Ana Pérez")
    assert g.nodes[pérez]["articles"] == 2 and g.nodes[pérez]["mentions"] == 4
    events = [d for _n, d in g.nodes(data=True) if d["kind"] == "event"]
    for d in events:
        assert d["certainty"] in ("asserted", "alleged", "denied", "hypothetical")
        assert d["source_article"] in (graph.article.id, other.article.id)
        assert d["source_url"] == "https://example.org/a/1"
    traffic = next(d for d in events if d["type"] == "TRAFFIC")
    assert traffic["certainty"] == "alleged" and traffic["asserted_by"].startswith("Ministry")
    assert traffic["date"] == "2023-07" and traffic["sentence"] == 1
    assert traffic["label"].startswith("José Ruiz trafficked migrants")
    # each participant linked to its event with its role
    recruit = next(n for n, d in g.nodes(data=True) if d.get("type") == "RECRUIT" and d["kind"] == "event")
    roles = {d["role"]: (u, v) for u, v, d in g.edges(recruit, data=True)}
    roles |= {d["role"]: (u, v) for u, v, d in g.in_edges(recruit, data=True)}
    assert roles["source"][0] == pérez and {"target", "location", "asserted_by"} <= set(roles)
    data = [d for _u, _v, d in g.edges(data=True)]
    assert any(d["kind"] == "relation" and d["type"] == "member_of" for d in data)
    # Gephi reads only GraphML's own attribute types and no nulls
    text = out.read_text(encoding="utf-8")
    assert 'attr.type="' in text and "None" not in text


def _graph_with_bare_events() -> ArticleGraph:
    """Events with no source, no target, or neither: each is still a fact to export."""
    g = sample_graph("2024-01-02")
    first = g.events[0]
    g.events += [
        Event("V4", "ASSAULT", "attacked", 0, first.start, first.end, target="E3"),  # no agent
        Event("V5", "PROTEST", "protests", 1, first.start, first.end, source="E7"),  # no target
        Event("V6", "ASSAULT", "explosion", 1, first.start, first.end),  # neither
    ]
    return g


def test_no_event_is_dropped_by_any_export(tmp_path: Path) -> None:
    import networkx as nx

    g = _graph_with_bare_events()
    n_events, n_relations = len(g.events), len(g.relations)
    # GraphML: events + relations in == event nodes + relation edges out
    assert export("graphml", [g], tmp_path / "g.graphml") == n_events + n_relations
    x = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert sum(d["kind"] == "event" for _n, d in x.nodes(data=True)) == n_events
    assert sum(d["kind"] == "relation" for _u, _v, d in x.edges(data=True)) == n_relations
    bare = next(n for n, d in x.nodes(data=True) if d["kind"] == "event" and d["trigger"] == "attacked")
    assert x.nodes[bare]["label"] == "an unnamed attacker attacked Havana"
    assert [d["role"] for _u, _v, d in x.edges(bare, data=True)] == ["target"]
    # FtM: one Event per event, its parties referenced
    ftm.write([g], tmp_path / "g.ftm.json", strict=True)
    proxies = _read_ftm(tmp_path / "g.ftm.json")
    events = [p for p in proxies.values() if p.schema.name == "Event"]
    assert len(events) == n_events
    protest = next(p for p in events if "PROTEST" in p.get("keywords"))
    assert [proxies[i].first("name") for i in protest.get("involved")] == ["migrants"]
    assert "?" not in " ".join(p.first("name") for p in events)
    # CSV: every event a row, every participant a row with its role
    export("csv", [g], tmp_path / "t")
    with (tmp_path / "t" / "events.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n_events
    with (tmp_path / "t" / "event_participants.csv").open(encoding="utf-8-sig", newline="") as fh:
        parts = list(csv.DictReader(fh))
    expected = sum(1 for v in g.events for x in (v.source, v.target, v.location, v.asserted_by) if x)
    assert len(parts) == expected
    assert {(p["event_id"], p["role"], p["entity_name"]) for p in parts} >= {("V4", "target", "Havana"),
                                                                              ("V5", "source", "migrants")}


def test_gdelt_tsv_reads_back(tmp_path: Path, graph: ArticleGraph) -> None:
    out = tmp_path / "events.tsv"
    assert export("gdelt", [graph], out) == 3
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header, *body = list(reader)
    assert tuple(header) == gdelt.COLUMNS and header[:2] == ["GLOBALEVENTID", "SQLDATE"]
    assert all(len(r) == len(header) for r in body)
    rows = {r["PloverType"]: r for r in (dict(zip(header, r, strict=True)) for r in body)}
    accuse = rows["ACCUSE"]
    assert (accuse["EventCode"], accuse["EventRootCode"], accuse["QuadClass"]) == ("112", "11", "3")
    assert accuse["GoldsteinScale"] == "-2.0" and accuse["Negated"] == "1"
    assert accuse["SQLDATE"] == "20230905" and accuse["DateQualifier"] == "before"
    recruit = rows["RECRUIT"]
    assert recruit["SQLDATE"] == "20230904" and recruit["EventRootCode"] == "15"
    assert recruit["Actor1Name"] == "ANA PÉREZ" and recruit["Actor1CountryCode"] == "CUB"
    assert recruit["ActionGeo_FullName"] == "Havana" and recruit["ActionGeo_CountryCode"] == "CUB"
    assert recruit["SOURCEURL"] == "https://example.org/a/1"
    traffic = rows["TRAFFIC"]
    assert traffic["EventCode"] == "" and traffic["Certainty"] == "alleged" and traffic["EventDate"] == "2023-07"
    assert len({r["GLOBALEVENTID"] for r in rows.values()}) == 3


def test_cameo_map_covers_every_event_type() -> None:
    from newsgraph.model import EVENT_TYPES

    for t in EVENT_TYPES:
        code = gdelt.cameo_code(t, None)
        assert t in gdelt.cameo_map()["types"]
        assert code is None or code[:2] in gdelt.cameo_map()["roots"], t
    assert gdelt.cameo_code("REQUEST", "demand") == "100"
    assert gdelt.cameo_code("ACCUSE", "investigate") == "090"


def test_csv_tables_read_back(tmp_path: Path, graph: ArticleGraph) -> None:
    out = tmp_path / "tables"
    assert export("csv", [graph], out) == 1
    tables = {}
    for name in csv_tables.TABLES:
        with (out / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
            tables[name] = list(csv.DictReader(fh))
    (art,) = tables["articles"]
    assert art["text"] == graph.article.text  # newlines and tabs survive quoting
    assert art["title"].startswith("'=")  # a formula is shown, not run
    assert len(tables["entities"]) == 7 and len(tables["mentions"]) == 7
    assert len(tables["events"]) == 3 and len(tables["relations"]) == 4
    traffic = next(r for r in tables["events"] if r["type"] == "TRAFFIC")
    assert (traffic["source"], traffic["target"], traffic["date"]) == ("José Ruiz", "migrants", "2023-07")
    assert traffic["certainty"] == "alleged" and traffic["negated"] == "false"
    assert tables["attributions"][0]["source"].startswith("Ministry")
    assert tables["quotes"][0]["text"] == '"We will act\tfirmly,"'
    assert [t["value"] for t in tables["times"]] == ["2023-09-04", "2023-07"]
    assert (out / "articles.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8


def test_cli_export_every_format_from_a_store(tmp_path: Path, graph: ArticleGraph) -> None:
    import networkx as nx
    from typer.testing import CliRunner

    from newsgraph.cli import app
    from newsgraph.store import Store

    db = tmp_path / "s.db"
    with Store(db) as store:
        store.save_graphs([graph])
    runner = CliRunner()
    for fmt, out in (("jsonl", "a.jsonl"), ("ftm", "a.ftm.json"), ("graphml", "a.graphml"), ("gdelt", "a.tsv"),
                     ("csv", "tables")):  # fmt: skip
        result = runner.invoke(app, ["export", "--format", fmt, "--out", str(tmp_path / out), "--db", str(db)])
        assert result.exit_code == 0, (fmt, result.output)
    exported_graph = ArticleGraph.from_dict(json.loads((tmp_path / "a.jsonl").read_text()))
    assert all(ev.incident for ev in exported_graph.events)  # each event placed in an incident before export
    for ev in exported_graph.events:
        ev.incident = None
    assert exported_graph.to_dict() == graph.to_dict()
    assert len(_read_ftm(tmp_path / "a.ftm.json")) == 15
    exported = nx.read_graphml(tmp_path / "a.graphml", force_multigraph=True)
    assert sum(d["kind"] == "event" for _n, d in exported.nodes(data=True)) == 3
    assert sum(d["kind"] == "relation" for _u, _v, d in exported.edges(data=True)) == 4
    assert (tmp_path / "tables" / "events.csv").exists()
    result = runner.invoke(app, ["export", "--format", "jsonl", "--db", str(db)])
    assert result.exit_code == 0 and json.loads(result.stdout.splitlines()[0])["article"]["id"] == graph.article.id
    assert runner.invoke(app, ["export", "--format", "graphml", "--db", str(db)]).exit_code == 2  # needs --out
    assert runner.invoke(app, ["export", "--format", "nope", "--db", str(db)]).exit_code == 2


def test_ftm_export_of_the_seed_drops_nothing(tmp_path: Path, seed_graph: ArticleGraph) -> None:
    out = tmp_path / "seed.ftm.json"
    n = ftm.write([seed_graph], out, strict=True)
    assert n == len(_read_ftm(out)) >= 1 + len(seed_graph.entities)
