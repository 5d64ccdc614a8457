"""The code's layout rules, checked over src/ with ast: no module reaches into another's private
names, no import guard hides a broken module of the project, and the pipeline's contracts hold."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from conftest import ROOT
from newsgraph.extract import pipeline

SRC = ROOT / "src"


def _modules() -> list[Path]:
    return sorted(p for p in (SRC / "newsgraph").rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def private_imports(path: Path) -> list[str]:
    """``from newsgraph.x import _y``, ``import newsgraph.x as m; m._y`` and the like in one file.
    A private *module* (``export/_io.py``) may be used by the modules of its own package."""
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[str] = []
    module_aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsgraph"):
            owner = node.module
            last = owner.rpartition(".")[2]
            if _private(last) and not here.startswith(owner.rpartition(".")[0] + "."):
                found.append(f"{here}: from {owner} import … (a private module of another package)")
            for alias in node.names:
                if _private(alias.name) and not (_is_module(f"{owner}.{alias.name}") and owner == package):
                    found.append(f"{here}: from {owner} import {alias.name}")
                elif _is_module(f"{owner}.{alias.name}"):
                    module_aliases[alias.asname or alias.name] = f"{owner}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("newsgraph") and alias.asname:
                    module_aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in module_aliases
            and _private(node.attr)
        ):
            found.append(f"{here}: {module_aliases[node.value.id]}.{node.attr}")
    return found


def import_guards(path: Path) -> list[str]:
    """``try: import newsgraph.x … except ImportError``: a broken module of ours must fail loudly."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        caught = {
            n.id
            for h in node.handlers
            for n in ast.walk(h.type) if h.type is not None and isinstance(n, ast.Name)
        }
        if not caught & {"ImportError", "ModuleNotFoundError"}:
            continue
        for stmt in node.body:
            for sub in ast.walk(stmt):
                names = (
                    [sub.module or ""] if isinstance(sub, ast.ImportFrom) else [a.name for a in sub.names]
                    if isinstance(sub, ast.Import)
                    else []
                )
                if any(n.startswith("newsgraph") for n in names):
                    found.append(f"{_module_name(path)}:{sub.lineno}")
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    found = [hit for path in _modules() for hit in private_imports(path)]
    assert not found, "private names imported across modules:\n" + "\n".join(found)


def test_no_import_guard_around_the_projects_own_modules() -> None:
    found = [hit for path in _modules() for hit in import_guards(path)]
    assert not found, "try/except ImportError around newsgraph modules:\n" + "\n".join(found)


def test_the_checks_catch_what_they_look_for(tmp_path: Path) -> None:
    """The two checks above fail on a module that breaks the rules (so they cannot pass vacuously)."""
    bad = SRC / "newsgraph" / "extract" / "_layout_probe.py"
    bad.write_text(
        "import newsgraph.extract.pipeline as p\n"
        "from newsgraph.extract.pipeline import _REGISTRY\n"
        "try:\n    from newsgraph.extract import relations\nexcept ImportError:\n    relations = None\n"
        "x = p._checked\n",
        encoding="utf-8",
    )
    try:
        hits = private_imports(bad)
        assert any("import _REGISTRY" in h for h in hits)
        assert any("pipeline._checked" in h for h in hits)
        assert import_guards(bad)
    finally:
        bad.unlink()


def test_default_pipeline_order_satisfies_every_contract() -> None:
    pipeline.check_order(pipeline.DEFAULT_PIPELINE)


def test_a_component_before_what_it_requires_is_refused() -> None:
    order = list(pipeline.DEFAULT_PIPELINE)
    order.remove("attributions")
    order.insert(order.index("events") + 1, "attributions")  # events reads graph.attributions
    with pytest.raises(ValueError, match=r"'events' requires graph\.attributions"):
        pipeline.check_order(order)
