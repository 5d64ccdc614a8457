"""The cue lexicon of attributions: reporting verbs and nouns, channels, platforms, frames
(``data/attributions/cues.yaml``, loaded once)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsgraph import datafiles


@dataclass(frozen=True)
class CueLexicon:
    """The reporting cues of ``data/attributions/cues.yaml`` as frozensets and dicts (loaded once)."""

    verbs: dict[str, dict[str, Any]]
    np_verbs: frozenset[str]
    channel_nouns: dict[str, str]
    platforms: dict[str, str]
    channel_preps: frozenset[str]
    publish_verbs: frozenset[str]
    spokesperson_nouns: frozenset[str]
    according: frozenset[str]
    prep_frames: dict[str, frozenset[str]]
    object_complement: frozenset[str]
    dash_marks: frozenset[str]
    noun_cues: dict[str, dict[str, Any]]
    adjective_cues: dict[str, dict[str, Any]]
    light_verbs: frozenset[str]
    unsaid_preps: dict[str, frozenset[str]]
    unsaid_governors: frozenset[str]
    response_verbs: frozenset[str]
    question_verbs: frozenset[str]


def _words(values: Iterable[Any]) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values)


@lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    cues = datafiles.load("attributions/cues.yaml")
    verbs = {str(k).lower(): (v or {}) for k, v in cues["verbs"].items()}
    return CueLexicon(
        verbs=verbs,
        np_verbs=frozenset(k for k, v in verbs.items() if v.get("np")),
        channel_nouns={str(k).lower(): str(v) for k, v in cues["channel_nouns"].items()},
        platforms={str(k).lower(): str(v) for k, v in cues["platforms"].items()},
        channel_preps=_words(cues["channel_preps"]),
        publish_verbs=_words(cues["publish_verbs"]),
        spokesperson_nouns=_words(cues["spokesperson_nouns"]),
        according=_words(cues["according"]),
        prep_frames={str(k).lower(): _words(v) for k, v in cues["prep_frames"].items()},
        object_complement=_words(cues["object_complement"]),
        dash_marks=frozenset(str(m) for m in cues["dash_marks"]),
        noun_cues={str(k).lower(): (v or {}) for k, v in cues["noun_cues"].items()},
        adjective_cues={str(k).lower(): (v or {}) for k, v in cues["adjective_cues"].items()},
        light_verbs=_words(cues["light_verbs"]),
        unsaid_preps={str(k).lower(): _words(v or []) for k, v in cues["unsaid_preps"].items()},
        unsaid_governors=_words(cues["unsaid_governors"]),
        response_verbs=_words(cues["response_verbs"]),
        question_verbs=_words(cues["question_verbs"]),
    )
