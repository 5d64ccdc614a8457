"""API safety: schemathesis finds no 5xx; SQL is always parameterised.

schemathesis (Python API, `schemathesis.openapi.from_asgi`) generates valid and invalid
requests for every operation of the OpenAPI schema of `newsgraph.api.create_app` over a
small store; none may answer 5xx. Then every text parameter of every operation gets SQL
and full-text injection strings: none may fail, change the store, or match more than the
literal text. A static check keeps SQL built from strings out of the source.
"""

from __future__ import annotations

import ast
import hashlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import record_figures

pytest.importorskip("newsgraph.api")

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from newsgraph.api import create_app
from newsgraph.model import Article, ArticleGraph, Entity, Event, Mention, Sentence
from newsgraph.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
from make_store_fixture import graphs  # noqa: E402

SRC = Path(__file__).resolve().parent.parent / "src" / "newsgraph"
EXAMPLES = int(os.environ.get("NEWSGRAPH_API_EXAMPLES", "30"))
CASES: dict[str, int] = {}  # schemathesis cases run, per operation and mode (for docs/reliability.md)

INJECTIONS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR ""="',
    "'; DROP TABLE articles; --",
    "1; UPDATE articles SET title = 'pwned'; --",
    "' UNION SELECT id, text, graph_json, 1, 1, 1 FROM articles --",
    "%' AND 1=0 UNION SELECT sqlite_version(), 2 --",
    "'||(SELECT group_concat(name) FROM sqlite_master)||'",
    "1 OR 1=1",
    ") OR (1=1",
    "admin'/*",
    "%",
    "_",
    "%%",
    "\\",
    "\\%",
    "*",
    'NEAR(a b) OR "x',
    "a OR b NOT c",
    "text:Acme",
    "^Acme",
    "'\x00'",
    "ATTACH DATABASE '/tmp/pwned.db' AS pwned; --",
    "Acme'; PRAGMA writable_schema = ON; --",
    "$1 :a ? @x",
]


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    record_figures(__name__, CASES)


def hostile_graph() -> ArticleGraph:
    text = "Robert'); DROP TABLE articles;-- met the board of Acme Corporation on Monday."
    art = Article.create(text, "2023-07-01", title="'; DELETE FROM entities; --", url="javascript:alert(1)")
    name = "Robert'); DROP TABLE articles;--"
    return ArticleGraph(
        article=art,
        sentences=[Sentence(0, 0, len(text))],
        entities=[
            Entity("e1", name, "Person", mentions=[Mention(0, len(name), name, 0)]),
            Entity("e2", "Acme Corporation", "Organization", mentions=[Mention(51, 67, "Acme Corporation", 0)]),
        ],
        events=[Event("v1", "CONSULT", "met", 0, 0, len(text), source="e1", target="e2")],
        extractor_version="test",
    )


def fingerprint(db: Path) -> dict[str, str]:
    """A digest of every table's rows and of the schema: any change the requests made shows up."""
    out: dict[str, str] = {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        out["sqlite_master"] = repr(conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall())
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            rows = conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()  # sql-safe: names from sqlite_master
            out[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return out


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Store, Path]]:
    db = tmp_path_factory.mktemp("api") / "store.db"
    store = Store(db)
    store.save_graphs([*graphs(), hostile_graph()])
    app = create_app(store, check_assets=False)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    yield schema, store, db
    store.close()


@pytest.fixture(scope="module")
def client(api: tuple[Any, Store, Path]) -> TestClient:
    return TestClient(api[0].app, raise_server_exceptions=False)


def api_paths() -> list[str]:
    """The operations of the schema (read from an app over an empty store at collection time)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "empty.db") as store:
        return sorted(p for p in create_app(store, check_assets=False).openapi()["paths"])


API_PATHS = api_paths()


def test_the_schema_has_the_api_operations(api: tuple[Any, Store, Path]) -> None:
    schema = api[0]
    assert len(API_PATHS) >= 8 and set(schema) == set(API_PATHS)
    for path in API_PATHS:
        assert "GET" in schema[path]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize("path", API_PATHS)
def test_schemathesis_finds_no_server_error(api: tuple[Any, Store, Path], path: str, mode: GenerationMode) -> None:
    schema, _store, db = api
    before = fingerprint(db)
    operation = schema[path]["GET"]
    if mode is GenerationMode.NEGATIVE and not api[0].app.openapi()["paths"][path]["get"].get("parameters"):
        pytest.skip("no parameter to make invalid")
    statuses: list[int] = []

    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call()
        statuses.append(response.status_code)
        assert response.status_code < 500, f"{case.as_curl_command()} -> {response.status_code}: {response.text[:500]}"
        case.validate_response(response, checks=[not_a_server_error])
        assert response.headers.get("content-security-policy"), "every answer carries the CSP"

    run()
    CASES[f"{path} {mode.value}"] = len(statuses)
    assert statuses, "schemathesis generated no case"
    if mode is GenerationMode.NEGATIVE and any(s != 200 for s in statuses):
        assert all(s in (200, 400, 404, 422) for s in statuses), sorted(set(statuses))
    assert fingerprint(db) == before, "a GET changed the store"


def text_parameters(client: TestClient) -> list[tuple[str, str]]:
    spec = client.get("/api/openapi.json").json()
    out = []
    for path, ops in spec["paths"].items():
        for param in ops["get"].get("parameters", []):
            schema = param.get("schema", {})
            kinds = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
            items = schema.get("items", {}) or next((s.get("items", {}) for s in schema.get("anyOf", [])), {})
            if "string" in kinds or (kinds & {"array"} and items.get("type") == "string"):
                out.append((path, param["name"]))
    return out


def test_injection_strings_in_every_text_parameter(client: TestClient, api: tuple[Any, Store, Path]) -> None:
    _schema, _store, db = api
    params = text_parameters(client)
    assert len(params) >= 10, params  # q, key, type, certainty, said_by, article, kind, fact_id, dates…
    before = fingerprint(db)
    sent = 0
    for path, name in params:
        for payload in INJECTIONS:
            values = [payload]
            if name in ("key", "said_by"):  # reach the query behind the key syntax too
                values += [f"n:Person:{payload}", f"n:Organization:Acme Corporation{payload}", f"c:{payload}"]
            for value in values:
                r = client.get(path, params={name: value})
                sent += 1
                assert r.status_code in (200, 400, 404, 422), (path, name, value, r.status_code, r.text[:300])
                assert r.headers["content-type"].startswith("application/json")
                assert "CREATE TABLE" not in r.text, "the schema leaked into an answer"
                if r.status_code >= 400:
                    assert isinstance(r.json()["detail"], str), r.text
    assert fingerprint(db) == before, "an injection string changed the store"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        assert not conn.execute("SELECT count(*) FROM articles WHERE title = 'pwned'").fetchone()[0]
    CASES["injection requests"] = sent


def test_wildcards_and_syntax_match_only_literally(client: TestClient) -> None:
    for q in ["%", "_", "%%", "\\", "*", "' OR '1'='1"]:
        r = client.get("/api/actors", params={"q": q})
        assert r.status_code == 200 and r.json()["total"] == 0, (q, r.json())
    for q in ["%", "_", "*"]:
        r = client.get("/api/sentences", params={"q": q})
        assert r.status_code == 200 and r.json()["total"] == 0, (q, r.json())
    # the hostile name is found as what it is: text
    r = client.get("/api/actors", params={"q": "DROP TABLE"})
    assert [a["name"] for a in r.json()["items"]] == ["Robert'); DROP TABLE articles;--"]


def test_store_level_text_inputs_are_parameters(api: tuple[Any, Store, Path]) -> None:
    """`show` takes an id prefix (SQL LIKE) and `search` takes words (FTS MATCH): both literal."""
    _schema, store, db = api
    before = fingerprint(db)
    for payload in INJECTIONS:
        assert store.get_graph(payload) is None
        store.search_sentences(payload)
        store.most_reported(type_=payload, name=payload)
    assert store.get_graph("%") is None and store.get_graph("_" * 16) is None
    assert fingerprint(db) == before


SQL_CALLS = {"text", "execute", "executemany", "executescript", "exec_driver_sql", "literal_column"}


def test_no_sql_is_built_from_strings_in_the_source() -> None:
    """SQL text is a literal (values go in as bound parameters); a formatted SQL string must say why it is safe."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name not in SQL_CALLS:
                continue
            arg = node.args[0]
            built = (
                isinstance(arg, ast.JoinedStr)
                or (isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add | ast.Mod))
                or (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format")
            )
            if built and "sql-safe:" not in lines[node.lineno - 1]:
                offenders.append(f"{path.relative_to(SRC.parent)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not offenders, "SQL built from strings (use bound parameters):\n" + "\n".join(offenders)
