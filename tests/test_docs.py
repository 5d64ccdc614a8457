"""The docs name what the code has (as datasette's test_docs.py): every extraction component in
docs/architecture.md, every API route in docs/ or the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute

from conftest import ROOT
from newsgraph.api import create_app
from newsgraph.extract import pipeline
from newsgraph.store import Store

DOCS = ROOT / "docs"


def _docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in [*DOCS.glob("*.md"), ROOT / "README.md"])


def _components() -> list[str]:
    pipeline.check_order(pipeline.DEFAULT_PIPELINE)  # loads every built-in component
    return sorted(pipeline.CONTRACTS)


@pytest.mark.parametrize("name", _components())
def test_every_pipeline_component_is_in_the_architecture_doc(name: str) -> None:
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    row = re.search(rf"^\| `{re.escape(name)}` \|(.*)$", text, re.MULTILINE)
    assert row, f"docs/architecture.md has no row for the extraction component {name!r}"
    contract = pipeline.CONTRACTS[name]
    for field in (*contract.requires, *contract.assigns):
        assert f"`{field}`" in row.group(1), f"docs/architecture.md: the row of {name!r} does not name {field}"


def _routes(tmp_path: Path) -> list[str]:
    app = create_app(Store(tmp_path / "docs.db"), check_assets=False)
    return sorted({r.path for r in app.routes if isinstance(r, APIRoute) and r.include_in_schema})


def test_every_api_route_is_documented(tmp_path: Path) -> None:
    text = _docs_text()
    missing = [path for path in _routes(tmp_path) if not re.search(re.escape(path) + r"(?![\w/])", text)]
    assert not missing, f"API routes named in no doc (docs/*.md, README.md): {missing}"


def test_the_route_check_sees_the_routes(tmp_path: Path) -> None:
    routes = _routes(tmp_path)
    assert "/api/health" in routes and "/api/claims" in routes
