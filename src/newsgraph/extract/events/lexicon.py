"""The trigger lexicon: which words make an event, of which PLOVER type and mode, and how its
arguments behave (``data/events/triggers.yaml``, loaded once)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsgraph import datafiles
from newsgraph.model import EventType, as_event_type


@dataclass(frozen=True)
class Spec:
    """What a trigger means: PLOVER type, mode, context and how its arguments behave."""

    type: EventType
    mode: str | None = None
    context: str | None = None
    reciprocal: bool = False
    target_preps: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    official: bool = False
    object_control: bool = False
    implicit_target: str | None = None
    by_object: tuple[tuple[frozenset[str], Spec], ...] = ()
    not_objects: frozenset[str] = frozenset()
    needs_target: bool = False
    or_actor_object: bool = False
    standalone: bool = False
    not_modifiers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TriggerLexicon:
    verbs: dict[str, Spec]
    frames: dict[str, dict[str, Spec]]
    nouns: dict[str, Spec]


def _spec(raw: dict[str, Any], default_preps: frozenset[str]) -> Spec:
    return Spec(
        type=as_event_type(str(raw["type"])),
        mode=raw.get("mode"),
        context=raw.get("context"),
        reciprocal=bool(raw.get("reciprocal", False)),
        target_preps=frozenset(map(str, raw["target_preps"])) if "target_preps" in raw else default_preps,
        objects=frozenset(raw.get("objects", ())),
        not_objects=frozenset(raw.get("not_objects", ())),
        needs_target=bool(raw.get("needs_target", False)),
        or_actor_object=bool(raw.get("or_actor_object", False)),
        standalone=bool(raw.get("standalone", False)),
        not_modifiers=frozenset(raw.get("not_modifiers", ())),
        official=bool(raw.get("official", False)),
        object_control=bool(raw.get("object_control", False)),
        implicit_target=raw.get("implicit_target"),
        by_object=tuple(
            (frozenset(o["objects"]), _spec({k: v for k, v in {**raw, **o}.items() if k != "by_object"}, default_preps))
            for o in raw.get("by_object", ())
        ),
    )


@lru_cache(maxsize=1)
def trigger_lexicon() -> TriggerLexicon:
    """The trigger lexicon, read once from ``newsgraph/data/events/triggers.yaml``."""
    data = datafiles.load("events/triggers.yaml")
    preps = frozenset(map(str, data.get("default_target_preps", ())))
    return TriggerLexicon(
        verbs={k: _spec(v, preps) for k, v in data.get("verbs", {}).items()},
        frames={v: {n: _spec(s, preps) for n, s in nouns.items()} for v, nouns in data.get("frames", {}).items()},
        nouns={k: _spec(v, preps) for k, v in data.get("nouns", {}).items()},
    )
