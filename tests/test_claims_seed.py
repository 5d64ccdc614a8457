"""The seed article's quotes and attributions (speakers resolved by the actors layer)."""

from __future__ import annotations

import pytest

from newsgraph.model import ArticleGraph

pytestmark = pytest.mark.slow


def _speaker(g: ArticleGraph, starts: str) -> tuple[str | None, str | None]:
    q = next((q for q in g.quotes if q.text.startswith(starts)), None)
    assert q is not None, f"no quote starting {starts!r}: {[q.text[:30] for q in g.quotes]}"
    assert g.article.text[q.start : q.end] == q.text
    e = g.entity(q.speaker)
    return (e.name if e else None), q.channel


def test_seed_quotes_have_speakers_and_channels(seed_graph: ArticleGraph) -> None:
    name, channel = _speaker(seed_graph, "We will act energetically")
    assert name in {"Cuban Ministry of Foreign Affairs", "Bruno Rodríguez"} and channel == "statement"
    name, channel = _speaker(seed_graph, "the competent authorities have initiated")
    assert name == "Bruno Rodríguez" and channel == "x"
    name, _ = _speaker(seed_graph, "a firm and clear historical position")
    assert name == "Cuban Ministry of Foreign Affairs"


def test_seed_certainty_of_reported_claims(seed_graph: ArticleGraph) -> None:
    by_cue = {a.cue: a for a in seed_graph.attributions}
    assert by_cue["claims"].certainty == "alleged"
    assert by_cue["According to"].certainty == "alleged"
    assert by_cue["said"].certainty == "asserted"
