"""The one loader of the package's data files (``src/newsgraph/data/<area>/<name>.yaml``).

As followthemoney's ``Model`` loads its schema: every YAML file is read here, once, with one
path convention (a path relative to ``newsgraph/data``), and checked against the model's
vocabularies when it is loaded — an event type, relation type, entity type or certainty value
that the model does not know fails at once with the file, the place and the allowed values,
not later as a silently unmatched rule.

YAML 1.1 reads a bare ``on``/``off``/``yes``/``no`` as a boolean, which turns the preposition
"on" into ``True``; this loader reads only ``true``/``false`` as booleans (as YAML 1.2 does).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from newsgraph.model import CERTAINTIES, ENTITY_TYPES, EVENT_TYPES, RELATION_TYPES


class DataFileError(ValueError):
    """A data file that does not fit the model (the message names the file and the place)."""


# libyaml's parser when PyYAML was built with it (7x faster on the lexicons, the same objects); the
# resolver below is Python in both, so the YAML 1.2 booleans hold either way.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """SafeLoader with YAML 1.2 booleans: ``on``, ``off``, ``yes``, ``no`` stay words."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def parse(text: str) -> Any:
    """YAML text read with the project's loader (YAML 1.2 booleans)."""
    return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass


def load(path: str) -> Any:
    """The data file at ``newsgraph/data/<path>`` (e.g. ``"events/triggers.yaml"``; YAML or JSON),
    read and validated once per process; each caller gets its own copy to build from."""
    return copy.deepcopy(_load(path))


@lru_cache(maxsize=64)
def _load(path: str) -> Any:
    text = resources.files("newsgraph").joinpath("data", *path.split("/")).read_text(encoding="utf-8")
    return check(path, json.loads(text) if path.endswith(".json") else parse(text))


def load_file(file: Path, as_path: str) -> Any:
    """A data file read from elsewhere (a test, a user's override), validated as ``as_path``."""
    text = file.read_text(encoding="utf-8")
    return check(as_path, json.loads(text) if as_path.endswith(".json") else parse(text))


def check(path: str, data: Any) -> Any:
    """Raise `DataFileError` when the data of ``path`` names a value the model does not know."""
    validator = VALIDATORS.get(path)
    if validator is not None:
        problems = list(validator(data))
        if problems:
            raise DataFileError(f"data/{path}: " + "; ".join(problems))
    return data


def _one_of(where: str, value: Any, allowed: tuple[str, ...], what: str) -> Iterator[str]:
    if value not in allowed:
        yield f"{where}: {value!r} is not one of the {what} ({', '.join(allowed)})"


def _trigger_specs(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for key in ("verbs", "nouns"):
        for word, spec in (data.get(key) or {}).items():
            yield f"{key}.{word}", spec
    for verb, nouns in (data.get("frames") or {}).items():
        for noun, spec in (nouns or {}).items():
            yield f"frames.{verb}.{noun}", spec


def _triggers(data: dict[str, Any]) -> Iterator[str]:
    for where, spec in _trigger_specs(data):
        if spec is None:
            continue  # an override that removes a derived trigger
        if "type" not in spec:
            yield f"{where}: no type"
            continue
        yield from _one_of(f"{where}.type", spec["type"], EVENT_TYPES, "event types")
        for n, override in enumerate(spec.get("by_object") or ()):
            if "type" in override:
                yield from _one_of(f"{where}.by_object[{n}].type", override["type"], EVENT_TYPES, "event types")
        for prep in spec.get("target_preps") or ():
            if not isinstance(prep, str):
                yield f"{where}.target_preps: {prep!r} is not a word (quote it)"
    for prep in data.get("default_target_preps") or ():
        if not isinstance(prep, str):
            yield f"default_target_preps: {prep!r} is not a word (quote it)"


def _relations(data: dict[str, Any]) -> Iterator[str]:
    for key in ("link_verbs", "link_nouns", "membership_nouns"):
        for word, rtype in (data.get(key) or {}).items():
            yield from _one_of(f"{key}.{word}", rtype, RELATION_TYPES, "relation types")


def _claim_cues(data: dict[str, Any]) -> Iterator[str]:
    for key in ("verbs", "noun_cues", "adjective_cues"):
        for word, opts in (data.get(key) or {}).items():
            if opts and "certainty" in opts:
                yield from _one_of(f"{key}.{word}.certainty", opts["certainty"], CERTAINTIES, "certainty values")


def _plover_cameo(data: dict[str, Any]) -> Iterator[str]:
    for etype in data.get("types") or {}:
        yield from _one_of(f"types.{etype}", etype, EVENT_TYPES, "event types")


def _actor_rules(data: dict[str, Any]) -> Iterator[str]:
    def walk(node: Any, where: str) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                here = f"{where}.{key}" if where else str(key)
                if key == "type" and isinstance(value, str):
                    yield from _one_of(here, value, ENTITY_TYPES, "entity types")
                else:
                    yield from walk(value, here)
        elif isinstance(node, list):
            for n, item in enumerate(node):
                yield from walk(item, f"{where}[{n}]")

    yield from walk(data, "")


VALIDATORS: dict[str, Callable[[Any], Iterator[str]]] = {
    "events/triggers.yaml": _triggers,
    "events/relations.yaml": _relations,
    "attributions/cues.yaml": _claim_cues,
    "export/plover_cameo.yaml": _plover_cameo,
    "actors/rules.yaml": _actor_rules,
}
